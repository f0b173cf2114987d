// The demo's stand-in for the Admin API (demo mode has no Shopify store behind it). It answers the
// calls the routing service makes, in Shopify's documented shapes, so the demo's orders are routed by
// the service itself (routeShopifyOrder), exactly as a store's are:
//  - the order query (NearhubRoutingOrder): the order with its shipping lines and one open
//    fulfillment order per location Shopify's own default rule would use (core routeShopifyDefault:
//    fewest locations, then closest with stock; lines no node stocks at the central warehouse), which
//    is where an order sits until Nearhub moves it;
//  - the fulfillment order query (NearhubRoutingFulfillmentOrder): the order holding it;
//  - fulfillmentOrderMove: moved; or refused with Shopify's userError when `refuse` says so (the seed
//    refuses one move on purpose, as happens when a location does not stock the item in Shopify);
//  - anything else: a GraphQL error saying the demo store does not answer it.
// Used by the seed (prisma/seed/demo-routing.ts: the routing log's 40 orders) and, in demo mode, by the
// routing job for an orders/create sent to the demo (order-job.server.ts): there the order is the one
// the signed body describes (demoOrderOf), carried in the job's payload, since no Shopify holds it.
import { z } from "zod";
import { db } from "~/db.server";
import { routeShopifyDefault } from "~/core/routing";
import { geocode } from "../geocode.server";
import type { AdminGraphql } from "../shopify-admin.server";
import { unknownProductId } from "./decide.server";
import { FULFILLMENT_ORDER_QUERY, MOVE_MUTATION, ORDER_QUERY } from "./shopify.server";
import { loadRoutingNetwork, productIdFor, type RoutingSnapshot } from "./snapshot.server";

export interface DemoFulfillmentOrder {
  id: string;
  locationId: string;
  lines: { id: string; sku: string; quantity: number }[];
}

export interface DemoOrder {
  gid: string;
  name: string;
  placedAt: Date;
  address: { latitude: number | null; longitude: number | null; zip: string | null; countryCodeV2: string; provinceCode: string | null; city: string | null } | null;
  shippingLines: { code: string | null; title: string; source: string }[];
  fulfillmentOrders: DemoFulfillmentOrder[];
}

/** The Admin API as the routing service sees it, answered from `orders`. */
export function demoStore(orders: ReadonlyMap<string, DemoOrder>, opts: { refuse?: (move: number) => boolean; refusal?: string } = {}): AdminGraphql {
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
              shippingLines: { nodes: o.shippingLines },
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
      if (query === FULFILLMENT_ORDER_QUERY) {
        // fulfillment_orders/order_routing_complete names only the fulfillment order: its order.
        const id = String(v.id);
        const o = [...orders.values()].find((x) => x.fulfillmentOrders.some((fo) => fo.id === id));
        return json({ data: { fulfillmentOrder: o ? { id, status: "OPEN", order: { id: o.gid } } : null } });
      }
      if (query === MOVE_MUTATION) {
        const id = String(v.id);
        const to = String(v.newLocationId);
        const original = foNode(id, to);
        if (opts.refuse?.(++moves)) {
          const message = opts.refusal ?? "Destination location doesn't stock the requested inventory item.";
          return json({ data: { fulfillmentOrderMove: { movedFulfillmentOrder: null, originalFulfillmentOrder: original, userErrors: [{ field: ["newLocationId"], message }] } } });
        }
        // A whole fulfillment order moves as itself; part of one moves into a new fulfillment order.
        const moved = v.fulfillmentOrderLineItems ? `${id}0${moves}` : id;
        return json({ data: { fulfillmentOrderMove: { movedFulfillmentOrder: foNode(moved, to), originalFulfillmentOrder: original, userErrors: [] } } });
      }
      return json({ errors: [{ message: "the demo store answers only the routing service's order query and fulfillmentOrderMove" }] });
    },
  };
}

/**
 * Where Shopify's default rule puts an order's lines: one fulfillment order per location it uses
 * (a node without a Shopify location, or lines no node can ship, go to the central warehouse's).
 */
