// What the campaign planner and the guardrails read about one hub, loaded from the database and the
// shop's network snapshot (the same one checkout quotes from, quote-snapshot.server.ts): the hub,
// whether it may take part in a campaign now (the one gate, purpose CAMPAIGN, with today's orders
// and permits), how far same-day delivery reaches from it (its service area and, when every courier
// has a road limit, the farthest of them; autonomous corridors add their extent), its stock with
// the restocked returns it holds, past demand around it, and the engine's landed cost per order
// from the hub's recent routing decisions. Everything is scoped by shop.
import { nodeAvailability, type GateContext, type GateSubject } from "~/core/network/availability";
import { greatCircleM } from "~/core/geo/distance";
import { weekdayIndexOfDay } from "~/core/geo/localTime";
import type { Reason } from "~/core/network/reasons";
import type { NetworkNode } from "~/core/network/types";
import type { DemandPoint, HubStockLine } from "~/core/promotions/types";
import type { QuoteNode } from "~/core/quoting";
import { db } from "~/db.server";
import { loadSnapshot, type QuoteSnapshot } from "../quote-snapshot.server";
import { CampaignInputError } from "./types";

const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const YEAR_MS = 365 * 86_400_000;
const LANDED_LOOKBACK_MS = 90 * 86_400_000;

export interface ShopRow {
  id: string;
  currency: string;
  timezone: string;
  domain: string;
}

export async function loadShop(shopId: string): Promise<ShopRow> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { id: true, currency: true, timezone: true, domain: true } });
  if (!shop) throw new CampaignInputError(`shop ${shopId} does not exist`, "shopId", 404);
  return shop;
}

export async function loadNetwork(shop: ShopRow): Promise<QuoteSnapshot> {
  const loaded = await loadSnapshot(shop);
  if (!loaded.ok) throw new CampaignInputError(`the shop's network could not be loaded: ${loaded.failure.error}`, "nodeId", 503);
  return loaded.snapshot;
}

/** The gate's question now: orders left today, and whether the hub is open today (its local day). */
function gateContextNow(subject: GateSubject, qn: QuoteNode | undefined, now: number): GateContext {
  const ctx: GateContext = { ordersLeft: subject.ordersLeft };
  if (qn) {
    const day = qn.calendar.clock.local(now).day;
    const plan = qn.calendar.plan(day);
    ctx.day = { holiday: plan.holiday, open: plan.intervals.length > 0, weekday: WEEKDAY_NAMES[weekdayIndexOfDay(day)] };
  }
  return ctx;
}

/** Whether the hub may take part in a campaign now, through the one gate (purpose CAMPAIGN). */
export function campaignAvailability(snapshot: QuoteSnapshot, nodeId: string, now: number): { available: boolean; reasons: Reason[] } {
  const subject = snapshot.net.costing.availability.byNodeId.get(nodeId);
  if (!subject) {
    const why = snapshot.warnings.find((w) => w.includes(nodeId)) ?? "its settings do not read";
    return { available: false, reasons: [{ code: "DISABLED", message: `the hub is left out of the network: ${why}` }] };
  }
  const qn = snapshot.net.nodes.find((n) => n.prepared.node.id === nodeId);
  const r = nodeAvailability(subject, "CAMPAIGN", gateContextNow(subject, qn, now));
  return { available: r.available, reasons: [...r.reasons] };
}

/**
 * The farthest a same-day delivery goes from the hub, metres, and how that was found. Same-day
 * needs a service area and a cut-off (core/quoting/prepare): the area's radius, or its drawn
 * polygon's farthest corner; couriers that all stop at a road distance cap it (road ≈ 1.3 × the
 * straight line); an autonomous corridor of the hub extends it to its farthest corner.
 */
