// The one writer of a Shopify order into Order / OrderLine (ADR 0025), inside the caller's
// transaction: the orders webhooks, the bulk import and the nightly reconciliation all call it.
//
// - Upsert by (shop, Shopify order id): a replay, a webhook after the import or the import after a
//   webhook never duplicates an order.
// - Order-safe by Shopify's updated_at (`sourceUpdatedAt`): a state older than the one stored changes
//   nothing (Shopify does not deliver webhooks in order, and a bulk file is a snapshot).
// - Lines are replaced with the order's: a SKU Nearhub does not know is kept (productId null, its
//   `sku` kept) and matched once the catalogue has it (matchOrderLines).
// - Redacted customers and orders (OrderRedaction, written by customers/redact) are never stored again,
//   checked in the writer's transaction after taking the order's redaction lock (lockOrderForRedaction), so a
//   webhook running beside a customers/redact still in its transaction waits for it, then sees it.
// - Attribution (utmCampaign, utmSource, landingPage, discountCodes; issue 15) is written when the
//   state brings it and never erased by one that says nothing (a webhook without a landing site after
//   the reconciliation read the visit's UTM, a journey summary Shopify had not finished): campaignId is
//   services/campaigns/attribution.server.ts's to set.
// - The order's fulfillments go through recordFulfillment (deliveries/record.server.ts), and the
//   fulfillments Shopify reported before the order are linked to it.
import { createHash } from "node:crypto";
import { Prisma } from "@prisma/client";
import { onPostgres } from "~/db.server";
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

/** One 64-bit advisory-lock key per (shop, customer) or (shop, order). */
function redactionKey(shopId: string, kind: "CUSTOMER" | "ORDER", shopifyId: string): string {
  return createHash("sha256").update(`nearhub:redaction:${shopId}:${kind}:${shopifyId}`).digest().readBigInt64BE(0).toString();
}

/**
 * Serialises an order write with a customers/redact of its customer (PostgreSQL: a transaction-scoped
 * advisory lock; READ COMMITTED would otherwise let the write read "not redacted" while the redaction
 * is uncommitted and store the order after it). An order write takes one key, its customer's (a
 * customer's redaction lists that customer's orders) or, for an order without a customer, the order's,
 * so it never waits holding another and cannot deadlock. SQLite needs nothing: BEGIN IMMEDIATE runs one
 * writing transaction at a time.
 */
async function lockOrderForRedaction(tx: Tx, shopId: string, order: Pick<OrderInput, "gid" | "customerId">): Promise<void> {
  if (!onPostgres()) return;
  const key = order.customerId ? redactionKey(shopId, "CUSTOMER", order.customerId) : redactionKey(shopId, "ORDER", tail(order.gid));
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${key}::bigint)`;
}

/**
 * customers/redact's side (privacy.server.ts): the customer's key and each listed order's, in one
 * sorted order (two redactions never deadlock), before it records the redaction and deletes.
 */
export async function lockRedaction(tx: Tx, shopId: string, customerId: string, orderIds: readonly string[]): Promise<void> {
  if (!onPostgres()) return;
  const keys = [redactionKey(shopId, "CUSTOMER", tail(customerId)), ...orderIds.map((id) => redactionKey(shopId, "ORDER", tail(id)))];
  const sorted = [...new Set(keys)].map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 0; i < sorted.length; i += 500) {
    const batch = sorted.slice(i, i + 500).map((k) => Prisma.sql`(${k.toString()}::bigint)`);
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(k) FROM (VALUES ${Prisma.join(batch)}) AS t(k) ORDER BY k`;
  }
}

/** Whether customers/redact removed this order or its customer. */
export async function isRedacted(tx: Tx, shopId: string, order: Pick<OrderInput, "gid" | "customerId">): Promise<boolean> {
  const found = await tx.orderRedaction.findFirst({
    where: { shopId, OR: [{ kind: "ORDER", shopifyId: tail(order.gid) }, ...(order.customerId ? [{ kind: "CUSTOMER", shopifyId: order.customerId }] : [])] },
    select: { id: true },
  });
  return found !== null;
}

export async function storeOrder(tx: Tx, shopId: string, input: OrderInput, opts: { products?: Map<string, string> } = {}): Promise<StoredOrder> {
  await lockOrderForRedaction(tx, shopId, input);
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
    ...attributionData(input),
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

/** The attribution columns the order's state brings (absent ones are left as stored). */
function attributionData(input: OrderInput): { utmCampaign?: string; utmSource?: string; landingPage?: string; discountCodes?: string } {
  const a = input.attribution;
  return {
    ...(a.utmCampaign ? { utmCampaign: a.utmCampaign } : {}),
    ...(a.utmSource ? { utmSource: a.utmSource } : {}),
    ...(a.landingPage ? { landingPage: a.landingPage } : {}),
    ...(a.discountCodes.length ? { discountCodes: a.discountCodes.join(",") } : {}),
  };
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
