// The landed-cost engine: what it costs to fulfil one cart from one node with one service,
// component by component, with the reasons for every figure. Pure and deterministic: the
// instant of dispatch is an input, nothing reads the clock.
import { greatCircleM } from "../geo/distance";
import { formatLocalTime } from "../geo/localTime";
import { carrierArrival, carrierLeg, carrierPriceMinor, zoneFor, zoneOf } from "./carrier";
import { corridorBlock, corridorCovers, corridorLeg, corridorPriceMinor } from "./corridor";
import { courierLeg, courierPriceMinor, courierTakes, quotedCourierLeg, type CompiledCourier, type CourierLeg, type CourierLegResult } from "./courier";
import { roundsLeg, roundsPriceMinor } from "./rounds";
import { leadTimeAt } from "./leadTime";
import type { LeadTime } from "./types";
import type { SurgeContext } from "./surge/types";
import type { CostingNetwork, PreparedNode } from "./network";
import { parcelOf, type Parcel } from "./parcel";
import { sizeClassOf, windowStartOf, type QuotedCourierFee, type QuotedCourierFees, type SizeClass } from "./quotedFees";
import { expectedReverseCost, type ReverseEstimate } from "./reverse";
import {
  hasCoordinates,
  type CartLine,
  type CostComponent,
  type CostResult,
  type Destination,
  type ServiceKind,
  type TransitEstimate,
} from "./types";

export interface CostRequest {
  nodeId: string;
  service: ServiceKind;
  lines: readonly CartLine[];
  destination: Destination;
  /** UTC ms when the order leaves the node: courier surge and corridor hours are read then. */
  dispatchAt: number;
  /** Load ratio for surge; defaults to the node's load today (pass 0 when quoting a later day). */
  loadRatio?: number;
  // Figures that depend only on the cart and address, passed in to reuse them across nodes.
  parcel?: Parcel;
  reverse?: ReverseEstimate;
  leadTime?: LeadTime;
  /**
   * Courier fees quoted ahead (app/services/courier-quotes.server.ts `courierQuoteLookup`): for a
   * courier with a quoteProvider, a quote for this node, the address's cell, the parcel's size class
   * and the dispatch window, still valid at `quotedAt`, replaces the base + per-km estimate.
   */
  quotedCourierFees?: QuotedCourierFees;
  /** UTC ms the price is made (the shopper's checkout); a quoted fee must be valid then. Defaults to dispatchAt. */
  quotedAt?: number;
}

interface Leg {
  components: CostComponent[];
  transit: TransitEstimate;
  reasons: string[];
  /** Whether the node's carrier/courier pickup fee applies. */
  collected: boolean;
}

type LegResult = { ok: true; leg: Leg } | { ok: false; reasons: string[] };

export function landedCost(net: CostingNetwork, req: CostRequest): CostResult {
  const n = net.byId.get(req.nodeId);
  if (!n) return { ok: false, reasons: [`unknown node ${req.nodeId}`] };
  const node = n.node;
  const parcel = req.parcel ?? parcelOf(req.lines);
  const dest = req.destination;
  const distanceM = hasCoordinates(dest) ? greatCircleM(node.latitude, node.longitude, dest.latitude, dest.longitude) : null;

  const legResult = legFor(n, req, parcel, distanceM, net.currency);
  if (!legResult.ok) return legResult;
  const leg = legResult.leg;

  const lead = req.leadTime ?? leadTimeAt(n, req.lines, net.snapshot.stock);
  const reverse = req.reverse ?? expectedReverseCost(net, req.lines, dest);
  const components: CostComponent[] = [
    { code: "handling", label: `Handling at ${node.name}`, amountMinor: node.handlingCostMinor, detail: "pick and pack, per order" },
  ];
  if (leg.collected) {
    components.push({ code: "node_pickup", label: `Collection at ${node.name}`, amountMinor: node.pickupCostMinor, detail: "carrier or courier pickup, per order" });
  }
  for (const c of leg.components) components.push(c);
  let forwardMinor = 0;
  for (const c of components) forwardMinor += c.amountMinor;
  components.push({ code: "expected_returns", label: "Expected returns", amountMinor: reverse.amountMinor, detail: reverse.detail });

  return {
    ok: true,
    cost: {
      nodeId: node.id,
      nodeHandle: node.handle,
      service: req.service,
      currency: net.currency,
      components,
      forwardMinor,
      expectedReverseMinor: reverse.amountMinor,
      totalMinor: forwardMinor + reverse.amountMinor,
      leadTimeMinutes: lead.minutes,
      transit: leg.transit,
      reasons: [`lead time ${lead.minutes} min: ${lead.detail}`, ...leg.reasons, ...reverse.reasons],
    },
  };
}

