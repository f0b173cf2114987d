// Delivery rounds (issue 16 item 1): how good the route heuristic is, and how close the continuous
// approximation that costing will use comes to it. Run: npm run bench:rounds
//   (ITERATIONS=… ruin-and-recreate iterations per instance (1000), SEED=…, SEEDS=… generated days per size (5)).
//
// (a) Sixteen CVRPLIB instances of Augerat's sets A, B and P with proven optima (bench/data/cvrplib),
//     distances the CVRPLIB way (EUC_2D: Euclidean rounded to an integer), at most the optimum's number
//     of routes: the cost found, the optimum, the gap; and, in the same run, savings + local search
//     alone (no ruin and recreate) as the baseline. Every solution is checked: each customer once,
//     capacity respected, its length recomputed from the matrix.
// (b) Generated days around a Brooklyn hub (seeded; addresses spread over a 4 km disc): the
//     heuristic's total route length against Daganzo's approximation 2·r·⌈N/C⌉ + 0.57·√(N·A) with r the
//     mean distance of a disc (what costing knows: an area, not the addresses).
// (c) One fleet's cost per stop, routed (planWave) against expected (expectedCostPerStop), by density.
// The last line is one JSON object with the figures, the targets and whether each passed.
import { greatCircleM } from "../app/core/geo/distance";
import {
  approximateRoundsM,
  expectedCostPerStop,
  fleetSchema,
  groupIntoWaves,
  meanDistanceFromCentreM,
  planWave,
  roundsHubSchema,
  routeDistance,
  solveVrp,
  vrpProblem,
  type VrpProblem,
  type VrpSolution,
} from "../app/core/rounds";
import { cvrplibNames, loadCvrp } from "../test/core/rounds/cvrplib";
import { BROOKLYN, generateDay } from "../test/core/rounds/generate";

const ITERATIONS = Number(process.env.ITERATIONS ?? 1000);
const SEED = Number(process.env.SEED ?? 20261203);
const SEEDS = Math.max(1, Number(process.env.SEEDS ?? 5));

const TARGETS = {
  meanGapPercent: 2,
  maxGapPercent: 5,
  /** Dense generated days (≥ 40 stops): |approximation ÷ heuristic − 1|. */
  denseMeanApproxErrorPercent: 7.5,
  denseMaxApproxErrorPercent: 15,
  /** (c): |expected ÷ routed cost per stop − 1| at each density. */
  maxCostPerStopErrorPercent: 15,
};

const round = (x: number, d = 2) => Number(x.toFixed(d));

function check(p: VrpProblem, s: VrpSolution, name: string): void {
  const seen = new Set<number>();
  let total = 0;
  s.routes.forEach((r, k) => {
    let load = 0;
    for (const v of r) {
      if (seen.has(v)) throw new Error(`${name}: customer ${v} visited twice`);
      seen.add(v);
      load += p.demand[v];
    }
    if (load > p.capacity) throw new Error(`${name}: route ${k + 1} carries ${load} over ${p.capacity}`);
    const len = routeDistance(p.distance, p.size, r);
    if (Math.abs(len - s.routeDistances[k]) > 1e-6) throw new Error(`${name}: route ${k + 1} length ${s.routeDistances[k]} is really ${len}`);
    total += len;
  });
  if (seen.size + s.unserved.length !== p.size - 1) throw new Error(`${name}: ${p.size - 1 - seen.size} customers not visited`);
  if (Math.abs(total - s.distance) > 1e-6) throw new Error(`${name}: total ${s.distance} is really ${total}`);
}

