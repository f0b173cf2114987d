// Privacy: the three webhooks Shopify makes mandatory for customer data (customers/data_request,
// customers/redact, shop/redact), acting inside the webhook's transaction (see webhooks.server.ts).
// Each request and what was done is kept in PrivacyRequest. ("Compliance" is the permits capability's
// word; the app lifecycle topics are app-lifecycle.server.ts.)
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { z } from "zod";
import { findInBatches, inBatches } from "./batch.server";
import { lockRedaction } from "./orders/store.server";
import { shopDocumentsRemoval } from "./permits/documents.server";
import { gid } from "./shopify-admin.server";
import { sameShop, type Tx, type WebhookContext, type WebhookRoute } from "./webhooks.server";

const shopifyId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

export const customerPayloadSchema = z.object({
  shop_id: shopifyId,
  shop_domain: z.string().min(1),
  customer: z.object({
    id: shopifyId,
    email: z.string().nullish(),
    phone: z.string().nullish(),
  }),
});

export const dataRequestSchema = customerPayloadSchema.extend({
  orders_requested: z.array(shopifyId).default([]),
  data_request: z.object({ id: shopifyId }).optional(),
});

export const customerRedactSchema = customerPayloadSchema.extend({
  orders_to_redact: z.array(shopifyId).default([]),
});

export const shopRedactSchema = z.object({
  shop_id: shopifyId,
  shop_domain: z.string().min(1),
});

/** Our stored ids may be plain numbers or GraphQL gids; match both. */
function idForms(kind: "Customer" | "Order", ids: string[]): string[] {
  return ids.flatMap((id) => [id, `gid://shopify/${kind}/${id}`]);
}

/** What customers/data_request reports of each order. */
const ORDER_DATA = {
  name: true,
  shopifyOrderId: true,
  placedAt: true,
  destCity: true,
  destProvince: true,
  destPostalCode: true,
  destCountry: true,
  destLatitude: true,
  destLongitude: true,
  cancelledAt: true,
  shippingTitle: true,
} as const;

/**
 * customers/data_request: gather what Nearhub holds about the customer for the merchant: the
 * orders linked to the customer and those listed by id (in batches: a customer can have tens of
 * thousands of orders), each once, oldest first.
 */
export async function recordDataRequest(tx: Tx, ctx: WebhookContext<z.output<typeof dataRequestSchema>>) {
  if (!ctx.shop) return;
  const shopId = ctx.shop.id;
  const p = ctx.payload;
  const byCustomer = await tx.order.findMany({ where: { shopId, customerId: { in: idForms("Customer", [p.customer.id]) } }, select: ORDER_DATA });
  const byId = await findInBatches(
    p.orders_requested,
    (batch) => tx.order.findMany({ where: { shopId, shopifyOrderId: { in: idForms("Order", batch) } }, select: ORDER_DATA }),
    { perValue: 2 },
  );
  const orders = [...new Map([...byCustomer, ...byId].map((o) => [o.name, o])).values()]; // name is unique in a shop
  orders.sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime() || a.name.localeCompare(b.name));
  await tx.privacyRequest.create({
    data: {
      shopId,
      topic: ctx.topic,
      customerId: p.customer.id,
      requestJson: JSON.stringify({ ordersRequested: p.orders_requested, dataRequestId: p.data_request?.id ?? null }),
      resultJson: JSON.stringify({ orders }),
    },
  });
}

/**
 * customers/redact: the customer's orders go (ADR 0025): those linked to the customer and those
 * listed by id, with their lines (cascade) and their fulfillments and delivery events. The customer
 * and each listed order are recorded in OrderRedaction, so an order import running at the same time,
 * a later import or a late orders webhook never stores them again (services/orders/store.server.ts).
 * The shop's OrderSync row is touched first: an import batch holds that row for its transaction, so
 * the redaction waits for a batch in flight and then deletes what it wrote, and a batch after it
 * sees the redaction. Then it takes the redaction locks of the customer and the listed orders, which an
 * orders webhook takes before it checks OrderRedaction: a webhook in flight finishes first (and its
 * order is deleted here), a later one waits and sees the redaction. One statement per batch of ids (batch.server.ts); each order is counted once.
 */
