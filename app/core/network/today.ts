// Orders taken today at each node, counted once: the orders Shopify sent there plus those Nearhub
// routed there, over the node's own local day. Checkout (the capacity gate and courier surge),
// routing (what a node can still take) and the Node operations page all read this figure
// (NetworkSnapshot.today), so they never disagree. The service (app/services/node-day.server.ts)
// loads the events; this counts them.
import { clockFor } from "../geo/localTime";
import type { NetworkNode, NodeDay, TodayAtNodes } from "./types";

/** Who put the order at the node. */
export type OrderSource = "SHOPIFY" | "NEARHUB";

/** One order (or one shipment of a split order) taken by one node. */
export interface NodeOrderEvent {
  /** UTC ms it was taken (the order placed, or Nearhub's decision made). */
  at: number;
  /** The node, by id, or by its Shopify location when that is all that is known. */
  nodeId?: string | null;
  locationId?: string | null;
  source: OrderSource;
  /** Units made to order for it (micro-factories). */
  madeUnits: number;
}

export interface NodeDayCount extends NodeDay {
  /** Of `orders`: sent there by Shopify, and routed there by Nearhub. */
  bySource: Record<OrderSource, number>;
}

export interface TodayCount extends TodayAtNodes {
  byNode: Record<string, NodeDayCount>;
}

/** "gid://shopify/Location/123" and "123" → "123". */
function bareId(id: string): string {
  const slash = id.lastIndexOf("/");
  return slash >= 0 ? id.slice(slash + 1) : id;
}

/** Counts `events` per node over the node's local day of `now`; every node gets an entry. */
export function countToday(nodes: readonly Pick<NetworkNode, "id" | "timezone" | "shopifyLocationId">[], events: readonly NodeOrderEvent[], now: number): TodayCount {
  const byNode: Record<string, NodeDayCount> = {};
  const today = new Map<string, { day: number; clock: ReturnType<typeof clockFor> }>();
  const byLocation = new Map<string, string>();
  for (const n of nodes) {
    const clock = clockFor(n.timezone);
    today.set(n.id, { day: clock.local(now).day, clock });
    byNode[n.id] = { orders: 0, madeUnits: 0, bySource: { SHOPIFY: 0, NEARHUB: 0 } };
    if (n.shopifyLocationId) byLocation.set(bareId(n.shopifyLocationId), n.id);
  }
  for (const e of events) {
    if (e.at > now) continue;
    const id = e.nodeId ?? (e.locationId ? byLocation.get(bareId(e.locationId)) : undefined);
    const t = id === undefined ? undefined : today.get(id);
    if (!t || t.clock.local(e.at).day !== t.day) continue;
    const c = byNode[id!];
    c.orders++;
    c.bySource[e.source]++;
    c.madeUnits += Math.max(0, e.madeUnits);
  }
  return { countedAt: now, byNode };
}
