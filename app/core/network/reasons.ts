// One vocabulary of reasons: why a node may not serve, why a service or an option lost, why a
// return goes nowhere. Every code has one definition here: a short title (a badge in admin), a
// tone, and the sentence a person reads, built from the reason's parameters. Quoting exclusions,
// routing losses and exclusions, return destinations and the availability gates all use it, so
// the same fact reads the same everywhere and no page or API message shows a bare code (the API
// carries the code beside the sentence).
//
// A sentence is built only for a node or option that is actually ruled out: the availability gates
// answer passing nodes without building any reason (isAvailable). Reasons are plain objects with the
// sentence as a data property: a getter that built it on first read measured ~20% slower on
// bench:quote-core (V8 creates objects with accessors on a slow path), more than the strings cost.
import { formatDistance } from "../geo/distance";
import { formatMinor } from "../money/money";

export type Tone = "critical" | "warning" | "info" | null;

interface ReasonSpec<A> {
  title: string;
  tone: Tone;
  sentence: (args: A) => string;
}

const spec = <A>(title: string, tone: Tone, sentence: (args: A) => string): ReasonSpec<A> => ({ title, tone, sentence });

/** Service kinds in words, for sentences ("same-day delivery needs…"). */
export const SERVICE_WORDS = {
  SAME_DAY: "same-day",
  NEXT_DAY: "next-day",
  STANDARD: "standard carrier",
  AUTONOMOUS: "autonomous",
  PICKUP: "pickup",
} as const;
export type ServiceWord = keyof typeof SERVICE_WORDS;

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