function partA() {
  console.log(`(a) CVRPLIB, ${ITERATIONS} ruin-and-recreate iterations, seed ${SEED}`);
  console.log(`  ${"instance".padEnd(11)} ${"n".padStart(3)} ${"optimum".padStart(8)} ${"found".padStart(7)} ${"gap".padStart(7)} ${"routes".padStart(7)} ${"ms".padStart(6)}   ${"savings+LS".padStart(10)} ${"gap".padStart(7)} ${"routes".padStart(7)}`);
  const rows = [];
  for (const name of cvrplibNames()) {
    const inst = loadCvrp(name);
    if (inst.optimum == null) throw new Error(`${name}: no optimum in its comment line`);
    const problem = { ...inst.problem, maxRoutes: inst.trucks ?? Infinity };
    const base = solveVrp(problem, { seed: SEED, iterations: 0 });
    const t0 = performance.now();
    const sol = solveVrp(problem, { seed: SEED, iterations: ITERATIONS });
    const ms = performance.now() - t0;
    check(problem, sol, name);
    check(problem, base, `${name} (savings)`);
    if (!sol.withinFleet) throw new Error(`${name}: ${sol.routes.length} routes, more than ${inst.trucks}`);
    const gap = ((sol.distance - inst.optimum) / inst.optimum) * 100;
    const baseGap = ((base.distance - inst.optimum) / inst.optimum) * 100;
    rows.push({ name, customers: problem.size - 1, optimum: inst.optimum, found: sol.distance, gapPercent: round(gap), routes: sol.routes.length, trucks: inst.trucks, ms: Math.round(ms), savingsFound: base.distance, savingsGapPercent: round(baseGap), savingsRoutes: base.routes.length });
    console.log(
      `  ${name.padEnd(11)} ${String(problem.size - 1).padStart(3)} ${String(inst.optimum).padStart(8)} ${String(sol.distance).padStart(7)} ${gap.toFixed(2).padStart(6)}% ${`${sol.routes.length}/${inst.trucks}`.padStart(7)} ${String(Math.round(ms)).padStart(6)}   ${String(base.distance).padStart(10)} ${baseGap.toFixed(2).padStart(6)}% ${String(base.routes.length).padStart(7)}`,
    );
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const meanGap = mean(rows.map((r) => r.gapPercent));
  const maxGap = Math.max(...rows.map((r) => r.gapPercent));
  const atOptimum = rows.filter((r) => r.found === r.optimum).length;
  const savingsMean = mean(rows.map((r) => r.savingsGapPercent));
  console.log(`  mean gap ${meanGap.toFixed(2)}% (target ≤ ${TARGETS.meanGapPercent}%), worst ${maxGap.toFixed(2)}% (target ≤ ${TARGETS.maxGapPercent}%), ${atOptimum} of ${rows.length} at the optimum; savings + local search alone: mean ${savingsMean.toFixed(2)}% (it may use more routes than the optimum, so it can come out below it)`);
  return { rows, meanGap: round(meanGap), maxGap: round(maxGap), atOptimum, savingsMean: round(savingsMean) };
}

function partB() {
  const radiusM = 4000;
  console.log(`\n(b) generated days around Brooklyn (${radiusM / 1000} km disc, ${SEEDS} seeds each): Daganzo's approximation ÷ the heuristic's length`);
  console.log(`  ${"stops".padStart(5)} ${"C".padStart(3)} ${"heuristic km".padStart(13)} ${"approx km".padStart(10)} ${"ratio mean".padStart(11)} ${"min".padStart(6)} ${"max".padStart(6)}`);
  const cells = [];
  const dense: number[] = [];
  for (const C of [8, 15, 30]) {
    for (const N of [20, 40, 80, 160]) {
      const ratios: number[] = [];
      let hKm = 0, aKm = 0;
      for (let s = 0; s < SEEDS; s++) {
        const day = generateDay(SEED + 1000 * N + 7 * C + s, N, radiusM, 0, 3600e3);
        const pts = [BROOKLYN, ...day.orders];
        const n = pts.length;
        const D = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) D[i * n + j] = greatCircleM(pts[i].latitude, pts[i].longitude, pts[j].latitude, pts[j].longitude);
        const sol = solveVrp(vrpProblem({ size: n, distance: D, demand: new Array(n).fill(0), maxStops: C }), { seed: SEED, iterations: 300 });
        const ap = approximateRoundsM({ stops: N, areaM2: day.areaM2, lineHaulM: meanDistanceFromCentreM(day.areaM2), stopsPerRoute: C });
        ratios.push(ap.totalM / sol.distance);
        hKm += sol.distance / 1000 / SEEDS;
        aKm += ap.totalM / 1000 / SEEDS;
        if (N >= 40) dense.push(Math.abs(ap.totalM / sol.distance - 1) * 100);
      }
      const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
      cells.push({ stops: N, stopsPerRoute: C, heuristicKm: round(hKm, 1), approxKm: round(aKm, 1), ratioMean: round(mean, 3), ratioMin: round(Math.min(...ratios), 3), ratioMax: round(Math.max(...ratios), 3) });
      console.log(`  ${String(N).padStart(5)} ${String(C).padStart(3)} ${hKm.toFixed(1).padStart(13)} ${aKm.toFixed(1).padStart(10)} ${mean.toFixed(3).padStart(11)} ${Math.min(...ratios).toFixed(3).padStart(6)} ${Math.max(...ratios).toFixed(3).padStart(6)}`);
    }
  }
  const denseMean = dense.reduce((a, b) => a + b, 0) / dense.length;
  const denseMax = Math.max(...dense);
  console.log(`  days with ≥ 40 stops: mean |error| ${denseMean.toFixed(1)}% (target ≤ ${TARGETS.denseMeanApproxErrorPercent}%), worst ${denseMax.toFixed(1)}% (target ≤ ${TARGETS.denseMaxApproxErrorPercent}%)`);
  return { cells, denseMean: round(denseMean, 1), denseMax: round(denseMax, 1) };
}

