// A return is requested: from Shopify's returns/request webhook (the customer asked), or created
// from admin with returnCreate. Two steps, each crash-safe:
//  1. record: the case and its lines, as requested, in the webhook's own transaction (with the
//     delivery id), or nothing at all for an order or line Nearhub does not know (logged; 200);
//  2. decide (after commit): core/returns applies the rules and picks each line's hub; the lines
//     are approved or declined in one transaction whose outbox carries returnApproveRequest /
//     returnDeclineRequest. A case recorded but never decided (the process died) is decided by
//     the returns job (decidePendingReturns).
import type { Shop } from "@prisma/client";
import { z } from "zod";
import { RETURN_REASONS, type ReturnEvent, type ReturnReason, type ReturnRequest } from "~/core/returns";
import { db } from "~/db.server";
import { logger } from "../logger.server";
import { variantKey } from "../quote-snapshot.server";
import type { Tx } from "../webhooks.server";
import { afterChange, type AdminFor } from "./effects.server";
import { loadReturnContext, planReturn } from "./plan.server";
import { applyReturnEventTx, createReturnCase, getReturnCase, type NewReturnLine } from "./repository.server";
import { createShopifyReturn, type AdminGraphql } from "./shopify.server";

const id = z.union([z.number(), z.string()]).transform(String);

/** The returns/* webhook payload (Return resource, REST-style keys), as much of it as Nearhub reads. */
export const returnWebhookSchema = z
  .object({
    id,
    admin_graphql_api_id: z.string().min(1),
    name: z.string().nullish(),
    status: z.string().nullish(),
    order: z.object({ id, admin_graphql_api_id: z.string().nullish() }).passthrough().nullish(),
    return_line_items: z
      .array(
        z
          .object({
            id,
            admin_graphql_api_id: z.string().nullish(),
            quantity: z.number().int().positive(),
            return_reason: z.string().nullish(),
            customer_note: z.string().nullish(),
            fulfillment_line_item: z
              .object({
                line_item: z
                  .object({ id: id.nullish(), sku: z.string().nullish(), variant_id: id.nullish(), price: z.string().nullish() })
                  .passthrough()
                  .nullish(),
              })
              .passthrough()
              .nullish(),
          })
          .passthrough(),
      )
      .default([]),
    decline: z.object({ reason: z.string().nullish(), note: z.string().nullish() }).passthrough().nullish(),
  })
  .passthrough();
export type ReturnWebhook = z.output<typeof returnWebhookSchema>;

export function toReason(raw: string | null | undefined): ReturnReason {
  const up = (raw ?? "").toUpperCase();
  return (RETURN_REASONS as readonly string[]).includes(up) ? (up as ReturnReason) : "UNKNOWN";
}

/** "12.50" → 1250 (two-decimal currencies; the shop's orders are priced that way). */
function priceMinor(price: string | null | undefined): number | null {
  if (!price) return null;
  const n = Number(price);
  return Number.isFinite(n) ? Math.round(n * 100) : null;
}

/**
 * Step 1: records the requested return in `tx`. Returns the case id, or null when it is already
 * known (a retry) or when its order or a line is unknown (recorded by the delivery row only).
 */
export async function recordReturnRequest(tx: Tx, shop: Shop, payload: ReturnWebhook, now: number): Promise<string | null> {
  const known = await tx.returnCase.findFirst({ where: { shopId: shop.id, shopifyReturnGid: payload.admin_graphql_api_id } });
  if (known) return null;
  const orderRef = payload.order;
  const orderIds = orderRef ? [orderRef.admin_graphql_api_id, orderRef.id, `gid://shopify/Order/${orderRef.id}`].filter((x): x is string => Boolean(x)) : [];
  const order = orderIds.length
    ? await tx.order.findFirst({ where: { shopId: shop.id, shopifyOrderId: { in: orderIds } }, include: { lines: true } })
    : null;
  if (!order) {
    logger.warn({ shop: shop.domain, returnGid: payload.admin_graphql_api_id, order: orderRef?.id ?? null }, "returns/request for an unknown order: recorded, nothing done");
    return null;
  }
  const lines: NewReturnLine[] = [];
  for (const item of payload.return_line_items) {
    const li = item.fulfillment_line_item?.line_item;
    const product =
      (li?.sku ? await tx.product.findFirst({ where: { shopId: shop.id, sku: li.sku } }) : null) ??
      (li?.variant_id
        ? await tx.product.findFirst({ where: { shopId: shop.id, shopifyVariantId: { in: [li.variant_id, `gid://shopify/ProductVariant/${variantKey(li.variant_id)}`] } } })
        : null);
    if (!product) {
      logger.warn({ shop: shop.domain, returnGid: payload.admin_graphql_api_id, sku: li?.sku ?? null }, "returns/request with an unknown line: recorded, nothing done");
      return null;
    }
    const paid = priceMinor(li?.price) ?? order.lines.find((l) => l.productId === product.id)?.priceMinor ?? product.valueMinor;
    lines.push({
      productId: product.id,
      sku: product.sku,
      shopifyLineGid: item.admin_graphql_api_id ?? `gid://shopify/ReturnLineItem/${item.id}`,
      quantity: item.quantity,
      valueMinor: paid,
      reason: toReason(item.return_reason),
      condition: null,
      outcome: null,
      destinationNodeId: null,
    });
  }
  if (lines.length === 0) return null;
  const c = await createReturnCase(
    tx,
    {
      shopId: shop.id,
      shopifyReturnGid: payload.admin_graphql_api_id,
      orderGid: order.shopifyOrderId,
      orderName: order.name,
      currency: order.currency,
      outcome: null,
      destinationNodeId: null,
      decision: {},
      lines,
    },
    now,
  );
  return c.id;
}

