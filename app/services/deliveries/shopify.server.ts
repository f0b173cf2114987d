// Delivery events Nearhub learns itself (a DoorDash callback, a hub's rider) are posted to Shopify with
// fulfillmentEventCreate (Admin GraphQL, through shopify-admin.server.ts), so the shopper's order page
// and Nearhub agree. Shapes from shopify.dev: FulfillmentEventInput { fulfillmentId: ID!, status:
// FulfillmentEventStatus!, happenedAt, message, … }, payload { fulfillmentEvent { id status
// happenedAt }, userErrors { field message } }; the mutation needs write_fulfillments.
//
// The outbox is the DeliveryEvent row itself (postStatus PENDING, nextPostAt): postDeliveryEvent(id)
// claims it (one poster at a time: a lease in nextPostAt), posts, and records POSTED with Shopify's
// event id, FAILED with Shopify's userErrors, or PENDING again with a backoff after throttling or a
// network failure, up to MAX_POST_ATTEMPTS. Callers post inline right after the commit; the
// `deliveries.post-events` job (ADR 0022) runs the sweep postDueDeliveryEvents() every minute, so it
// only sees what failed there (or a poster that died holding its lease).
import { z } from "zod";
import { db } from "~/db.server";
import { defineJob } from "../jobs/index.server";
import { logger } from "../logger.server";
import {
  adminMutation,
  describeShopifyFailure,
  offlineAdmin,
  ShopifyThrottledError,
  ShopifyUserErrors,
  userErrorSchema,
  type AdminFor,
  type AdminGraphql,
  type CallOptions,
} from "../shopify-admin.server";

export const MAX_POST_ATTEMPTS = 8;
/** How long a claimed event is the claimant's (a poster that died mid-call is retried after it). */
export const POST_LEASE_MS = 5 * 60_000;
export const NO_STORE_MESSAGE = "No Shopify store is connected (demo): the event was not sent to Shopify.";

export const FULFILLMENT_EVENT_CREATE = `#graphql
mutation NearhubFulfillmentEventCreate($fulfillmentEvent: FulfillmentEventInput!) {
  fulfillmentEventCreate(fulfillmentEvent: $fulfillmentEvent) {
    fulfillmentEvent { id status happenedAt }
    userErrors { field message }
  }
}`;

const payloadSchema = z.object({
  fulfillmentEvent: z.object({ id: z.string(), status: z.string(), happenedAt: z.string().nullish() }).nullable(),
  userErrors: z.array(userErrorSchema),
});

export type PostOutcome = "POSTED" | "FAILED" | "RETRY" | "NOT_DUE" | "NO_STORE";

export interface PostOptions {
  /** The Admin API client to post with; null: no store is connected (demo). Default: the shop's offline session. */
  admin?: AdminGraphql | null;
  adminFor?: AdminFor;
  now?: number;
  call?: CallOptions;
}

