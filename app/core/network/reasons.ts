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

/** Return on ad spend in basis points as people read it: 25000 → "2.50x". */
const formatRoas = (bps: number) => `${(bps / 10_000).toFixed(2)}x`;
const roasWords = (basis: "PROFIT" | "REVENUE") => (basis === "PROFIT" ? "profit ROAS (after landed cost and ad spend)" : "revenue ROAS");

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

  // ---- hyperlocal campaigns around a hub (core/promotions): why a plan may not launch, what the
  // guardrails decided, and the sentences a plan explains itself with
  CAMPAIGN_READY: spec<{ hub: string }>("Ready to launch", "info", (a) =>
    `${a.hub} can run this campaign: it may serve, has stock to sell, same-day hours and a budget at or over the account minimum`,
  ),
  CAMPAIGN_HUB_UNAVAILABLE: spec<{ hub: string; why: readonly string[] }>("Hub unavailable", "critical", (a) =>
    `${a.hub} may not take part in a campaign now${a.why.length > 0 ? `: ${a.why.join("; ")}` : ""}`,
  ),
  CAMPAIGN_NO_STOCK: spec<{ hub: string; minUnits: number; lines: number }>("Nothing to sell", "critical", (a) =>
    a.lines === 0
      ? `${a.hub} holds no stock to advertise`
      : `none of the ${a.lines} ${plural(a.lines, "product")} at ${a.hub} has enough units to advertise (at least ${a.minUnits} and a few days of local demand)`,
  ),
  CAMPAIGN_NO_SAME_DAY: spec<{ hub: string; cutoff: string | null }>("No same-day hours", "critical", (a) =>
    a.cutoff === null
      ? `${a.hub} has no same-day cut-off, so no hour can promise same-day delivery: set one on the Network page`
      : `${a.hub} is not open before its ${a.cutoff} same-day cut-off on any day`,
  ),
  CAMPAIGN_BUDGET_UNDER_MINIMUM: spec<{ budgetMinor: number; minimumMinor: number; currency: string; platform: string }>(
    "Budget under the minimum",
    "critical",
    (a) =>
      `a daily budget of ${formatMinor(a.budgetMinor, a.currency)} is under the ${a.platform} account's minimum of ${formatMinor(a.minimumMinor, a.currency)} a day`,
  ),
  CAMPAIGN_REACH_UNDER_MINIMUM: spec<{ hub: string; reachM: number; minM: number; platform: string }>("Reach too small", "critical", (a) =>
    `same-day deliveries from ${a.hub} reach ${formatDistance(a.reachM)}, under ${a.platform}'s smallest radius of ${formatDistance(a.minM)}`,
  ),
  CAMPAIGN_LOW_STOCK: spec<{ short: ReadonlyArray<{ sku: string; units: number }>; minUnits: number }>("Low stock", "warning", (a) =>
    a.short.length === 0
      ? "the campaign advertises no product"
      : `no advertised product has ${a.minUnits} or more ${plural(a.minUnits, "unit")} left at the hub (${a.short.map((l) => `${l.sku} ${l.units}`).join(", ")})`,
  ),
  CAMPAIGN_STOCK_THIN: spec<{
    short: ReadonlyArray<{ sku: string; units: number }>;
    of: number;
    healthyUnits: number;
    percent: number;
    budgetMinor: number;
    currency: string;
    atMinimum: boolean;
  }>("Stock thin", "warning", (a) =>
    `${a.short.length} of ${a.of} advertised ${plural(a.of, "product")} under ${a.healthyUnits} units (${a.short.map((l) => `${l.sku} ${l.units}`).join(", ")}): budget cut to ${a.percent}% of plan, ${formatMinor(a.budgetMinor, a.currency)} a day${a.atMinimum ? " (it goes no lower than the account minimum)" : ""}`,
  ),
  CAMPAIGN_STOCK_OK: spec<{ lines: number; minUnits: number }>("Stock to sell", "info", (a) =>
    `${a.lines} advertised ${plural(a.lines, "product")} with ${a.minUnits} or more units at the hub`,
  ),
  CAMPAIGN_HUB_AVAILABLE: spec<{ hub: string | null }>("Hub available", "info", (a) => `${a.hub ?? "the hub"} may take part in a campaign now`),
  CAMPAIGN_OUTSIDE_HOURS: spec<{ weekday: string; time: string; zone: string; next: { weekday: string; time: string } | null }>(
    "Outside same-day hours",
    "info",
    (a) =>
      `${a.weekday} ${a.time} (${a.zone}) is outside same-day hours${a.next ? `; resumes ${a.next.weekday} at ${a.next.time}` : "; no same-day hours on any day"}`,
  ),
  CAMPAIGN_IN_HOURS: spec<{ weekday: string; until: string; zone: string }>("In same-day hours", "info", (a) =>
    `within same-day hours: orders until ${a.until} (${a.zone}) on ${a.weekday} still go out today`,
  ),
  CAMPAIGN_ROAS_BELOW: spec<{ basis: "PROFIT" | "REVENUE"; roasBps: number; targetBps: number; spendMinor: number; currency: string }>(
    "ROAS under target",
    "warning",
    (a) =>
      `${roasWords(a.basis)} ${formatRoas(a.roasBps)} after ${formatMinor(a.spendMinor, a.currency)} spent, under the ${formatRoas(a.targetBps)} target`,
  ),
  CAMPAIGN_ROAS_OK: spec<{ basis: "PROFIT" | "REVENUE"; roasBps: number; targetBps: number; spendMinor: number; currency: string }>(
    "ROAS on target",
    "info",
    (a) => `${roasWords(a.basis)} ${formatRoas(a.roasBps)} after ${formatMinor(a.spendMinor, a.currency)} spent, at or over the ${formatRoas(a.targetBps)} target`,
  ),
  CAMPAIGN_ROAS_LEARNING: spec<{ spendMinor: number; minSpendMinor: number; currency: string }>("Still learning", "info", (a) =>
    `${formatMinor(a.spendMinor, a.currency)} spent of the ${formatMinor(a.minSpendMinor, a.currency)} needed before return on ad spend is judged`,
  ),
  CAMPAIGN_BUDGET_SPENT: spec<{ spendMinor: number; plannedMinor: number; currency: string }>("Budget spent", "info", (a) =>
    `${formatMinor(a.spendMinor, a.currency)} spent of the ${formatMinor(a.plannedMinor, a.currency)} planned: the test has used its budget`,
  ),
  CAMPAIGN_BUDGET_LEFT: spec<{ spendMinor: number; plannedMinor: number; currency: string }>("Budget left", "info", (a) =>
    `${formatMinor(a.spendMinor, a.currency)} spent of the ${formatMinor(a.plannedMinor, a.currency)} planned`,
  ),
  CAMPAIGN_RUNNING: spec<{ checks: number }>("Running", "info", (a) =>
    a.checks === 0 ? "no guardrail is set: the campaign runs as planned" : `all ${a.checks} ${plural(a.checks, "guardrail")} pass: the campaign runs as planned`,
  ),
  CAMPAIGN_AREA: spec<
    | { hub: string; reachM: number }
    | { platform: string; reachM: number; maxM: number }
    | { platform: string; reachM: number; minM: number }
    | { shrunkToM: number; share: number; points: number; withinM: number }
    | { spreadM: number; share: number; points: number; withinM: number }
    | { fewPoints: number; withinM: number }
    | { cells: number; resolution: number; topShare: number; of: number | null }
  >("Campaign area", null, (a) => {
    if ("hub" in a) return `same-day deliveries from ${a.hub} reach ${formatDistance(a.reachM)}`;
    if ("maxM" in a) return `${a.platform} targets at most ${formatDistance(a.maxM)}, so the circle stops there (the reach is ${formatDistance(a.reachM)})`;
    if ("minM" in a) return `${a.platform} targets at least ${formatDistance(a.minM)}, more than the ${formatDistance(a.reachM)} reach: the circle would pay for people it cannot serve same-day`;
    if ("shrunkToM" in a)
      return `${a.share}% of the ${a.points} past ${plural(a.points, "order")} within ${formatDistance(a.withinM)} were within ${formatDistance(a.shrunkToM)}, so the circle is ${formatDistance(a.shrunkToM)}: the budget goes where the orders are`;
    if ("spreadM" in a)
      return `past orders spread over the reach (${a.share}% of ${a.points} within ${formatDistance(a.spreadM)}), so the circle keeps to ${formatDistance(a.withinM)}`;
    if ("fewPoints" in a)
      return a.fewPoints === 0
        ? `no past order within ${formatDistance(a.withinM)}: the circle keeps to the reach`
        : `only ${a.fewPoints} past ${plural(a.fewPoints, "order")} within ${formatDistance(a.withinM)}, too few to narrow the circle`;
    const busiest = a.cells > 0 ? `; the busiest had ${a.topShare}% of them` : "";
    return a.of === null
      ? `the circle is too wide to list every H3 cell: the ${a.cells} ${plural(a.cells, "cell")} (resolution ${a.resolution}) with past orders are listed${busiest}`
      : `${a.cells} of the ${a.of} H3 ${plural(a.of, "cell")} (resolution ${a.resolution}) inside the circle had past orders${busiest}`;
  }),
  CAMPAIGN_PRODUCT: spec<{ onHand: number; restocked: number; dailyDemand: number; coverDays: number | null; minUnits: number }>(
    "Advertised",
    null,
    (a) =>
      `${a.onHand} on hand${a.restocked > 0 ? ` (${a.restocked} restocked ${plural(a.restocked, "return")}, sold first)` : ""}${
        a.coverDays === null
          ? `, no local sales yet; at least ${a.minUnits} units to advertise`
          : `, about ${a.coverDays} ${plural(a.coverDays, "day")} of local demand at ${a.dailyDemand.toFixed(1)} a day`
      }`,
  ),
  CAMPAIGN_PRODUCT_SKIPPED: spec<{ sku: string; onHand: number; needs: number }>("Not advertised", null, (a) =>
    `${a.sku}: ${a.onHand} on hand, under the ${a.needs} units an ad needs behind it`,
  ),
  CAMPAIGN_BUDGET: spec<
    | { dailyMinor: number; days: number; totalMinor: number; currency: string; merchant: boolean }
    | { aovMinor: number; landedMinor: number; contributionMinor: number; currency: string }
    | { basis: "PROFIT" | "REVENUE"; targetBps: number; perOrderMinor: number; ordersPerDay: number; suggestedMinor: number; currency: string }
    | { lossPerOrderMinor: number; currency: string }
    | { raisedToMinor: number; currency: string; platform: string }
  >("Budget", null, (a) => {
    if ("merchant" in a)
      return `${formatMinor(a.dailyMinor, a.currency)} a day for ${a.days} ${plural(a.days, "day")}, ${formatMinor(a.totalMinor, a.currency)} in all (${a.merchant ? "the merchant's figure" : "the suggestion"})`;
    if ("contributionMinor" in a)
      return `an average order of ${formatMinor(a.aovMinor, a.currency)} less ${formatMinor(a.landedMinor, a.currency)} landed cost (delivery and expected return) leaves ${formatMinor(a.contributionMinor, a.currency)} per order`;
    if ("lossPerOrderMinor" in a)
      return `each order costs ${formatMinor(a.lossPerOrderMinor, a.currency)} more to deliver than it brings, so no spend pays back: the suggestion is the account minimum`;
    if ("raisedToMinor" in a) return `raised to the ${a.platform} account's minimum of ${formatMinor(a.raisedToMinor, a.currency)} a day`;
    return a.basis === "PROFIT"
      ? `for a profit ROAS of ${formatRoas(a.targetBps)} (profit after landed cost and ad spend, per unit of spend) an order may cost ${formatMinor(a.perOrderMinor, a.currency)} in ads (per-order margin ÷ (1 + target)); ${a.ordersPerDay} ${plural(a.ordersPerDay, "order")} a day: ${formatMinor(a.suggestedMinor, a.currency)} a day`
      : `for a revenue ROAS of ${formatRoas(a.targetBps)} an order may cost ${formatMinor(a.perOrderMinor, a.currency)} in ads (average order ÷ target); ${a.ordersPerDay} ${plural(a.ordersPerDay, "order")} a day: ${formatMinor(a.suggestedMinor, a.currency)} a day`;
  }),
  CAMPAIGN_HOURS: spec<{ cutoff: string; zone: string; days: number }>("Same-day hours", null, (a) =>
    `ads run from opening to the ${a.cutoff} same-day cut-off (${a.zone}), ${a.days} ${plural(a.days, "day")} a week, and pause when an order could no longer leave today`,
  ),
  CAMPAIGN_PLAN: spec<{ hub: string; days: number; startsOn: string; endsOn: string; radiusM: number; products: number; dailyMinor: number; totalMinor: number; currency: string; platform: string }>(
    "Campaign plan",
    null,
    (a) =>
      `a ${a.days}-day test on ${a.platform} from ${a.startsOn} to ${a.endsOn} around ${a.hub}: a ${formatDistance(a.radiusM)} circle, ${a.products} ${plural(a.products, "product")}, ${formatMinor(a.dailyMinor, a.currency)} a day (${formatMinor(a.totalMinor, a.currency)} in all)`,
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