/** The core's view of a stored case: the customer's address from the order, products from the catalogue. */
async function requestOf(shopId: string, caseId: string): Promise<{ request: ReturnRequest; currency: string }> {
  const c = await getReturnCase(shopId, caseId);
  const order = c.orderName ? await db.order.findFirst({ where: { shopId, name: c.orderName } }) : null;
  const products = await db.product.findMany({ where: { shopId, id: { in: c.lines.flatMap((l) => (l.productId ? [l.productId] : [])) } } });
  const byId = new Map(products.map((p) => [p.id, p]));
  return {
    currency: c.currency,
    request: {
      returnId: c.id,
      deliveredAt: order ? order.placedAt.getTime() : null,
      from: order
        ? { latitude: order.destLatitude, longitude: order.destLongitude, postalCode: order.destPostalCode, country: order.destCountry, province: order.destProvince }
        : { country: "US" },
      lines: c.lines.map((l) => {
        const p = byId.get(l.productId ?? "");
        return {
          lineId: l.id,
          product: p
            ? { id: p.id, sku: p.sku, title: p.title, sellerId: p.sellerId, category: p.category, weightGrams: p.weightGrams, lengthMm: p.lengthMm, widthMm: p.widthMm, heightMm: p.heightMm, valueMinor: p.valueMinor, returnRateBps: p.returnRateBps, madeToOrder: p.madeToOrder }
            : { id: l.productId ?? l.id, sku: l.sku ?? "?", title: l.sku ?? "?", sellerId: null, category: "other", weightGrams: 500, lengthMm: 300, widthMm: 200, heightMm: 100, valueMinor: l.valueMinor, returnRateBps: 0, madeToOrder: false },
          quantity: l.quantity,
          unitPriceMinor: l.valueMinor,
          reason: toReason(l.reason),
          condition: (l.condition as ReturnRequest["lines"][number]["condition"]) ?? null,
          tags: [],
        };
      }),
    },
  };
}

/**
 * Step 2: plans the return and, with auto-approve on, approves or declines each line. Idempotent
 * (keyed by the case id). Returns the effects' run, or null when the case was already decided.
 */
