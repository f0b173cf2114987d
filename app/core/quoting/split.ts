// Split quotes: when no single node can ship the whole cart with a service, the cheapest set of
// shipments that can, found by the routing core itself (core/routing/candidates: the same options,
// split penalty, "most shipments per order", stock, capacity and making through the one gate), so
// the rate checkout offers is the plan routing will follow. One rate per service level: its price is
// the sum of its parcels' prices under the pricing rules, its window the latest parcel's, and its
// service code, "NH:<node1>+<node2>:<SERVICE>" (serviceCode.ts), names the parcels' nodes and
// services (routing honours it). The service level is the slowest parcel's: a parcel goes faster when
// that is its node's cheapest way to keep the level, as routing would ship it.
//
// Budget: the search is bounded by work, not by the clock (the quote stays deterministic): carts of
// more than MAX_SPLIT_LINES lines are not split, and routing's candidate pool (splitCandidateNodes,
// maxShipments) bounds the node sets tried. A cart too large or too scattered gets the whole-cart
// options, or the backup rates; never an error.
import type { CartLine, Destination, LandedCost, ServiceKind } from "../costing/types";
import { clockFor } from "../geo/localTime";
import { SERVICE_WORDS } from "../network/reasons";
import { batchClock, cartContext, fullCost, optionsForOrder, type Option } from "../routing/candidates";
import { availabilityAt, type RoutingNetwork } from "../routing/prepare";
import { SERVICE_RANK, servicePromise } from "../routing/promise";
import { describeOption, formatDay } from "./describe";
import { applyPricing, type PricingStep } from "./pricing";
import type { QuoteNetwork } from "./prepare";
import { MAX_SERVICE_CODE_LENGTH, splitServiceCodeOf } from "./serviceCode";
import type { QuoteOption, QuoteShipment } from "./types";
import { windowOf } from "./window";

/** Carts with more lines than this are quoted whole only (the split search's work grows with lines). */
export const MAX_SPLIT_LINES = 12;

/** Services a cart may be split for (pickup is one place by definition). */
export const SPLIT_SERVICES: readonly ServiceKind[] = ["SAME_DAY", "AUTONOMOUS", "NEXT_DAY", "STANDARD"];

export interface SplitRequest {
  lines: readonly CartLine[];
  destination: Destination;
  now: number;
  subtotalMinor: number;
  /** Services to try: those no single node offers for the whole cart. */
  services: readonly ServiceKind[];
}

/**
 * The cheapest split of the cart for each service asked, as quote options. Empty when the cart is
 * too large, routing allows one shipment per order, or no set of nodes can ship it.
 */
