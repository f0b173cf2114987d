// Deliveries (issue 11, part 2): each order's Shopify fulfillments (when it shipped, from which node)
// and what happened to them on the way (DeliveryEvent), from Shopify, from DoorDash Drive's callbacks
// or from a hub's riders. Two writers, both idempotent and order-safe, both inside the caller's
// transaction (a webhook's, a callback's, the bulk import's):
//
//   recordFulfillment(tx, shopId, input)   Shopify's fulfillment (webhook or GraphQL, see
//                                          fulfillmentFromWebhook): created, or updated when `updatedAt`
//                                          is not older than the state stored (a late delivery of an
//                                          older state changes nothing);
//   recordDeliveryEvent(tx, shopId, input) one event, once per idempotency key; an event Shopify
//                                          reports that Nearhub posted itself (same fulfillment,
//                                          status and moment) is the same event, linked, not a second.
//
// The fulfillment's shipmentStatus is its latest event's status and deliveredAt its earliest
// DELIVERED event, recomputed from the events on every write, so arrival order never matters.
// Events Nearhub learns itself are left PENDING for posting to Shopify (shopify.server.ts).
import type { Prisma } from "@prisma/client";
import { deliveredAtOf, latestStatus, type DeliverySource, type DeliveryStatus } from "~/core/deliveries";
import { gid } from "../shopify-admin.server";
import type { Tx } from "../webhooks.server";

/** A fulfillment as Shopify describes it (webhook body or Admin GraphQL), normalised. */
export interface FulfillmentInput {
  /** gid://shopify/Fulfillment/… */
  gid: string;
  /** gid://shopify/Order/… */
  orderGid: string;
  /** Shopify's status, upper case: SUCCESS | PENDING | OPEN | CANCELLED | ERROR | FAILURE. */
  status: string;
  /** gid://shopify/Location/… it left from, when Shopify says. */
  locationGid: string | null;
  trackingCompany: string | null;
  /** Shopify's shipment_status / displayStatus when it gives one (a delivery status), else null. */
  shipmentStatus: DeliveryStatus | null;
  service: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** When Shopify says it was delivered (GraphQL Fulfillment.deliveredAt), if it does. */
  deliveredAt?: Date | null;
  /** When Shopify says it went in transit (GraphQL Fulfillment.inTransitAt), if it does. */
  inTransitAt?: Date | null;
}

export interface RecordedFulfillment {
  id: string;
  outcome: "created" | "updated" | "stale";
}

/** The Order row's id for a Shopify order (stored as a gid or as the bare number), or null. */
async function orderIdOf(tx: Tx, shopId: string, orderGid: string): Promise<string | null> {
  const tail = orderGid.split("/").pop() ?? orderGid;
  const order = await tx.order.findFirst({ where: { shopId, shopifyOrderId: { in: [orderGid, tail] } }, select: { id: true } });
  return order?.id ?? null;
}

async function nodeIdOf(tx: Tx, shopId: string, locationGid: string | null): Promise<string | null> {
  if (!locationGid) return null;
  const tail = locationGid.split("/").pop() ?? locationGid;
  const node = await tx.node.findFirst({ where: { shopId, shopifyLocationId: { in: [locationGid, tail] } }, select: { id: true } });
  return node?.id ?? null;
}

