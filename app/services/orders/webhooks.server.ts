// orders/updated and orders/cancelled, behind thin routes, through the one webhook mechanism
// (webhooks.server.ts: HMAC, topic, the payload parsed with a 400 naming the field, the delivery
// recorded once). Both carry the whole order (Shopify's REST shape, map.server.ts) and share the
// resource key `order:<gid>` versioned by updated_at, so a late delivery of an older state changes
// nothing; storeOrder also keeps the newest by the order's own sourceUpdatedAt, whichever writer
// (orders/create, the import, the reconciliation) stored it. orders/create records the order in
// routing's webhook (routing/webhooks.server.ts), in the transaction that enqueues its routing.
// Nothing here calls Shopify: the webhook answers as soon as the order is stored.
import { logger } from "../logger.server";
import { handleWebhook, type Tx, type WebhookContext, type WebhookRoute } from "../webhooks.server";
import { orderFromWebhook, webhookOrderSchema, type WebhookOrder } from "./map.server";
import { storeOrder } from "./store.server";

async function record(tx: Tx, ctx: WebhookContext<WebhookOrder>): Promise<void> {
  if (!ctx.shop) {
    logger.info({ shop: ctx.shopDomain, topic: ctx.topic }, "orders webhook for an unknown shop: nothing stored");
    return;
  }
  const stored = await storeOrder(tx, ctx.shop.id, orderFromWebhook(ctx.payload));
  logger.info({ shop: ctx.shopDomain, topic: ctx.topic, outcome: stored.outcome, unknownSkus: stored.unknownSkus }, "order recorded");
}

const orderRoute = (topic: "orders/updated" | "orders/cancelled"): WebhookRoute<typeof webhookOrderSchema> => ({
  topic,
  schema: webhookOrderSchema,
  fits: (p) => (topic === "orders/cancelled" && !p.cancelled_at ? "cancelled_at: missing does not fit orders/cancelled (a cancelled order has its cancellation time)" : null),
  resource: (p) => ({ key: `order:${orderFromWebhook(p).gid}`, version: p.updated_at }),
  act: record,
});

export function handleOrderUpdatedWebhook(request: Request): Promise<Response> {
  return handleWebhook(request, orderRoute("orders/updated"));
}

export function handleOrderCancelledWebhook(request: Request): Promise<Response> {
  return handleWebhook(request, orderRoute("orders/cancelled"));
}
