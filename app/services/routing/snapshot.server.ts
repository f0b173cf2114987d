// The shop's network prepared for routing: the quote service's snapshot loader
// (quote-snapshot.server.ts: nodes, products, stock, shipping config → prepareNetwork), then
// core/routing's prepareRouting with the shop's routing settings.
//
// Routing wants today's stock, so it always loads (or joins a load already running); the load
// also refreshes the checkout cache. The prepared routing network is memoised per snapshot and
// settings, so a burst of orders within one load prepares it once.
import type { RoutingNetwork } from "~/core/routing";
import { prepareRouting } from "~/core/routing";
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
