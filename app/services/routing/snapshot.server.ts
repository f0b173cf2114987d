// The shop's network prepared for routing: the quote service's snapshot loader
// (quote-snapshot.server.ts: nodes, products, stock, shipping config → prepareNetwork), then
// core/routing's prepareRouting with the shop's routing settings.
//
// Routing wants today's stock, so it always loads (or joins a load already running); the load
// also refreshes the checkout cache. The prepared routing network is memoised per snapshot and
// settings, so a burst of orders within one load prepares it once.
import { db } from "~/db.server";
import type { RoutingNetwork } from "~/core/routing";
import { applyCommitments, availabilityAt, prepareRouting, type HeldStock } from "~/core/routing";
import { commitmentsOf, recentDecisions } from "../node-day.server";
import { loadSnapshot, UNKNOWN_PRODUCT_ID, variantKey, type QuoteSnapshot } from "../quote-snapshot.server";
import { getRoutingSettings, type ShopRouting } from "../routing-settings.server";

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

/**
 * What the network can give an order decided now: the stock table and today's capacity (daily
 * capacity less the orders taken today, counted with the snapshot: node-day.server.ts), less what
 * the shop's earlier automatic decisions hold (core/routing/commitments.ts): their units at the
 * chosen nodes while the stock level predates them, and the orders and made units of decisions
 * made since the snapshot counted the day.
 */
export async function availabilityNow(rs: RoutingSnapshot, shopId: string, now: number): Promise<{ availability: Float64Array; held: HeldStock[] }> {
  const [levels, decisions] = await Promise.all([
    db.stockLevel.findMany({ where: { shopId }, select: { nodeId: true, productId: true, updatedAt: true } }),
    recentDecisions(shopId, now),
  ]);
  const asOf = new Map(levels.map((l) => [`${l.nodeId}|${l.productId}`, l.updatedAt.getTime()]));
  const availability = availabilityAt(rs.net, now);
  const held = applyCommitments(rs.net, availability, commitmentsOf(decisions), { now, stockAsOf: (n, p) => asOf.get(`${n}|${p}`) ?? null });
  return { availability, held };
}
