// The demo's deliveries (issue 11, part 8): every order of the seeded year gets the Shopify
// fulfillment it shipped in and the delivery events of its journey, with durations believable for
// how it travelled, so same-city delivery time and the pilot dashboard have something true to show:
//
//   robot corridor   Williamsburg orders near the Brooklyn hub: out within ~15-45 min of the order,
//                    at the door 15-45 min later (the corridor's robots, reported by the hub);
//   same-day courier orders in New York or Austin before the hub's cut-off: packed in 20-75 min,
//                    a DoorDash Dasher or the hub's own rider, 25-100 min door to door;
//   next-day         local orders after the cut-off (or on a closed day): out the next opening morning,
//                    delivered by the hub's riders 40-180 min after;
//   ground           everywhere else, from the Secaucus warehouse: out the same afternoon before 15:00
//                    (else the next working day), a carrier's 1-5 working days by distance (a day more
//                    in the December peak), scanned in transit, out for delivery, delivered in the
//                    shopper's afternoon; a few deliveries attempted first, a few never reported.
//
// Deterministic (a seeded PRNG, no wall clock: everything from the orders and `now`); an event after
// `now` has not happened yet, a fulfillment after `now` has not shipped. Nearhub's own events
// (DoorDash, hub) are recorded as already posted to Shopify. Written with multi-row INSERTs.
import type { Prisma, PrismaClient } from "@prisma/client";
import { civilOfDay, clockFor, parseLocalTime, weekdayIndexOfDay } from "../../app/core/geo/localTime";
import { NODES, type NodeSpec } from "./demo-catalog";
import { databaseKind, databaseUrl } from "../../app/db.server";
import { insertJsonRows } from "./insert";
import { intBetween, substream, type Rng } from "./random";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The seed's fulfillment and event ids in Shopify: made up, stable for a seed. */
const FULFILLMENT_BASE = 5_500_000_000;
const EVENT_BASE = 6_600_000_000;

export type DemoMode = "ROBOT" | "COURIER" | "NEXT_DAY" | "GROUND";

interface OrderRow {
  id: string;
  name: string;
  placedAt: Date;
  destLatitude: number;
  destLongitude: number;
  nodeId: string | null;
}

interface NodeRow {
  id: string;
  handle: string;
  shopifyLocationId: string | null;
}

function km(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(a));
}

/** A duration in minutes from lo to hi, most of them in the lower half (a courier's or a carrier's spread). */
function skewed(rng: Rng, lo: number, hi: number): number {
  const u = (rng.next() + rng.next() + rng.next()) / 3;
  return Math.round(Math.min(hi, lo + (hi - lo) * u * u * 1.6));
}

const WEEKDAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** The node's opening hours on a local day (day number), as [open, close] minutes of the day; null when closed. */
function hoursOn(spec: NodeSpec, day: number): [number, number] | null {
  const intervals = spec.openingHours[WEEKDAY_KEYS[weekdayIndexOfDay(day)]] ?? [];
  if (intervals.length === 0) return null;
  return [parseLocalTime(intervals[0][0]), parseLocalTime(intervals[intervals.length - 1][1])];
}

/** The first local day after `day` the node opens, and its opening minute (up to a week on). */
function nextOpening(spec: NodeSpec, day: number): { day: number; minute: number } {
  for (let d = day + 1; d <= day + 7; d++) {
    const h = hoursOn(spec, d);
    if (h) return { day: d, minute: h[0] };
  }
  return { day: day + 1, minute: 9 * 60 };
}

/** The `n`th working day (Mon-Fri) after local day `day`. */
function nextWorkday(day: number, n = 1): number {
  let d = day;
  let left = n;
  while (left > 0) {
    d++;
    if (weekdayIndexOfDay(d) <= 4) left--;
  }
  return d;
}

interface Journey {
  nodeId: string;
  locationGid: string | null;
  mode: DemoMode;
  trackingCompany: string;
  courier: "DOORDASH" | "HUB" | null;
  shippedAt: number;
  events: { status: string; at: number; source: "SHOPIFY" | "DOORDASH" | "HUB" }[];
}