export function sameDayReach(qn: QuoteNode | undefined): { reachM: number; explanation: string[] } {
  if (!qn) return { reachM: 0, explanation: ["the hub is not in the shop's network snapshot"] };
  const node = qn.prepared.node;
  const explanation: string[] = [];
  let reach = 0;
  if (qn.services.includes("SAME_DAY") && qn.prepared.area) {
    const area = qn.prepared.area;
    if (area.radiusM != null) {
      reach = area.radiusM;
      explanation.push(`service area: ${Math.round(area.radiusM)} m around the hub`);
    }
    if (area.polygon) {
      const far = farthestCorner(node, area.polygon.polygon.coordinates[0]);
      if (far > reach) reach = far;
      explanation.push(`drawn service area: its farthest corner is ${Math.round(far)} m away`);
    }
    const couriers = qn.prepared.couriers.map((c) => c.config.maxRoadDistanceM);
    if (couriers.length > 0 && couriers.every((m) => m != null)) {
      const cap = Math.max(...(couriers as number[])) / 1.3;
      if (cap < reach) {
        reach = cap;
        explanation.push(`couriers go at most ${Math.round(cap * 1.3)} m by road (≈ ${Math.round(cap)} m straight)`);
      }
    }
  } else {
    explanation.push(qn.prepared.area ? "no same-day cut-off: the hub offers no same-day delivery" : "no service area: the hub offers no same-day delivery");
  }
  for (const c of qn.prepared.corridors) {
    if (c.permitHold) continue;
    const far = farthestCorner(node, c.area.polygon.coordinates[0]);
    if (far > reach) {
      reach = far;
      explanation.push(`autonomous corridor ${c.corridor.name} reaches ${Math.round(far)} m`);
    }
  }
  return { reachM: Math.round(reach), explanation };
}

/** The reach in one sentence, for the plan's explanation. */
export function sameDayReachNote(r: { reachM: number; explanation: string[] }): string {
  return `same-day reach ${r.reachM} m: ${r.explanation.join("; ") || "nothing reaches"}`;
}

function farthestCorner(node: Pick<NetworkNode, "latitude" | "longitude">, ring: ReadonlyArray<readonly number[]>): number {
  let far = 0;
  for (const [lng, lat] of ring) far = Math.max(far, greatCircleM(node.latitude, node.longitude, lat, lng));
  return far;
}

/** Past orders' destinations within `withinM` of the hub over the last 12 months (cancelled ones left out). */
export async function loadDemand(shopId: string, hub: Pick<NetworkNode, "latitude" | "longitude">, withinM: number, now: number): Promise<DemandPoint[]> {
  // A box around the circle first (an index-friendly filter), the exact distance after.
  const dLat = withinM / 111_320;
  const dLng = withinM / (111_320 * Math.max(0.01, Math.cos((hub.latitude * Math.PI) / 180)));
  const rows = await db.order.findMany({
    where: {
      shopId,
      cancelledAt: null,
      placedAt: { gte: new Date(now - YEAR_MS), lte: new Date(now) },
      destLatitude: { gte: hub.latitude - dLat, lte: hub.latitude + dLat },
      destLongitude: { gte: hub.longitude - dLng, lte: hub.longitude + dLng },
    },
    select: { destLatitude: true, destLongitude: true, placedAt: true, totalMinor: true },
    take: 20_000,
    orderBy: { placedAt: "desc" },
  });
  const out: DemandPoint[] = [];
  for (const r of rows) {
    if (r.destLatitude == null || r.destLongitude == null) continue;
    if (greatCircleM(hub.latitude, hub.longitude, r.destLatitude, r.destLongitude) > withinM) continue;
    out.push({ latitude: r.destLatitude, longitude: r.destLongitude, placedAt: r.placedAt.getTime(), totalMinor: r.totalMinor });
  }
  return out;
}

/**
 * What the hub holds now (StockLevel, units above zero), with the restocked returns among it (return
 * lines RESTOCKED at this hub and not resold since) and each product's daily demand around the hub
 * over the last 12 months (order lines of orders placed within `withinM`).
 */
