// A return is requested: from Shopify's returns/request webhook (the customer asked), or created
// from admin with returnCreate. Two steps, each crash-safe:
//  1. record: the case and its lines, as requested, in the webhook's own transaction (with the
//     delivery id), or nothing at all for an order or line Nearhub does not know (logged; 200).
//     A bounded number of statements whatever the number of lines (at most MAX_RETURN_LINES): one
//     query per table read, one statement for all the lines. The webhook is answered then.
//  2. decide, after the answer, as the `returns.decide` job (ADR 0022) enqueued with the record in
//     the webhook's transaction (in whichever process runs returns jobs): core/returns applies the rules
//     and picks each line's hub a slice of lines at a time, yielding to the event loop between
//     slices, from the return as read before planning; then one short transaction records the
//     decision and approves or declines the lines, guarded by the return's version (a change
//     meanwhile: read and plan again), its outbox carrying returnApproveRequest /
//     returnDeclineRequest. A case recorded but never decided (the process died before or during
//     step 2) is decided by the returns job (decidePendingReturns).
import type { Shop } from "@prisma/client";
import { z } from "zod";
import { parseMoney } from "~/core/money/money";
import { MAX_RETURN_LINES, RETURN_REASONS, type ReturnEvaluation, type ReturnEvent, type ReturnReason, type ReturnRequest } from "~/core/returns";
import { db } from "~/db.server";
import { findInBatches } from "../batch.server";
import { mapInSlices, yieldToEventLoop } from "../event-loop.server";
import { defineJob, drainJobs, enqueue } from "../jobs/index.server";
import { logger } from "../logger.server";
import { variantKey } from "../quote-snapshot.server";
import type { Tx } from "../webhooks.server";
import { afterChange, type AdminFor } from "./effects.server";
import { loadReturnContext, planReturn } from "./plan.server";
import {
  ConcurrentChangeError,
  createReturnCase,
  getReturnCase,
  isDecided,
  prepareDecision,
  writeDecisionTx,
  type ApplyOptions,
  type CaseWithLines,
  type Decision,
  type NewReturnLine,
} from "./repository.server";
import type { AdminGraphql } from "../shopify-admin.server";
import { createShopifyReturn } from "./shopify.server";

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
      .max(MAX_RETURN_LINES, `at most ${MAX_RETURN_LINES} lines per return`)
      .default([]),
    decline: z.object({ reason: z.string().nullish(), note: z.string().nullish() }).passthrough().nullish(),
  })
  .passthrough();
export type ReturnWebhook = z.output<typeof returnWebhookSchema>;

export function toReason(raw: string | null | undefined): ReturnReason {
  const up = (raw ?? "").toUpperCase();
  return (RETURN_REASONS as readonly string[]).includes(up) ? (up as ReturnReason) : "UNKNOWN";
}

/** Shopify's decimal price ("12.50") in the order's currency → minor units; null when absent or unreadable. */
function priceMinor(price: string | null | undefined, currency: string): number | null {
  const parsed = price ? parseMoney(price, currency) : null;
  return parsed?.ok ? parsed.minor : null;
}

/**
 * Step 1: records the requested return in `tx`. Returns the case id, or null when it is already
 * known (a retry) or when its order or a line is unknown (recorded by the delivery row only).
 */
