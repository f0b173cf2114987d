// The batch decision against a brute-force optimum on small random problems, and whole batches on
// generated networks checked against stock, capacity and making from the outside.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareNetwork } from "../../../app/core/quoting";
import {
  checkAssignment,
  objectiveOf,
  prepareRouting,
  routeBatch,
  solveExact,
  solveHeuristic,
  UNLIMITED,
  availabilityAt,
  type AssignmentProblem,
  type BatchResult,
  type LpSolver,
  type RoutingNetwork,
  type RoutingOrder,
} from "../../../app/core/routing";
import { generateInstance } from "./instance";

let highs: LpSolver;
beforeAll(async () => {
  highs = await (await import("highs")).default();
});

const problemArb: fc.Arbitrary<AssignmentProblem> = fc
  .record({
    resources: fc.integer({ min: 1, max: 4 }),
    capacity: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
    orders: fc.array(
      fc.array(
        fc.record({
          cost: fc.integer({ min: 1, max: 100 }),
          uses: fc.array(fc.record({ r: fc.nat(3), amt: fc.integer({ min: 1, max: 2 }) }), { minLength: 1, maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map(({ resources, capacity, orders }) => ({
    capacity: Float64Array.from(capacity.slice(0, resources)),
    unroutedCost: 1000,
    orders: orders.map((options) => ({
      options: options
        .map(({ cost, uses }) => {
          const res: number[] = [];
          const amt: number[] = [];
          for (const u of uses) {
            const r = u.r % resources;
            const at = res.indexOf(r);
            if (at >= 0) amt[at] += u.amt;
            else {
              res.push(r);
              amt.push(u.amt);
            }
          }
          return { cost, res, amt };
        })
        .sort((a, b) => a.cost - b.cost),
    })),
  }));

/** The optimum by trying every combination (at most 5^6). */
function bruteForce(p: AssignmentProblem): number {
  let best = Infinity;
  const choice = new Int32Array(p.orders.length);
  const walk = (o: number) => {
    if (o === p.orders.length) {
      if (checkAssignment(p, choice).length === 0) best = Math.min(best, objectiveOf(p, choice));
      return;
    }
    for (let a = -1; a < p.orders[o].options.length; a++) {
      choice[o] = a;
      walk(o + 1);
    }
  };
  walk(0);
  return best;
}

describe("exact and heuristic on random small problems", () => {
  it("the MIP finds the brute-force optimum and satisfies every constraint; the heuristic is feasible and never better", () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        const exact = solveExact(p, highs, { timeLimitSeconds: 10 });
        expect(exact.ok).toBe(true);
        if (!exact.ok) return;
        expect(checkAssignment(p, exact.solution.choice)).toEqual([]);
        expect(exact.solution.objective).toBe(bruteForce(p));
        const h = solveHeuristic(p, { improvementPasses: 6 });
        expect(checkAssignment(p, h.solution.choice)).toEqual([]);
        expect(h.solution.objective).toBeGreaterThanOrEqual(exact.solution.objective);
      }),
      { numRuns: 300, seed: 4242 },
    );
  });

  it("the heuristic matches the optimum on most of them", () => {
    let equal = 0;
    const runs = 300;
    fc.assert(
      fc.property(problemArb, (p) => {
        const exact = solveExact(p, highs, { timeLimitSeconds: 10 });
        if (exact.ok && solveHeuristic(p, { improvementPasses: 6 }).solution.objective === exact.solution.objective) equal++;
      }),
      { numRuns: runs, seed: 99 },
    );
    expect(equal / runs).toBeGreaterThan(0.9);
  });
});

/** Stock, capacity and making used by the decisions, checked against what the network had. */
function violations(net: RoutingNetwork, now: number, r: BatchResult, orders: RoutingOrder[]): string[] {
  const avail = availabilityAt(net, now);
  const P = net.products.length;
  const { capacityBase, makeBase } = net.resources;
  const used = new Float64Array(avail.length);
  const problems: string[] = [];
  expect(r.decisions.map((d) => d.orderId)).toEqual(orders.map((o) => o.id));
  r.decisions.forEach((d, i) => {
    if (d.status === "UNROUTABLE") {
      expect(d.reasons.length).toBeGreaterThan(0);
      return;
    }
    // Every line shipped once, in full.
    const shipped = d.shipments.flatMap((s) => s.lines.map((l) => `${l.lineId}:${l.productId}:${l.quantity}`)).sort();
    expect(shipped).toEqual(orders[i].lines.map((l) => `${l.id}:${l.productId}:${l.quantity}`).sort());
    for (const s of d.shipments) {
      const n = net.nodeById.get(s.nodeId)!;
      if (!net.nodes[n].active) problems.push(`${d.orderId} ships from disabled ${s.nodeHandle}`);
      used[capacityBase + n] += 1;
      for (const l of s.lines) {
        used[n * P + net.productById.get(l.productId)!] += l.quantity - l.madeUnits;
        used[makeBase + n] += l.madeUnits;
      }
      expect(s.cost.totalMinor).toBeGreaterThanOrEqual(0);
    }
    expect(d.totalMinor).toBe(d.shipments.reduce((t, s) => t + s.cost.totalMinor, 0) + d.splitPenaltyMinor);
  });
  for (let k = 0; k < avail.length; k++) {
    if (avail[k] < UNLIMITED && used[k] > avail[k]) problems.push(`resource ${k}: ${used[k]} used of ${avail[k]}`);
  }
  return problems;
}

describe("whole batches on a generated network", () => {
  it.each([
    [1, 300],
    [2, 600],
  ])("seed %i, %i orders: exact and heuristic respect stock, capacity and making; exact is never worse", (seed, count) => {
    const inst = generateInstance({ seed, orders: count });
    // A correctness check, not a speed one: the solver gets all the time a loaded machine needs to prove
    // its optimum (at the default 2 s it stopped early under load and the batch fell back to the heuristic).
    const net = prepareRouting(prepareNetwork(inst.snapshot, inst.quoteConfig), { ...inst.routingConfig, exact: { timeLimitSeconds: 300 } });
    const exact = routeBatch(net, inst.orders, { now: inst.now, solver: highs, method: "EXACT" });
    const heuristic = routeBatch(net, inst.orders, { now: inst.now, method: "HEURISTIC" });
    expect(exact.stats.method === "EXACT" || exact.stats.method === "DIRECT").toBe(true);
    expect(violations(net, inst.now, exact, inst.orders)).toEqual([]);
    expect(violations(net, inst.now, heuristic, inst.orders)).toEqual([]);
    // Repairs may add options the optimisation did not have; without them exact is never worse.
    if (exact.stats.repaired === 0 && heuristic.stats.repaired === 0) {
      expect(exact.objectiveMinor).toBeLessThanOrEqual(heuristic.objectiveMinor);
    }
    expect(heuristic.objectiveMinor).toBeLessThanOrEqual(exact.objectiveMinor * 1.05);
  });

  it("random stock and capacity on the generated network: never infeasible", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 20, max: 80 }), fc.double({ min: 0, max: 1, noNaN: true }), (seed, count, scarcity) => {
        const inst = generateInstance({ seed, orders: count });
        for (const levels of Object.values(inst.snapshot.stock)) {
          for (const k of Object.keys(levels)) levels[k] = Math.floor(levels[k] * scarcity);
        }
        const capacityRemaining = Object.fromEntries(inst.snapshot.nodes.map((x, i) => [x.id, (seed + i) % 7]));
        const net = prepareRouting(prepareNetwork(inst.snapshot, inst.quoteConfig), { capacityRemaining });
        for (const method of ["EXACT", "HEURISTIC"] as const) {
          const r = routeBatch(net, inst.orders, { now: inst.now, solver: highs, method });
          expect(violations(net, inst.now, r, inst.orders)).toEqual([]);
        }
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});