export async function decideReturn(shop: Shop, caseId: string, now: number, adminFor?: AdminFor, source = "rules") {
  const { request } = await requestOf(shop.id, caseId);
  const ctx = await loadReturnContext(shop, now);
  const evaluation = planReturn(ctx, request, now);
  const byLine = new Map(evaluation.lines.map((l) => [l.lineId, l]));
  const eventIds = await db.$transaction(async (tx) => {
    const c = await getReturnCase(shop.id, caseId, tx);
    if (c.decisionJson !== "{}" && c.decisionJson !== "") return null;
    const outcomes = [...new Set(evaluation.lines.map((l) => l.outcome.code))];
    const hubs = [...new Set(evaluation.lines.flatMap((l) => (l.destination?.hub && l.outcome.itemComesBack ? [l.destination.hub.nodeId] : [])))];
    await tx.returnCase.update({
      where: { id: c.id },
      data: { decisionJson: JSON.stringify(evaluation), outcome: outcomes.length === 1 ? outcomes[0] : "MIXED", destinationNodeId: hubs.length === 1 ? hubs[0] : null },
    });
    for (const line of c.lines) {
      const ev = byLine.get(line.id);
      await tx.returnLine.update({
        where: { id: line.id },
        data: { outcome: ev?.outcome.code ?? null, destinationNodeId: ev?.outcome.itemComesBack ? (ev.destination?.hub?.nodeId ?? null) : null },
      });
    }
    if (!ctx.settings.autoApprove) return [];
    const ids: string[] = [];
    const allDeclined = evaluation.decision === "DECLINE";
    let shopifyDone = false;
    for (const line of c.lines) {
      const ev = byLine.get(line.id);
      // A line the merchant already approved or declined in Shopify keeps that decision.
      if (!ev || line.status !== "REQUESTED") continue;
      const event: ReturnEvent =
        ev.outcome.code === "DECLINE"
          ? { type: "DECLINE", declineReason: ev.outcome.declineReason ?? "OTHER", customerMessage: ev.outcome.customerMessage ?? ev.outcome.detail.slice(0, 500) }
          : {
              type: "APPROVE",
              hubId: ev.outcome.itemComesBack ? (ev.destination?.hub?.nodeId ?? null) : null,
              refundedMinor: ev.outcome.refundMinor + ev.outcome.storeCreditMinor,
            };
      // Shopify approves or declines a whole return: one call, and only a return declined on every line is declined.
      const carriesShopify = !shopifyDone && (event.type === "APPROVE" || allDeclined);
      const r = await applyReturnEventTx(tx, shop.id, caseId, event, {
        idempotencyKey: `decide:${caseId}:${line.id}`,
        now,
        lineIds: [line.id],
        source,
        returnLevelEffects: carriesShopify,
      });
      if (carriesShopify) shopifyDone = true;
      ids.push(...r.eventIds);
    }
    return ids;
  });
  if (eventIds === null) return null;
  return { evaluation, run: await afterChange(eventIds, { adminFor }) };
}

/** Cases recorded but not decided (the process died between the two steps), older than `graceMs`. */
export async function decidePendingReturns(now: number, graceMs = 60_000, adminFor?: AdminFor): Promise<number> {
  const pending = await db.returnCase.findMany({
    where: { status: "REQUESTED", decisionJson: "{}", requestedAt: { lte: new Date(now - graceMs) } },
    include: { shop: true },
    take: 100,
  });
  let decided = 0;
  for (const c of pending) {
    try {
      if (await decideReturn(c.shop, c.id, now, adminFor)) decided++;
    } catch (error) {
      logger.error({ returnId: c.id, err: (error as Error).message }, "returns: could not decide a pending return");
    }
  }
  return decided;
}

export const adminReturnSchema = z.object({
  orderGid: z.string().trim().regex(/^gid:\/\/shopify\/Order\/\d+$/, "a Shopify order id (gid://shopify/Order/…)"),
  lines: z
    .array(
      z.object({
        fulfillmentLineItemId: z.string().trim().regex(/^gid:\/\/shopify\/FulfillmentLineItem\/\d+$/, "a fulfillment line item id"),
        sku: z.string().trim().min(1, "the SKU of the item"),
        quantity: z.coerce.number().int().positive("at least 1"),
        returnReason: z.enum(RETURN_REASONS).default("UNKNOWN"),
      }),
    )
    .min(1, "choose at least one item"),
});

/**
 * From admin: returnCreate in Shopify (an OPEN return: no approval step there), then the case is
 * recorded and decided like a requested one; the approval it gets is not sent back to Shopify.
 */
export async function createReturnFromAdmin(shop: Shop, admin: AdminGraphql, input: z.input<typeof adminReturnSchema>, now: number) {
  const data = adminReturnSchema.parse(input);
  const created = await createShopifyReturn(admin, {
    orderId: data.orderGid,
    lines: data.lines.map((l) => ({ fulfillmentLineItemId: l.fulfillmentLineItemId, quantity: l.quantity, returnReason: l.returnReason })),
    requestedAt: new Date(now),
  });
  const payload = returnWebhookSchema.parse({
    id: created.id.split("/").pop(),
    admin_graphql_api_id: created.id,
    name: created.name,
    order: { id: data.orderGid.split("/").pop(), admin_graphql_api_id: data.orderGid },
    return_line_items: data.lines.map((l, i) => ({ id: `${created.id}-${i}`, quantity: l.quantity, return_reason: l.returnReason, fulfillment_line_item: { line_item: { sku: l.sku } } })),
  });
  const caseId = await db.$transaction((tx) => recordReturnRequest(tx, shop, payload, now));
  if (!caseId) return null;
  await decideReturn(shop, caseId, now, async () => admin, "shopify:returnCreate");
  return getReturnCase(shop.id, caseId);
}
