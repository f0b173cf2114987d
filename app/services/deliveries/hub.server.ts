// A hub's own riders on a tablet (app/routes/app.deliveries.$nodeId.tsx): today's fulfillments that
// left the node, and two taps, "Out for delivery" and "Delivered", each a delivery event (source HUB,
// once per fulfillment and status) posted to Shopify with fulfillmentEventCreate right after it is
// recorded, with the admin's own session (the rider's Shopify staff account). Every query names the
// shop; a fulfillment of another node or shop is simply not found.
import type { DeliveryStatus } from "~/core/deliveries";
import { DELIVERY_STATUS_WORDS, localDayBounds, riderMarkProblem } from "~/core/deliveries";
import { DOORDASH_DRIVE } from "../couriers/doordash-drive.server";
import { db } from "~/db.server";
import type { AdminGraphql } from "../shopify-admin.server";
import { recordDeliveryEvent } from "./record.server";
import { NO_STORE_MESSAGE, postDeliveryEvent, type PostOutcome } from "./shopify.server";

/** Fulfillments still on their way from earlier days are shown too, up to this far back. */
export const CARRY_OVER_MS = 2 * 24 * 60 * 60_000;

export interface HubDeliveryRow {
  id: string;
  orderName: string;
  destination: string;
  items: number;
  trackingCompany: string | null;
  shippedAt: string;
  /** Local time words: "14:05", or "Tue 14:05" for an earlier day. */
  shippedAtLocal: string;
  status: string | null;
  statusWords: string;
  deliveredAtLocal: string | null;
  /** What Shopify knows of the last thing the hub said: "sent", "waiting", or Shopify's refusal. */
  shopify: { state: "SENT" | "WAITING" | "REFUSED" | "NONE"; message: string | null };
  /** A local courier that reports its status itself (DoorDash): riders do not mark it. */
  carriedBy: string | null;
  canMarkOut: boolean;
  canMarkDelivered: boolean;
}

/** The name a person reads for a courier provider code. */
function courierName(provider: string | null): string | null {
  if (!provider) return null;
  return provider === DOORDASH_DRIVE ? "DoorDash" : provider;
}

export interface HubDeliveries {
  node: { id: string; name: string; timezone: string };
  rows: HubDeliveryRow[];
  counts: { total: number; delivered: number; outForDelivery: number };
}

