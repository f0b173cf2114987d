// A wave's (and a day's) delivery rounds: each way the hub can drive the wave (one of its vehicle
// kinds, or the subscription courier) is routed with the VRP heuristic on great-circle distances ×
// that option's circuity, within its capacity, stop limit, shift and number of vehicles; the
// cheapest option that serves the most stops is chosen, with the others and why they lost in words.
// One option per wave: a wave is not split between vans and bikes (ADR 0031).
import { formatDistance, greatCircleM } from "../geo/distance";
import { clockFor, formatLocalTime, MINUTE_MS, parseLocalTime } from "../geo/localTime";
import { formatMinor } from "../money/money";
import {
  fleetOptions,
  minutesPerMetre,
  optionLabel,
  routeCostMinor,
  routeLimit,
  stopLimit,
  type Fleet,
  type FleetOption,
} from "./fleet";
import { solveVrp, vrpProblem } from "./vrp";
import { groupIntoWaves, type RoundOrder, type RoundsHub, type Wave } from "./waves";

export interface PlanOptions {
  /** Seed of the route search (same seed, same routes). */
  seed?: number;
  /** Ruin-and-recreate iterations per option (see vrp.ts); default 300. */
  iterations?: number;
}

export interface PlannedStop {
  orderId: string;
  /** UTC ms the rider is expected at the door. */
  arriveAt: number;
}

export interface PlannedRoute {
  optionId: string;
  optionName: string;
  /** Which of the option's vehicles drives it (1-based); a vehicle may drive several routes in turn. */
  vehicle: number;
  stops: PlannedStop[];
  roadM: number;
  minutes: number;
  departAt: number;
  returnAt: number;
  loadGrams: number;
  costMinor: number;
  costPerStopMinor: number;
  reasons: string[];
}

export interface OptionOutcome {
  optionId: string;
  optionName: string;
  /** Whether this option can drive the wave (every stop it can carry, within its vehicles). */
  ok: boolean;
  served: number;
  routes: number;
  roadM: number;
  totalMinor: number;
  reason: string;
}

export interface WavePlan {
  wave: Pick<Wave, "key" | "day" | "label" | "cutoffAt" | "dispatchAt">;
  chosenOptionId: string | null;
  routes: PlannedRoute[];
  /** Route costs plus the wave's share of the courier's day fee, when the courier drives it. */
  totalMinor: number;
  perStopMinor: number | null;
  roadM: number;
  options: OptionOutcome[];
  unserved: { orderId: string; reason: string }[];
  reasons: string[];
}

export interface DayPlan {
  waves: WavePlan[];
  stops: number;
  totalMinor: number;
  perStopMinor: number | null;
  roadM: number;
}

export function formatMinutes(m: number): string {
  const r = Math.round(m);
  return r < 60 ? `${r} min` : `${Math.floor(r / 60)} h ${String(r % 60).padStart(2, "0")} min`;
}

interface Solved {
  option: FleetOption;
  outcome: OptionOutcome;
  routes: PlannedRoute[];
  unserved: { orderId: string; reason: string }[];
}

/**
 * Rounds for one wave. `courierDayFeeShareMinor` is the part of the subscription courier's day fee
 * this wave carries if the courier drives it (planDay shares the fee evenly over the day's waves).
 */