interface Place {
  spec: NodeSpec;
  row: NodeRow;
}

/** How one order travelled, from where, and when each thing happened. */
function journeyOf(order: OrderRow, places: Map<string, Place>, byId: Map<string, Place>, rng: Rng): Journey {
  const placed = order.placedAt.getTime();
  const lat = order.destLatitude;
  const lng = order.destLongitude;
  const local = [places.get("nyc-bk-hub")!, places.get("nyc-mn-hub")!, places.get("atx-east-hub")!]
    .map((p) => ({ p, d: km(lat, lng, p.spec.latitude, p.spec.longitude) }))
    .sort((a, b) => a.d - b.d)[0];
  // Where Shopify sent the order when the seed knows it (the last day's orders), else the nearest hub in reach, else the warehouse.
  const known = order.nodeId ? byId.get(order.nodeId) : undefined;
  const fromHub = known ? known.spec.kind !== "CENTRAL_WAREHOUSE" : local.d <= 14;
  if (!fromHub) {
    const dc = known ?? places.get("nj-secaucus-dc")!;
    const clock = clockFor(dc.spec.timezone);
    const at = clock.local(placed);
    const sameDay = at.weekdayIndex <= 4 && at.minuteOfDay < 15 * 60;
    const shipDay = sameDay ? at.day : nextWorkday(at.day);
    const shipped = clock.instant(shipDay, 16 * 60 + intBetween(rng, 0, 150)) + intBetween(rng, 0, 59) * 1000;
    const distance = km(lat, lng, dc.spec.latitude, dc.spec.longitude);
    const civil = civilOfDay(at.day);
    const peak = civil.month === 12 || (civil.month === 11 && civil.day >= 25) ? 1 : 0;
    const transitDays = (distance < 500 ? intBetween(rng, 1, 2) : distance < 1500 ? intBetween(rng, 2, 3) : intBetween(rng, 3, 5)) + peak;
    const dest = clockFor(lng < -100 ? "America/Denver" : lng < -87 ? "America/Chicago" : "America/New_York");
    const deliveryDay = nextWorkday(dest.local(shipped).day, transitDays);
    const out = dest.instant(deliveryDay, 7 * 60 + 30 + intBetween(rng, 0, 120));
    const delivered = dest.instant(deliveryDay, 10 * 60 + skewed(rng, 0, 560));
    const events: Journey["events"] = [{ status: "IN_TRANSIT", at: shipped + intBetween(rng, 3, 8) * HOUR, source: "SHOPIFY" }];
    if (rng.next() < 0.015) {
      // Nobody home: attempted, out again the next working day, delivered.
      const again = nextWorkday(deliveryDay);
      events.push(
        { status: "OUT_FOR_DELIVERY", at: out, source: "SHOPIFY" },
        { status: "ATTEMPTED_DELIVERY", at: delivered, source: "SHOPIFY" },
        { status: "OUT_FOR_DELIVERY", at: dest.instant(again, 8 * 60 + 15), source: "SHOPIFY" },
        { status: "DELIVERED", at: dest.instant(again, 11 * 60 + skewed(rng, 0, 420)), source: "SHOPIFY" },
      );
    } else if (rng.next() > 0.03) {
      events.push({ status: "OUT_FOR_DELIVERY", at: out, source: "SHOPIFY" }, { status: "DELIVERED", at: delivered, source: "SHOPIFY" });
    } else {
      // About 3% of carriers never report the delivery.
      events.push({ status: "OUT_FOR_DELIVERY", at: out, source: "SHOPIFY" });
    }
    return { nodeId: dc.row.id, locationGid: dc.row.shopifyLocationId, mode: "GROUND", trackingCompany: rng.next() < 0.6 ? "UPS" : "USPS", courier: null, shippedAt: shipped, events };
  }

  const hub = known ?? local.p;
  const clock = clockFor(hub.spec.timezone);
  const at = clock.local(placed);
  const today = hoursOn(hub.spec, at.day);
  const cutoff = hub.spec.sameDayCutoff ? parseLocalTime(hub.spec.sameDayCutoff) : null;
  const robotsReach = hub.spec.handle === "nyc-bk-hub" && km(lat, lng, hub.spec.latitude, hub.spec.longitude) <= 3;
  const sameDay = today !== null && cutoff !== null && at.minuteOfDay < cutoff && at.minuteOfDay < today[1] - 120;
  if (sameDay) {
    const ready = clock.instant(at.day, Math.max(at.minuteOfDay, today![0])) + (at.minuteOfDay >= today![0] ? placed % MINUTE : 0) + skewed(rng, 20, 75) * MINUTE;
    if (robotsReach && rng.next() < 0.6) {
      const out = ready + intBetween(rng, 2, 10) * MINUTE;
      return {
        nodeId: hub.row.id, locationGid: hub.row.shopifyLocationId, mode: "ROBOT", trackingCompany: "Williamsburg sidewalk robots", courier: "HUB", shippedAt: ready,
        events: [{ status: "OUT_FOR_DELIVERY", at: out, source: "HUB" }, { status: "DELIVERED", at: out + skewed(rng, 15, 45) * MINUTE, source: "HUB" }],
      };
    }
    const doordash = rng.next() < 0.55;
    const pickup = ready + intBetween(rng, 5, 25) * MINUTE;
    return {
      nodeId: hub.row.id, locationGid: hub.row.shopifyLocationId, mode: "COURIER", trackingCompany: doordash ? "DoorDash" : "Nearhub riders", courier: doordash ? "DOORDASH" : "HUB", shippedAt: ready,
      events: [
        { status: "OUT_FOR_DELIVERY", at: pickup, source: doordash ? "DOORDASH" : "HUB" },
        { status: "DELIVERED", at: pickup + skewed(rng, 20, 75) * MINUTE, source: doordash ? "DOORDASH" : "HUB" },
      ],
    };
  }
  // After the cut-off (or a closed day): out the next opening morning with the hub's riders.
  const opening = today && at.minuteOfDay < today[0] ? { day: at.day, minute: today[0] } : nextOpening(hub.spec, at.day);
  const morning = clock.instant(opening.day, opening.minute) + skewed(rng, 30, 150) * MINUTE;
  const out = morning + intBetween(rng, 5, 30) * MINUTE;
  return {
    nodeId: hub.row.id, locationGid: hub.row.shopifyLocationId, mode: "NEXT_DAY", trackingCompany: "Nearhub riders", courier: "HUB", shippedAt: morning,
    events: [{ status: "OUT_FOR_DELIVERY", at: out, source: "HUB" }, { status: "DELIVERED", at: out + skewed(rng, 40, 180) * MINUTE, source: "HUB" }],
  };
}

