// Deciding where orders ship from, over the shop's current network and stock: one Shopify order
// (from its fulfillment orders) for the webhooks, or a batch of orders (open API, CLI) that
// compete for the same stock. The core (core/routing) decides and explains; this file turns the
// inputs into the core's orders and its decisions into what is stored and answered.
import { hasCoordinates } from "~/core/costing/types";
import { routeBatch, routeOrder, type HeldStock, type LpSolver, type RoutingDecision, type RoutingOrder } from "~/core/routing";
import { geocode, type Placement } from "../geocode.server";
import { logger } from "../logger.server";
import type { ShopifyOrder } from "./shopify.server";
import { availabilityNow, loadRoutingNetwork, productIdFor, type RoutingSnapshot } from "./snapshot.server";

/** Id the core sees for a line whose SKU the shop does not know (reported as an unknown product). */
export const unknownProductId = (sku: string | null | undefined) => `unknown SKU ${sku?.trim() || "(none)"}`;

let solver: Promise<LpSolver | null> | null = null;
/** HiGHS, loaded once per process; null (the core's heuristic decides) when it cannot load. */
export function routingSolver(): Promise<LpSolver | null> {
  solver ??= import("highs")
    .then(async (m) => (await m.default()) as unknown as LpSolver)
    .catch((error: unknown) => {
      logger.warn({ err: (error as Error).message }, "routing: HiGHS did not load, contended batches use the heuristic");
      return null;
    });
  return solver;
}

// ---------------------------------------------------------------------------------------------
// A Shopify order

export interface ShopifyRoutingInput {
  order: RoutingOrder;
  placed: Placement;
  /** FO line item gid → its fulfillment order gid. */
  foOfLine: Map<string, string>;
  /** Fulfillment orders Nearhub may move (open, not submitted to a fulfillment service). */
  movable: ShopifyOrder["fulfillmentOrders"]["nodes"];
  /** Why nothing can be routed (a closed or cancelled order, no open fulfillment order), else null. */
  blocked: string | null;
}

const MOVABLE_REQUEST_STATUSES = new Set(["UNSUBMITTED", "REJECTED", "CANCELLATION_ACCEPTED", "CLOSED"]);

/** The shopper's Nearhub service code, else the first shipping line's code. */
export function serviceCodeOfOrder(order: Pick<ShopifyOrder, "shippingLines">): string | null {
  const codes = order.shippingLines.nodes.map((l) => l.code?.trim()).filter((c): c is string => Boolean(c));
  return codes.find((c) => c.startsWith("NH:")) ?? codes[0] ?? null;
}

export function routingInputOf(rs: RoutingSnapshot, order: ShopifyOrder, now: number): ShopifyRoutingInput {
  const a = order.shippingAddress;
  const geo = geocode({ country: a?.countryCodeV2 ?? "US", postalCode: a?.zip ?? null, latitude: a?.latitude ?? null, longitude: a?.longitude ?? null });
  const movable = order.fulfillmentOrders.nodes.filter(
    (fo) => fo.status === "OPEN" && MOVABLE_REQUEST_STATUSES.has(fo.requestStatus ?? "UNSUBMITTED") && fo.lineItems.nodes.some((l) => l.remainingQuantity > 0),
  );
  const foOfLine = new Map<string, string>();
  const lines: RoutingOrder["lines"] = [];
  for (const fo of movable) {
    for (const l of fo.lineItems.nodes) {
      if (l.remainingQuantity <= 0) continue;
      foOfLine.set(l.id, fo.id);
      const productId = productIdFor(rs.snap, { sku: l.lineItem.sku, variantId: l.lineItem.variant?.id ?? null }) ?? unknownProductId(l.lineItem.sku);
      lines.push({ id: l.id, productId, quantity: l.remainingQuantity });
    }
  }
  const placedAt = order.createdAt ? Date.parse(order.createdAt) : NaN;
  let blocked: string | null = null;
  if (order.cancelledAt) blocked = "the order was cancelled";
  else if (order.closed) blocked = "the order is closed";
  else if (!a) blocked = "the order has no shipping address";
  else if (lines.length === 0) blocked = "no open fulfillment order Nearhub may move (all fulfilled, on hold or with a fulfillment service)";
  return {
    order: {
      id: order.id,
      placedAt: Number.isFinite(placedAt) ? Math.min(placedAt, now) : now,
      destination: geo.destination,
      lines,
      serviceCode: serviceCodeOfOrder(order),
    },
    placed: geo.placed,
    foOfLine,
    movable,
    blocked,
  };
}

