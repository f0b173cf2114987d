// Demo routing log: the demo shop's latest orders, decided by the routing service exactly as the
// fulfillment_orders/order_routing_complete webhook decides them (routeShopifyOrder), so every row,
// explanation and move in the log is the service's own work.
//
// The demo has no Shopify store behind it, so `demoStore` stands in for the two Admin API calls the
// service makes, answering in Shopify's documented shapes:
//  - the order query: the demo order with its shipping line (the option the shopper picked from the
//    quote service's checkout offers at the order's time) and one open fulfillment order per location
//    Shopify's own default rule would use (core routeShopifyDefault: fewest locations, then closest
//    with stock), which is where the order sits until Nearhub moves it;
//  - fulfillmentOrderMove: moved; or, for one move, refused with Shopify's userError, as happens when
//    a location does not stock the item in Shopify although Nearhub's stock table says it does.
// The first half of the orders are decided in "suggest only" mode, then the merchant switches to
// automatic moves (the shop's routing settings end in AUTO).
import type { Prisma, PrismaClient } from "@prisma/client";
import { routeShopifyDefault } from "../../app/core/routing";
import type { AdminGraphql } from "../../app/services/shopify-admin.server";
import { checkoutOffers, type CheckoutOffer } from "../../app/core/quoting";
import { invalidateQuoteCache, quoteForShop } from "../../app/services/quotes.server";
import { saveRoutingSettings } from "../../app/services/routing-settings.server";
import { unknownProductId } from "../../app/services/routing/decide.server";
import { routeShopifyOrder } from "../../app/services/routing/execute.server";
import { MOVE_MUTATION, ORDER_QUERY } from "../../app/services/routing/shopify.server";
import { loadRoutingNetwork, productIdFor } from "../../app/services/routing/snapshot.server";
import { DAY_WINDOW_MS } from "../../app/services/node-day.server";
import { substream, type Rng } from "./random";

export const DEMO_ROUTED_ORDERS = 40;
/** Shopify's answer when the destination location does not stock the item. */
export const DEMO_REFUSAL = "Destination location doesn't stock the requested inventory item.";
/** Which move of the automatic half Shopify refuses (1-based). */
const REFUSED_MOVE = 3;
const MINUTE = 60_000;

interface DemoFulfillmentOrder {
  id: string;
  locationId: string;
  lines: { id: string; sku: string; quantity: number }[];
}

interface DemoOrder {
  gid: string;
  name: string;
  placedAt: Date;
  address: { latitude: number; longitude: number; zip: string; countryCodeV2: string; provinceCode: string | null; city: string };
  shippingLine: { code: string; title: string };
  fulfillmentOrders: DemoFulfillmentOrder[];
}

