// Demo routing log: the demo shop's latest orders, decided by the routing service exactly as the
// fulfillment_orders/order_routing_complete webhook decides them (routeShopifyOrder), so every row,
// explanation and move in the log is the service's own work.
//
// The demo has no Shopify store behind it: the demo store (app/services/routing/demo-store.server.ts,
// the same stand-in the demo server's routing job uses for an orders/create sent to it) answers the
// two Admin API calls the service makes, in Shopify's documented shapes: the order query (each demo
// order with the shipping line the shopper picked from the quote service's checkout offers at the
// order's time, at the locations Shopify's own default rule would use) and fulfillmentOrderMove
// (moved; or, for one move, refused with Shopify's userError, as happens when a location does not
// stock the item in Shopify although Nearhub's stock table says it does).
// The first half of the orders are decided in "suggest only" mode, then the merchant switches to
// automatic moves (the shop's routing settings end in AUTO).
import type { Prisma, PrismaClient } from "@prisma/client";
import { checkoutOffers, type CheckoutOffer } from "../../app/core/quoting";
import { invalidateQuoteCache, quoteForShop } from "../../app/services/quotes.server";
import { saveRoutingSettings } from "../../app/services/routing-settings.server";
import { defaultFulfillmentOrders, demoStore, type DemoOrder } from "../../app/services/routing/demo-store.server";
import { routeShopifyOrder } from "../../app/services/routing/execute.server";
import { loadRoutingNetwork } from "../../app/services/routing/snapshot.server";
import { DAY_WINDOW_MS } from "../../app/services/node-day.server";
import { substream, type Rng } from "./random";

export const DEMO_ROUTED_ORDERS = 40;
/** Shopify's answer when the destination location does not stock the item. */
export const DEMO_REFUSAL = "Destination location doesn't stock the requested inventory item.";
/** Which move of the automatic half Shopify refuses (1-based). */
const REFUSED_MOVE = 3;
const MINUTE = 60_000;

/** The option a shopper picks: usually the cheapest, often the fastest, sometimes another. */
function shopperPick(offers: CheckoutOffer[], rng: Rng): CheckoutOffer | null {
  if (offers.length === 0) return null;
  const roll = rng.next();
  if (roll < 0.5) return offers.reduce((a, b) => (b.priceMinor < a.priceMinor ? b : a));
  if (roll < 0.8) return offers.reduce((a, b) => (b.latestMs < a.latestMs ? b : a));
  return offers[Math.floor(rng.next() * offers.length)];
}

type OrderRow = Prisma.OrderGetPayload<{ include: { lines: { include: { product: { select: { sku: true } } } } } }>;
type RoutingSnapshot = Awaited<ReturnType<typeof loadRoutingNetwork>>;

/** A demo order as Shopify would have it (its gid, fulfillment order line gids) and where Shopify's default rule puts it. */
function shopifyPlacement(rs: RoutingSnapshot, row: OrderRow, fallbackNumber: number) {
  const number = Number(row.name.replace(/\D/g, "")) || fallbackNumber;
  const gid = `gid://shopify/Order/${5_900_000_000 + number}`;
  const lines = row.lines.map((l, k) => ({ id: `gid://shopify/FulfillmentOrderLineItem/${(5_900_000_000 + number) * 100 + k}`, sku: l.product!.sku, quantity: l.quantity, priceMinor: l.priceMinor }));
  // The demo's orders all have an address with coordinates and products Nearhub knows (the seed writes them).
  const destination = { country: row.destCountry!, postalCode: row.destPostalCode!, latitude: row.destLatitude!, longitude: row.destLongitude! };
  // Where Shopify's default rule puts it (core routeShopifyDefault: fewest locations, then the closest with stock).
  const { fulfillmentOrders, shopify } = defaultFulfillmentOrders(rs, { gid, placedAt: row.placedAt.getTime(), destination, lines }, (k) => `gid://shopify/FulfillmentOrder/${(5_900_000_000 + number) * 10 + k}`);
  return { number, gid, lines, destination, shopify, fulfillmentOrders };
}

/**
 * Where Shopify sent each order of the last day (Order.nodeId), so every node's day counts the
 * orders it took (node-day.server.ts) as on a real shop: about 120 a day across the network.
 */