/** What earlier orders hold of this order's products, in words; null when nothing. */
function heldReason(rs: RoutingSnapshot, held: readonly HeldStock[], productIds: readonly string[]): string | null {
  const wanted = new Set(productIds.map((id) => rs.net.productById.get(id)).filter((p) => p !== undefined));
  const parts = held
    .filter((h) => wanted.has(h.product))
    .map((h) => `${h.units} ${rs.net.products[h.product].sku} at ${rs.net.nodes[h.node].node.handle}`);
  return parts.length ? `held by orders routed earlier that Shopify's stock counts do not show yet: ${parts.join(", ")}` : null;
}

export function decideShopifyOrder(
  rs: RoutingSnapshot,
  input: ShopifyRoutingInput,
  now: number,
  start: { availability: Float64Array; held: readonly HeldStock[] },
): RoutingDecision {
  const decision = routeOrder(rs.net, input.order, { now, availability: start.availability });
  const held = heldReason(rs, start.held, input.order.lines.map((l) => l.productId));
  if (held) decision.reasons.push(held);
  if (input.placed === "postal_code") decision.reasons.unshift(`address placed at the centroid of ZIP ${input.order.destination.postalCode}`);
  if (input.placed === "unplaced") decision.reasons.unshift("the shipping address has no coordinates and no known ZIP code: only services that need no location could be costed");
  return decision;
}

// ---------------------------------------------------------------------------------------------
// A batch of orders (open API, CLI)

export interface PlanOrderInput {
  id: string;
  lines: { sku: string; quantity: number; unitPriceMinor?: number }[];
  destination: { country: string; postalCode?: string | null; latitude?: number | null; longitude?: number | null };
  serviceCode?: string | null;
  placedAt?: number;
}

export interface PlannedOrder {
  input: PlanOrderInput;
  placed: Placement;
  unknownSkus: string[];
  decision: RoutingDecision;
}

export interface RoutingPlan {
  currency: string;
  plannedAt: number;
  orders: PlannedOrder[];
  totals: { orders: number; routed: number; unroutable: number; shipments: number; landedMinor: number; splitPenaltyMinor: number; totalMinor: number };
  method: string;
  methodReason: string;
  warnings: string[];
}

/** Routes the orders together over the shop's network as it is now. Touches nothing in Shopify or the database. */
export async function planOrders(shop: { id: string; currency: string }, inputs: readonly PlanOrderInput[], opts: { now?: number } = {}): Promise<RoutingPlan> {
  const now = opts.now ?? Date.now();
  const rs = await loadRoutingNetwork(shop);
  const placed: Placement[] = [];
  const unknown: string[][] = [];
  const orders: RoutingOrder[] = inputs.map((o) => {
    const geo = geocode({ country: o.destination.country, postalCode: o.destination.postalCode ?? null, latitude: o.destination.latitude ?? null, longitude: o.destination.longitude ?? null });
    placed.push(geo.placed);
    const missing: string[] = [];
    const lines = o.lines.map((l, i) => {
      const productId = productIdFor(rs.snap, { sku: l.sku });
      if (!productId) missing.push(l.sku);
      return { id: `${o.id}:${i + 1}`, productId: productId ?? unknownProductId(l.sku), quantity: l.quantity, ...(l.unitPriceMinor === undefined ? {} : { unitPriceMinor: l.unitPriceMinor }) };
    });
    unknown.push(missing);
    return { id: o.id, placedAt: o.placedAt ?? now, destination: geo.destination, lines, serviceCode: o.serviceCode ?? null };
  });
  const start = await availabilityNow(rs, shop.id, now);
  const batch = routeBatch(rs.net, orders, { now, solver: await routingSolver(), availability: start.availability });
  const planned = batch.decisions.map((decision, i): PlannedOrder => {
    if (placed[i] === "postal_code") decision.reasons.unshift(`address placed at the centroid of ZIP ${orders[i].destination.postalCode}`);
    if (placed[i] === "unplaced" && !hasCoordinates(orders[i].destination)) decision.reasons.unshift("the address has no coordinates and no known ZIP code");
    const held = heldReason(rs, start.held, orders[i].lines.map((l) => l.productId));
    if (held) decision.reasons.push(held);
    return { input: inputs[i], placed: placed[i], unknownSkus: unknown[i], decision };
  });
  const routed = planned.filter((p) => p.decision.status === "ROUTED");
  return {
    currency: batch.currency,
    plannedAt: now,
    orders: planned,
    totals: {
      orders: planned.length,
      routed: routed.length,
      unroutable: planned.length - routed.length,
      shipments: routed.reduce((s, p) => s + p.decision.shipments.length, 0),
      landedMinor: routed.reduce((s, p) => s + p.decision.landedMinor, 0),
      splitPenaltyMinor: routed.reduce((s, p) => s + p.decision.splitPenaltyMinor, 0),
      totalMinor: routed.reduce((s, p) => s + p.decision.totalMinor, 0),
    },
    method: batch.stats.method,
    methodReason: batch.stats.methodReason,
    warnings: rs.net.warnings,
  };
}