/** What landedPrice gives: landedCost's totals. */
export interface LandedPrice {
  forwardMinor: number;
  expectedReverseMinor: number;
  totalMinor: number;
}

/**
 * landedCost's totals without its breakdown, transit or reasons. Routing prices tens of thousands
 * of options and explains only the chosen ones (their breakdown is rebuilt with landedCost); the
 * words were most of what it allocated. Null exactly when landedCost refuses: ask it for why.
 * test/core/costing/landedPrice.test.ts holds the two equal over generated networks and carts.
 */
export function landedPrice(net: CostingNetwork, req: CostRequest): LandedPrice | null {
  const n = net.byId.get(req.nodeId);
  if (!n) return null;
  const parcel = req.parcel ?? parcelOf(req.lines);
  const dest = req.destination;
  const distanceM = hasCoordinates(dest) ? greatCircleM(n.node.latitude, n.node.longitude, dest.latitude, dest.longitude) : null;
  let legMinor: number | null;
  let collected = true;
  switch (req.service) {
    case "PICKUP":
      legMinor = 0;
      collected = false;
      break;
    case "STANDARD":
      legMinor = carrierPrice(n, parcel, distanceM, dest);
      break;
    case "SAME_DAY":
    case "NEXT_DAY":
      legMinor = courierPrice(n, req, parcel, distanceM, net.currency);
      break;
    case "AUTONOMOUS": {
      if (distanceM === null || !hasCoordinates(dest)) return null;
      let covered = false;
      let best = Infinity;
      const at = n.clock.local(req.dispatchAt);
      for (const c of n.corridors) {
        if (!corridorCovers(c, dest.latitude, dest.longitude)) continue;
        covered = true;
        if (corridorBlock(c, parcel, at) === null) best = Math.min(best, corridorPriceMinor(c, distanceM));
      }
      if (!covered) return null;
      if (best < Infinity) {
        legMinor = best;
        collected = false;
      } else legMinor = courierPrice(n, req, parcel, distanceM, net.currency);
      break;
    }
  }
  if (legMinor === null) return null;
  const forwardMinor = n.node.handlingCostMinor + (collected ? n.node.pickupCostMinor : 0) + legMinor;
  const expectedReverseMinor = (req.reverse ?? expectedReverseCost(net, req.lines, dest)).amountMinor;
  return { forwardMinor, expectedReverseMinor, totalMinor: forwardMinor + expectedReverseMinor };
}

/** The cheapest rate card's price (carrier's total), or null when none prices the parcel. */
function carrierPrice(n: PreparedNode, parcel: Parcel, distanceM: number | null, dest: Destination): number | null {
  let best: number | null = null;
  const zoning = { distanceM, postalCode: dest.postalCode ?? null, country: dest.country };
  for (const c of n.rateCards) {
    const zone = zoneOf(c.card, zoning);
    const price = zone === null ? null : carrierPriceMinor(c, zone, parcel, dest, dest.residential !== false);
    if (price !== null && (best === null || price < best)) best = price;
  }
  return best;
}

/** The cheapest courier's price (courier's total), or null when none takes the parcel. */
function courierPrice(n: PreparedNode, req: CostRequest, parcel: Parcel, distanceM: number | null, currency: string): number | null {
  if (distanceM === null) return null;
  const at = n.clock.local(req.dispatchAt);
  const surge = { weekday: at.weekday, minuteOfDay: at.minuteOfDay, loadRatio: req.loadRatio ?? n.loadRatio };
  let best: number | null = n.rounds ? roundsPriceMinor(n.rounds, distanceM, parcel, at.minuteOfDay) : null;
  for (const c of n.couriers) {
    const q = c.config.quoteProvider ? lookUpQuote(n, c, req, parcel, currency) : null;
    const price =
      q?.status === "USABLE" ? (courierTakes(c, distanceM, parcel) ? q.fee!.feeMinor : null) : courierPriceMinor(c, distanceM, parcel, surge);
    if (price !== null && (best === null || price < best)) best = price;
  }
  return best;
}

