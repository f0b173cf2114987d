// Stock and capacity the shop's own earlier decisions hold but its stock table does not show yet.
// Orders are decided one at a time as their webhooks arrive, each against the stock table; that
// table catches up only when Shopify's inventory webhook rewrites a level after the sale. So the
// units of orders decided after a level was last written still come off it, and the orders (and
// units made to order) a node was given today come off its day's capacity. Without this, two
// orders for a hub's last unit, a minute apart, would both be sent there.
import type { RoutingNetwork } from "./prepare";

/** One shipment of an earlier decision: what it takes from one node. */
export interface Commitment {
  /** UTC ms the decision was made. */
  at: number;
  nodeId: string;
  /** Per product: units from the shelf and units made to order. */
  lines: readonly { productId: string; units: number; madeUnits: number }[];
}

export interface HeldStock {
  node: number;
  product: number;
  units: number;
}

/**
 * `avail` (resource layout of RoutingNetwork) less what `commitments` hold: stock for the
 * commitments made after that level's `stockAsOf` (null: no level row, nothing to take), one order
 * of capacity and the made units for commitments made on the node's local today after the
 * snapshot's orders of the day were counted (NetworkSnapshot.today.countedAt: those before are in
 * the count already). Never below zero. Returns what was taken from stock, for the explanation.
 */
export function applyCommitments(
  net: RoutingNetwork,
  avail: Float64Array,
  commitments: readonly Commitment[],
  opts: { now: number; stockAsOf: (nodeId: string, productId: string) => number | null },
): HeldStock[] {
  const P = net.products.length;
  const { capacityBase, makeBase } = net.resources;
  const today = net.nodes.map((n) => n.qn.calendar.clock.local(opts.now).day);
  const countedAt = net.quote.costing.snapshot.today?.countedAt ?? -Infinity;
  const held = new Map<number, number>();
  for (const c of commitments) {
    const n = net.nodeById.get(c.nodeId);
    if (n === undefined) continue;
    const sameDay = c.at > countedAt && net.nodes[n].qn.calendar.clock.local(c.at).day === today[n];
    if (sameDay) avail[capacityBase + n] = Math.max(0, avail[capacityBase + n] - 1);
    for (const line of c.lines) {
      if (sameDay && line.madeUnits > 0) avail[makeBase + n] = Math.max(0, avail[makeBase + n] - line.madeUnits);
      const p = net.productById.get(line.productId);
      const asOf = opts.stockAsOf(c.nodeId, line.productId);
      if (p === undefined || asOf === null || c.at <= asOf || line.units <= 0) continue;
      const r = n * P + p;
      const taken = Math.min(avail[r], line.units);
      avail[r] -= taken;
      if (taken > 0) held.set(r, (held.get(r) ?? 0) + taken);
    }
  }
  return [...held].map(([r, units]) => ({ node: Math.floor(r / P), product: r % P, units }));
}