export async function loadHubStock(shopId: string, hub: Pick<NetworkNode, "id" | "latitude" | "longitude">, withinM: number, now: number, skus?: readonly string[]): Promise<HubStockLine[]> {
  const levels = await db.stockLevel.findMany({
    where: { shopId, nodeId: hub.id, ...(skus ? { product: { sku: { in: [...skus] } } } : { available: { gt: 0 } }) },
    select: { available: true, product: { select: { id: true, sku: true, title: true, valueMinor: true } } },
  });
  if (levels.length === 0) return [];
  const productIds = levels.map((l) => l.product.id);
  const [restocked, lines] = await Promise.all([
    db.returnLine.groupBy({
      by: ["productId"],
      where: { shopId, hubId: hub.id, status: "RESTOCKED", productId: { in: productIds } },
      _sum: { quantity: true },
    }),
    db.orderLine.findMany({
      where: { shopId, productId: { in: productIds }, order: { cancelledAt: null, placedAt: { gte: new Date(now - YEAR_MS), lte: new Date(now) } } },
      select: { productId: true, quantity: true, order: { select: { destLatitude: true, destLongitude: true } } },
      take: 50_000,
    }),
  ]);
  const restockedBy = new Map(restocked.map((r) => [r.productId, r._sum.quantity ?? 0]));
  const soldBy = new Map<string, number>();
  for (const l of lines) {
    const o = l.order;
    if (!l.productId || o.destLatitude == null || o.destLongitude == null) continue;
    if (greatCircleM(hub.latitude, hub.longitude, o.destLatitude, o.destLongitude) > withinM) continue;
    soldBy.set(l.productId, (soldBy.get(l.productId) ?? 0) + l.quantity);
  }
  return levels
    .map((l) => {
      const onHand = Math.max(0, l.available);
      return {
        productId: l.product.id,
        sku: l.product.sku,
        title: l.product.title,
        onHand,
        restockedReturns: Math.min(onHand, restockedBy.get(l.product.id) ?? 0),
        priceMinor: l.product.valueMinor,
        dailyDemand: (soldBy.get(l.product.id) ?? 0) / 365,
      };
    })
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/**
 * The engine's landed cost per order from the hub (forward + expected return): the mean of the
 * shipments routing decided from it over the last 90 days; without any, the hub's own handling and
 * pickup costs (what every order costs before its delivery leg), said so in the explanation.
 */
export async function landedCostPerOrder(shopId: string, hub: Pick<NetworkNode, "id" | "handlingCostMinor" | "pickupCostMinor">, currency: string, now: number): Promise<{ minor: number; explanation: string }> {
  const mean = await hubShipmentMean(db, shopId, hub.id, currency, new Date(now - LANDED_LOOKBACK_MS));
  if (mean) {
    return { minor: mean.minor, explanation: `landed cost per order: the mean of ${mean.shipments} shipments routed from the hub in the last 90 days` };
  }
  return {
    minor: hub.handlingCostMinor + hub.pickupCostMinor,
    explanation: "landed cost per order: no shipment was routed from the hub in the last 90 days, so its handling and pickup costs stand in",
  };
}

/**
 * The engine's mean landed cost (forward + expected return) of the shipments routing decided from the
 * hub in this currency, decided since `since` (null: ever); null when there is none. The planner's
 * figure and attribution's fallback for an order routing did not decide.
 */
export async function hubShipmentMean(
  client: Pick<typeof db, "routingShipment">,
  shopId: string,
  hubId: string,
  currency: string,
  since: Date | null,
): Promise<{ minor: number; shipments: number } | null> {
  const agg = await client.routingShipment.aggregate({
    where: { shopId, nodeId: hubId, currency, ...(since ? { decision: { createdAt: { gte: since } } } : {}) },
    _avg: { totalMinor: true },
    _count: { _all: true },
  });
  return agg._count._all > 0 && agg._avg.totalMinor != null ? { minor: Math.round(agg._avg.totalMinor), shipments: agg._count._all } : null;
}

/** The hub of the shop, or a CampaignInputError naming `nodeId`. */
export async function loadHub(shopId: string, nodeId: unknown, snapshot: QuoteSnapshot): Promise<{ row: { id: string; name: string; handle: string }; qn: QuoteNode; node: NetworkNode }> {
  if (typeof nodeId !== "string" || nodeId === "") throw new CampaignInputError("nodeId: required", "nodeId");
  const row = await db.node.findFirst({ where: { id: nodeId, shopId }, select: { id: true, name: true, handle: true } });
  if (!row) throw new CampaignInputError(`nodeId: no hub ${nodeId} in this shop`, "nodeId");
  const qn = snapshot.net.nodes.find((n) => n.prepared.node.id === nodeId);
  if (!qn) {
    const why = snapshot.warnings.find((w) => w.includes(row.handle)) ?? "its settings do not read";
    throw new CampaignInputError(`nodeId: ${row.name} is left out of the network (${why})`, "nodeId");
  }
  return { row, qn, node: qn.prepared.node };
}