export async function recordFulfillment(tx: Tx, shopId: string, input: FulfillmentInput): Promise<RecordedFulfillment> {
  const existing = await tx.fulfillment.findUnique({ where: { shopId_shopifyFulfillmentGid: { shopId, shopifyFulfillmentGid: input.gid } } });
  if (existing?.shopifyUpdatedAt && existing.shopifyUpdatedAt > input.updatedAt) return { id: existing.id, outcome: "stale" };
  const [orderId, nodeId] = await Promise.all([existing?.orderId ? existing.orderId : orderIdOf(tx, shopId, input.orderGid), nodeIdOf(tx, shopId, input.locationGid)]);
  const data = {
    orderGid: input.orderGid,
    orderId,
    locationGid: input.locationGid,
    nodeId,
    status: input.status,
    trackingCompany: input.trackingCompany,
    service: input.service,
    shippedAt: input.createdAt,
    shopifyUpdatedAt: input.updatedAt,
  } satisfies Prisma.FulfillmentUncheckedUpdateInput;
  let id: string;
  let outcome: RecordedFulfillment["outcome"];
  if (existing) {
    // A stub made for an event that came first keeps its events; the fulfillment's own facts win.
    await tx.fulfillment.update({ where: { id: existing.id }, data });
    id = existing.id;
    outcome = "updated";
  } else {
    id = (await tx.fulfillment.create({ data: { shopId, shopifyFulfillmentGid: input.gid, ...data }, select: { id: true } })).id;
    outcome = "created";
  }
  // What Shopify says of its delivery, as events (once each): its delivery and in-transit times when
  // it gives them, else its shipment status as of this update, unless an event already says so.
  const said: { status: DeliveryStatus; at: Date; key: string }[] = [];
  if (input.inTransitAt) said.push({ status: "IN_TRANSIT", at: input.inTransitAt, key: "in_transit_at" });
  if (input.deliveredAt) said.push({ status: "DELIVERED", at: input.deliveredAt, key: "delivered_at" });
  if (input.shipmentStatus && !said.some((s) => s.status === input.shipmentStatus)) said.push({ status: input.shipmentStatus, at: input.updatedAt, key: "shipment_status" });
  for (const s of said) {
    if (s.key === "shipment_status" && (await tx.deliveryEvent.count({ where: { shopId, fulfillmentId: id, status: s.status } })) > 0) continue;
    await recordDeliveryEvent(tx, shopId, {
      fulfillmentId: id,
      status: s.status,
      happenedAt: s.at,
      source: "SHOPIFY",
      idempotencyKey: `shopify:fulfillment:${input.gid}:${s.key}:${s.status}`,
    });
  }
  if (said.length === 0) await refreshFulfillment(tx, shopId, id);
  return { id, outcome };
}

/** A fulfillment Shopify reported an event for before the fulfillment itself: made from the event, completed by recordFulfillment. */
export async function fulfillmentStub(tx: Tx, shopId: string, ref: { gid: string; orderGid: string; seenAt: Date }): Promise<string> {
  const existing = await tx.fulfillment.findUnique({ where: { shopId_shopifyFulfillmentGid: { shopId, shopifyFulfillmentGid: ref.gid } }, select: { id: true } });
  if (existing) return existing.id;
  const created = await tx.fulfillment.create({
    data: { shopId, shopifyFulfillmentGid: ref.gid, orderGid: ref.orderGid, orderId: await orderIdOf(tx, shopId, ref.orderGid), status: "SUCCESS", shippedAt: ref.seenAt },
    select: { id: true },
  });
  return created.id;
}

export interface DeliveryEventInput {
  fulfillmentId: string;
  status: DeliveryStatus;
  happenedAt: Date;
  source: DeliverySource;
  /** Unique in the shop: `shopify:event:<gid>`, `doordash:<delivery>:<event>:<time>`, `hub:<fulfillment>:<status>`. */
  idempotencyKey: string;
  message?: string | null;
  /** The event's id in Shopify, for events Shopify reports. */
  shopifyEventGid?: string | null;
  /** Post it to Shopify (default: every event not from Shopify). */
  post?: boolean;
  /** Now, for the first posting attempt (tests inject a clock). */
  now?: Date;
}

export interface RecordedEvent {
  id: string;
  duplicate: boolean;
  /** Left for posting to Shopify (postDeliveryEvent). */
  toPost: boolean;
}

/** Events reported twice within this of each other, with the same status, are one event. */
const SAME_MOMENT_MS = 1_000;

