// Routing a paid order as a job (ADR 0022): the orders/create and order_routing_complete webhooks
// verify, record the delivery and enqueue `routing.order` in that one transaction, and answer within
// milliseconds; the job refetches the order with the shop's offline session, decides, stores and (in
// AUTO mode) moves it (routeShopifyOrder), with the job engine's retries when Shopify or the database
// fails. Keyed by the order (or the fulfillment order when that is all the delivery says), so one
// attempt per order runs at a time; the decision is unique per order, so the other topic or a
// replayed delivery changes nothing.
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { defineJob } from "../jobs/index.server";
import { logger } from "../logger.server";
import { offlineAdmin, type AdminGraphql } from "../shopify-admin.server";
import { demoOrderOfFulfillmentOrder, demoOrderSchema, demoStoreForOrder, type DemoOrderBody } from "./demo-store.server";
import { routeShopifyOrder } from "./execute.server";

export interface RoutingOrderPayload {
  shopId: string;
  webhookId: string;
  orderGid?: string;
  fulfillmentOrderGid?: string;
  /** Demo mode only: the order of an orders/create as its body described it, for the demo store to answer. */
  demoOrder?: DemoOrderBody;
}

/** The singleton key of an order's routing job. */
export const routingOrderKey = (p: Pick<RoutingOrderPayload, "orderGid" | "fulfillmentOrderGid">) => p.orderGid ?? p.fulfillmentOrderGid ?? "";

/** Shopify's throttling waited out inside an attempt: short waits, then the move's own retry (routing.moves). */
const JOB_CALL = { maxAttempts: 3, maxWaitMs: 5_000 };

export const routingOrderJob = defineJob<RoutingOrderPayload>({
  name: "routing.order",
  switch: "routing",
  retries: 5,
  backoff: { type: "exponential", delayMs: 15_000, maxMs: 10 * 60_000 },
  timeout: 2 * 60_000,
  concurrency: 4,
  run: async (p, ctx) => {
    const shop = await db.shop.findUnique({ where: { id: p.shopId }, select: { id: true, domain: true, currency: true } });
    if (!shop) return { outcome: "UNKNOWN_SHOP" };
    let admin: AdminGraphql;
    try {
      // The demo has no store: its stand-in answers the order query and the moves (demo-store.server.ts).
      // An order_routing_complete names only a fulfillment order: the order orders/create stored for it.
      admin = (env().demo ? await demoAdmin(shop, p, ctx.now()) : null) ?? (await offlineAdmin(shop.domain));
    } catch (error) {
      // No offline session (uninstalled, or install never finished): no order of this shop can be
      // routed in Shopify, now or on any retry.
      if (error instanceof SessionNotFoundError) {
        logger.warn({ shop: shop.domain, webhookId: p.webhookId }, "routing job: no offline session for the shop; nothing done");
        return { outcome: "NO_SESSION" };
      }
      throw error;
    }
    if (ctx.attempt > 1) {
      // The attempt before this one ended without settling (its process died, or it ran out of
      // time): moves it had claimed are this attempt's to make. The engine runs one attempt per
      // order at a time, so nobody else holds them.
      const retaken = await db.routingMove.updateMany({
        where: {
          shopId: shop.id,
          status: "MOVING",
          OR: [
            ...(p.orderGid ? [{ decision: { orderGid: p.orderGid } }] : []),
            ...(p.fulfillmentOrderGid ? [{ fulfillmentOrderGid: { startsWith: p.fulfillmentOrderGid } }] : []),
          ],
        },
        data: { status: "PENDING", nextAttemptAt: new Date(ctx.now()) },
      });
      if (retaken.count > 0) logger.warn({ shop: shop.domain, ...p, moves: retaken.count, attempt: ctx.attempt }, "routing job: moves left half-done by the last attempt are made again");
    }
    const outcome = await routeShopifyOrder(shop, admin, { orderGid: p.orderGid, fulfillmentOrderGid: p.fulfillmentOrderGid }, { source: "WEBHOOK", now: ctx.now, call: { ...JOB_CALL, sleep: ctx.sleep } });
    return outcome;
  },
});

/** Demo mode: the demo store holding the job's order, or null when the demo knows no order for it (the shop's session then). */
async function demoAdmin(shop: { id: string; currency: string }, p: RoutingOrderPayload, now: number): Promise<AdminGraphql | null> {
  const order = p.demoOrder ? demoOrderSchema.parse(p.demoOrder) : p.fulfillmentOrderGid ? await demoOrderOfFulfillmentOrder(shop.id, p.fulfillmentOrderGid) : null;
  return order ? demoStoreForOrder(shop, order, now) : null;
}