function partC() {
  const hub = roundsHubSchema.parse({ id: "bk", name: "Brooklyn hub", ...BROOKLYN, timeZone: "America/New_York", cutoffs: ["11:00", "15:00", "19:00"] });
  const fleet = fleetSchema.parse({
    currency: "USD",
    vehicles: [{ id: "bike", name: "Cargo bikes", kind: "cargo_bike", count: 6, capacityStops: 20, capacityGrams: 80_000, speedKmh: 14, costPerHourMinor: 2400, costPerKmMinor: 5, shiftStart: "09:00", shiftEnd: "22:00" }],
    subscription: null,
  });
  const radiusM = 3000;
  console.log(`\n(c) cargo bikes (24 USD/h, 0.05 USD/km, 20 stops a route), ${radiusM / 1000} km around the hub: cost per stop routed vs expected`);
  console.log(`  ${"orders/h".padStart(8)} ${"routed".padStart(10)} ${"expected".padStart(10)} ${"difference".padStart(11)}`);
  const out = [];
  for (const perHour of [1, 2.5, 5, 10, 20]) {
    let routed = 0, stops = 0;
    for (let s = 0; s < SEEDS; s++) {
      // Orders placed between 11:00 and 15:00 New York time go out with the 15:00 wave.
      const from = Date.UTC(2026, 11, 3, 16, 0, 1);
      const day = generateDay(SEED + Math.round(perHour * 10) * 31 + s, Math.max(1, Math.round(perHour * 4)), radiusM, from, 4 * 3600e3 - 2000);
      const waves = groupIntoWaves(hub, day.orders);
      if (waves.length !== 1) throw new Error(`expected one wave, got ${waves.length}`);
      const wave = waves[0];
      const plan = planWave(hub, fleet, wave, { seed: SEED, iterations: 200 });
      routed += plan.totalMinor;
      stops += wave.orders.length;
    }
    const e = expectedCostPerStop(hub, fleet, { stopsPerHour: perHour, areaKm2: (Math.PI * radiusM * radiusM) / 1e6 });
    const routedPerStop = routed / stops;
    const diff = ((e.perStopMinor! - routedPerStop) / routedPerStop) * 100;
    out.push({ ordersPerHour: perHour, routedPerStopMinor: Math.round(routedPerStop), expectedPerStopMinor: e.perStopMinor, differencePercent: round(diff, 1) });
    console.log(`  ${String(perHour).padStart(8)} ${(routedPerStop / 100).toFixed(2).padStart(6)} USD ${(e.perStopMinor! / 100).toFixed(2).padStart(6)} USD ${diff.toFixed(1).padStart(10)}%`);
  }
  return out;
}

const a = partA();
const b = partB();
const c = partC();
const pass = {
  meanGap: a.meanGap <= TARGETS.meanGapPercent,
  maxGap: a.maxGap <= TARGETS.maxGapPercent,
  denseMeanApprox: b.denseMean <= TARGETS.denseMeanApproxErrorPercent,
  denseMaxApprox: b.denseMax <= TARGETS.denseMaxApproxErrorPercent,
  costPerStop: c.every((r) => Math.abs(r.differencePercent) <= TARGETS.maxCostPerStopErrorPercent),
};
console.log(`\n${JSON.stringify({
  iterations: ITERATIONS,
  seed: SEED,
  cvrplib: { instances: a.rows, meanGapPercent: a.meanGap, maxGapPercent: a.maxGap, atOptimum: a.atOptimum, savingsOnlyMeanGapPercent: a.savingsMean },
  generatedDays: { cells: b.cells, denseMeanErrorPercent: b.denseMean, denseMaxErrorPercent: b.denseMax },
  costPerStop: c,
  targets: TARGETS,
  pass,
  ok: Object.values(pass).every(Boolean),
})}`);