export function defaultFulfillmentOrders(
  rs: RoutingSnapshot,
  order: { gid: string; placedAt: number; destination: Parameters<typeof routeShopifyDefault>[1][number]["destination"]; lines: { id: string; sku: string; quantity: number }[] },
  foId: (index: number) => string,
): { fulfillmentOrders: DemoFulfillmentOrder[]; shopify: ReturnType<typeof routeShopifyDefault>["decisions"][number] } {
  const shopify = routeShopifyDefault(
    rs.net,
    [{ id: order.gid, placedAt: order.placedAt, destination: order.destination, lines: order.lines.map((l) => ({ id: l.id, productId: productIdFor(rs.snap, { sku: l.sku }) ?? unknownProductId(l.sku), quantity: l.quantity })) }],
    { now: order.placedAt },
  ).decisions[0];
  const nodes = rs.snap.net.costing.snapshot.nodes;
  const locationOf = new Map(nodes.map((n) => [n.id, n.shopifyLocationId]));
  const fallback = nodes.find((n) => n.kind === "CENTRAL_WAREHOUSE" && n.shopifyLocationId)?.shopifyLocationId ?? nodes.find((n) => n.shopifyLocationId)?.shopifyLocationId;
  const fulfillmentOrders: DemoFulfillmentOrder[] = [];
  const placed = new Set<string>();
  for (const s of shopify.shipments) {
    const locationId = locationOf.get(s.nodeId) ?? fallback;
    if (!locationId) continue;
    const lines = order.lines.filter((l) => s.lines.some((sl) => sl.lineId === l.id));
    lines.forEach((l) => placed.add(l.id));
    fulfillmentOrders.push({ id: foId(fulfillmentOrders.length), locationId, lines });
  }
  const unplaced = order.lines.filter((l) => !placed.has(l.id));
  if (unplaced.length > 0 && fallback) fulfillmentOrders.push({ id: foId(fulfillmentOrders.length), locationId: fallback, lines: unplaced });
  return { fulfillmentOrders, shopify };
}

// ---------------------------------------------------------------------------------------------
// An orders/create sent to the demo

const gidOrNumber = z.union([z.string().min(1), z.number()]);
const numericPart = (id: string | number) => String(id).split("/").pop()!;

/**
 * What the demo store keeps of a signed orders/create body: the order as routing reads it (where it
 * goes, what it holds, the service the shopper chose), no names, emails or street lines. It travels
 * in the routing job's payload.
 */
export const demoOrderSchema = z.object({
  gid: z.string(),
  name: z.string(),
  createdAt: z.string().nullable(),
  address: z
    .object({ latitude: z.number().nullable(), longitude: z.number().nullable(), zip: z.string().nullable(), countryCode: z.string(), provinceCode: z.string().nullable(), city: z.string().nullable() })
    .nullable(),
  shippingLines: z.array(z.object({ code: z.string().nullable(), title: z.string(), source: z.string() })),
  lines: z.array(z.object({ id: z.string(), sku: z.string(), quantity: z.number().int() })),
});
export type DemoOrderBody = z.infer<typeof demoOrderSchema>;

const bodySchema = z
  .object({
    id: gidOrNumber,
    admin_graphql_api_id: z.string().nullish(),
    name: z.string().nullish(),
    // The webhook's parsed payload (orders/map.server.ts has made created_at a Date) or a raw body.
    created_at: z.union([z.string(), z.date().transform((d) => d.toISOString())]).nullish(),
    shipping_address: z
      .object({
        latitude: z.number().nullish(),
        longitude: z.number().nullish(),
        zip: z.string().nullish(),
        country_code: z.string().nullish(),
        province_code: z.string().nullish(),
        city: z.string().nullish(),
      })
      .nullish(),
    shipping_lines: z.array(z.object({ code: z.string().nullish(), title: z.string().nullish(), source: z.string().nullish() }).passthrough()).nullish(),
    line_items: z
      .array(
        z
          .object({ id: gidOrNumber, admin_graphql_api_id: z.string().nullish(), sku: z.string().nullish(), quantity: z.number().int().nullish(), requires_shipping: z.boolean().nullish() })
          .passthrough(),
      )
      .nullish(),
  })
  .passthrough();

