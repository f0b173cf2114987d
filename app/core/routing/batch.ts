// Routing a batch of orders that compete for the same stock and capacity, and a single order
// (a batch of one). Steps:
//  1. cost each order's options (candidates.ts) against what the network has at `now`;
//  2. find the contended resources: those the orders' options could together ask more of than
//     there is. An order whose best option touches none of them takes it directly: no other
//     order can be hurt by that;
//  3. decide the contended orders together: an exact MIP (exact.ts, with an injected solver)
//     when the reduced model is small enough, else the regret heuristic (heuristic.ts);
//  4. repair: an order left without an option (its options' stock went to others) is costed again
//     against what is left, splits included, and takes the best option that fits;
//  5. explain every decision (explain.ts). No order is dropped: it is routed or reported unroutable.
import { binaryVariables, fits, take, type AssignmentProblem } from "./assignment";
import { batchClock, compareOptions, optionsForOrder, orderContext, type Option, type OrderOptions } from "./candidates";
import { solveExact, type LpSolver } from "./exact";
import { buildDecision } from "./explain";
import { solveHeuristic } from "./heuristic";
import { availabilityAt, type RoutingNetwork } from "./prepare";
import type { BatchResult, BatchStats, RoutingDecision, RoutingMethod, RoutingOrder } from "./types";

export interface RouteOptions {
  /** The routing instant (UTC ms): dispatch times, cut-offs and today's capacity are read then. */
  now: number;
  /** A loaded LP/MIP solver (HiGHS); without one the heuristic decides contended orders. */
  solver?: LpSolver | null;
  /** AUTO: exact when a solver is given and the model has at most exact.maxVariables variables. */
  method?: "AUTO" | "EXACT" | "HEURISTIC";
  /** Start from this availability instead of the network's (resource layout of RoutingNetwork). */
  availability?: Float64Array;
}

const EPS = 1e-9;

/** The reduced problem of a batch: contended orders, their options up to the first uncontended one. */
export interface ReducedBatch {
  /** Options per order (all costed), best first. */
  all: OrderOptions[];
  /** Options each order may take in the optimisation (the cheapest candidatesPerOrder). */
  candidates: Option[][];
  initial: Float64Array;
  /** Orders decided without optimisation, and their option. */
  direct: Map<number, Option>;
  /** Batch indexes of the contended orders, in problem order. */
  contendedOrders: number[];
  /** Their options in the problem (a prefix of candidates). */
  contendedOptions: Option[][];
  problem: AssignmentProblem;
  /** Problem resource index → network resource id. */
  resourceIds: number[];
  optionsCosted: number;
}