async function placeRecentOrders(db: PrismaClient, rs: RoutingSnapshot, shopId: string, now: Date): Promise<Map<string, ReturnType<typeof shopifyPlacement>>> {
  const rows = await db.order.findMany({
    where: { shopId, placedAt: { gte: new Date(now.getTime() - DAY_WINDOW_MS), lte: now } },
    orderBy: [{ placedAt: "asc" }, { id: "asc" }],
    include: { lines: { include: { product: { select: { sku: true } } } } },
  });
  const placements = new Map<string, ReturnType<typeof shopifyPlacement>>();
  const byNode = new Map<string, string[]>();
  rows.forEach((row, i) => {
    const p = shopifyPlacement(rs, row, i + 1);
    placements.set(row.id, p);
    const nodeId = p.shopify.shipments[0]?.nodeId;
    if (nodeId) byNode.set(nodeId, [...(byNode.get(nodeId) ?? []), row.id]);
  });
  for (const [nodeId, ids] of byNode) await db.order.updateMany({ where: { shopId, id: { in: ids } }, data: { nodeId } });
  return placements;
}

export interface SeedDemoRoutingResult {
  decisions: number;
  byStatus: Record<string, number>;
}

export async function seedDemoRouting(db: PrismaClient, opts: { shopId: string; now: Date; seed?: number }): Promise<SeedDemoRoutingResult> {
  const rng = substream(opts.seed ?? 1001, "routing");
  const shop = await db.shop.findUniqueOrThrow({ where: { id: opts.shopId }, select: { id: true, domain: true, currency: true } });
  const rows = await db.order.findMany({
    where: { shopId: shop.id, placedAt: { lte: opts.now } },
    orderBy: [{ placedAt: "desc" }, { id: "desc" }],
    take: DEMO_ROUTED_ORDERS,
    include: { lines: { include: { product: { select: { sku: true } } } } },
  });
  rows.reverse();
  if (rows.length === 0) return { decisions: 0, byStatus: {} };

  invalidateQuoteCache(shop.id); // the network was just (re)written: no snapshot of an earlier seed
  const rs = await loadRoutingNetwork(shop);
  const placements = await placeRecentOrders(db, rs, shop.id, opts.now);
  const orders = new Map<string, DemoOrder>();
  for (const [i, row] of rows.entries()) {
    // Where Shopify's default rule puts the order before Nearhub looks at it.
    const { gid, lines, destination, fulfillmentOrders } = placements.get(row.id) ?? shopifyPlacement(rs, row, i + 1);
    const quote = await quoteForShop(shop, { lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPriceMinor: l.priceMinor })), destination }, { source: "SIMULATOR", now: row.placedAt, log: false });
    const offer = shopperPick(checkoutOffers(quote, row.placedAt.getTime()), rng);
    await db.order.update({ where: { id: row.id }, data: { shopifyOrderId: gid } });
    orders.set(gid, {
      gid,
      name: row.name,
      placedAt: row.placedAt,
      address: { latitude: row.destLatitude!, longitude: row.destLongitude!, zip: row.destPostalCode!, countryCodeV2: row.destCountry!, provinceCode: row.destProvince, city: row.destCity! },
      shippingLines: [offer ? { code: offer.serviceCode, title: offer.serviceName, source: "nearhub" } : { code: "Standard", title: "Standard", source: "nearhub" }],
      fulfillmentOrders,
    });
  }

  const half = Math.ceil(orders.size / 2);
  let automatic = 0;
  const store = demoStore(orders, { refuse: (move) => move === REFUSED_MOVE, refusal: DEMO_REFUSAL });
  const byStatus: Record<string, number> = {};
  for (const [i, o] of [...orders.values()].entries()) {
    const mode = i < half ? "SUGGEST" : "AUTO";
    if (i === 0 || i === half) await saveRoutingSettings(shop.id, { mode, splitPenaltyMinor: 300, config: {} });
    if (mode === "AUTO") automatic++;
    const decidedAt = o.placedAt.getTime() + 2 * MINUTE;
    const outcome = await routeShopifyOrder(shop, store, { orderGid: o.gid }, { source: "WEBHOOK", now: () => decidedAt, call: { sleep: async () => {} } });
    if (!outcome.decisionId) throw new Error(`demo routing: ${o.name} was not decided (${outcome.outcome})`);
    // The log lists decisions by when they were made: the order's time, not the seed's.
    await db.routingDecision.update({ where: { id: outcome.decisionId }, data: { createdAt: new Date(decidedAt) } });
    byStatus[outcome.status ?? "NONE"] = (byStatus[outcome.status ?? "NONE"] ?? 0) + 1;
  }
  if (automatic === 0) await saveRoutingSettings(shop.id, { mode: "AUTO", splitPenaltyMinor: 300, config: {} });
  return { decisions: orders.size, byStatus };
}
