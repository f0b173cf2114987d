// Orders taken today at each node, counted once for checkout, routing and the Node operations page
// (core/network/today.ts counts; this loads what it counts):
//  - orders Nearhub routed there: the shop's automatic decisions whose orders ship as decided
//    (moved, moving, partly moved, or already where Shopify put them), one order per shipment;
//  - orders Shopify sent there: every other decision, at the locations Shopify had assigned its
//    fulfillment orders when Nearhub looked (suggest-only mode, a refused move, an unroutable
//    order), and orders in the Order table with their fulfilling node, when no decision covers them.
// Each over the node's own local day. The routing decisions are also what routing holds stock for
// (routing/snapshot.server.ts), so they are read here once for both, from their shipment rows.
import type { Commitment } from "~/core/routing";
import { countToday, type NodeOrderEvent, type TodayCount } from "~/core/network/today";
import type { NetworkNode } from "~/core/network/types";
import { greatCircleM } from "~/core/geo/distance";
import { prepareServiceArea, serviceAreaContains } from "~/core/geo/serviceArea";
import { db } from "~/db.server";

/** Decisions whose order ships from the nodes Nearhub chose: moved there, or already there. */
export const SHIPS_AS_DECIDED = ["MOVED", "MOVING", "PARTIAL", "KEPT"];
/**
 * How far back decisions and orders are read: any node's local today, and a day of sales that
 * Shopify's inventory webhook should long have reflected (routing holds stock for them).
 */
export const DAY_WINDOW_MS = 26 * 60 * 60_000;

interface DecisionAssignment {
  /** Nearhub's shipments: what they take from each node. */
  commitments: Omit<Commitment, "at">[];
  /** Where Shopify had the order's fulfillment orders when Nearhub decided (location gids). */
  shopifyLocations: string[];
}

export interface RecentDecision {
  at: number;
  orderGid: string;
  /** Nearhub's automatic decision, and the order ships as decided. */
  routedByNearhub: boolean;
  assignment: DecisionAssignment;
}

/**
 * The shop's routing decisions of the last DAY_WINDOW_MS, oldest first, with their shipments' rows
 * (RoutingShipment, RoutingShipmentLine, RoutingPlacement). Four flat statements joined on the
 * decision's window, so no list of ids is bound however busy the shop is.
 */