export function reduceBatch(
  net: RoutingNetwork,
  orders: readonly RoutingOrder[],
  opts: { now: number; availability?: Float64Array; exhaustive?: boolean },
): ReducedBatch {
  const clock = batchClock(net, opts.now);
  const initial = opts.availability ? Float64Array.from(opts.availability) : availabilityAt(net, opts.now);
  const R = net.resources.count;
  const all: OrderOptions[] = [];
  let optionsCosted = 0;
  for (let i = 0; i < orders.length; i++) {
    const oo = optionsForOrder(net, clock, orderContext(net, orders[i], i), initial, { exhaustive: opts.exhaustive });
    optionsCosted += oo.costed;
    // Keep what the optimisation and the explanation can use; the rest is garbage at once.
    const keep = opts.exhaustive ? Infinity : Math.max(net.config.candidatesPerOrder, net.config.alternativesListed + 1);
    if (oo.options.length > keep) oo.options.length = keep;
    all.push(oo);
  }
  const K = opts.exhaustive ? Infinity : net.config.candidatesPerOrder;
  const candidates = all.map((oo) => (oo.options.length > K ? oo.options.slice(0, K) : oo.options));

  // Most each order could ask of each resource, summed over orders.
  const demand = new Float64Array(R);
  const most = new Float64Array(R);
  const touched: number[] = [];
  for (const options of candidates) {
    for (const opt of options) {
      for (let k = 0; k < opt.res.length; k++) {
        const r = opt.res[k];
        if (most[r] === 0) touched.push(r);
        if (opt.amt[k] > most[r]) most[r] = opt.amt[k];
      }
    }
    for (const r of touched) {
      demand[r] += most[r];
      most[r] = 0;
    }
    touched.length = 0;
  }
  const contended = new Uint8Array(R);
  for (let r = 0; r < R; r++) if (demand[r] > initial[r] + EPS) contended[r] = 1;
  const free = (opt: Option) => opt.res.every((r) => contended[r] === 0);

  const direct = new Map<number, Option>();
  const contendedOrders: number[] = [];
  const contendedOptions: Option[][] = [];
  candidates.forEach((options, o) => {
    if (options.length === 0) return;
    const firstFree = options.findIndex(free);
    if (firstFree === 0) direct.set(o, options[0]);
    else {
      contendedOrders.push(o);
      contendedOptions.push(firstFree > 0 ? options.slice(0, firstFree + 1) : options);
    }
  });

  const problemIndex = new Int32Array(R).fill(-1);
  const resourceIds: number[] = [];
  for (let r = 0; r < R; r++) {
    if (contended[r]) {
      problemIndex[r] = resourceIds.length;
      resourceIds.push(r);
    }
  }
  const problem: AssignmentProblem = {
    capacity: Float64Array.from(resourceIds, (r) => initial[r]),
    unroutedCost: net.config.unroutedPenaltyMinor,
    orders: contendedOptions.map((options) => ({
      options: options.map((opt) => {
        let n = 0;
        for (const r of opt.res) if (problemIndex[r] >= 0) n++;
        const res = new Array<number>(n);
        const amt = new Array<number>(n);
        for (let k = 0, j = 0; k < opt.res.length; k++) {
          const p = problemIndex[opt.res[k]];
          if (p >= 0) {
            res[j] = p;
            amt[j++] = opt.amt[k];
          }
        }
        return { cost: opt.objective, res, amt };
      }),
    })),
  };
  return { all, candidates, initial, direct, contendedOrders, contendedOptions, problem, resourceIds, optionsCosted };
}

export function routeBatch(net: RoutingNetwork, orders: readonly RoutingOrder[], opts: RouteOptions): BatchResult {
  // The model and its solution end with `decide`: only the choices and costed options outlive it,
  // so the solver's copy of the options is garbage before the explanations are built.
  const { all, chosen, initial, stats } = decide(net, orders, opts);
  return repairAndExplain(net, opts, all, chosen, initial, stats);
}

/** Steps 1–3: options, contended resources, the optimisation. */
function decide(net: RoutingNetwork, orders: readonly RoutingOrder[], opts: RouteOptions) {
  const reduced = reduceBatch(net, orders, opts);
  const { all, initial, direct, contendedOrders, contendedOptions, problem } = reduced;
  const O = orders.length;
  const chosen: (Option | null)[] = new Array(O).fill(null);
  for (const [o, opt] of direct) chosen[o] = opt;

  const variables = binaryVariables(problem);
  const stats: BatchStats = {
    orders: O,
    routed: 0,
    unroutable: 0,
    optionsCosted: reduced.optionsCosted,
    decidedDirectly: direct.size,
    contended: contendedOrders.length,
    variables,
    constraints: problem.capacity.length,
    method: "DIRECT",
    methodReason: "no order competed for scarce stock or capacity: each took its best option",
    solverStatus: null,
    repaired: 0,
    improvementMoves: 0,
  };

  if (contendedOrders.length > 0) {
    const cfg = net.config;
    let choice: Int32Array | null = null;
    const wantExact = opts.method === "EXACT" || (opts.method !== "HEURISTIC" && variables <= cfg.exact.maxVariables);
    if (wantExact && opts.solver) {
      const exact = solveExact(problem, opts.solver, { timeLimitSeconds: cfg.exact.timeLimitSeconds });
      stats.solverStatus = exact.status;
      if (exact.ok && exact.proven) {
        choice = exact.solution.choice;
        stats.method = "EXACT";
        stats.methodReason = `${variables} variables: solved exactly (MIP, proven optimal)`;
      } else if (exact.ok) {
        // Stopped at the time limit: keep the better of its best solution and the heuristic's.
        const h = solveHeuristic(problem, { improvementPasses: cfg.heuristic.improvementPasses });
        const mipBetter = exact.solution.objective <= h.solution.objective;
        choice = mipBetter ? exact.solution.choice : h.solution.choice;
        stats.method = mipBetter ? "EXACT" : "HEURISTIC";
        stats.improvementMoves = mipBetter ? 0 : h.moves;
        stats.methodReason =
          `${variables} variables: MIP stopped at its ${cfg.exact.timeLimitSeconds} s limit without proving optimality; ` +
          `${mipBetter ? "its best solution" : "the heuristic's"} was better and is used`;
      } else {
        stats.methodReason = `exact solve failed (${exact.reason}): heuristic used`;
      }
    } else if (opts.method === "HEURISTIC") {
      stats.methodReason = "heuristic requested";
    } else if (!opts.solver) {
      stats.methodReason = "no solver loaded: heuristic used";
    } else {
      stats.methodReason = `${variables} variables > exact.maxVariables ${cfg.exact.maxVariables}: heuristic used`;
    }
    if (!choice) {
      const h = solveHeuristic(problem, { improvementPasses: cfg.heuristic.improvementPasses });
      choice = h.solution.choice;
      stats.method = "HEURISTIC";
      stats.improvementMoves = h.moves;
    }
    contendedOrders.forEach((o, i) => {
      if (choice![i] >= 0) chosen[o] = contendedOptions[i][choice![i]];
    });
  }

  return { all, chosen, initial, stats };
}