export function planWave(hub: RoundsHub, fleet: Fleet, wave: Wave, options: PlanOptions = {}, courierDayFeeShareMinor = 0): WavePlan {
  const cur = fleet.currency;
  const clock = clockFor(hub.timeZone);
  const orders = wave.orders;
  const n = orders.length + 1;
  const lat = [hub.latitude, ...orders.map((o) => o.latitude)];
  const lng = [hub.longitude, ...orders.map((o) => o.longitude)];
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) G[i * n + j] = G[j * n + i] = greatCircleM(lat[i], lng[i], lat[j], lng[j]);
  const demand = [0, ...orders.map((o) => o.weightGrams)];
  const waveInfo = { key: wave.key, day: wave.day, label: wave.label, cutoffAt: wave.cutoffAt, dispatchAt: wave.dispatchAt };
  const base = { wave: waveInfo, routes: [], totalMinor: 0, perStopMinor: null, roadM: 0, unserved: [] };
  if (orders.length === 0) return { ...base, chosenOptionId: null, options: [], reasons: [`${wave.label}: no orders`] };

  const solved: Solved[] = [];
  const excluded: OptionOutcome[] = [];
  const dispatchMinute = clock.local(wave.dispatchAt).minuteOfDay;
  for (const option of fleetOptions(fleet)) {
    const label = optionLabel(option);
    const start = parseLocalTime(option.shiftStart), end = parseLocalTime(option.shiftEnd);
    const departMinute = Math.max(dispatchMinute, start);
    const outcomeBase = { optionId: option.id, optionName: label, ok: false, served: 0, routes: 0, roadM: 0, totalMinor: 0 };
    if (departMinute >= end) {
      excluded.push({ ...outcomeBase, reason: `${label}: the shift ends at ${option.shiftEnd}, before the wave leaves at ${formatLocalTime(dispatchMinute)}` });
      continue;
    }
    const departAt = wave.dispatchAt + (departMinute - dispatchMinute) * MINUTE_MS;
    const maxMinutes = Math.min(end - departMinute, option.maxRouteMinutes ?? Infinity);
    const D = new Float64Array(n * n);
    for (let k = 0; k < D.length; k++) D[k] = G[k] * option.circuityFactor;
    const problem = vrpProblem({
      size: n,
      distance: D,
      demand,
      capacity: option.capacityGrams ?? Infinity,
      maxStops: stopLimit(option) ?? Infinity,
      minutesPerUnit: minutesPerMetre(option),
      serviceMinutes: option.serviceMinutesPerStop,
      fixedMinutes: option.loadMinutesPerRoute,
      maxMinutes,
      maxRoutes: routeLimit(option),
    });
    // First as if every route had its own vehicle, then the routes are laid end to end on the
    // vehicles there are (a rider back at the hub takes the next round) if they fit in the shift;
    // only when they do not, the routes are searched again with at most one per vehicle.
    const search = { seed: options.seed ?? 1, iterations: options.iterations ?? 300 };
    const limit = routeLimit(option);
    const shiftMinutes = end - departMinute;
    const minutesOf = (roadM: number, stops: number) => roadM * problem.minutesPerUnit + stops * problem.serviceMinutes + problem.fixedMinutes;
    let sol = solveVrp({ ...problem, maxRoutes: Infinity }, search);
    let trips = scheduleTrips(sol.routes.map((r, k) => minutesOf(sol.routeDistances[k], r.length)), limit, shiftMinutes);
    if (!trips) {
      sol = solveVrp(problem, search);
      trips = sol.withinFleet ? sol.routes.map((_, k) => ({ vehicle: k + 1, startMinute: 0 })) : null;
    }
    const unserved = sol.unserved.map((v) => {
      const o = orders[v - 1];
      const heavy = option.capacityGrams != null && o.weightGrams > option.capacityGrams;
      return {
        orderId: o.id,
        reason: heavy
          ? `${label}: ${o.weightGrams} g is over its ${option.capacityGrams} g a route`
          : `${label}: ${formatDistance(2 * D[v])} there and back does not fit in ${formatMinutes(maxMinutes)} left of the shift`,
      };
    });
    const routes = sol.routes.map((r, k) =>
      describeRoute(option, r, sol.routeDistances[k], orders, D, demand, departAt + Math.round((trips?.[k].startMinute ?? 0) * MINUTE_MS), cur, k + 1, trips?.[k].vehicle ?? k + 1, (ms) => clock.local(ms).minuteOfDay),
    );
    let total = courierDayFeeShareMinor * (option.kind === "subscription" ? 1 : 0);
    for (const r of routes) total += r.costMinor;
    const served = orders.length - unserved.length;
    const ok = trips != null && served > 0;
    const reason = !trips
      ? `${label}: needs ${routes.length} routes to fit in the ${formatMinutes(maxMinutes)} it has, more than its ${limit} can drive one after another`
      : served === 0
        ? `${label}: can carry none of the ${orders.length} orders`
        : `${label}: ${routes.length} route${routes.length === 1 ? "" : "s"}, ${formatDistance(sol.distance)}, ${formatMinor(total, cur)} (${formatMinor(Math.round(total / served), cur)} a stop)` +
          (unserved.length ? `, ${unserved.length} order${unserved.length === 1 ? "" : "s"} it cannot carry` : "") +
          (option.kind === "subscription" && courierDayFeeShareMinor > 0 ? `, of which ${formatMinor(courierDayFeeShareMinor, cur)} is this wave's share of the day fee` : "");
    const outcome = { ...outcomeBase, ok, served, routes: routes.length, roadM: sol.distance, totalMinor: total, reason };
    if (ok) solved.push({ option, outcome, routes, unserved });
    else excluded.push(outcome);
  }

  solved.sort((a, b) => b.outcome.served - a.outcome.served || a.outcome.totalMinor - b.outcome.totalMinor);
  const all = [...solved.map((s) => s.outcome), ...excluded];
  const best = solved[0];
  if (!best) {
    return {
      ...base,
      chosenOptionId: null,
      options: all,
      unserved: orders.map((o) => ({ orderId: o.id, reason: "no vehicle or courier of the hub can take this wave" })),
      reasons: [`${wave.label}: ${orders.length} orders and nothing to drive them`, ...excluded.map((e) => e.reason)],
    };
  }
  const served = best.outcome.served;
  const others = all.filter((o) => o !== best.outcome);
  const reasons = [
    `${wave.label}: ${orders.length} order${orders.length === 1 ? "" : "s"}, driven by ${best.outcome.optionName} at ${formatMinor(best.outcome.totalMinor, cur)} (${formatMinor(Math.round(best.outcome.totalMinor / served), cur)} a stop)`,
    ...others.map((o) => (o.ok ? `not ${o.reason}` : o.reason)),
    ...best.routes.flatMap((r) => r.reasons),
  ];
  return {
    wave: waveInfo,
    chosenOptionId: best.option.id,
    routes: best.routes,
    totalMinor: best.outcome.totalMinor,
    perStopMinor: Math.round(best.outcome.totalMinor / served),
    roadM: best.outcome.roadM,
    options: all,
    unserved: best.unserved,
    reasons,
  };
}