export async function redactCustomer(tx: Tx, ctx: WebhookContext<z.output<typeof customerRedactSchema>>) {
  if (!ctx.shop) return;
  const shopId = ctx.shop.id;
  const p = ctx.payload;
  await tx.orderSync.updateMany({ where: { shopId }, data: { updatedAt: new Date() } });
  // An order webhook running now waits for this transaction, then sees the redaction (store.server.ts).
  await lockRedaction(tx, shopId, p.customer.id, p.orders_to_redact);
  await recordRedactions(tx, shopId, "CUSTOMER", [p.customer.id]);
  await inBatches(p.orders_to_redact, (batch) => recordRedactions(tx, shopId, "ORDER", batch), { perValue: 5 });
  // A page of orders at a time (a customer may have thousands): their fulfillments, then the orders.
  const remove = async (where: Prisma.OrderWhereInput) => {
    let removed = 0;
    for (;;) {
      const orders = await tx.order.findMany({ where: { shopId, ...where }, select: { id: true, shopifyOrderId: true }, take: 150 });
      if (orders.length === 0) return removed;
      const gids = orders.flatMap((o) => (o.shopifyOrderId ? [gid("Order", o.shopifyOrderId)] : []));
      await tx.fulfillment.deleteMany({ where: { shopId, OR: [{ orderId: { in: orders.map((o) => o.id) } }, ...(gids.length ? [{ orderGid: { in: gids } }] : [])] } });
      removed += (await tx.order.deleteMany({ where: { shopId, id: { in: orders.map((o) => o.id) } } })).count;
    }
  };
  const byId = await inBatches(p.orders_to_redact, async (batch) => {
    const forms = idForms("Order", batch);
    // Fulfillments Shopify reported before the order was stored have no Order row to follow.
    await tx.fulfillment.deleteMany({ where: { shopId, orderGid: { in: batch.map((id) => gid("Order", id)) } } });
    return remove({ shopifyOrderId: { in: forms } });
  }, { perValue: 2 });
  const byCustomer = await remove({ customerId: { in: idForms("Customer", [p.customer.id]) } });
  await tx.privacyRequest.create({
    data: {
      shopId,
      topic: ctx.topic,
      customerId: p.customer.id,
      requestJson: JSON.stringify({ ordersToRedact: p.orders_to_redact }),
      resultJson: JSON.stringify({ ordersRedacted: byId.reduce((sum, n) => sum + n, byCustomer) }),
    },
  });
}

/** Records redacted ids (bare numbers), once each: INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike). */
async function recordRedactions(tx: Tx, shopId: string, kind: "CUSTOMER" | "ORDER", ids: string[]): Promise<void> {
  const tails = [...new Set(ids.map((id) => id.split("/").pop()!))];
  if (tails.length === 0) return;
  const rows = tails.map((id) => Prisma.sql`(${randomUUID()}, ${shopId}, ${kind}, ${id}, ${new Date()})`);
  await tx.$executeRaw`INSERT INTO "OrderRedaction" ("id", "shopId", "kind", "shopifyId", "createdAt") VALUES ${Prisma.join(rows)} ON CONFLICT ("shopId", "kind", "shopifyId") DO NOTHING`;
}

/** shop/redact (48 hours after uninstall): delete every row of the shop. */
export async function redactShop(tx: Tx, ctx: WebhookContext<z.output<typeof shopRedactSchema>>) {
  // Uploaded files (permit documents) live outside the database: found before their rows go.
  const removeFiles = await shopDocumentsRemoval(tx, ctx.shopDomain);
  await tx.session.deleteMany({ where: { shop: ctx.shopDomain } });
  // Every shop-owned table references Shop with onDelete: Cascade.
  await tx.shop.deleteMany({ where: { domain: ctx.shopDomain } });
  // Removed here, inside the delivery's transaction: if it rolls back, Shopify's retry deletes the rows
  // (their files already gone), so the shop's data never outlives a redaction.
  await removeFiles();
}

// ---------------------------------------------------------------------------------------------
// The routes (app/routes/webhooks.customers.*, webhooks.shop.redact): topic, what
// the signed body must say, and the natural key each delivery is recorded under (webhooks.server.ts).

export const dataRequestWebhook: WebhookRoute<typeof dataRequestSchema> = {
  topic: "customers/data_request",
  schema: dataRequestSchema,
  fits: (p, shopDomain) => sameShop("shop_domain", p.shop_domain, shopDomain),
  // One record per data request (Shopify's id for it; the body itself when it has none).
  resource: (p, body) => ({ key: `customers/data_request:${p.data_request?.id ?? body.digest}`, version: null }),
  act: recordDataRequest,
};

export const customerRedactWebhook: WebhookRoute<typeof customerRedactSchema> = {
  topic: "customers/redact",
  schema: customerRedactSchema,
  fits: (p, shopDomain) => sameShop("shop_domain", p.shop_domain, shopDomain),
  // A customer may be redacted again (new orders since): the same body is applied once.
  resource: (p, body) => ({ key: `customers/redact:${p.customer.id}:${body.digest}`, version: null }),
  act: redactCustomer,
};

export const shopRedactWebhook: WebhookRoute<typeof shopRedactSchema> = {
  topic: "shop/redact",
  schema: shopRedactSchema,
  fits: (p, shopDomain) => sameShop("shop_domain", p.shop_domain, shopDomain),
  resource: "natural", // deletes everything of the shop, its webhook records included
  act: redactShop,
};
