// Orders taken today at each node, counted once for checkout, routing and the Node operations page
// (core/network/today.ts counts; this loads what it counts):
//  - orders Nearhub routed there: the shop's automatic decisions whose orders ship as decided
//    (moved, moving, partly moved, or already where Shopify put them), one order per shipment;
//  - orders Shopify sent there: every other decision, at the locations Shopify had assigned its
//    fulfillment orders when Nearhub looked (suggest-only mode, a refused move, an unroutable
//    order), and orders in the Order table with their fulfilling node, when no decision covers them.
// Each over the node's own local day. The routing decisions are also what routing holds stock for
// (routing/snapshot.server.ts), so they are read and parsed here once for both.
import { z } from "zod";
import type { Commitment } from "~/core/routing";
import { countToday, type NodeOrderEvent, type TodayCount } from "~/core/network/today";
import type { NetworkNode } from "~/core/network/types";
import { db } from "~/db.server";
import { findInBatches } from "./batch.server";

/** Decisions whose order ships from the nodes Nearhub chose: moved there, or already there. */
export const SHIPS_AS_DECIDED = ["MOVED", "MOVING", "PARTIAL", "KEPT"];
/**
 * How far back decisions and orders are read: any node's local today, and a day of sales that
 * Shopify's inventory webhook should long have reflected (routing holds stock for them).
 */
export const DAY_WINDOW_MS = 26 * 60 * 60_000;

const assignmentColumn = z.object({
  shipments: z
    .array(
      z.object({
        nodeId: z.string().nullish(),
        lines: z.array(z.object({ productId: z.string().nullish(), quantity: z.number(), madeUnits: z.number().nullish() })).default([]),
      }),
    )
    .default([]),
  /** Where Shopify had the order's fulfillment orders when Nearhub decided (location gids). */
  shopifyLocations: z.array(z.string()).default([]),
});

interface ParsedAssignment {
  /** Nearhub's shipments: what they take from each node. */
  commitments: Omit<Commitment, "at">[];
  shopifyLocations: string[];
}

function parseAssignment(assignmentJson: string): ParsedAssignment {
  let parsed: z.infer<typeof assignmentColumn>;
  try {
    parsed = assignmentColumn.parse(JSON.parse(assignmentJson));
  } catch {
    return { commitments: [], shopifyLocations: [] }; // an unreadable row holds nothing (the admin shows it as unreadable)
  }
  return {
    commitments: parsed.shipments.flatMap((s) =>
      s.nodeId
        ? [{ nodeId: s.nodeId, lines: s.lines.flatMap((l) => (l.productId ? [{ productId: l.productId, units: l.quantity - (l.madeUnits ?? 0), madeUnits: l.madeUnits ?? 0 }] : [])) }]
        : [],
    ),
    shopifyLocations: [...new Set(parsed.shopifyLocations)],
  };
}

export interface RecentDecision {
  at: number;
  orderGid: string;
  /** Nearhub's automatic decision, and the order ships as decided. */
  routedByNearhub: boolean;
  assignment: ParsedAssignment;
}

/**
 * Each shop's recent decisions, parsed once: a stored assignment never changes, so a call reads
 * only the ids, times and statuses in the window and parses the rows it has not seen (a busy shop
 * decides hundreds of orders a day, each row a few kilobytes of explanation).
 */
const parsedByShop = new Map<string, Map<string, ParsedAssignment>>();

/** The shop's routing decisions of the last DAY_WINDOW_MS, oldest first. */
export async function recentDecisions(shopId: string, now: number): Promise<RecentDecision[]> {
  const rows = await db.routingDecision.findMany({
    where: { shopId, createdAt: { gte: new Date(now - DAY_WINDOW_MS), lte: new Date(now) } },
    select: { id: true, createdAt: true, orderGid: true, mode: true, status: true },
    orderBy: { createdAt: "asc" },
  });
  const known = parsedByShop.get(shopId) ?? new Map<string, ParsedAssignment>();
  const unseen = rows.filter((d) => !known.has(d.id));
  if (unseen.length > 0) {
    // A busy shop decides more orders in the window than one statement can list (batch.server.ts).
    const full = await findInBatches(
      unseen.map((d) => d.id),
      (batch) => db.routingDecision.findMany({ where: { shopId, id: { in: batch } }, select: { id: true, assignmentJson: true } }),
    );
    for (const r of full) known.set(r.id, parseAssignment(r.assignmentJson));
  }
  // Keep only the window's decisions (older ones are let go).
  const current = new Map(rows.map((d) => [d.id, known.get(d.id) ?? { commitments: [], shopifyLocations: [] }]));
  parsedByShop.set(shopId, current);
  return rows.map((d) => ({
    at: d.createdAt.getTime(),
    orderGid: d.orderGid,
    routedByNearhub: d.mode === "AUTO" && SHIPS_AS_DECIDED.includes(d.status),
    assignment: current.get(d.id)!,
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
