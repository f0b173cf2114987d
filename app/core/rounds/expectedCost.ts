// The expected cost of one more local delivery from a hub, per hub, cell and hour, without routing:
// how many stops a wave gathers at that density, how long its rounds are by the continuous
// approximation (approximation.ts), and what each of the hub's ways of driving them costs. This is
// the figure the cost engine will price a local delivery with until there is order history to plan
// rounds on (ADR 0031): `expectedCostPerStop(hub, fleet, { stopsPerHour, areaKm2 })`.
import { formatDistance } from "../geo/distance";
import { formatLocalTime, parseLocalTime } from "../geo/localTime";
import { formatMinor } from "../money/money";
import { approximateRoundsM, DAGANZO_K, meanDistanceFromCentreM } from "./approximation";
import { fleetOptions, minutesPerMetre, optionLabel, routeCostMinor, routeLimit, stopLimit, type Fleet, type FleetOption } from "./fleet";
import { formatMinutes } from "./plan";
import type { RoundsHub } from "./waves";

export interface DensityInput {
  /** Expected local orders an hour over the area (a cell, or the hub's service area) at that hour. */
  stopsPerHour: number;
  /** Area those orders spread over, km². */
  areaKm2: number;
  /** Mean straight-line metres from the hub to the stops; default: a disc around the hub (2R/3). */
  lineHaulM?: number;
  /** Hours of orders one wave gathers; default: the mean gap between the hub's cut-offs (24 with one). */
  waveHours?: number;
  /** Mean parcel weight, to turn capacity in grams into stops; default 1,500 g. */
  meanWeightGrams?: number;
  /** Local minute of day the wave leaves, to check shifts; default: shifts are not checked. */
  atMinute?: number;
  /** Waves a day sharing the subscription courier's day fee; default: the hub's cut-offs. */
  wavesPerDay?: number;
  /** Daganzo's k (approximation.ts). */
  k?: number;
}

export interface ExpectedOption {
  optionId: string;
  optionName: string;
  ok: boolean;
  stopsPerRoute: number;
  routes: number;
  roadM: number;
  minutes: number;
  totalMinor: number;
  perStopMinor: number | null;
  reason: string;
}

export interface ExpectedCost {
  ok: boolean;
  currency: string;
  /** Expected cost of a stop with the cheapest option; null when no option can drive the wave. */
  perStopMinor: number | null;
  optionId: string | null;
  stopsPerWave: number;
  options: ExpectedOption[];
  reasons: string[];
}

export function defaultWaveHours(hub: RoundsHub): number {
  const cs = hub.cutoffs.map(parseLocalTime);
  return cs.length > 1 ? (cs[cs.length - 1] - cs[0]) / (cs.length - 1) / 60 : 24;
}

export function expectedCostPerStop(hub: RoundsHub, fleet: Fleet, input: DensityInput): ExpectedCost {
  const cur = fleet.currency;
  const areaM2 = input.areaKm2 * 1e6;
  const waveHours = input.waveHours ?? defaultWaveHours(hub);
  // A wave with fewer than one expected order still drives one stop when an order comes.
  const stops = Math.max(1, input.stopsPerHour * waveHours);
  const lineHaulM = input.lineHaulM ?? meanDistanceFromCentreM(areaM2);
  const weight = input.meanWeightGrams ?? 1500;
  const wavesPerDay = input.wavesPerDay ?? hub.cutoffs.length;
  const options = fleetOptions(fleet).map((o) => expectedFor(o, { stops, areaM2, lineHaulM, weight, wavesPerDay, atMinute: input.atMinute, k: input.k ?? DAGANZO_K }, cur));
  const ok = options.filter((o) => o.ok).sort((a, b) => a.totalMinor - b.totalMinor);
  const best = ok[0] ?? null;
  const head = `${Number(input.stopsPerHour.toFixed(2))} orders an hour over ${Number(input.areaKm2.toFixed(1))} km², ${Number(stops.toFixed(1))} a wave of ${Number(waveHours.toFixed(2))} h`;
  return {
    ok: best != null,
    currency: cur,
    perStopMinor: best?.perStopMinor ?? null,
    optionId: best?.optionId ?? null,
    stopsPerWave: stops,
    options,
    reasons: best
      ? [`${head}: ${best.optionName} at ${formatMinor(best.perStopMinor!, cur)} a stop`, ...options.filter((o) => o !== best).map((o) => (o.ok ? `not ${o.reason}` : o.reason)), best.reason]
      : [`${head}: nothing of the hub's can drive it`, ...options.map((o) => o.reason)],
  };
}

