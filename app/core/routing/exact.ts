// The exact batch decision: the assignment problem as a mixed-integer program in CPLEX LP format,
// solved by an injected solver. The core does not load one: HiGHS (the `highs` package) compiles to
// WebAssembly and loads asynchronously, so the caller loads it once and passes it in:
//
//   const highs = await (await import("highs")).default();
//   routeBatch(net, orders, { now, solver: highs });
//
// Keeping the solver out of the core keeps routing synchronous, pure and testable, and lets a
// Shopify Function or a test run it without the solver (the heuristic decides then).
//
//   min  Σ cost[o,a]·x[o,a] + U·u[o]
//   s.t. Σ_a x[o,a] + u[o] = 1                  every order: one option, or unrouted
//        Σ amt[o,a,r]·x[o,a] ≤ capacity[r]      every contended stock, capacity and making resource
//        x binary, 0 ≤ u ≤ 1                     (u is then 0 or 1 as well)
import { checkAssignment, objectiveOf, type AssignmentProblem, type AssignmentSolution } from "./assignment";

/** What the core needs of a solver: HiGHS's `solve(lpText, options)` (highs ≥ 1.0) fits it. */
export interface LpSolver {
  solve(
    problem: string,
    options?: { time_limit?: number; mip_rel_gap?: number; mip_abs_gap?: number; output_flag?: boolean; solver?: "choose" | "simplex" | "ipm" },
  ): { Status: string; ObjectiveValue: number; Columns: Record<string, { Index: number; Primal?: number }> };
}

export interface LpText {
  text: string;
  variables: number;
  rows: number;
}

/** The model as CPLEX LP text. Variables x<k> are numbered over all orders' options, u<o> per order. */
export function assignmentLp(p: AssignmentProblem): LpText {
  const obj: string[] = [];
  const assign: string[] = [];
  const rows: string[][] = Array.from({ length: p.capacity.length }, () => []);
  const binaries: string[] = [];
  const bounds: string[] = [];
  let k = 0;
  p.orders.forEach((order, o) => {
    const terms: string[] = [];
    for (const opt of order.options) {
      const x = `x${k++}`;
      binaries.push(x);
      obj.push(`${opt.cost} ${x}`);
      terms.push(x);
      for (let j = 0; j < opt.res.length; j++) rows[opt.res[j]].push(opt.amt[j] === 1 ? x : `${opt.amt[j]} ${x}`);
    }
    obj.push(`${p.unroutedCost} u${o}`);
    terms.push(`u${o}`);
    bounds.push(` u${o} <= 1`);
    assign.push(` a${o}: ${terms.join(" + ")} = 1`);
  });
  const resourceRows: string[] = [];
  rows.forEach((terms, r) => {
    if (terms.length > 0) resourceRows.push(` r${r}: ${terms.join(" + ")} <= ${p.capacity[r]}`);
  });
  const text = [
    "Minimize",
    ` obj: ${obj.length > 0 ? obj.join(" + ") : "0 z"}`,
    "Subject To",
    ...assign,
    ...resourceRows,
    "Bounds",
    ...bounds,
    ...(binaries.length > 0 ? ["Binary", ` ${binaries.join(" ")}`] : []),
    "End",
    "",
  ].join("\n");
  return { text, variables: k, rows: assign.length + resourceRows.length };
}

export type ExactResult =
  | { ok: true; solution: AssignmentSolution; status: string; proven: boolean }
  | { ok: false; status: string; reason: string };

/**
 * Solves the assignment exactly. `proven` is true when the solver proved optimality; after a time
 * limit the best solution found is returned if it is feasible (checked here, not trusted).
 */
export function solveExact(p: AssignmentProblem, solver: LpSolver, opts: { timeLimitSeconds: number }): ExactResult {
  if (p.orders.length === 0) return { ok: true, solution: { choice: new Int32Array(0), objective: 0 }, status: "Empty", proven: true };
  const lp = assignmentLp(p);
  let result: ReturnType<LpSolver["solve"]>;
  try {
    // Costs are integers: an absolute gap below 1 proves the optimum.
    result = solver.solve(lp.text, { output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0.5, time_limit: opts.timeLimitSeconds });
  } catch (error) {
    return { ok: false, status: "Error", reason: `solver failed: ${(error as Error).message}` };
  }
  const proven = result.Status === "Optimal";
  if (!proven && result.Status !== "Time limit reached") {
    return { ok: false, status: result.Status, reason: `solver ended with status ${result.Status}` };
  }
  const choice = new Int32Array(p.orders.length).fill(-1);
  let k = 0;
  p.orders.forEach((order, o) => {
    for (let a = 0; a < order.options.length; a++, k++) {
      if ((result.Columns[`x${k}`]?.Primal ?? 0) > 0.5) choice[o] = a;
    }
  });
  const violations = checkAssignment(p, choice);
  if (violations.length > 0) {
    return { ok: false, status: result.Status, reason: `solver's answer is infeasible: ${violations.slice(0, 3).join("; ")}` };
  }
  return { ok: true, solution: { choice, objective: objectiveOf(p, choice) }, status: result.Status, proven };
}

/** The LP relaxation's optimum: a lower bound on any assignment's objective. Null when unsolved. */
export function lpRelaxationBound(p: AssignmentProblem, solver: LpSolver): number | null {
  if (p.orders.length === 0) return 0;
  const lp = assignmentLp(p);
  const r = solver.solve(lp.text, { output_flag: false, solver: "simplex" });
  return r.Status === "Optimal" ? r.ObjectiveValue : null;
}
