// The one writer of a Shopify order into Order / OrderLine (ADR 0025), inside the caller's
// transaction: the orders webhooks, the bulk import and the nightly reconciliation all call it.
//
// - Upsert by (shop, Shopify order id): a replay, a webhook after the import or the import after a
//   webhook never duplicates an order.
// - Order-safe by Shopify's updated_at (`sourceUpdatedAt`): a state older than the one stored changes
//   nothing (Shopify does not deliver webhooks in order, and a bulk file is a snapshot).
// - Lines are replaced with the order's: a SKU Nearhub does not know is kept (productId null, its
//   `sku` kept) and matched once the catalogue has it (matchOrderLines).
// - Redacted customers and orders (OrderRedaction, written by customers/redact) are never stored again.
// - The order's fulfillments go through recordFulfillment (deliveries/record.server.ts), and the
//   fulfillments Shopify reported before the order are linked to it.
import type { Prisma } from "@prisma/client";
import { linkOrderFulfillments, recordFulfillment } from "../deliveries/record.server";
import type { Tx } from "../webhooks.server";
import type { OrderInput } from "./map.server";

export type StoreOutcome = "created" | "updated" | "stale" | "redacted";

export interface StoredOrder {
  id: string | null;
  outcome: StoreOutcome;
  /** Lines kept whose SKU Nearhub does not know. */
  unknownSkus: number;
}

const tail = (v: string) => v.split("/").pop()!;

/** Whether customers/redact removed this order or its customer. */
export async function isRedacted(tx: Tx, shopId: string, order: Pick<OrderInput, "gid" | "customerId">): Promise<boolean> {
  const found = await tx.orderRedaction.findFirst({
    where: { shopId, OR: [{ kind: "ORDER", shopifyId: tail(order.gid) }, ...(order.customerId ? [{ kind: "CUSTOMER", shopifyId: order.customerId }] : [])] },
    select: { id: true },
  });
  return found !== null;
}

export async function storeOrder(tx: Tx, shopId: string, input: OrderInput, opts: { products?: Map<string, string> } = {}): Promise<StoredOrder> {
  if (await isRedacted(tx, shopId, input)) return { id: null, outcome: "redacted", unknownSkus: 0 };
  const existing = await tx.order.findUnique({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: input.gid } }, select: { id: true, sourceUpdatedAt: true } });
  if (existing?.sourceUpdatedAt && existing.sourceUpdatedAt > input.updatedAt) return { id: existing.id, outcome: "stale", unknownSkus: 0 };

  const data = {
    name: input.name,
    customerId: input.customerId,
    placedAt: input.createdAt,
    cancelledAt: input.cancelledAt,
    currency: input.currency,
    totalMinor: input.totalMinor,
    destCity: input.dest.city,
    destProvince: input.dest.province,
    destPostalCode: input.dest.postalCode,
    destCountry: input.dest.country,
    destLatitude: input.dest.latitude,
    destLongitude: input.dest.longitude,
    shippingCode: input.shippingCode,
    shippingTitle: input.shippingTitle,
    sourceUpdatedAt: input.updatedAt,
  } satisfies Prisma.OrderUncheckedUpdateInput;
  const id = existing
    ? (await tx.order.update({ where: { id: existing.id }, data, select: { id: true } })).id
    : (await tx.order.create({ data: { shopId, shopifyOrderId: input.gid, ...data }, select: { id: true } })).id;

  const products = opts.products ?? (await productsBySku(tx, shopId, input.lines.map((l) => l.sku)));
  await tx.orderLine.deleteMany({ where: { orderId: id } });
  let unknownSkus = 0;
  if (input.lines.length > 0) {
    await tx.orderLine.createMany({
      data: input.lines.map((l) => {
        const productId = l.sku ? (products.get(l.sku) ?? null) : null;
        if (!productId) unknownSkus++;
        return { shopId, orderId: id, productId, sku: l.sku, shopifyLineItemId: l.gid, quantity: l.quantity, priceMinor: l.priceMinor };
      }),
    });
  }
  await linkOrderFulfillments(tx, shopId, { id, shopifyOrderId: input.gid });
  for (const f of input.fulfillments) await recordFulfillment(tx, shopId, f);
  return { id, outcome: existing ? "updated" : "created", unknownSkus };
}

/** The shop's products for these SKUs (sku → product id). */
export async function productsBySku(tx: Tx, shopId: string, skus: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(skus.filter((s): s is string => !!s))];
  const found = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += 400) {
    const rows = await tx.product.findMany({ where: { shopId, sku: { in: wanted.slice(i, i + 400) } }, select: { id: true, sku: true } });
    for (const r of rows) found.set(r.sku, r.id);
  }
  return found;
}

/** Lines kept with a SKU Nearhub did not know, matched to the shop's products now (after a catalogue sync). */
export async function matchOrderLines(tx: Tx, shopId: string): Promise<number> {
  const unmatched = await tx.orderLine.findMany({ where: { shopId, productId: null, sku: { not: null } }, select: { sku: true }, distinct: ["sku"], take: 1_000 });
  const products = await productsBySku(tx, shopId, unmatched.map((l) => l.sku));
  let matched = 0;
  for (const [sku, productId] of products) matched += (await tx.orderLine.updateMany({ where: { shopId, productId: null, sku }, data: { productId } })).count;
  return matched;
}