interface Ctx {
  stops: number;
  areaM2: number;
  lineHaulM: number;
  weight: number;
  wavesPerDay: number;
  atMinute: number | undefined;
  k: number;
}

function expectedFor(o: FleetOption, c: Ctx, cur: string): ExpectedOption {
  const label = optionLabel(o);
  const none = { optionId: o.id, optionName: label, ok: false, stopsPerRoute: 0, routes: 0, roadM: 0, minutes: 0, totalMinor: 0, perStopMinor: null };
  const start = parseLocalTime(o.shiftStart), end = parseLocalTime(o.shiftEnd);
  if (c.atMinute != null && (c.atMinute < start || c.atMinute >= end)) {
    return { ...none, reason: `${label}: off shift at ${formatLocalTime(c.atMinute)} (${o.shiftStart}–${o.shiftEnd})` };
  }
  const byWeight = o.capacityGrams == null ? Infinity : Math.floor(o.capacityGrams / c.weight);
  if (byWeight < 1) return { ...none, reason: `${label}: a ${c.weight} g parcel is over its ${o.capacityGrams} g a route` };
  const shiftMinutes = c.atMinute != null ? end - Math.max(c.atMinute, start) : end - start;
  const maxMinutes = Math.min(shiftMinutes, o.maxRouteMinutes ?? Infinity);
  const perM = minutesPerMetre(o);
  const evalWith = (perRoute: number) => {
    const a = approximateRoundsM({ stops: c.stops, areaM2: c.areaM2, lineHaulM: c.lineHaulM, stopsPerRoute: perRoute, k: c.k });
    const roadM = a.totalM * o.circuityFactor;
    const minutes = roadM * perM + c.stops * o.serviceMinutesPerStop + a.routes * o.loadMinutesPerRoute;
    return { a, roadM, minutes };
  };
  // The most stops a route may take: its limits, then fewer while an average route overruns the time it has.
  let perRoute = Math.min(stopLimit(o) ?? Infinity, byWeight, Math.ceil(c.stops));
  let e = evalWith(perRoute);
  while (perRoute > 1 && e.minutes / e.a.routes > maxMinutes) e = evalWith(--perRoute);
  if (e.minutes / e.a.routes > maxMinutes) {
    return { ...none, reason: `${label}: even one stop takes ${formatMinutes(e.minutes / e.a.routes)} there and back, more than the ${formatMinutes(maxMinutes)} it has` };
  }
  const limit = routeLimit(o);
  // More routes than vehicles: each drives ⌈routes ÷ vehicles⌉ in turn, if that fits in the shift.
  const turns = Math.ceil(e.a.routes / limit);
  if (turns > 1 && turns * (e.minutes / e.a.routes) > shiftMinutes) {
    return { ...none, stopsPerRoute: perRoute, routes: e.a.routes, reason: `${label}: needs ${e.a.routes} routes, more than its ${limit} can drive one after another in ${formatMinutes(shiftMinutes)}` };
  }
  const dayShare = o.kind === "subscription" && o.feePerDayMinor > 0 ? Math.round(o.feePerDayMinor / Math.max(1, c.wavesPerDay)) : 0;
  // Time and distance for the hub's vehicles, route and stop fees for the courier (as routeCostMinor,
  // over the whole wave: the stops a wave expects need not be a whole number).
  const totalMinor =
    o.kind === "subscription"
      ? o.feePerRouteMinor * e.a.routes + Math.round(o.feePerStopMinor * c.stops) + dayShare
      : routeCostMinor(o, e.roadM, e.minutes, 0);
  const perStopMinor = Math.round(totalMinor / c.stops);
  return {
    optionId: o.id,
    optionName: label,
    ok: true,
    stopsPerRoute: perRoute,
    routes: e.a.routes,
    roadM: e.roadM,
    minutes: e.minutes,
    totalMinor,
    perStopMinor,
    reason:
      `${label}: ${e.a.routes} route${e.a.routes === 1 ? "" : "s"} of up to ${perRoute} stops${turns > 1 ? ` (${turns} in turn for each of ${limit})` : ""}, about ${formatDistance(e.roadM)} by road ` +
      `(${formatDistance(e.a.lineHaulM * o.circuityFactor)} out and back, ${formatDistance(e.a.localM * o.circuityFactor)} between stops), ${formatMinutes(e.minutes)}; ` +
      `${formatMinor(totalMinor, cur)} a wave, ${formatMinor(perStopMinor, cur)} a stop` +
      (dayShare ? ` (with ${formatMinor(dayShare, cur)} of the day fee)` : ""),
  };
}