export function splitOptions(net: QuoteNetwork, routing: RoutingNetwork, req: SplitRequest): { options: QuoteOption[]; reasons: string[] } {
  const options: QuoteOption[] = [];
  const reasons: string[] = [];
  const L = req.lines.length;
  if (L < 2 || req.services.length === 0 || routing.config.maxShipments < 2) return { options, reasons };
  if (L > MAX_SPLIT_LINES) {
    reasons.push(`the cart has ${L} lines: carts of more than ${MAX_SPLIT_LINES} are quoted from one node only`);
    return { options, reasons };
  }
  const avail = availabilityAt(routing, req.now);
  const clock = batchClock(routing, req.now);
  for (const service of req.services) {
    try {
      const ctx = cartContext(routing, req.lines, req.destination, servicePromise(service), req.now);
      if (ctx.unknownProducts.length > 0) return { options, reasons };
      const found = optionsForOrder(routing, clock, ctx, avail);
      const best = found.options.find((o) => o.shipments.length >= 2 && o.promise === "KEPT");
      if (!best) continue;
      // The rate's service level is its slowest parcel's (a parcel may go faster than asked when that is cheaper).
      let level = best.shipments[0].service;
      for (const sh of best.shipments) if (SERVICE_RANK[sh.service] < SERVICE_RANK[level]) level = sh.service;
      if (SERVICE_RANK[level] === SERVICE_RANK[service]) level = service;
      // Already offered whole, or found for a faster level before.
      if (!req.services.includes(level)) continue;
      const option = toQuoteOption(net, routing, ctx, best, level, req);
      if (option && !options.some((o) => o.serviceCode === option.serviceCode || o.service === option.service)) options.push(option);
    } catch (e) {
      // A split that cannot be priced again (it priced a moment ago) is left out, never an error.
      reasons.push(`${SERVICE_WORDS[service]} in parcels left out: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { options, reasons };
}

function toQuoteOption(
  net: QuoteNetwork,
  routing: RoutingNetwork,
  ctx: ReturnType<typeof cartContext>,
  best: Option,
  service: ServiceKind,
  req: SplitRequest,
): QuoteOption | null {
  const currency = net.costing.currency;
  const shipments: QuoteShipment[] = [];
  const pricing: PricingStep[] = [];
  for (const s of best.shipments) {
    const rn = routing.nodes[s.node];
    const cost = fullCost(routing, ctx, s);
    const priced = applyPricing(net.pricing, {
      service: s.service,
      currency,
      forwardCostMinor: cost.forwardMinor,
      landedCostMinor: cost.totalMinor,
      subtotalMinor: req.subtotalMinor,
    });
    for (const step of priced.steps) pricing.push({ ...step, detail: `${rn.node.name}: ${step.detail}` });
    const window = windowOf(net.config, rn.qn, { closesAt: null }, cost);
    shipments.push({
      nodeId: rn.node.id,
      nodeHandle: rn.node.handle,
      nodeName: rn.node.name,
      service: s.service,
      lines: s.lines.map((i) => ({ productId: ctx.lines[i].product.id, sku: ctx.lines[i].product.sku, quantity: ctx.lines[i].quantity })),
      priceMinor: priced.priceMinor,
      cost,
      window,
      description: describeOption({ service: s.service, nodeName: rn.node.name, window }, req.now),
    });
  }
  const serviceCode = splitServiceCodeOf(shipments, service);
  if (serviceCode.length > MAX_SERVICE_CODE_LENGTH) return null;
  let latest = shipments[0];
  for (const s of shipments) if (s.window.latestMs > latest.window.latestMs) latest = s;
  const first = shipments[0];
  return {
    serviceCode,
    service,
    nodeId: first.nodeId,
    nodeHandle: first.nodeHandle,
    nodeName: shipments.map((s) => s.nodeName).join(" + "),
    currency,
    priceMinor: shipments.reduce((sum, s) => sum + s.priceMinor, 0),
    cost: combinedCost(shipments, service, currency, latest.cost),
    pricing,
    window: { ...latest.window },
    description: describeParcels(shipments, req.now),
    reasons: [
      `no single node can ship the whole cart ${SERVICE_WORDS[service]}: ${shipments.length} parcels`,
      ...shipments.map((s) => `${s.nodeName}: ${s.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")}`),
    ],
    shipments,
  };
}

/** The parcels' costs as one: components named by node, totals added up, the latest parcel's transit. */
function combinedCost(shipments: readonly QuoteShipment[], service: ServiceKind, currency: string, latest: LandedCost): LandedCost {
  let forward = 0;
  let reverse = 0;
  let lead = 0;
  const components = [];
  const reasons = [];
  for (const s of shipments) {
    forward += s.cost.forwardMinor;
    reverse += s.cost.expectedReverseMinor;
    lead = Math.max(lead, s.cost.leadTimeMinutes);
    for (const c of s.cost.components) components.push({ ...c, label: `${c.label} (${s.nodeName})` });
    for (const r of s.cost.reasons) reasons.push(`${s.nodeName}: ${r}`);
  }
  return {
    nodeId: shipments[0].nodeId,
    nodeHandle: shipments[0].nodeHandle,
    service,
    currency,
    components,
    forwardMinor: forward,
    expectedReverseMinor: reverse,
    totalMinor: forward + reverse,
    leadTimeMinutes: lead,
    transit: latest.transit,
    reasons,
  };
}

/** "2 parcels: today from Hub A, Thu from Warehouse W", soonest first. */
export function describeParcels(shipments: readonly { nodeName: string; window: { latestMs: number; earliestMs: number; timezone: string } }[], nowMs: number): string {
  const parts = shipments
    .map((s) => ({ s, at: s.window.latestMs }))
    .sort((a, b) => a.at - b.at)
    .map(({ s }) => `${parcelDay(s.window, nowMs)} from ${s.nodeName}`);
  return `${shipments.length} parcels: ${parts.join(", ")}`;
}

function parcelDay(window: { earliestMs: number; latestMs: number; timezone: string }, nowMs: number): string {
  const clock = clockFor(window.timezone);
  const today = clock.local(nowMs).day;
  const from = clock.local(window.earliestMs);
  const by = clock.local(window.latestMs);
  const day = by.minuteOfDay === 0 && by.day > from.day ? by.day - 1 : by.day;
  if (day === today) return "today";
  if (day === today + 1) return "tomorrow";
  const word = formatDay(day, today);
  // Within the week the weekday says it ("Thu"); further out, the date too ("Thu, Dec 11").
  return day - today < 7 ? word.slice(0, 3) : word;
}