export async function recordReturnRequest(tx: Tx, shop: Shop, payload: ReturnWebhook, now: number): Promise<string | null> {
  const known = await tx.returnCase.findFirst({ where: { shopId: shop.id, shopifyReturnGid: payload.admin_graphql_api_id }, select: { id: true } });
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
  // Every line's product, looked up at once: by SKU, else by variant (as a number or a gid).
  const items = payload.return_line_items.map((item) => ({ item, li: item.fulfillment_line_item?.line_item }));
  const variantIds = (v: string) => [v, `gid://shopify/ProductVariant/${variantKey(v)}`];
  const skus = [...new Set(items.flatMap(({ li }) => (li?.sku ? [li.sku] : [])))];
  const variants = [...new Set(items.flatMap(({ li }) => (li?.variant_id ? variantIds(li.variant_id) : [])))];
  const products = [
    ...(await findInBatches(skus, (chunk) => tx.product.findMany({ where: { shopId: shop.id, sku: { in: chunk } } }))),
    ...(await findInBatches(variants, (chunk) => tx.product.findMany({ where: { shopId: shop.id, shopifyVariantId: { in: chunk } } }))),
  ];
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const byVariant = new Map(products.flatMap((p) => (p.shopifyVariantId ? [[p.shopifyVariantId, p] as const] : [])));
  const paidInOrder = new Map<string, number>();
  for (const l of order.lines) if (l.productId && !paidInOrder.has(l.productId)) paidInOrder.set(l.productId, l.priceMinor);

  const lines: NewReturnLine[] = [];
  for (const { item, li } of items) {
    const product =
      (li?.sku ? bySku.get(li.sku) : undefined) ?? (li?.variant_id ? variantIds(li.variant_id).map((v) => byVariant.get(v)).find(Boolean) : undefined);
    if (!product) {
      logger.warn({ shop: shop.domain, returnGid: payload.admin_graphql_api_id, sku: li?.sku ?? null }, "returns/request with an unknown line: recorded, nothing done");
      return null;
    }
    lines.push({
      productId: product.id,
      sku: product.sku,
      shopifyLineGid: item.admin_graphql_api_id ?? `gid://shopify/ReturnLineItem/${item.id}`,
      quantity: item.quantity,
      valueMinor: priceMinor(li?.price, order.currency) ?? paidInOrder.get(product.id) ?? product.valueMinor,
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
async function requestOf(c: CaseWithLines): Promise<ReturnRequest> {
  const shopId = c.shopId;
  const order = c.orderName ? await db.order.findFirst({ where: { shopId, name: c.orderName } }) : null;
  const products = await findInBatches(
    c.lines.flatMap((l) => (l.productId ? [l.productId] : [])),
    (chunk) => db.product.findMany({ where: { shopId, id: { in: chunk } } }),
  );
  const byId = new Map(products.map((p) => [p.id, p]));
  return {
    returnId: c.id,
    deliveredAt: order ? order.placedAt.getTime() : null,
    from: order
      ? { latitude: order.destLatitude, longitude: order.destLongitude, postalCode: order.destPostalCode, country: order.destCountry ?? "US", province: order.destProvince }
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
  };
}

/** How often a decision is planned again when the return changed while it was being planned. */
const DECIDE_ATTEMPTS = 3;

/**
 * Step 2: plans the return and, with auto-approve on, approves or declines each line. Idempotent
 * (the case is decided once). Returns the effects' run, or null when the case was already decided.
 * Planning reads the return first and yields to the event loop while it works; the decision is
 * then written in one short transaction, only if the return did not change meanwhile.
 */
export async function decideReturn(shop: Shop, caseId: string, now: number, adminFor?: AdminFor, source = "rules") {
  for (let attempt = 1; ; attempt++) {
    const c = await getReturnCase(shop.id, caseId);
    if (isDecided(c)) return null;
    await yieldToEventLoop();
    const request = await requestOf(c);
    await yieldToEventLoop();
    const ctx = await loadReturnContext(shop, now);
    const evaluation = await planReturn(ctx, request, now);
    const byLine = new Map(evaluation.lines.map((l) => [l.lineId, l]));
    const outcomes = [...new Set(evaluation.lines.map((l) => l.outcome.code))];
    const hubs = [...new Set(evaluation.lines.flatMap((l) => (l.destination?.hub && l.outcome.itemComesBack ? [l.destination.hub.nodeId] : [])))];
    const decision: Decision = {
      json: await storedEvaluation(evaluation),
      outcome: outcomes.length === 1 ? outcomes[0] : "MIXED",
      destinationNodeId: hubs.length === 1 ? hubs[0] : null,
      lines: new Map(
        c.lines.map((line) => {
          const ev = byLine.get(line.id);
          return [line.id, { outcome: ev?.outcome.code ?? null, destinationNodeId: ev?.outcome.itemComesBack ? (ev.destination?.hub?.nodeId ?? null) : null }];
        }),
      ),
    };
    const eventOf = (line: { id: string; status: string }): ReturnEvent | null => {
      const ev = byLine.get(line.id);
      // A line the merchant already approved or declined in Shopify keeps that decision.
      if (!ev || line.status !== "REQUESTED") return null;
      return ev.outcome.code === "DECLINE"
        ? { type: "DECLINE", declineReason: ev.outcome.declineReason ?? "OTHER", customerMessage: ev.outcome.customerMessage ?? ev.outcome.detail.slice(0, 500) }
        : { type: "APPROVE", hubId: ev.outcome.itemComesBack ? (ev.destination?.hub?.nodeId ?? null) : null, refundedMinor: ev.outcome.refundMinor + ev.outcome.storeCreditMinor };
    };
    // Shopify approves or declines a whole return: one call, carried by one line's event, and only
    // a return declined on every line is declined there.
    const approves = c.lines.some((l) => eventOf(l)?.type === "APPROVE");
    const returnLevelEffects: ApplyOptions["returnLevelEffects"] = approves ? "APPROVE_IN_SHOPIFY" : evaluation.decision === "DECLINE" ? "DECLINE_IN_SHOPIFY" : false;
    const approval = ctx.settings.autoApprove ? { event: eventOf, opts: { idempotencyKey: `decide:${caseId}`, now, source, returnLevelEffects } } : null;
    const write = prepareDecision(c, decision, approval);
    await yieldToEventLoop();
    if (await db.$transaction((tx) => writeDecisionTx(tx, c, write))) {
      await yieldToEventLoop();
      return { evaluation, run: await afterChange(write.eventIds, { adminFor }) };
    }
    // Decided by another process meanwhile (the next read says so), or changed: plan again.
    if (attempt >= DECIDE_ATTEMPTS) throw new ConcurrentChangeError(`return ${caseId} kept changing while it was being decided: left to the returns job`);
  }
}

/**
 * The evaluation as stored (ReturnCase.decisionJson). Lines the rules decided identically (same
 * outcome, rule, reasons and hub figures: typically the same SKU from the same customer) are stored
 * once, as `{ lineIds: [...], ...that line's evaluation }`, so a 1,000-line return of a few SKUs
 * stores a few entries, not 1,000 copies of the same reasons (5 MB, and as long to write).
 */
async function storedEvaluation(evaluation: ReturnEvaluation): Promise<string> {
  const groups = new Map<string, { lineIds: string[]; line: Omit<ReturnEvaluation["lines"][number], "lineId"> }>();
  await mapInSlices(evaluation.lines, ({ lineId, ...line }) => {
    const key = JSON.stringify(line);
    const group = groups.get(key);
    if (group) group.lineIds.push(lineId);
    else groups.set(key, { lineIds: [lineId], line });
  });
  return JSON.stringify({ ...evaluation, lines: [...groups.values()].map(({ lineIds, line }) => ({ lineIds, ...line })) });
}

/**
 * A recorded return decided after its webhook was answered: one attempt per return at a time, retried
 * with backoff. A return left undecided anyway (the job gave up) is decided by the returns sweep.
 */
export const returnDecideJob = defineJob<{ shopId: string; caseId: string }>({
  name: "returns.decide",
  switch: "returns",
  retries: 3,
  backoff: { type: "exponential", delayMs: 15_000, maxMs: 5 * 60_000 },
  timeout: 5 * 60_000,
  concurrency: 2,
  run: async ({ shopId, caseId }, ctx) => {
    const shop = await db.shop.findUnique({ where: { id: shopId } });
    if (!shop) return { decided: false, why: "no such shop" };
    return { decided: (await decideReturn(shop, caseId, ctx.now())) !== null };
  },
});

/** Enqueues the decision of a return just recorded, in the transaction that recorded it. */
export function decideAfterCommit(tx: Tx, shop: Pick<Shop, "id">, caseId: string): Promise<boolean> {
  return enqueue(tx, returnDecideJob, { shopId: shop.id, caseId }, { key: caseId });
}

/** Runs, in this process, every decision waiting (tests, scripts; a worker does this in the app). */
export async function settleReturnDecisions(): Promise<void> {
  await drainJobs({ names: [returnDecideJob.name] });
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
    await yieldToEventLoop();
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
    .min(1, "choose at least one item")
    .max(MAX_RETURN_LINES, `at most ${MAX_RETURN_LINES} items per return`),
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
