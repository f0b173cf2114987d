// The three mandatory compliance webhooks and the app lifecycle webhooks, acting inside the
// webhook's transaction (see webhooks.server.ts).
import { z } from "zod";
import type { Tx, WebhookContext } from "./webhooks.server";

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

export const scopesUpdateSchema = z.object({
  id: z.union([z.number(), z.string()]).optional(),
  previous: z.array(z.string()).default([]),
  current: z.array(z.string()),
});

/** Our stored ids may be plain numbers or GraphQL gids; match both. */
function idForms(kind: "Customer" | "Order", ids: string[]): string[] {
  return ids.flatMap((id) => [id, `gid://shopify/${kind}/${id}`]);
}

function customerOrdersWhere(shopId: string, customerId: string, orderIds: string[]) {
  return {
    shopId,
    OR: [
      { customerId: { in: idForms("Customer", [customerId]) } },
      ...(orderIds.length ? [{ shopifyOrderId: { in: idForms("Order", orderIds) } }] : []),
    ],
  };
}

/** customers/data_request: gather what Nearhub holds about the customer for the merchant. */
export async function recordDataRequest(tx: Tx, ctx: WebhookContext<z.output<typeof dataRequestSchema>>) {
  if (!ctx.shop) return;
  const p = ctx.payload;
  const orders = await tx.order.findMany({
    where: customerOrdersWhere(ctx.shop.id, p.customer.id, p.orders_requested),
    select: {
      name: true,
      shopifyOrderId: true,
      placedAt: true,
      destAddress1: true,
      destCity: true,
      destProvince: true,
      destPostalCode: true,
      destCountry: true,
      destLatitude: true,
      destLongitude: true,
    },
    orderBy: { placedAt: "asc" },
  });
  await tx.complianceRequest.create({
    data: {
      shopId: ctx.shop.id,
      topic: ctx.topic,
      customerId: p.customer.id,
      requestJson: JSON.stringify({ ordersRequested: p.orders_requested, dataRequestId: p.data_request?.id ?? null }),
      resultJson: JSON.stringify({ orders }),
    },
  });
}

/**
 * customers/redact: remove what identifies the customer. Orders stay for the network's
 * statistics but lose the customer link and street address, and their coordinates are
 * coarsened to two decimals (about a kilometre).
 */
export async function redactCustomer(tx: Tx, ctx: WebhookContext<z.output<typeof customerRedactSchema>>) {
  if (!ctx.shop) return;
  const p = ctx.payload;
  const orders = await tx.order.findMany({
    where: customerOrdersWhere(ctx.shop.id, p.customer.id, p.orders_to_redact),
    select: { id: true, destLatitude: true, destLongitude: true },
  });
  for (const order of orders) {
    await tx.order.update({
      where: { id: order.id },
      data: {
        customerId: null,
        destAddress1: null,
        destLatitude: Math.round(order.destLatitude * 100) / 100,
        destLongitude: Math.round(order.destLongitude * 100) / 100,
      },
    });
  }
  await tx.complianceRequest.create({
    data: {
      shopId: ctx.shop.id,
      topic: ctx.topic,
      customerId: p.customer.id,
      requestJson: JSON.stringify({ ordersToRedact: p.orders_to_redact }),
      resultJson: JSON.stringify({ ordersRedacted: orders.length }),
    },
  });
}

/** shop/redact (48 hours after uninstall): delete every row of the shop. */
export async function redactShop(tx: Tx, ctx: WebhookContext<z.output<typeof shopRedactSchema>>) {
  await tx.session.deleteMany({ where: { shop: ctx.shopDomain } });
  // Every shop-owned table references Shop with onDelete: Cascade.
  await tx.shop.deleteMany({ where: { domain: ctx.shopDomain } });
}

/** app/uninstalled: the offline token is dead; keep the data until shop/redact. */
export async function markUninstalled(tx: Tx, ctx: WebhookContext<unknown>) {
  await tx.session.deleteMany({ where: { shop: ctx.shopDomain } });
  if (ctx.shop) await tx.shop.update({ where: { id: ctx.shop.id }, data: { uninstalledAt: new Date() } });
}

/** app/scopes_update: keep stored sessions and the shop in line with the granted scopes. */
export async function updateScopes(tx: Tx, ctx: WebhookContext<z.output<typeof scopesUpdateSchema>>) {
  const scope = ctx.payload.current.join(",");
  await tx.session.updateMany({ where: { shop: ctx.shopDomain }, data: { scope } });
  if (ctx.shop) await tx.shop.update({ where: { id: ctx.shop.id }, data: { scopes: scope } });
}