/** Posts one PENDING event to Shopify (see the header); what happened. Never throws for Shopify's failures. */
export async function postDeliveryEvent(shopId: string, eventId: string, opts: PostOptions = {}): Promise<PostOutcome> {
  const now = opts.now ?? Date.now();
  const event = await db.deliveryEvent.findFirst({
    where: { id: eventId, shopId },
    include: { fulfillment: { select: { shopifyFulfillmentGid: true } }, shop: { select: { domain: true } } },
  });
  if (!event || event.postStatus !== "PENDING") return "NOT_DUE";
  if (opts.admin === null) {
    await db.deliveryEvent.updateMany({ where: { id: event.id, shopId, postStatus: "PENDING" }, data: { postError: NO_STORE_MESSAGE } });
    return "NO_STORE";
  }
  // Claim: one poster; the lease lets the sweep retry after a poster that died.
  const claimed = await db.deliveryEvent.updateMany({
    where: { id: event.id, shopId, postStatus: "PENDING", postAttempts: event.postAttempts, OR: [{ nextPostAt: null }, { nextPostAt: { lte: new Date(now) } }] },
    data: { postAttempts: { increment: 1 }, nextPostAt: new Date(now + POST_LEASE_MS) },
  });
  if (claimed.count === 0) return "NOT_DUE";
  const attempts = event.postAttempts + 1;
  try {
    const admin = opts.admin ?? (await (opts.adminFor ?? offlineAdmin)(event.shop.domain));
    const answer = await adminMutation(
      admin,
      FULFILLMENT_EVENT_CREATE,
      {
        fulfillmentEvent: {
          fulfillmentId: event.fulfillment.shopifyFulfillmentGid,
          status: event.status,
          happenedAt: event.happenedAt.toISOString(),
          ...(event.message ? { message: event.message } : {}),
        },
      },
      "fulfillmentEventCreate",
      payloadSchema,
      opts.call,
    );
    await db.deliveryEvent.update({
      where: { id: event.id },
      data: { postStatus: "POSTED", shopifyEventGid: answer.fulfillmentEvent?.id ?? null, nextPostAt: null, postError: null },
    });
    return "POSTED";
  } catch (error) {
    if (error instanceof ShopifyUserErrors) {
      // Shopify refused it (an unknown or cancelled fulfillment, a bad status): final, in Shopify's words.
      await db.deliveryEvent.update({ where: { id: event.id }, data: { postStatus: "FAILED", nextPostAt: null, postError: error.message.slice(0, 500) } });
      logger.warn({ shop: event.shop.domain, deliveryEvent: event.id, userErrors: error.userErrors }, "deliveries: Shopify refused the fulfillment event");
      return "FAILED";
    }
    const message = describeShopifyFailure(error).slice(0, 500);
    const giveUp = attempts >= MAX_POST_ATTEMPTS;
    const waitMs = error instanceof ShopifyThrottledError ? Math.max(error.retryAfterMs, 1_000) : Math.min(3_600_000, 30_000 * 2 ** (attempts - 1));
    await db.deliveryEvent.update({
      where: { id: event.id },
      data: giveUp ? { postStatus: "FAILED", nextPostAt: null, postError: message } : { nextPostAt: new Date(now + waitMs), postError: message },
    });
    logger.warn({ shop: event.shop.domain, deliveryEvent: event.id, attempts, giveUp, err: message }, "deliveries: could not post the fulfillment event");
    return giveUp ? "FAILED" : "RETRY";
  }
}

/** Every PENDING event that is due, oldest first (the sweep; idempotent, safe to run in several processes). */
export async function postDueDeliveryEvents(opts: { now?: number; adminFor?: AdminFor; call?: CallOptions; limit?: number } = {}): Promise<Record<PostOutcome, number>> {
  const now = opts.now ?? Date.now();
  const due = await db.deliveryEvent.findMany({
    where: { postStatus: "PENDING", OR: [{ nextPostAt: null }, { nextPostAt: { lte: new Date(now) } }] },
    orderBy: [{ happenedAt: "asc" }, { id: "asc" }],
    select: { id: true, shopId: true },
    take: opts.limit ?? 200,
  });
  const counts: Record<PostOutcome, number> = { POSTED: 0, FAILED: 0, RETRY: 0, NOT_DUE: 0, NO_STORE: 0 };
  for (const e of due) counts[await postDeliveryEvent(e.shopId, e.id, { now, adminFor: opts.adminFor, call: opts.call })]++;
  return counts;
}

/** The sweep, every minute in one process at a time (NEARHUB_DELIVERIES_JOB=0: not in this process). */
export const deliveryEventsJob = defineJob({
  name: "deliveries.post-events",
  schedule: "* * * * *",
  switch: "deliveries",
  retries: 0, // the next minute's firing is the retry; each event keeps its own attempts and backoff
  backoff: { type: "fixed", delayMs: 0 },
  timeout: 5 * 60_000,
  run: async (_payload, ctx) => postDueDeliveryEvents({ now: ctx.now() }),
});