function localWords(ms: number, timezone: string, today: { start: number; end: number }): string {
  const time = new Intl.DateTimeFormat("en-US", { timeZone: timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(ms);
  if (ms >= today.start && ms < today.end) return time;
  const day = new Intl.DateTimeFormat("en-US", { timeZone: timezone, weekday: "short" }).format(ms);
  return `${day} ${time}`;
}

/** The node's fulfillments of its local today, and those of the last days still not delivered; null: no such node. */
export async function hubDeliveries(shopId: string, nodeId: string, now: number): Promise<HubDeliveries | null> {
  const node = await db.node.findFirst({ where: { id: nodeId, shopId }, select: { id: true, name: true, timezone: true } });
  if (!node) return null;
  const today = localDayBounds(node.timezone, now);
  const rows = await db.fulfillment.findMany({
    where: {
      shopId,
      nodeId,
      status: { not: "CANCELLED" },
      OR: [
        { shippedAt: { gte: new Date(today.start), lt: new Date(today.end) } },
        { shippedAt: { gte: new Date(now - CARRY_OVER_MS), lt: new Date(today.start) }, deliveredAt: null },
      ],
    },
    orderBy: [{ shippedAt: "asc" }, { id: "asc" }],
    take: 300,
    include: {
      order: { select: { name: true, destCity: true, destPostalCode: true, lines: { select: { quantity: true } } } },
      // The last thing Nearhub itself said of it (a rider, a courier), and whether Shopify has it.
      events: { where: { shopId, source: { not: "SHOPIFY" } }, orderBy: [{ happenedAt: "desc" }, { id: "desc" }], take: 1, select: { postStatus: true, postError: true } },
    },
  });
  const out = rows.map((f): HubDeliveryRow => {
    const last = f.events[0];
    const shopify: HubDeliveryRow["shopify"] = !last
      ? { state: "NONE", message: null }
      : last.postStatus === "POSTED"
        ? { state: "SENT", message: null }
        : last.postStatus === "FAILED"
          ? { state: "REFUSED", message: last.postError }
          : { state: "WAITING", message: last.postError };
    const state = { fulfillmentStatus: f.status, shipmentStatus: f.shipmentStatus, deliveredAt: f.deliveredAt?.getTime() ?? null, courier: courierName(f.courierProvider) };
    return {
      id: f.id,
      orderName: f.order?.name ?? `Order ${f.orderGid.split("/").pop()}`,
      destination: f.order ? [f.order.destPostalCode, f.order.destCity].filter(Boolean).join(" ") : "",
      items: f.order?.lines.reduce((s, l) => s + l.quantity, 0) ?? 0,
      trackingCompany: f.trackingCompany,
      shippedAt: f.shippedAt.toISOString(),
      shippedAtLocal: localWords(f.shippedAt.getTime(), node.timezone, today),
      status: f.shipmentStatus,
      statusWords: f.shipmentStatus ? (DELIVERY_STATUS_WORDS[f.shipmentStatus as DeliveryStatus] ?? f.shipmentStatus) : "Shipped",
      deliveredAtLocal: f.deliveredAt ? localWords(f.deliveredAt.getTime(), node.timezone, today) : null,
      shopify,
      carriedBy: state.courier,
      canMarkOut: riderMarkProblem(state, "OUT_FOR_DELIVERY") === null,
      canMarkDelivered: riderMarkProblem(state, "DELIVERED") === null,
    };
  });
  // Still to deliver first (in the order they left), then the delivered ones.
  out.sort((a, b) => Number(a.deliveredAtLocal !== null) - Number(b.deliveredAtLocal !== null));
  return {
    node,
    rows: out,
    counts: { total: out.length, delivered: out.filter((r) => r.deliveredAtLocal !== null).length, outForDelivery: out.filter((r) => r.status === "OUT_FOR_DELIVERY").length },
  };
}

export class RiderMarkError extends Error {}

export interface MarkResult {
  eventId: string;
  duplicate: boolean;
  posted: PostOutcome | null;
  /** A sentence for the rider. */
  message: string;
}

/** A rider's tap: the event recorded once, then posted to Shopify with `admin` (null in demo mode). */
export async function markFulfillment(
  shop: { id: string },
  admin: AdminGraphql | null,
  ref: { nodeId: string; fulfillmentId: string; status: "OUT_FOR_DELIVERY" | "DELIVERED"; now?: number },
): Promise<MarkResult> {
  const now = ref.now ?? Date.now();
  const f = await db.fulfillment.findFirst({
    where: { id: ref.fulfillmentId, shopId: shop.id, nodeId: ref.nodeId },
    select: { id: true, status: true, shipmentStatus: true, deliveredAt: true, courierProvider: true, order: { select: { name: true } }, orderGid: true },
  });
  if (!f) throw new RiderMarkError("That delivery is not one of this hub's.");
  const name = f.order?.name ?? `Order ${f.orderGid.split("/").pop()}`;
  const problem = riderMarkProblem({ fulfillmentStatus: f.status, shipmentStatus: f.shipmentStatus, deliveredAt: f.deliveredAt?.getTime() ?? null, courier: courierName(f.courierProvider) }, ref.status);
  const key = `hub:${f.id}:${ref.status}`;
  if (problem) {
    // A second tap (or another rider's) is the same event: said so, nothing recorded twice.
    const known = await db.deliveryEvent.findUnique({ where: { shopId_idempotencyKey: { shopId: shop.id, idempotencyKey: key } }, select: { id: true } });
    if (known) return { eventId: known.id, duplicate: true, posted: null, message: `${name}: ${problem}` };
    throw new RiderMarkError(`${name}: ${problem}`);
  }
  const recorded = await db.$transaction((tx) =>
    recordDeliveryEvent(tx, shop.id, { fulfillmentId: f.id, status: ref.status, happenedAt: new Date(now), source: "HUB", idempotencyKey: key, now: new Date(now) }),
  );
  const posted = recorded.toPost ? await postDeliveryEvent(shop.id, recorded.id, { admin, now, call: { maxAttempts: 2, maxWaitMs: 2_000 } }) : null;
  const words = ref.status === "DELIVERED" ? "delivered" : "out for delivery";
  const shopifyWords =
    posted === "POSTED" ? "Shopify shows it to the shopper." : posted === "NO_STORE" ? NO_STORE_MESSAGE : posted === "FAILED" ? "Shopify refused it (see the row)." : "It will be sent to Shopify shortly.";
  return { eventId: recorded.id, duplicate: recorded.duplicate, posted, message: `${name} marked ${words}. ${shopifyWords}` };
}

/** The shop's nodes with how many of today's fulfillments each has still to deliver (the page's index). */
export async function hubsWithDeliveries(shopId: string, now: number): Promise<{ id: string; name: string; kind: string; today: number; toDeliver: number }[]> {
  const nodes = await db.node.findMany({ where: { shopId }, select: { id: true, name: true, kind: true, timezone: true }, orderBy: { name: "asc" } });
  const out = [];
  for (const n of nodes) {
    const today = localDayBounds(n.timezone, now);
    const where = { shopId, nodeId: n.id, status: { not: "CANCELLED" }, shippedAt: { gte: new Date(today.start), lt: new Date(today.end) } };
    const [all, open] = await Promise.all([db.fulfillment.count({ where }), db.fulfillment.count({ where: { ...where, deliveredAt: null } })]);
    out.push({ id: n.id, name: n.name, kind: n.kind, today: all, toDeliver: open });
  }
  return out;
}