/** The Admin API as the routing service sees it, answered from the demo's orders. */
function demoStore(orders: Map<string, DemoOrder>, refuse: (call: number) => boolean): AdminGraphql {
  let moves = 0;
  const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
  const foNode = (id: string, locationId: string) => ({ id, status: "OPEN", assignedLocation: { location: { id: locationId } } });
  return {
    async graphql(query, options) {
      const v = options?.variables ?? {};
      if (query === ORDER_QUERY) {
        const o = orders.get(String(v.id));
        if (!o) return json({ data: { order: null } });
        return json({
          data: {
            order: {
              id: o.gid,
              name: o.name,
              createdAt: o.placedAt.toISOString(),
              closed: false,
              cancelledAt: null,
              shippingAddress: o.address,
              shippingLines: { nodes: [{ code: o.shippingLine.code, source: "nearhub", title: o.shippingLine.title }] },
              fulfillmentOrders: {
                nodes: o.fulfillmentOrders.map((fo) => ({
                  ...foNode(fo.id, fo.locationId),
                  requestStatus: "UNSUBMITTED",
                  supportedActions: [{ action: "MOVE" }, { action: "HOLD" }],
                  lineItems: {
                    nodes: fo.lines.map((l) => ({
                      id: l.id,
                      remainingQuantity: l.quantity,
                      totalQuantity: l.quantity,
                      lineItem: { id: l.id.replace("FulfillmentOrderLineItem", "LineItem"), sku: l.sku, variant: null },
                    })),
                  },
                })),
              },
            },
          },
        });
      }
      if (query === MOVE_MUTATION) {
        const id = String(v.id);
        const to = String(v.newLocationId);
        const original = foNode(id, to);
        if (refuse(++moves)) {
          return json({ data: { fulfillmentOrderMove: { movedFulfillmentOrder: null, originalFulfillmentOrder: original, userErrors: [{ field: ["newLocationId"], message: DEMO_REFUSAL }] } } });
        }
        // A whole fulfillment order moves as itself; part of one moves into a new fulfillment order.
        const moved = v.fulfillmentOrderLineItems ? `${id}0${moves}` : id;
        return json({ data: { fulfillmentOrderMove: { movedFulfillmentOrder: foNode(moved, to), originalFulfillmentOrder: original, userErrors: [] } } });
      }
      return json({ errors: [{ message: "the demo store answers only the routing service's order query and fulfillmentOrderMove" }] });
    },
  };
}

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
  const destination = { country: row.destCountry!, postalCode: row.destPostalCode, latitude: row.destLatitude, longitude: row.destLongitude };
  // Shopify's default rule (core routeShopifyDefault: fewest locations, then the closest with stock).
  const shopify = routeShopifyDefault(
    rs.net,
    [{ id: gid, placedAt: row.placedAt.getTime(), destination, lines: lines.map((l) => ({ id: l.id, productId: productIdFor(rs.snap, { sku: l.sku }) ?? unknownProductId(l.sku), quantity: l.quantity })) }],
    { now: row.placedAt.getTime() },
  ).decisions[0];
  return { number, gid, lines, destination, shopify };
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
  const locationOf = new Map(rs.snap.net.costing.snapshot.nodes.map((n) => [n.id, n.shopifyLocationId]));
  const fallbackLocation = rs.snap.net.costing.snapshot.nodes.find((n) => n.kind === "CENTRAL_WAREHOUSE" && n.shopifyLocationId)?.shopifyLocationId;
  const orders = new Map<string, DemoOrder>();
  for (const [i, row] of rows.entries()) {
    // Where Shopify's default rule puts the order before Nearhub looks at it.
    const { number, gid, lines, destination, shopify } = placements.get(row.id) ?? shopifyPlacement(rs, row, i + 1);
    const quote = await quoteForShop(shop, { lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPriceMinor: l.priceMinor })), destination }, { source: "SIMULATOR", now: row.placedAt, log: false });
    const offer = shopperPick(checkoutOffers(quote, row.placedAt.getTime()), rng);
    const fulfillmentOrders: DemoFulfillmentOrder[] = [];
    const placed = new Set<string>();
    for (const s of shopify.shipments) {
      const locationId = locationOf.get(s.nodeId) ?? fallbackLocation;
      if (!locationId) continue;
      const foLines = lines.filter((l) => s.lines.some((sl) => sl.lineId === l.id));
      foLines.forEach((l) => placed.add(l.id));
      fulfillmentOrders.push({ id: `gid://shopify/FulfillmentOrder/${(5_900_000_000 + number) * 10 + fulfillmentOrders.length}`, locationId, lines: foLines });
    }
    const unplaced = lines.filter((l) => !placed.has(l.id));
    if (unplaced.length > 0 && fallbackLocation) {
      fulfillmentOrders.push({ id: `gid://shopify/FulfillmentOrder/${(5_900_000_000 + number) * 10 + fulfillmentOrders.length}`, locationId: fallbackLocation, lines: unplaced });
    }
    await db.order.update({ where: { id: row.id }, data: { shopifyOrderId: gid } });
    orders.set(gid, {
      gid,
      name: row.name,
      placedAt: row.placedAt,
      address: { latitude: row.destLatitude!, longitude: row.destLongitude!, zip: row.destPostalCode!, countryCodeV2: row.destCountry!, provinceCode: row.destProvince, city: row.destCity! },
      shippingLine: offer ? { code: offer.serviceCode, title: offer.serviceName } : { code: "Standard", title: "Standard" },
      fulfillmentOrders,
    });
  }

  const half = Math.ceil(orders.size / 2);
  let automatic = 0;
  const store = demoStore(orders, (call) => call === REFUSED_MOVE);
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
