// Deliveries: the words for what happens to a fulfillment on its way, and the pure rules over them.
// Statuses are Shopify's FulfillmentEventStatus values (shopify.dev Admin GraphQL enum), so an event
// Nearhub learns from a courier or a hub's rider can be posted to Shopify as it is, and one Shopify
// sends is stored as it is. No db, no Remix: the services (app/services/deliveries) load and store.
import { clockFor } from "../geo/localTime";

/** Shopify's FulfillmentEventStatus. */
export const DELIVERY_STATUSES = [
  "LABEL_PURCHASED",
  "LABEL_PRINTED",
  "CONFIRMED",
  "READY_FOR_PICKUP",
  "CARRIER_PICKED_UP",
  "PICKED_UP",
  "IN_TRANSIT",
  "OUT_FOR_DELIVERY",
  "ATTEMPTED_DELIVERY",
  "DELAYED",
  "DELIVERED",
  "FAILURE",
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERY_SOURCES = ["SHOPIFY", "DOORDASH", "HUB"] as const;
export type DeliverySource = (typeof DELIVERY_SOURCES)[number];

/** What a person reads for each status. */
export const DELIVERY_STATUS_WORDS: Record<DeliveryStatus, string> = {
  LABEL_PURCHASED: "Label bought",
  LABEL_PRINTED: "Label printed",
  CONFIRMED: "Confirmed",
  READY_FOR_PICKUP: "Ready for pickup",
  CARRIER_PICKED_UP: "Picked up by the carrier",
  PICKED_UP: "Picked up",
  IN_TRANSIT: "On its way",
  OUT_FOR_DELIVERY: "Out for delivery",
  ATTEMPTED_DELIVERY: "Delivery attempted",
  DELAYED: "Delayed",
  DELIVERED: "Delivered",
  FAILURE: "Could not be delivered",
};

export const DELIVERY_SOURCE_WORDS: Record<DeliverySource, string> = {
  SHOPIFY: "Shopify",
  DOORDASH: "DoorDash",
  HUB: "Hub rider",
};

/**
 * Statuses Nearhub posts to Shopify when it learns them itself (a courier's callback, a rider):
 * what the shopper's order page shows. A courier's own confirmation or a cancellation before pickup
 * is the merchant's business, recorded but not posted.
 */
export const POSTED_STATUSES: ReadonlySet<DeliveryStatus> = new Set(["IN_TRANSIT", "OUT_FOR_DELIVERY", "ATTEMPTED_DELIVERY", "DELIVERED", "FAILURE"]);

/** A status as Shopify's webhooks write it ("in_transit") or its GraphQL enum ("IN_TRANSIT"), or null. */
export function deliveryStatusOf(value: string | null | undefined): DeliveryStatus | null {
  if (!value) return null;
  const upper = value.trim().toUpperCase();
  return (DELIVERY_STATUSES as readonly string[]).includes(upper) ? (upper as DeliveryStatus) : null;
}

/**
 * DoorDash Drive's webhook events (developer.doordash.com, Drive "Webhooks for deliveries") as
 * delivery statuses; null for those that say nothing about the parcel (the Dasher arriving at the
 * store, location pings). A Dasher who picked the parcel up is on the last leg: out for delivery.
 */
export const DOORDASH_EVENT_STATUS: Record<string, { status: DeliveryStatus; post: boolean } | null> = {
  DASHER_CONFIRMED: { status: "CONFIRMED", post: false },
  DASHER_CONFIRMED_PICKUP_ARRIVAL: null,
  DASHER_PICKED_UP: { status: "OUT_FOR_DELIVERY", post: true },
  DASHER_CONFIRMED_DROPOFF_ARRIVAL: null,
  DASHER_DROPPED_OFF: { status: "DELIVERED", post: true },
  DELIVERY_RETURN_INITIALIZED: { status: "ATTEMPTED_DELIVERY", post: true },
  DASHER_CONFIRMED_RETURN_ARRIVAL: null,
  DELIVERY_RETURNED: { status: "FAILURE", post: true },
  // Cancelled (before pickup, or the return failed): the merchant's to handle, not the shopper's page.
  DELIVERY_CANCELLED: { status: "FAILURE", post: false },
};

export interface TimelineEvent {
  status: DeliveryStatus | string;
  happenedAt: number;
}

/** The latest status of a fulfillment (by when things happened, not when they were told), or null. */
export function latestStatus(events: readonly TimelineEvent[]): string | null {
  let latest: TimelineEvent | null = null;
  for (const e of events) if (!latest || e.happenedAt >= latest.happenedAt) latest = e;
  return latest?.status ?? null;
}

/** When it was delivered: the earliest DELIVERED event (a later report of the same delivery changes nothing). */
export function deliveredAtOf(events: readonly TimelineEvent[]): number | null {
  let at: number | null = null;
  for (const e of events) if (e.status === "DELIVERED" && (at === null || e.happenedAt < at)) at = e.happenedAt;
  return at;
}

/** Minutes from shipping to delivery, or null while it is not delivered. */
export function deliveryMinutes(shippedAt: number, deliveredAt: number | null): number | null {
  return deliveredAt === null ? null : Math.max(0, Math.round((deliveredAt - shippedAt) / 60_000));
}

/** [start, end) UTC ms of the local day containing `now` in `timezone` (a hub's "today"). */
export function localDayBounds(timezone: string, now: number): { start: number; end: number } {
  const clock = clockFor(timezone);
  const day = clock.local(now).day;
  return { start: clock.instant(day, 0), end: clock.instant(day, 1440) };
}

/** Why a rider may not mark a fulfillment `next` (a sentence), or null when they may. */
export function riderMarkProblem(
  current: { fulfillmentStatus: string; shipmentStatus: string | null; deliveredAt: number | null; courier?: string | null },
  next: "OUT_FOR_DELIVERY" | "DELIVERED",
): string | null {
  if (current.deliveredAt !== null) return "It is already delivered.";
  if (current.fulfillmentStatus === "CANCELLED") return "The fulfillment was cancelled in Shopify.";
  if (current.courier) return `${current.courier} carries it: its status comes from ${current.courier}.`;
  if (next === "OUT_FOR_DELIVERY" && current.shipmentStatus === "OUT_FOR_DELIVERY") return "It is already out for delivery.";
  return null;
}