function legFor(n: PreparedNode, req: CostRequest, parcel: Parcel, distanceM: number | null, currency: string): LegResult {
  switch (req.service) {
    case "PICKUP":
      return {
        ok: true,
        leg: {
          components: [],
          transit: {
            mode: "NONE",
            minutes: null,
            days: null,
            distanceM,
            provider: null,
            zone: null,
            earliestArrivalMs: req.dispatchAt,
            latestArrivalMs: req.dispatchAt,
          },
          reasons: ["collected by the shopper: no transport"],
          collected: false,
        },
      };
    case "STANDARD":
      return carrier(n, req, parcel, distanceM);
    case "SAME_DAY":
    case "NEXT_DAY":
      return courier(n, req, parcel, distanceM, [], currency);
    case "AUTONOMOUS":
      return autonomous(n, req, parcel, distanceM, currency);
  }
}

function carrier(n: PreparedNode, req: CostRequest, parcel: Parcel, distanceM: number | null): LegResult {
  const dest = req.destination;
  if (n.rateCards.length === 0) return { ok: false, reasons: [`no rate card ships from ${n.node.name}`] };
  const failures: string[] = [];
  let best: (Leg & { amountMinor: number }) | null = null;
  for (const c of n.rateCards) {
    const z = zoneFor(c.card, { distanceM, postalCode: dest.postalCode ?? null, country: dest.country });
    if (!z.ok) {
      failures.push(z.reason);
      continue;
    }
    const r = carrierLeg(c, z.zone, parcel, dest, dest.residential !== false);
    if (!r.ok) {
      failures.push(r.reason);
      continue;
    }
    if (best === null || r.leg.amountMinor < best.amountMinor) {
      const zone = c.card.zones.find((x) => x.zone === z.zone)!;
      const days = { min: zone.transitDaysMin, max: zone.transitDaysMax };
      const arrival = carrierArrival(c, n.clock, req.dispatchAt, days);
      best = {
        amountMinor: r.leg.amountMinor,
        components: r.leg.components,
        transit: {
          mode: "CARRIER",
          minutes: null,
          days,
          distanceM,
          provider: `${c.card.carrier} ${c.card.service}`,
          zone: z.zone,
          earliestArrivalMs: arrival.earliestMs,
          latestArrivalMs: arrival.latestMs,
        },
        reasons: [`${c.card.carrier} ${c.card.service} zone ${z.zone}: ${z.detail}`, ...r.leg.reasons],
        collected: true,
      };
    }
  }
  if (!best) return { ok: false, reasons: failures };
  if (n.rateCards.length > 1) best.reasons.push(`cheapest of ${n.rateCards.length} rate cards`);
  return { ok: true, leg: best };
}

function courier(
  n: PreparedNode,
  req: CostRequest,
  parcel: Parcel,
  distanceM: number | null,
  prior: string[],
  currency: string,
): LegResult {
  if (distanceM === null) return { ok: false, reasons: [...prior, "a courier needs the address's coordinates"] };
  if (n.couriers.length === 0 && !n.rounds) return { ok: false, reasons: [...prior, `no courier collects from ${n.node.name}`] };
  const at = n.clock.local(req.dispatchAt);
  const surge = { weekday: at.weekday, minuteOfDay: at.minuteOfDay, loadRatio: req.loadRatio ?? n.loadRatio };
  const failures: string[] = [...prior];
  let best: { leg: CourierLeg; name: string } | null = null;
  if (n.rounds) {
    const r = roundsLeg(n.rounds, distanceM, parcel, at.minuteOfDay);
    if (r.ok) best = { leg: r.leg, name: `${n.node.name} rounds` };
    else failures.push(r.reason);
  }
  for (const c of n.couriers) {
    const r = c.config.quoteProvider
      ? quotedOrEstimated(n, c, req, parcel, distanceM, surge, currency)
      : courierLeg(c, distanceM, parcel, surge, currency);
    if (!r.ok) failures.push(r.reason);
    else if (best === null || r.leg.amountMinor < best.leg.amountMinor) best = { leg: r.leg, name: c.config.name };
  }
  if (!best) return { ok: false, reasons: failures };
  const reasons = [...prior, ...best.leg.reasons];
  const ways = n.couriers.length + (n.rounds ? 1 : 0);
  if (ways > 1) reasons.push(n.rounds ? `cheapest of the hub's rounds and ${n.couriers.length} on-demand ${n.couriers.length === 1 ? "courier" : "couriers"}` : `cheapest of ${ways} couriers`);
  return {
    ok: true,
    leg: {
      components: best.leg.components,
      transit: moving("COURIER", req.dispatchAt, best.leg.minutes, best.leg.roadM, best.name),
      reasons,
      collected: true,
    },
  };
}