export async function recentDecisions(shopId: string, now: number): Promise<RecentDecision[]> {
  const window = { shopId, createdAt: { gte: new Date(now - DAY_WINDOW_MS), lte: new Date(now) } };
  const [rows, shipments, lines, placements] = await Promise.all([
    db.routingDecision.findMany({ where: window, select: { id: true, createdAt: true, orderGid: true, mode: true, status: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    db.routingShipment.findMany({ where: { shopId, decision: window }, select: { id: true, decisionId: true, nodeId: true }, orderBy: [{ decisionId: "asc" }, { position: "asc" }] }),
    db.routingShipmentLine.findMany({
      where: { shopId, shipment: { decision: window } },
      select: { shipmentId: true, productId: true, quantity: true, madeUnits: true },
      orderBy: [{ shipmentId: "asc" }, { position: "asc" }],
    }),
    db.routingPlacement.findMany({ where: { shopId, decision: window }, select: { decisionId: true, locationGid: true } }),
  ]);
  const linesOf = new Map<string, Commitment["lines"][number][]>();
  for (const l of lines) {
    const list = linesOf.get(l.shipmentId) ?? [];
    list.push({ productId: l.productId, units: l.quantity - l.madeUnits, madeUnits: l.madeUnits });
    linesOf.set(l.shipmentId, list);
  }
  const assignments = new Map<string, DecisionAssignment>(rows.map((d) => [d.id, { commitments: [], shopifyLocations: [] }]));
  for (const s of shipments) {
    if (!s.nodeId) continue; // the node was deleted since: it holds nothing
    assignments.get(s.decisionId)?.commitments.push({ nodeId: s.nodeId, lines: linesOf.get(s.id) ?? [] });
  }
  for (const p of placements) assignments.get(p.decisionId)?.shopifyLocations.push(p.locationGid);
  return rows.map((d) => ({
    at: d.createdAt.getTime(),
    orderGid: d.orderGid,
    routedByNearhub: d.mode === "AUTO" && SHIPS_AS_DECIDED.includes(d.status),
    assignment: assignments.get(d.id)!,
  }));
}

/** What Nearhub's own automatic decisions take from its nodes (routing holds it until Shopify's counts catch up). */
export function commitmentsOf(decisions: readonly RecentDecision[]): Commitment[] {
  return decisions.flatMap((d) => (d.routedByNearhub ? d.assignment.commitments.map((c) => ({ ...c, at: d.at })) : []));
}

/** Every order a node took in the window: Nearhub's shipments, Shopify's placements, the Order table's fulfilling nodes. */
export async function nodeOrderEvents(shopId: string, now: number, decisions?: readonly RecentDecision[]): Promise<NodeOrderEvent[]> {
  const [recent, orders] = await Promise.all([
    decisions ?? recentDecisions(shopId, now),
    db.order.findMany({
      where: { shopId, nodeId: { not: null }, placedAt: { gte: new Date(now - DAY_WINDOW_MS), lte: new Date(now) } },
      select: { nodeId: true, placedAt: true, shopifyOrderId: true },
    }),
  ]);
  const events: NodeOrderEvent[] = [];
  const decided = new Set<string>();
  for (const d of recent) {
    decided.add(d.orderGid);
    if (d.routedByNearhub) {
      for (const c of d.assignment.commitments) {
        events.push({ at: d.at, nodeId: c.nodeId, source: "NEARHUB", madeUnits: c.lines.reduce((s, l) => s + l.madeUnits, 0) });
      }
    } else {
      for (const locationId of d.assignment.shopifyLocations) events.push({ at: d.at, locationId, source: "SHOPIFY", madeUnits: 0 });
    }
  }
  for (const o of orders) {
    if (o.shopifyOrderId && decided.has(o.shopifyOrderId)) continue;
    events.push({ at: o.placedAt.getTime(), nodeId: o.nodeId, source: "SHOPIFY", madeUnits: 0 });
  }
  return events;
}

/** Orders taken today at each node (with who sent them), for `nodes`. */
export async function nodeDay(
  shopId: string,
  nodes: readonly Pick<NetworkNode, "id" | "timezone" | "shopifyLocationId">[],
  now: number,
): Promise<TodayCount> {
  return countToday(nodes, await nodeOrderEvents(shopId, now), now);
}

/** How far back a hub's local deliveries are counted to price its delivery rounds (core/costing/rounds.ts). */
export const LOCAL_DEMAND_DAYS = 28;
const DAY_MS = 86_400_000;

/**
 * Local orders a day each of these hubs delivered over the last LOCAL_DEMAND_DAYS days (fewer when
 * its history is shorter): orders it fulfilled to an address inside its delivery area (or to one
 * without coordinates), counted once per order, from the fulfilment rows. What its rounds are priced on.
 */
export async function localDemandOf(shopId: string, nodes: readonly NetworkNode[], now: number): Promise<Record<string, { ordersPerDay: number; days: number }>> {
  if (nodes.length === 0) return {};
  const ids = nodes.map((n) => n.id);
  const since = new Date(now - LOCAL_DEMAND_DAYS * DAY_MS);
  const [rows, firsts] = await Promise.all([
    db.fulfillment.findMany({
      where: { shopId, nodeId: { in: ids }, shippedAt: { gte: since, lte: new Date(now) }, status: { not: "CANCELLED" } },
      select: { id: true, nodeId: true, orderId: true, order: { select: { destLatitude: true, destLongitude: true } } },
    }),
    db.fulfillment.groupBy({ by: ["nodeId"], where: { shopId, nodeId: { in: ids }, status: { not: "CANCELLED" } }, _min: { shippedAt: true } }),
  ]);
  const out: Record<string, { ordersPerDay: number; days: number }> = {};
  for (const node of nodes) {
    const first = firsts.find((f) => f.nodeId === node.id)?._min.shippedAt;
    if (!first) continue;
    const area = prepareServiceArea(node.serviceArea);
    const orders = new Set<string>();
    for (const r of rows) {
      if (r.nodeId !== node.id) continue;
      const lat = r.order?.destLatitude, lng = r.order?.destLongitude;
      if (area && lat != null && lng != null && !serviceAreaContains(area, greatCircleM(node.latitude, node.longitude, lat, lng), lat, lng)) continue;
      orders.add(r.orderId ?? r.id);
    }
    const days = Math.max(1, Math.min(LOCAL_DEMAND_DAYS, Math.ceil((now - first.getTime()) / DAY_MS)));
    out[node.id] = { ordersPerDay: orders.size / days, days };
  }
  return out;
}
