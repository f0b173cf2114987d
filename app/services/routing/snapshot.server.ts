// The shop's network prepared for routing: the quote service's snapshot loader
// (quote-snapshot.server.ts: nodes, products, stock, shipping config → prepareNetwork), then
// core/routing's prepareRouting with the shop's routing settings.
//
// Routing wants today's stock, so it always loads (or joins a load already running); the load
// also refreshes the checkout cache. The prepared routing network is memoised per snapshot and
// settings, so a burst of orders within one load prepares it once.
import { z } from "zod";
import { db } from "~/db.server";
import type { RoutingNetwork } from "~/core/routing";
import { applyCommitments, availabilityAt, prepareRouting, type Commitment, type HeldStock } from "~/core/routing";
import { loadSnapshot, UNKNOWN_PRODUCT_ID, variantKey, type QuoteSnapshot } from "../quote-snapshot.server";
import { getRoutingSettings, type ShopRouting } from "../routing-settings.server";
import { findInBatches } from "../batch.server";

export interface RoutingSnapshot {
  snap: QuoteSnapshot;
  net: RoutingNetwork;
  settings: ShopRouting;
}

export class RoutingUnavailableError extends Error {}

const prepared = new WeakMap<QuoteSnapshot, { key: string; net: RoutingNetwork }>();

export async function loadRoutingNetwork(shop: { id: string; currency: string }): Promise<RoutingSnapshot> {
  const [loaded, settings] = await Promise.all([loadSnapshot(shop), getRoutingSettings(shop.id)]);
  if (!loaded.ok) throw new RoutingUnavailableError(`the shop's network could not be loaded: ${loaded.failure.error}`);
  const snap = loaded.snapshot;
  const key = JSON.stringify(settings.config);
  const memo = prepared.get(snap);
  if (memo && memo.key === key) return { snap, net: memo.net, settings };
  const net = prepareRouting(snap.net, settings.config);
  prepared.set(snap, { key, net });
  return { snap, net, settings };
}

/**
 * The product id the core routes for a line: matched by variant id, then SKU. A line the shop
 * does not know keeps a recognisable id ("sku:<SKU>") so the core reports it as unknown.
 */
export function productIdFor(snap: Pick<QuoteSnapshot, "bySku" | "byVariant">, line: { sku?: string | null; variantId?: string | null }): string | null {
  const sku = line.sku?.trim() || null;
  const byVariant = line.variantId ? snap.byVariant.get(variantKey(line.variantId)) : undefined;
  const product = byVariant ?? (sku ? snap.bySku.get(sku) : undefined);
  if (product && product.id !== UNKNOWN_PRODUCT_ID) return product.id;
  return null;
}

/** Decisions whose order ships from the nodes Nearhub chose: moved there, or already there. */
const SHIPS_AS_DECIDED = ["MOVED", "MOVING", "PARTIAL", "KEPT"];
/**
 * How far back decisions are read: a node's local today (capacity, making) and a day of sales that
 * Shopify's inventory webhook should long have reflected. A sale it still does not show after a
 * day means inventory updates are not arriving; holding the stock longer would only hide that.
 */
export const HELD_WINDOW_MS = 26 * 60 * 60_000;

const shipmentsColumn = z.object({
  shipments: z
    .array(
      z.object({
        nodeId: z.string().nullish(),
        lines: z.array(z.object({ productId: z.string().nullish(), quantity: z.number(), madeUnits: z.number().nullish() })).default([]),
      }),
    )
    .default([]),
});

function commitmentsOfRow(at: number, assignmentJson: string): Commitment[] {
  let parsed: z.infer<typeof shipmentsColumn>;
  try {
    parsed = shipmentsColumn.parse(JSON.parse(assignmentJson));
  } catch {
    return []; // an unreadable row holds nothing (the admin shows it as unreadable)
  }
  return parsed.shipments.flatMap((s) =>
    s.nodeId
      ? [{ at, nodeId: s.nodeId, lines: s.lines.flatMap((l) => (l.productId ? [{ productId: l.productId, units: l.quantity - (l.madeUnits ?? 0), madeUnits: l.madeUnits ?? 0 }] : [])) }]
      : [],
  );
}

/**
 * Each shop's recent decisions, parsed once: a stored assignment never changes, so a webhook reads
 * only the ids and times in the window and parses the rows it has not seen (a busy shop decides
 * hundreds of orders a day, each row a few kilobytes of explanation).
 */
const parsedByShop = new Map<string, Map<string, Commitment[]>>();

/**
 * What the network can give an order decided now: the stock table and today's capacity, less what
 * the shop's earlier automatic decisions hold (core/routing/commitments.ts): their units at the
 * chosen nodes while the stock level predates them, and today's orders and made units per node.
 */
export async function availabilityNow(rs: RoutingSnapshot, shopId: string, now: number): Promise<{ availability: Float64Array; held: HeldStock[] }> {
  const [levels, recent] = await Promise.all([
    db.stockLevel.findMany({ where: { shopId }, select: { nodeId: true, productId: true, updatedAt: true } }),
    db.routingDecision.findMany({
      where: { shopId, mode: "AUTO", status: { in: SHIPS_AS_DECIDED }, createdAt: { gte: new Date(now - HELD_WINDOW_MS), lte: new Date(now) } },
      select: { id: true, createdAt: true },
    }),
  ]);
  const known = parsedByShop.get(shopId) ?? new Map<string, Commitment[]>();
  const unseen = recent.filter((d) => !known.has(d.id));
  if (unseen.length > 0) {
    // A busy shop decides more orders in the window than one statement can list (batch.server.ts).
    const rows = await findInBatches(
      unseen.map((d) => d.id),
      (batch) => db.routingDecision.findMany({ where: { shopId, id: { in: batch } }, select: { id: true, createdAt: true, assignmentJson: true } }),
    );
    for (const r of rows) known.set(r.id, commitmentsOfRow(r.createdAt.getTime(), r.assignmentJson));
  }
  // Keep only the window's decisions (older ones, and those that since failed, are let go).
  const current = new Map(recent.map((d) => [d.id, known.get(d.id) ?? []]));
  parsedByShop.set(shopId, current);

  const asOf = new Map(levels.map((l) => [`${l.nodeId}|${l.productId}`, l.updatedAt.getTime()]));
  const availability = availabilityAt(rs.net, now);
  const held = applyCommitments(rs.net, availability, [...current.values()].flat(), { now, stockAsOf: (n, p) => asOf.get(`${n}|${p}`) ?? null });
  return { availability, held };
}

/** Orders the shop's automatic decisions sent to each node on its local today (node id → count). */
export async function ordersRoutedToday(shop: { id: string; currency: string }, now = Date.now()): Promise<Map<string, number>> {
  const rs = await loadRoutingNetwork(shop);
  const { availability } = await availabilityNow(rs, shop.id, now);
  const before = availabilityAt(rs.net, now);
  const { capacityBase } = rs.net.resources;
  return new Map(rs.net.nodes.map((n) => [n.node.id, before[capacityBase + n.index] - availability[capacityBase + n.index]]));
}