export async function recordDeliveryEvent(tx: Tx, shopId: string, input: DeliveryEventInput): Promise<RecordedEvent> {
  const known = await tx.deliveryEvent.findUnique({ where: { shopId_idempotencyKey: { shopId, idempotencyKey: input.idempotencyKey } }, select: { id: true } });
  if (known) return { id: known.id, duplicate: true, toPost: false };
  if (input.source === "SHOPIFY") {
    // Shopify reporting an event back: the one Nearhub posted (by its id, or by fulfillment, status and moment).
    const mine = await tx.deliveryEvent.findFirst({
      where: {
        shopId,
        fulfillmentId: input.fulfillmentId,
        OR: [
          ...(input.shopifyEventGid ? [{ shopifyEventGid: input.shopifyEventGid }] : []),
          {
            source: { not: "SHOPIFY" },
            status: input.status,
            happenedAt: { gte: new Date(input.happenedAt.getTime() - SAME_MOMENT_MS), lte: new Date(input.happenedAt.getTime() + SAME_MOMENT_MS) },
          },
        ],
      },
      select: { id: true, shopifyEventGid: true, postStatus: true },
    });
    if (mine) {
      if (input.shopifyEventGid && !mine.shopifyEventGid) {
        await tx.deliveryEvent.update({
          where: { id: mine.id },
          data: { shopifyEventGid: input.shopifyEventGid, ...(mine.postStatus !== "POSTED" ? { postStatus: "POSTED", nextPostAt: null, postError: null } : {}) },
        });
      }
      return { id: mine.id, duplicate: true, toPost: false };
    }
    // Shopify's own event replaces what was inferred from the fulfillment's shipment status.
    if (input.shopifyEventGid) {
      await tx.deliveryEvent.deleteMany({ where: { shopId, fulfillmentId: input.fulfillmentId, status: input.status, source: "SHOPIFY", idempotencyKey: { endsWith: `:shipment_status:${input.status}` } } });
    }
  }
  const post = input.post ?? input.source !== "SHOPIFY";
  const created = await tx.deliveryEvent.create({
    data: {
      shopId,
      fulfillmentId: input.fulfillmentId,
      status: input.status,
      happenedAt: input.happenedAt,
      source: input.source,
      idempotencyKey: input.idempotencyKey,
      message: input.message ?? null,
      shopifyEventGid: input.shopifyEventGid ?? null,
      postStatus: post ? "PENDING" : null,
      nextPostAt: post ? (input.now ?? new Date()) : null,
    },
    select: { id: true },
  });
  await refreshFulfillment(tx, shopId, input.fulfillmentId);
  return { id: created.id, duplicate: false, toPost: post };
}

/** shipmentStatus and deliveredAt from the fulfillment's events. */
async function refreshFulfillment(tx: Tx, shopId: string, fulfillmentId: string): Promise<void> {
  const events = await tx.deliveryEvent.findMany({ where: { shopId, fulfillmentId }, select: { status: true, happenedAt: true } });
  const timeline = events.map((e) => ({ status: e.status, happenedAt: e.happenedAt.getTime() }));
  const deliveredAt = deliveredAtOf(timeline);
  await tx.fulfillment.updateMany({
    where: { id: fulfillmentId, shopId },
    data: { shipmentStatus: latestStatus(timeline), deliveredAt: deliveredAt === null ? null : new Date(deliveredAt) },
  });
}

/** Links an order's fulfillments to its Order row once Nearhub stores the order (orders sync, bulk import). */
export async function linkOrderFulfillments(tx: Tx, shopId: string, order: { id: string; shopifyOrderId: string }): Promise<number> {
  const orderGid = gid("Order", order.shopifyOrderId);
  const linked = await tx.fulfillment.updateMany({ where: { shopId, orderGid, orderId: null }, data: { orderId: order.id } });
  return linked.count;
}

/** Attaches a local courier's delivery to a fulfillment, so the courier's callbacks find it (DoorDash external_delivery_id). */
export async function attachCourierDelivery(tx: Tx, shopId: string, ref: { fulfillmentId: string; provider: string; deliveryId: string }): Promise<void> {
  await tx.fulfillment.update({ where: { id: ref.fulfillmentId, shopId }, data: { courierProvider: ref.provider, courierDeliveryId: ref.deliveryId } });
}