const FULFILLMENT_COLUMNS = [
  "id", "shopId", "shopifyFulfillmentGid", "orderGid", "orderId", "locationGid", "nodeId", "status", "shipmentStatus", "trackingCompany", "service",
  "courierProvider", "courierDeliveryId", "shippedAt", "deliveredAt", "shopifyUpdatedAt", "createdAt", "updatedAt",
] as const satisfies readonly (keyof Prisma.FulfillmentCreateManyInput)[];
const EVENT_COLUMNS = [
  "id", "shopId", "fulfillmentId", "status", "happenedAt", "source", "idempotencyKey", "shopifyEventGid", "postStatus", "postAttempts", "createdAt",
] as const satisfies readonly (keyof Prisma.DeliveryEventCreateManyInput)[];

export interface SeedDemoDeliveriesResult {
  fulfillments: number;
  deliveryEvents: number;
  byMode: Record<DemoMode, number>;
}

export async function seedDemoDeliveries(db: PrismaClient, opts: { shopId: string; now: Date; seed?: number }): Promise<SeedDemoDeliveriesResult> {
  const rng = substream(opts.seed ?? 1001, "deliveries");
  const nowMs = opts.now.getTime();
  const [orders, nodeRows] = await Promise.all([
    db.order.findMany({
      where: { shopId: opts.shopId, placedAt: { lte: opts.now } },
      select: { id: true, name: true, placedAt: true, destLatitude: true, destLongitude: true, nodeId: true },
      orderBy: [{ placedAt: "asc" }, { id: "asc" }],
    }),
    db.node.findMany({ where: { shopId: opts.shopId }, select: { id: true, handle: true, shopifyLocationId: true } }),
  ]);
  const places = new Map<string, Place>();
  for (const spec of NODES) {
    const row = nodeRows.find((n) => n.handle === spec.handle);
    if (row) places.set(spec.handle, { spec, row });
  }
  const byId = new Map([...places.values()].map((p) => [p.row.id, p]));
  const fulfillments: Prisma.FulfillmentCreateManyInput[] = [];
  const events: Prisma.DeliveryEventCreateManyInput[] = [];
  const byMode: Record<DemoMode, number> = { ROBOT: 0, COURIER: 0, NEXT_DAY: 0, GROUND: 0 };
  for (const order of orders) {
    // The demo's orders all have coordinates (the seed writes them).
    const journey = journeyOf({ ...order, destLatitude: order.destLatitude!, destLongitude: order.destLongitude! }, places, byId, rng);
    if (journey.shippedAt > nowMs) continue; // not shipped yet
    const number = Number(order.name.replace(/\D/g, ""));
    const fgid = `gid://shopify/Fulfillment/${FULFILLMENT_BASE + number}`;
    const id = `dlv-${order.id}`;
    const happened = journey.events.filter((e) => e.at <= nowMs).sort((a, b) => a.at - b.at);
    const delivered = happened.find((e) => e.status === "DELIVERED");
    const last = happened[happened.length - 1];
    const shipped = new Date(journey.shippedAt);
    byMode[journey.mode]++;
    fulfillments.push({
      id,
      shopId: opts.shopId,
      shopifyFulfillmentGid: fgid,
      // The order's id in Shopify as the routing seed names it (demo-routing.ts: 5,900,000,000 + its number).
      orderGid: `gid://shopify/Order/${5_900_000_000 + number}`,
      orderId: order.id,
      locationGid: journey.locationGid,
      nodeId: journey.nodeId,
      status: "SUCCESS",
      shipmentStatus: last?.status ?? null,
      trackingCompany: journey.trackingCompany,
      service: "manual",
      courierProvider: journey.courier === "DOORDASH" ? "DOORDASH_DRIVE" : null,
      courierDeliveryId: journey.courier === "DOORDASH" ? `nh-demo-${number}` : null,
      shippedAt: shipped,
      deliveredAt: delivered ? new Date(delivered.at) : null,
      shopifyUpdatedAt: last ? new Date(last.at) : shipped,
      createdAt: shipped,
      updatedAt: last ? new Date(last.at) : shipped,
    });
    happened.forEach((e, k) => {
      const eventGid = `gid://shopify/FulfillmentEvent/${EVENT_BASE + number * 10 + k}`;
      events.push({
        id: `${id}:${k}`,
        shopId: opts.shopId,
        fulfillmentId: id,
        status: e.status,
        happenedAt: new Date(e.at),
        source: e.source,
        idempotencyKey: e.source === "SHOPIFY" ? `shopify:event:${eventGid}` : e.source === "DOORDASH" ? `doordash:nh-demo-${number}:${e.status}` : `hub:${id}:${e.status}`,
        shopifyEventGid: eventGid,
        // Nearhub's own events went to Shopify when they happened.
        postStatus: e.source === "SHOPIFY" ? null : "POSTED",
        postAttempts: e.source === "SHOPIFY" ? 0 : 1,
        createdAt: new Date(e.at),
      });
    });
  }
  const kind = databaseKind(databaseUrl());
  await db.$transaction(
    async (tx) => {
      await tx.fulfillment.deleteMany({ where: { shopId: opts.shopId } });
      await insertJsonRows(tx, kind, "Fulfillment", FULFILLMENT_COLUMNS, fulfillments);
      await insertJsonRows(tx, kind, "DeliveryEvent", EVENT_COLUMNS, events);
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  return { fulfillments: fulfillments.length, deliveryEvents: events.length, byMode };
}