function describeRoute(
  option: FleetOption,
  route: number[],
  roadM: number,
  orders: readonly RoundOrder[],
  D: Float64Array,
  demand: number[],
  departAt: number,
  currency: string,
  index: number,
  vehicle: number,
  localMinute: (utcMs: number) => number,
): PlannedRoute {
  const n = orders.length + 1;
  const perM = minutesPerMetre(option);
  let clockMin = option.loadMinutesPerRoute;
  let prev = 0;
  let load = 0;
  const stops: PlannedStop[] = [];
  for (const v of route) {
    clockMin += D[prev * n + v] * perM;
    stops.push({ orderId: orders[v - 1].id, arriveAt: departAt + Math.round(clockMin * MINUTE_MS) });
    clockMin += option.serviceMinutesPerStop;
    load += demand[v];
    prev = v;
  }
  const minutes = roadM * perM + route.length * option.serviceMinutesPerStop + option.loadMinutesPerRoute;
  const costMinor = routeCostMinor(option, roadM, minutes, route.length);
  const name = optionLabel(option);
  return {
    optionId: option.id,
    optionName: name,
    vehicle,
    stops,
    roadM,
    minutes,
    departAt,
    returnAt: departAt + Math.round(minutes * MINUTE_MS),
    loadGrams: load,
    costMinor,
    costPerStopMinor: Math.round(costMinor / route.length),
    reasons: [
      `route ${index} by ${name}${option.kind === "subscription" ? "" : ` no. ${vehicle}`}: ${route.length} stop${route.length === 1 ? "" : "s"}, ${formatDistance(roadM)}, ${formatMinutes(minutes)}` +
        ` (leaves ${formatLocalTime(localMinute(departAt))}), ${(load / 1000).toFixed(1)} kg; ${formatMinor(costMinor, currency)}, ${formatMinor(Math.round(costMinor / route.length), currency)} a stop`,
    ],
  };
}

/**
 * Routes laid end to end on `vehicles` vehicles, longest first onto the one free soonest, each
 * vehicle within `shiftMinutes` from the wave's departure; null when they do not fit.
 */
export function scheduleTrips(routeMinutes: readonly number[], vehicles: number, shiftMinutes: number): { vehicle: number; startMinute: number }[] | null {
  if (routeMinutes.length <= vehicles) return routeMinutes.map((_, k) => ({ vehicle: k + 1, startMinute: 0 }));
  const free = new Array(vehicles).fill(0);
  const out: { vehicle: number; startMinute: number }[] = new Array(routeMinutes.length);
  const order = routeMinutes.map((m, k) => k).sort((a, b) => routeMinutes[b] - routeMinutes[a] || a - b);
  for (const k of order) {
    let v = 0;
    for (let i = 1; i < vehicles; i++) if (free[i] < free[v]) v = i;
    if (free[v] + routeMinutes[k] > shiftMinutes + 1e-9) return null;
    out[k] = { vehicle: v + 1, startMinute: free[v] };
    free[v] += routeMinutes[k];
  }
  return out;
}

/**
 * A day of a hub's orders: waves by cut-off, each planned; the subscription courier's day fee is
 * shared evenly by the day's waves when comparing it, and counted once a day it drives any.
 */
export function planDay(hub: RoundsHub, fleet: Fleet, orders: readonly RoundOrder[], options: PlanOptions = {}): DayPlan {
  const waves = groupIntoWaves(hub, orders);
  const dayFee = fleet.subscription?.feePerDayMinor ?? 0;
  const perDay = new Map<number, number>();
  for (const w of waves) perDay.set(w.day, (perDay.get(w.day) ?? 0) + 1);
  const plans = waves.map((w) => planWave(hub, fleet, w, options, dayFee > 0 ? Math.round(dayFee / perDay.get(w.day)!) : 0));
  // The day fee once for each day the courier drives any wave, not the shares used to compare.
  const courierId = fleet.subscription?.id;
  const courierDays = new Set<number>();
  let total = 0, stops = 0, road = 0;
  for (const p of plans) {
    const byCourier = courierId != null && p.chosenOptionId === courierId;
    if (byCourier) courierDays.add(p.wave.day);
    total += p.totalMinor - (byCourier && dayFee > 0 ? Math.round(dayFee / perDay.get(p.wave.day)!) : 0);
    stops += p.routes.reduce((s, r) => s + r.stops.length, 0);
    road += p.roadM;
  }
  total += dayFee * courierDays.size;
  return { waves: plans, stops, totalMinor: total, perStopMinor: stops ? Math.round(total / stops) : null, roadM: road };
}
