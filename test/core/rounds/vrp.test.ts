// The route heuristic on its own: feasibility, determinism, 2-opt, and optimality on instances
// whose optimum is known (a brute-forced tiny one and CVRPLIB's P-n16-k8).
import { describe, expect, it } from "vitest";
import { routeDistance, solveVrp, twoOpt, vrpProblem, type VrpProblem, type VrpSolution } from "../../../app/core/rounds/vrp";
import { seededRng } from "../../../app/core/rounds/random";
import { loadCvrp } from "./cvrplib";

/** Random points on a 100 × 100 square, depot in the middle, Euclidean distances. */
function randomProblem(seed: number, customers: number, extra: Partial<VrpProblem> = {}): VrpProblem {
  const rng = seededRng(seed);
  const xs = [50], ys = [50], demand = [0];
  for (let i = 0; i < customers; i++) {
    xs.push(rng() * 100);
    ys.push(rng() * 100);
    demand.push(1 + Math.floor(rng() * 20));
  }
  const n = customers + 1;
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) D[i * n + j] = Math.hypot(xs[i] - xs[j], ys[i] - ys[j]);
  return vrpProblem({ size: n, distance: D, demand, ...extra });
}

function expectFeasible(p: VrpProblem, s: VrpSolution): void {
  const seen: number[] = [];
  s.routes.forEach((r, k) => {
    expect(r.length).toBeGreaterThan(0);
    expect(r.length).toBeLessThanOrEqual(p.maxStops);
    const load = r.reduce((sum, v) => sum + p.demand[v], 0);
    expect(load).toBeLessThanOrEqual(p.capacity);
    const len = routeDistance(p.distance, p.size, r);
    expect(len).toBeCloseTo(s.routeDistances[k], 9);
    expect(len * p.minutesPerUnit + r.length * p.serviceMinutes + p.fixedMinutes).toBeLessThanOrEqual(p.maxMinutes + 1e-9);
    seen.push(...r);
  });
  seen.push(...s.unserved);
  expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: p.size - 1 }, (_, i) => i + 1));
}

/** Optimum by enumeration: every order of the customers, every way of cutting it into routes. */
function bruteForce(p: VrpProblem): number {
  const cs = Array.from({ length: p.size - 1 }, (_, i) => i + 1);
  const d = (i: number, j: number) => p.distance[i * p.size + j];
  let best = Infinity;
  const perm: number[] = [];
  const used = new Set<number>();
  const walk = () => {
    if (perm.length === cs.length) {
      // Split the giant tour optimally (Beasley's split) by dynamic programming.
      const m = perm.length;
      const cost = new Array(m + 1).fill(Infinity);
      cost[0] = 0;
      for (let i = 0; i < m; i++) {
        let load = 0, len = 0;
        for (let j = i; j < m; j++) {
          load += p.demand[perm[j]];
          if (load > p.capacity || j - i + 1 > p.maxStops) break;
          len = j === i ? d(0, perm[j]) : len + d(perm[j - 1], perm[j]);
          cost[j + 1] = Math.min(cost[j + 1], cost[i] + len + d(perm[j], 0));
        }
      }
      best = Math.min(best, cost[m]);
      return;
    }
    for (const c of cs) {
      if (used.has(c)) continue;
      used.add(c);
      perm.push(c);
      walk();
      perm.pop();
      used.delete(c);
    }
  };
  walk();
  return best;
}

describe("solveVrp", () => {
  it("visits every stop exactly once within capacity, stop limit and route minutes", () => {
    for (let seed = 1; seed <= 8; seed++) {
      const p = randomProblem(seed, 40, { capacity: 60, maxStops: 7, minutesPerUnit: 0.5, serviceMinutes: 2, fixedMinutes: 5, maxMinutes: 150 });
      const s = solveVrp(p, { seed, iterations: 50 });
      expectFeasible(p, s);
      expect(s.unserved).toEqual([]);
    }
  });

  it("reports a stop no route can take instead of dropping or overloading it", () => {
    const p = randomProblem(3, 12, { capacity: 25 });
    (p.demand as number[])[5] = 40;
    const s = solveVrp(p, { seed: 1, iterations: 20 });
    expect(s.unserved).toEqual([5]);
    expectFeasible(p, s);
  });

  it("gives the same routes for the same seed", () => {
    const p = randomProblem(11, 50, { capacity: 70 });
    const a = solveVrp(p, { seed: 42, iterations: 100 });
    const b = solveVrp(p, { seed: 42, iterations: 100 });
    expect(b.routes).toEqual(a.routes);
    expect(b.distance).toBe(a.distance);
  });

  it("finds the optimum of a tiny instance, checked by enumeration", () => {
    for (const seed of [5, 6, 7]) {
      const p = randomProblem(seed, 7, { capacity: 30 });
      const opt = bruteForce(p);
      const s = solveVrp(p, { seed: 1, iterations: 200 });
      expectFeasible(p, s);
      expect(s.distance).toBeCloseTo(opt, 6);
    }
  });

  it("solves CVRPLIB's P-n16-k8 to its published optimum, 450, with its 8 vehicles", () => {
    const inst = loadCvrp("P-n16-k8");
    expect(inst.optimum).toBe(450);
    const p = { ...inst.problem, maxRoutes: inst.trucks! };
    const s = solveVrp(p, { seed: 1, iterations: 500 });
    expectFeasible(p, s);
    expect(s.withinFleet).toBe(true);
    expect(s.routes).toHaveLength(8);
    expect(s.distance).toBe(450);
  });

  it("improves on savings alone with the same seed (ruin and recreate earns its iterations)", () => {
    const inst = loadCvrp("A-n32-k5");
    const p = { ...inst.problem, maxRoutes: inst.trucks! };
    const base = solveVrp(p, { seed: 3, iterations: 0 });
    const more = solveVrp(p, { seed: 3, iterations: 300 });
    expect(more.distance).toBeLessThanOrEqual(base.distance);
    expect(more.distance).toBeLessThan(inst.optimum! * 1.05);
  });
});

describe("twoOpt", () => {
  it("never makes a route longer and keeps its stops", () => {
    const rng = seededRng(99);
    for (let t = 0; t < 200; t++) {
      const p = randomProblem(1000 + t, 12);
      const route = Array.from({ length: 12 }, (_, i) => i + 1).sort(() => rng() - 0.5);
      const out = twoOpt(p.distance, p.size, route);
      expect(routeDistance(p.distance, p.size, out)).toBeLessThanOrEqual(routeDistance(p.distance, p.size, route) + 1e-9);
      expect([...out].sort((a, b) => a - b)).toEqual([...route].sort((a, b) => a - b));
    }
  });

  it("untangles a crossing", () => {
    // Depot (0,0), square corners visited in a crossing order: 1 (0,1), 3 (1,0), 2 (1,1) → 1, 2, 3.
    const pts = [[0, 0], [0, 1], [1, 1], [1, 0]];
    const n = 4;
    const D = new Float64Array(16);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) D[i * n + j] = Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]);
    expect(routeDistance(D, n, twoOpt(D, n, [1, 3, 2]))).toBeCloseTo(4, 9);
  });
});
