// A hub's delivery rounds of its local today, as a route sheet for its riders (issue 16 item 1,
// ADR 0038): the local orders that leave the hub today (its fulfilments to addresses inside its
// delivery area), grouped into the waves of its cut-offs and sequenced into routes for the fleet the
// shop set for it (core/rounds planDay: the same heuristic bench:rounds measures on CVRPLIB). The
// plan is made when the sheet is opened, from rows; nothing of it is stored.
import { localDayBounds } from "~/core/deliveries";
import { greatCircleM } from "~/core/geo/distance";
import { prepareServiceArea, serviceAreaContains } from "~/core/geo/serviceArea";
import { roundsConfigSchema } from "~/core/costing/rounds";
import { clockFor } from "~/core/geo/localTime";
import { planDay, type RoundOrder } from "~/core/rounds";
import { db } from "~/db.server";
import { toNetworkNode } from "./network.server";
import { getShopShipping, quoteConfigOf } from "./shipping-settings.server";

export interface RouteSheetStop {
  orderName: string;
  destination: string;
  items: number;
  /** UTC ms the rider is expected at the door. */
  arriveAt: number;
}

export interface RouteSheetRoute {
  vehicle: string;
  departAt: number;
  returnAt: number;
  roadM: number;
  minutes: number;
  costMinor: number;
  costPerStopMinor: number;
  stops: RouteSheetStop[];
}

export interface RouteSheetWave {
  label: string;
  dispatchAt: number;
  way: string | null;
  routes: RouteSheetRoute[];
  totalMinor: number;
  perStopMinor: number | null;
  unserved: { orderName: string; reason: string }[];
  reasons: string[];
}

export interface RouteSheet {
  node: { id: string; name: string; timezone: string };
  currency: string;
  /** Why there is no plan (no rounds set for the hub, no cut-off), or null. */
  notPlanned: string | null;
  waves: RouteSheetWave[];
  /** Local orders leaving today that have no coordinates to route them by. */
  withoutCoordinates: string[];
  stops: number;
  totalMinor: number;
  perStopMinor: number | null;
}

/** Today's route sheet of a node of the shop; null when the shop has no such node. */
export async function routeSheet(shopId: string, nodeId: string, now: number): Promise<RouteSheet | null> {
  const [row, shop] = await Promise.all([db.node.findFirst({ where: { id: nodeId, shopId } }), db.shop.findUnique({ where: { id: shopId }, select: { currency: true } })]);
  if (!row || !shop) return null;
  const node = toNetworkNode(row);
  const base: RouteSheet = { node: { id: node.id, name: node.name, timezone: node.timezone }, currency: shop.currency, notPlanned: null, waves: [], withoutCoordinates: [], stops: 0, totalMinor: 0, perStopMinor: null };
  const shipping = await getShopShipping(shopId);
  const stored = (quoteConfigOf(shipping, [row]).rounds ?? []).find((r) => r.nodeId === node.id);
  if (!stored) return { ...base, notPlanned: `${node.name} has no delivery rounds set: its local orders go with on-demand couriers.` };
  const rounds = roundsConfigSchema.parse(stored);
  const cutoffs = rounds.cutoffs ?? (node.sameDayCutoff ? [node.sameDayCutoff] : null);
  if (!cutoffs) return { ...base, notPlanned: `${node.name} has no same-day cut-off to gather its waves by.` };

  const today = localDayBounds(node.timezone, now);
  const rows = await db.fulfillment.findMany({
    where: { shopId, nodeId, status: { not: "CANCELLED" }, shippedAt: { gte: new Date(today.start), lt: new Date(today.end) } },
    orderBy: [{ shippedAt: "asc" }, { id: "asc" }],
    take: 1000,
    select: {
      id: true,
      orderGid: true,
      order: { select: { id: true, name: true, placedAt: true, destLatitude: true, destLongitude: true, destCity: true, destPostalCode: true, lines: { select: { quantity: true, product: { select: { weightGrams: true } } } } } },
    },
  });
  const area = prepareServiceArea(node.serviceArea);
  const byOrder = new Map<string, { name: string; destination: string; items: number }>();
  const orders: RoundOrder[] = [];
  const withoutCoordinates: string[] = [];
  for (const f of rows) {
    const o = f.order;
    const name = o?.name ?? `Order ${f.orderGid.split("/").pop()}`;
    if (!o || o.destLatitude == null || o.destLongitude == null) {
      withoutCoordinates.push(name);
      continue;
    }
    if (byOrder.has(o.id)) continue;
    if (area && !serviceAreaContains(area, greatCircleM(node.latitude, node.longitude, o.destLatitude, o.destLongitude), o.destLatitude, o.destLongitude)) continue;
    byOrder.set(o.id, { name, destination: [o.destPostalCode, o.destCity].filter(Boolean).join(" "), items: o.lines.reduce((s, l) => s + l.quantity, 0) });
    const weightGrams = o.lines.reduce((s, l) => s + l.quantity * (l.product?.weightGrams ?? 500), 0);
    // An order placed before today (after yesterday's last cut-off, or a next-day order) goes out with today's first wave.
    orders.push({ id: o.id, placedAt: Math.max(o.placedAt.getTime(), today.start), latitude: o.destLatitude, longitude: o.destLongitude, weightGrams: Math.max(1, weightGrams) });
  }
  const hub = { id: node.id, name: node.name, latitude: node.latitude, longitude: node.longitude, timeZone: node.timezone, cutoffs, dispatchAfterMinutes: rounds.dispatchAfterMinutes };
  // The same seed for the same day: reopening the sheet shows the same routes.
  const day = clockFor(node.timezone).local(now).day;
  const plan = planDay(hub, rounds.fleet, orders, { seed: day });
  const words = (id: string) => byOrder.get(id) ?? { name: id, destination: "", items: 0 };
  const waves: RouteSheetWave[] = plan.waves.map((w) => ({
    label: w.wave.label,
    dispatchAt: w.wave.dispatchAt,
    way: w.routes[0]?.optionName ?? null,
    routes: w.routes.map((r) => ({
      vehicle: `${r.optionName}, vehicle ${r.vehicle}`,
      departAt: r.departAt,
      returnAt: r.returnAt,
      roadM: r.roadM,
      minutes: r.minutes,
      costMinor: r.costMinor,
      costPerStopMinor: r.costPerStopMinor,
      stops: r.stops.map((s) => ({ orderName: words(s.orderId).name, destination: words(s.orderId).destination, items: words(s.orderId).items, arriveAt: s.arriveAt })),
    })),
    totalMinor: w.totalMinor,
    perStopMinor: w.perStopMinor,
    unserved: w.unserved.map((u) => ({ orderName: words(u.orderId).name, reason: u.reason })),
    reasons: w.reasons,
  }));
  return { ...base, currency: rounds.fleet.currency, waves, withoutCoordinates, stops: plan.stops, totalMinor: plan.totalMinor, perStopMinor: plan.perStopMinor };
}