export const REASONS = {
  // ---- whether a node may serve at all (core/network/availability gates)
  DISABLED: spec<{ node: string }>("Disabled", "critical", (a) => `${a.node} is disabled`),
  NOT_A_MAKER: spec<{ node: string; kind: string }>("Does not make to order", null, (a) => `${a.node} is a ${a.kind}: only micro-factories make to order`),
  NOT_RETURN_HUB: spec<{ node: string; kind: string | null }>("Not a return hub", null, (a) =>
    a.kind === null ? `${a.node} is not one of the shop's return hubs` : `${a.node} is a ${a.kind}: only micro-hubs and central warehouses take returns`,
  ),
  NOT_ACCEPTING_RETURNS: spec<{ node: string }>("Takes no returns", null, (a) => `${a.node} does not accept returns (its setting on the Network page)`),
  OVER_CAPACITY: spec<{ node: string; taken: number; capacity: number }>("Over capacity", "warning", (a) =>
    `${a.node} has no capacity left today: ${a.taken} of ${a.capacity} ${plural(a.capacity, "order")} taken`,
  ),
  NO_STOCK: spec<{ node: string; sku: string; needs: number; has: number } | { node: string; more: number }>("No stock", "warning", (a) =>
    "more" in a ? `and ${a.more} more ${plural(a.more, "line")} short at ${a.node}` : `no stock of ${a.sku} at ${a.node} (needs ${a.needs}, has ${a.has})`,
  ),
  PERMIT_LAPSED: spec<{ permit: string; subject: string; date: string; loses: string | null }>("Permit lapsed", "critical", (a) =>
    `${a.permit} for ${a.subject} lapsed on ${a.date}${a.loses ? `: ${a.loses}` : ""}`,
  ),
  PERMIT_SUSPENDED: spec<{ permit: string; subject: string; why: string | null; loses: string | null }>("Permit suspended", "critical", (a) =>
    `${a.permit} for ${a.subject} is suspended${a.why ? ` (${a.why})` : ""}${a.loses ? `: ${a.loses}` : ""}`,
  ),
  MAKE_CAPACITY: spec<{ node: string; sku: string | null; units: number; left: number }>("Cannot make it today", "warning", (a) =>
    `${a.node} cannot make ${a.units} more ${a.sku ?? plural(a.units, "unit")} today (${a.left} ${plural(a.left, "unit")} of making left)`,
  ),

  // ---- whether a service reaches the address and can leave in time (core/quoting planners)
  NO_LOCATION: spec<{ service: ServiceWord }>("Address not on the map", null, (a) => `${SERVICE_WORDS[a.service]} delivery needs the address's coordinates`),
  OUTSIDE_SERVICE_AREA: spec<
    | { distanceM: number; area: string }
    | { distanceM: number; pickupWithinM: number }
    | { corridors: true }
    | { node: string; reach: string; carrier: boolean }
  >("Out of its area", null, (a) => {
    if ("corridors" in a) return "not inside any autonomous corridor of this node";
    if ("reach" in a) return `${a.node} ${a.reach}${a.carrier ? "" : " and ships no carrier service"}: the address is out of its reach`;
    if ("pickupWithinM" in a) return `${formatDistance(a.distanceM)} away; pickup is offered within ${formatDistance(a.pickupWithinM)}`;
    return `${formatDistance(a.distanceM)} away, not ${a.area}`;
  }),
  HOLIDAY: spec<Record<string, never>>("Closed (holiday)", "warning", () => "closed today for a holiday"),
  CLOSED: spec<{ weekday: string } | { horizonDays: number }>("Closed", "warning", (a) =>
    "weekday" in a ? `closed on ${a.weekday}` : `no opening day in the next ${a.horizonDays} days`,
  ),
  PAST_CUTOFF: spec<{ orderedAt: string; cutoff: string; zone: string }>("Past the cut-off", "warning", (a) =>
    `ordered at ${a.orderedAt}, after the ${a.cutoff} cut-off (${a.zone})`,
  ),
  LEAD_TIME: spec<{ lead: string; readyAt: string } | { lead: string; weekday: string }>("Not ready in time", "warning", (a) =>
    "readyAt" in a ? `ready at ${a.readyAt} after ${a.lead}, after today's last opening hour` : `${a.lead}: not ready on ${a.weekday}, the next opening day`,
  ),
  NOT_PRICED: spec<{ detail: string }>("No rate for this", null, (a) => a.detail),
  CORRIDOR_UNAVAILABLE: spec<{ corridor: string; why: string }>("Corridor closed", "warning", (a) =>
    `${a.corridor}: ${a.why}; courier services from this node still apply`,
  ),
  NO_SERVICE: spec<{ node: string; promised?: ServiceWord; none?: boolean }>("No service fits", null, (a) =>
    a.none
      ? `${a.node} offers no delivery service (no service area, rate card, corridor or pickup)`
      : a.promised
        ? `${a.node} offers no ${SERVICE_WORDS[a.promised]} or faster service here`
        : `${a.node} has no service that fits this order`,
  ),

  // ---- why an option that could have served lost (core/routing)
  COST: spec<{ deltaMinor: number; splitPenaltyMinor: number; currency: string }>("Costs more", null, (a) =>
    a.deltaMinor > 0
      ? `costs ${formatMinor(a.deltaMinor, a.currency)} more${a.splitPenaltyMinor > 0 ? `, including ${formatMinor(a.splitPenaltyMinor, a.currency)} split penalty` : ""}`
      : a.deltaMinor === 0
        ? "costs the same; the chosen one comes first in a stable order"
        : `saves ${formatMinor(-a.deltaMinor, a.currency)} but was not chosen by the batch heuristic`,
  ),
  BROKE_PROMISE: spec<{ slow: string }>("Breaks the promise", "critical", (a) => `breaks the promise: ${a.slow} is slower than promised`),
  LEFT_CHOSEN_NODE: spec<Record<string, never>>("Leaves the shopper's node", "warning", () => "leaves the node the shopper chose at checkout"),
  STOCK_TAKEN: spec<{ what: string; left: number; needs: number }>("Stock went to other orders", "warning", (a) =>
    `${a.what} went to other orders in this batch (${a.left} left, needs ${a.needs})`,
  ),
  CAPACITY_TAKEN: spec<{ what: string; left: number; needs: number }>("Capacity went to other orders", "warning", (a) =>
    `${a.what} went to other orders in this batch (${a.left} left, needs ${a.needs})`,
  ),
  MAKE_CAPACITY_TAKEN: spec<{ what: string; left: number; needs: number }>("Making capacity taken", "warning", (a) =>
    `${a.what} went to other orders in this batch (${a.left} left, needs ${a.needs})`,
  ),
  TOO_MANY_LINES: spec<{ max: number }>("Too many lines", null, (a) => `orders over ${a.max} lines are routed only when one node has every line`),
  UNKNOWN_PRODUCT: spec<{ products: readonly string[] }>("Unknown product", "critical", (a) => {
    const products = [...new Set(a.products)]; // each SKU once, however many lines carry it
    return `unknown ${plural(products.length, "product")} ${products.join(", ")}`;
  }),

  // ---- where a return goes (core/returns)
  OUT_OF_REACH: spec<{ detail: string }>("No way back", null, (a) => a.detail),
  NO_RETURN_HUB: spec<{ sku: string }>("No hub takes it", "warning", (a) => `no return hub can take ${a.sku} back from this address`),
  RETURN_LOSES_MONEY: spec<{ hub: string; lossMinor: number; currency: string }>("Return loses money", "warning", (a) =>
    `bringing it back loses money at every hub: the best, ${a.hub}, would lose ${formatMinor(a.lossMinor, a.currency)} per unit`,
  ),
} satisfies Record<string, ReasonSpec<never>>;

export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];
export type ReasonArgs<C extends ReasonCode> = Parameters<(typeof REASONS)[C]["sentence"]>[0];

/** A reason as every result carries it: the code, and the sentence for people. */
export interface Reason<C extends ReasonCode = ReasonCode> {
  code: C;
  message: string;
}

/** The code's sentence for these parameters. */
export function sentence<C extends ReasonCode>(code: C, args: ReasonArgs<C>): string {
  return (REASONS[code].sentence as (a: ReasonArgs<C>) => string)(args);
}

/** A reason with its sentence built now. */
export function reason<C extends ReasonCode>(code: C, args: ReasonArgs<C>): Reason<C> {
  return { code, message: sentence(code, args) };
}

/** The same reason with its sentence prefixed ("same-day: …"). */
export function prefixedReason<C extends ReasonCode>(prefix: string, r: Reason<C>): Reason<C> {
  return { code: r.code, message: `${prefix}: ${r.message}` };
}

/** The title and tone shown for a code in admin; a code this build does not know reads as "Other reason". */
export function reasonTitle(code: string): { title: string; tone: Tone } {
  const s = (REASONS as Record<string, ReasonSpec<never>>)[code];
  return s ? { title: s.title, tone: s.tone } : { title: "Other reason", tone: null };
}

export function isReasonCode(code: string): code is ReasonCode {
  return Object.hasOwn(REASONS, code);
}