/** The demo store's copy of the order an orders/create body describes (what parses of it; the rest is left out). */
export function demoOrderOf(payload: unknown, orderGid: string): DemoOrderBody {
  const parsed = bodySchema.safeParse(payload);
  const p = parsed.success ? parsed.data : null;
  const a = p?.shipping_address ?? null;
  return {
    gid: orderGid,
    name: p?.name ?? `#${numericPart(orderGid)}`,
    createdAt: p?.created_at ?? null,
    address: a
      ? { latitude: a.latitude ?? null, longitude: a.longitude ?? null, zip: a.zip ?? null, countryCode: a.country_code ?? "US", provinceCode: a.province_code ?? null, city: a.city ?? null }
      : null,
    shippingLines: (p?.shipping_lines ?? []).map((l) => ({ code: l.code ?? null, title: l.title ?? "", source: l.source ?? "shopify" })),
    // Only what is shipped has a fulfillment order; ids from admin_graphql_api_id (a REST id past 2^53 lost digits in JSON).
    lines: (p?.line_items ?? [])
      .filter((l) => l.requires_shipping !== false && (l.quantity ?? 1) > 0)
      .map((l) => ({ id: `gid://shopify/FulfillmentOrderLineItem/${numericPart(l.admin_graphql_api_id ?? l.id)}`, sku: l.sku ?? "", quantity: l.quantity ?? 1 })),
  };
}

/** The demo store holding the one order of an orders/create, placed where Shopify's default rule puts it. */
export async function demoStoreForOrder(shop: { id: string; currency: string }, body: DemoOrderBody, now: number): Promise<AdminGraphql> {
  const rs = await loadRoutingNetwork(shop);
  const a = body.address;
  const placedAt = body.createdAt && Number.isFinite(Date.parse(body.createdAt)) ? Math.min(Date.parse(body.createdAt), now) : now;
  const geo = geocode({ country: a?.countryCode ?? "US", postalCode: a?.zip ?? null, latitude: a?.latitude ?? null, longitude: a?.longitude ?? null });
  const n = numericPart(body.gid);
  const { fulfillmentOrders } = defaultFulfillmentOrders(rs, { gid: body.gid, placedAt, destination: geo.destination, lines: body.lines }, (k) => `gid://shopify/FulfillmentOrder/${n}${k}`);
  const order: DemoOrder = {
    gid: body.gid,
    name: body.name,
    placedAt: new Date(placedAt),
    address: a ? { latitude: a.latitude, longitude: a.longitude, zip: a.zip, countryCodeV2: a.countryCode, provinceCode: a.provinceCode, city: a.city } : null,
    shippingLines: body.shippingLines,
    fulfillmentOrders,
  };
  return demoStore(new Map([[order.gid, order]]));
}

/**
 * A fulfillment_orders/order_routing_complete sent to the demo names only a fulfillment order: the
 * demo store's fulfillment orders of order N are N0, N1, … (demoStoreForOrder), so its order is the
 * one orders/create stored (Order, OrderLine), read back as the demo store's copy. Null when none is.
 */
export async function demoOrderOfFulfillmentOrder(shopId: string, fulfillmentOrderGid: string): Promise<DemoOrderBody | null> {
  const digits = numericPart(fulfillmentOrderGid);
  const gids = [1, 2].filter((k) => digits.length > k).map((k) => `gid://shopify/Order/${digits.slice(0, -k)}`);
  if (gids.length === 0) return null;
  const found = await db.order.findMany({ where: { shopId, shopifyOrderId: { in: gids } }, include: { lines: true } });
  const o = gids.map((g) => found.find((f) => f.shopifyOrderId === g)).find((f) => f !== undefined);
  if (!o || !o.shopifyOrderId) return null;
  return {
    gid: o.shopifyOrderId,
    name: o.name,
    createdAt: o.placedAt.toISOString(),
    address: o.destCountry
      ? { latitude: o.destLatitude, longitude: o.destLongitude, zip: o.destPostalCode, countryCode: o.destCountry, provinceCode: o.destProvince, city: o.destCity }
      : null,
    shippingLines: o.shippingCode || o.shippingTitle ? [{ code: o.shippingCode, title: o.shippingTitle ?? "", source: "shopify" }] : [],
    lines: o.lines
      .filter((l) => l.quantity > 0)
      .map((l) => ({ id: `gid://shopify/FulfillmentOrderLineItem/${numericPart(l.shopifyLineItemId ?? l.id)}`, sku: l.sku ?? "", quantity: l.quantity })),
  };
}