type QuoteLookup =
  | { status: "NOT_GIVEN" }
  | { status: "USABLE" | "MISSING" | "EXPIRED" | "OTHER_CURRENCY"; fee: QuotedCourierFee | undefined; cell: string; sizeClass: SizeClass; windowStart: number };

/** The quote ahead for a courier with a quoteProvider, and whether it can be used for this request. */
function lookUpQuote(n: PreparedNode, c: CompiledCourier, req: CostRequest, parcel: Parcel, currency: string): QuoteLookup {
  const fees = req.quotedCourierFees;
  const dest = req.destination;
  if (!fees || !hasCoordinates(dest)) return { status: "NOT_GIVEN" };
  const cell = fees.cellOf(dest.latitude, dest.longitude);
  const sizeClass = sizeClassOf(parcel);
  const windowStart = windowStartOf(req.dispatchAt);
  const fee = fees.get({ nodeId: n.node.id, provider: c.config.quoteProvider!.code, cell, sizeClass, windowStart });
  const status = !fee ? "MISSING" : fee.expiresAt <= (req.quotedAt ?? req.dispatchAt) ? "EXPIRED" : fee.currency !== currency ? "OTHER_CURRENCY" : "USABLE";
  return { status, fee, cell, sizeClass, windowStart };
}

/** A courier whose fees are quoted ahead: its fresh quote, or the rate estimate with the reason. */
function quotedOrEstimated(
  n: PreparedNode,
  c: CompiledCourier,
  req: CostRequest,
  parcel: Parcel,
  distanceM: number,
  surge: SurgeContext,
  currency: string,
): CourierLegResult {
  const q = lookUpQuote(n, c, req, parcel, currency);
  let why = "no quotes were given to this calculation";
  if (q.status !== "NOT_GIVEN") {
    const where = `area ${q.cell}, ${q.sizeClass} parcel, dispatch window from ${formatLocalTime(n.clock.local(q.windowStart).minuteOfDay)}`;
    if (q.status === "USABLE") return quotedCourierLeg(c, distanceM, parcel, q.fee!, n.clock, where);
    why =
      q.status === "MISSING"
        ? `no quote for ${where}`
        : q.status === "EXPIRED"
          ? `the quote for ${where} expired`
          : `the quote for ${where} is in ${q.fee!.currency}, the shop sells in ${currency}`;
  }
  const r = courierLeg(c, distanceM, parcel, surge, currency);
  if (r.ok) r.leg.reasons.unshift(`${c.config.name}: estimated from rate (${c.config.quoteProvider!.code}: ${why})`);
  return r;
}

function autonomous(n: PreparedNode, req: CostRequest, parcel: Parcel, distanceM: number | null, currency: string): LegResult {
  const dest = req.destination;
  if (distanceM === null || !hasCoordinates(dest)) return { ok: false, reasons: ["an autonomous corridor needs the address's coordinates"] };
  const covering = n.corridors.filter((c) => corridorCovers(c, dest.latitude, dest.longitude));
  if (covering.length === 0) return { ok: false, reasons: [`no autonomous corridor from ${n.node.name} covers the address`] };
  const at = n.clock.local(req.dispatchAt);
  const blocked: string[] = [];
  let best: { leg: ReturnType<typeof corridorLeg>; name: string } | null = null;
  for (const c of covering) {
    const why = corridorBlock(c, parcel, at);
    if (why) {
      blocked.push(`autonomous corridor ${c.corridor.name}: ${why}`);
      continue;
    }
    const leg = corridorLeg(c, distanceM, currency);
    if (best === null || leg.amountMinor < best.leg.amountMinor) best = { leg, name: c.corridor.name };
  }
  if (!best) return courier(n, req, parcel, distanceM, [...blocked, "falls back to courier"], currency);
  return {
    ok: true,
    leg: {
      components: best.leg.components,
      transit: moving("AUTONOMOUS", req.dispatchAt, best.leg.minutes, best.leg.roadM, best.name),
      reasons: [`autonomous corridor ${best.name} covers the address`, ...blocked],
      collected: false,
    },
  };
}

function moving(mode: "COURIER" | "AUTONOMOUS", dispatchAt: number, minutes: number, roadM: number, provider: string): TransitEstimate {
  const arrival = dispatchAt + minutes * 60_000;
  return { mode, minutes, days: null, distanceM: roadM, provider, zone: null, earliestArrivalMs: arrival, latestArrivalMs: arrival };
}