/** Steps 4–5: repair, then explain. */
function repairAndExplain(
  net: RoutingNetwork,
  opts: RouteOptions,
  all: OrderOptions[],
  chosen: (Option | null)[],
  initial: Float64Array,
  stats: BatchStats,
): BatchResult {
  const O = all.length;
  const residual = Float64Array.from(initial);
  for (const opt of chosen) if (opt) take(residual, opt);

  // Repair: orders that lost every candidate try again against what is left.
  const explainOptions: Option[][] = all.map((oo) => oo.options);
  const clock = batchClock(net, opts.now);
  for (let o = 0; o < O; o++) {
    if (chosen[o] || all[o].options.length === 0) continue;
    const again = optionsForOrder(net, clock, all[o].ctx, residual);
    stats.optionsCosted += again.costed;
    const pick = again.options.find((opt) => fits(residual, opt));
    if (!pick) continue;
    chosen[o] = pick;
    take(residual, pick);
    stats.repaired++;
    // The option as it was costed now, with the others as they were costed at first.
    const seen = new Set([pick.sig, ...all[o].options.map((x) => x.sig)]);
    explainOptions[o] = [pick, ...all[o].options.filter((x) => x.sig !== pick.sig), ...again.options.filter((x) => !seen.has(x.sig))].sort(compareOptions);
  }

  return finish(net, stats, all, explainOptions, chosen, residual, initial);
}

export function finish(
  net: RoutingNetwork,
  stats: BatchStats,
  all: OrderOptions[],
  explainOptions: Option[][],
  chosen: (Option | null)[],
  residual: Float64Array,
  initial: Float64Array,
  rule?: (o: number) => string | undefined,
): BatchResult {
  const decisions: RoutingDecision[] = [];
  let totalMinor = 0;
  let objectiveMinor = 0;
  for (let o = 0; o < all.length; o++) {
    const opt = chosen[o];
    const oo = all[o];
    decisions.push(
      buildDecision(net, {
        ctx: oo.ctx,
        chosen: opt,
        options: explainOptions[o],
        excluded: oo.excluded,
        unreachable: oo.unreachable,
        residual,
        initial,
        rule: rule?.(o),
      }),
    );
    // What was costed for this order is not needed any more: let it go while the rest is explained.
    oo.options = [];
    explainOptions[o] = [];
    if (opt) {
      stats.routed++;
      totalMinor += opt.landedMinor + opt.splitPenaltyMinor;
      objectiveMinor += opt.objective;
    } else {
      stats.unroutable++;
      objectiveMinor += net.config.unroutedPenaltyMinor;
    }
  }
  return { currency: net.currency, decisions, totalMinor, objectiveMinor, stats };
}

/** One order: a batch of one (no competition, so no optimisation), with its alternatives and reasons. */
export function routeOrder(net: RoutingNetwork, order: RoutingOrder, opts: RouteOptions): RoutingDecision {
  return routeBatch(net, [order], opts).decisions[0];
}

export type { RoutingMethod };
