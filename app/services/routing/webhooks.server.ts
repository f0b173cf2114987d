// fulfillment_orders/order_routing_complete and orders/create, behind thin routes. handleWebhook
// verifies the HMAC and the topic, parses the payload, checks that its state fits the topic (an
// order just created is not cancelled; a fulfillment order that finished routing is not closed),
// and records the delivery with the order's or fulfillment order's id (a retried or replayed delivery
// is answered 200 and does nothing). In that same transaction orders/create stores the order itself
// (services/orders/store.server.ts: its lines, destination, shipping line) and it enqueues the order's routing job
// (order-job.server.ts, keyed by the order), and answers: the job refetches the order with the shop's
// offline session, decides, stores it (unique per order, so the other topic or a new delivery for
// the same order changes nothing) and, in AUTO mode, moves it, with the job engine's retries. In demo
// mode no Shopify holds the order: the job carries what the signed body says of it, for the demo's
// stand-in for the Admin API to answer (demo-store.server.ts).
import { z } from "zod";
import { env } from "~/env.server";
import { enqueue } from "../jobs/index.server";
import { logger } from "../logger.server";
import { handleWebhook, type Tx, type WebhookRoute } from "../webhooks.server";
import { orderFromWebhook, webhookOrderFieldsWhenPresent, type WebhookOrder } from "../orders/map.server";
import { storeOrder } from "../orders/store.server";
import { gid } from "../shopify-admin.server";
import { demoOrderOf, type DemoOrderBody } from "./demo-store.server";
import { routingOrderJob, routingOrderKey } from "./order-job.server";

/** `{ fulfillment_order: { id, status } }` (a gid); tolerated at the top level too. */
export const routingCompleteSchema = z
  .object({
    fulfillment_order: z.object({ id: z.union([z.string().min(1), z.number()]), status: z.string().nullish() }).optional(),
    id: z.union([z.string().min(1), z.number()]).optional(),
    status: z.string().nullish(),
  })
  .refine((p) => p.fulfillment_order?.id !== undefined || p.id !== undefined, { message: "fulfillment_order.id is required", path: ["fulfillment_order", "id"] });

/**
 * orders/create: the id routing needs; the rest of a whole order (map.server.ts) is checked when
 * present (400 naming the field) and the order is recorded when the body is a whole one.
 */
export const orderCreateSchema = webhookOrderFieldsWhenPresent
  .extend({
    // Shopify's ids can pass 2^53 (its reference payload's order is 820982911946154508), which JSON
    // numbers cannot hold exactly: admin_graphql_api_id, always sent, is the id then.
    id: z.union([z.number().refine(Number.isInteger, "expected an integer"), z.string().min(1)]),
    admin_graphql_api_id: z.string().nullish(),
    name: z.string().nullish(),
    cancelled_at: z.string().nullish(),
  })
  .passthrough()
  .refine((p) => p.admin_graphql_api_id || typeof p.id !== "number" || Number.isSafeInteger(p.id), {
    message: "a number past 2^53 loses digits in JSON: send admin_graphql_api_id with it",
    path: ["id"],
  });

/** Statuses a fulfillment order cannot have when Shopify has just finished routing it. */
const FINISHED_FO = ["closed", "cancelled", "incomplete"];

type RoutingRoute<S extends z.ZodType> = Omit<WebhookRoute<S>, "act"> & {
  refOf: (payload: z.output<S>) => { orderGid?: string; fulfillmentOrderGid?: string };
  /** What else the delivery records in its transaction (orders/create: the order itself). */
  record?: (tx: Tx, shopId: string, payload: z.output<S>) => Promise<void>;
  /** Demo mode, where no Shopify holds the order: what the demo store answers about it (demo-store.server.ts). */
  demoOrderOf?: (payload: z.output<S>) => DemoOrderBody;
};

const routingCompleteRoute: RoutingRoute<typeof routingCompleteSchema> = {
  topic: "fulfillment_orders/order_routing_complete",
  schema: routingCompleteSchema,
  fits: (p) => {
    const status = p.fulfillment_order?.status ?? p.status;
    return status && FINISHED_FO.includes(status.toLowerCase()) ? `fulfillment_order.status: ${JSON.stringify(status)} does not fit fulfillment_orders/order_routing_complete (a closed or cancelled fulfillment order is not being routed)` : null;
  },
  resource: (p) => ({ key: `fulfillment_orders/order_routing_complete:${foGid(p)}`, version: null }),
  refOf: (p) => ({ fulfillmentOrderGid: foGid(p) }),
};

const orderCreateRoute: RoutingRoute<typeof orderCreateSchema> = {
  topic: "orders/create",
  schema: orderCreateSchema,
  // orders/create carries the order as it was created: a cancelled one is another topic's body.
  fits: (p) => (p.cancelled_at ? `cancelled_at: ${JSON.stringify(p.cancelled_at.slice(0, 40))} does not fit orders/create (a new order is not cancelled)` : null),
  resource: (p) => ({ key: `orders/create:${orderGid(p)}`, version: null }),
  refOf: (p) => ({ orderGid: orderGid(p) }),
  record: async (tx, shopId, p) => {
    const whole = wholeOrder(p);
    if (whole) await storeOrder(tx, shopId, orderFromWebhook(whole));
    else logger.info({ order: orderGid(p) }, "orders/create without the whole order: routed, not recorded (the nightly reconciliation reads it)");
  },
  demoOrderOf: (p) => demoOrderOf(p, orderGid(p)),
};

/** The body as a whole order (map.server.ts), or null when it lacks what an order row needs. */
function wholeOrder(p: z.output<typeof orderCreateSchema>): WebhookOrder | null {
  if (!p.name || !p.created_at || !p.updated_at || !p.currency || p.total_price === undefined || !p.line_items) return null;
  return { ...p, name: p.name, created_at: p.created_at, updated_at: p.updated_at, currency: p.currency, total_price: p.total_price, line_items: p.line_items, cancelled_at: null, shipping_lines: p.shipping_lines ?? [], fulfillments: p.fulfillments ?? [] };
}

function foGid(p: z.output<typeof routingCompleteSchema>): string {
  return gid("FulfillmentOrder", (p.fulfillment_order?.id ?? p.id)!);
}
function orderGid(p: z.output<typeof orderCreateSchema>): string {
  return p.admin_graphql_api_id ?? gid("Order", p.id);
}

async function routeAfterCommit<S extends z.ZodType>(request: Request, route: RoutingRoute<S>): Promise<Response> {
  return handleWebhook(request, {
    ...route,
    act: async (tx, ctx) => {
      if (!ctx.shop) {
        logger.info({ shop: ctx.shopDomain, topic: ctx.topic }, "routing webhook for an unknown shop: nothing done");
        return;
      }
      const ref = route.refOf(ctx.payload);
      await route.record?.(tx, ctx.shop.id, ctx.payload);
      const demoOrder = env().demo ? route.demoOrderOf?.(ctx.payload) : undefined;
      await enqueue(tx, routingOrderJob, { shopId: ctx.shop.id, webhookId: ctx.webhookId, ...ref, ...(demoOrder ? { demoOrder } : {}) }, { key: routingOrderKey(ref) });
    },
  });
}

export function handleRoutingCompleteWebhook(request: Request): Promise<Response> {
  return routeAfterCommit(request, routingCompleteRoute);
}

export function handleOrderCreateWebhook(request: Request): Promise<Response> {
  return routeAfterCommit(request, orderCreateRoute);
}
