// Order routing on a generated day: 10,000 orders over 20 nodes around New York, Chicago, Los Angeles
// and Austin plus three regional warehouses (test/core/routing/instance.ts: seeded, scarce stock and
// capacity). Run: npm run bench:routing   (ORDERS=…, SEED=…, RUNS=… timed runs (5), BOUND=0 skips the exact bound,
// BOUND_SECONDS=… limits it, SWEEP=0 skips the exact-vs-heuristic sweep).
//
// Prints Nearhub's decision (time, memory, objective, landed cost), the exact optimum (or HiGHS's
// proven bound) of the whole instance (every node set and split, not only the options Nearhub
// considers), the gap, Shopify's default rule on the same instance and the saving against it, a
// sweep of batch sizes behind exact.maxVariables, and as the last line one JSON object.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { Highs } from "highs";
import { prepareNetwork } from "../app/core/quoting";
import {
  binaryVariables,
  prepareRouting,
  reduceBatch,
  routeBatch,
  routeOrder,
  routeShopifyDefault,
  solveExact,
  solveHeuristic,
  type AssignmentProblem,
  type BatchResult,
  type LpSolver,
  type RoutingNetwork,
} from "../app/core/routing";
import { generateInstance } from "../test/core/routing/instance";

const ORDERS = Number(process.env.ORDERS ?? 10_000);
const SEED = Number(process.env.SEED ?? 20251125);
const BOUND = process.env.BOUND !== "0";
const BOUND_SECONDS = Number(process.env.BOUND_SECONDS ?? 900);
const SWEEP = process.env.SWEEP !== "0";
const RUNS = Math.max(1, Number(process.env.RUNS ?? 5));

const mb = (bytes: number) => Math.round(bytes / 1e6);
const usd = (minor: number) => `${(minor / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USD`;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function outcomes(r: BatchResult) {
  const promise = { KEPT: 0, NODE_CHANGED: 0, BROKEN: 0 };
  let splits = 0;
  for (const d of r.decisions) {
    if (d.promise.status) promise[d.promise.status]++;
    if (d.shipments.length > 1) splits++;
  }
  return { routed: r.stats.routed, unroutable: r.stats.unroutable, ...promise, splits, landedAndSplitMinor: r.totalMinor, objectiveMinor: r.objectiveMinor };
}

function line(label: string, value: string) {
  console.log(`  ${label.padEnd(34)} ${value}`);
}

/** The model straight into HiGHS as sparse columns (the LP text of 200,000 variables is slow to parse). */
function solveWithBound(highs: Highs, p: AssignmentProblem, seconds: number) {
  const O = p.orders.length;
  const rowsOfResource = new Int32Array(p.capacity.length).fill(-1);
  let rows = O;
  for (const order of p.orders) for (const opt of order.options) for (const r of opt.res) if (rowsOfResource[r] < 0) rowsOfResource[r] = rows++;
  const cols = binaryVariables(p) + O;
  const colCost = new Float64Array(cols);
  const starts = new Int32Array(cols + 1);
  const indices: number[] = [];
  const values: number[] = [];
  const integrality = new Int32Array(cols);
  let c = 0;
  p.orders.forEach((order, o) => {
    for (const opt of order.options) {
      colCost[c] = opt.cost;
      integrality[c] = 1;
      indices.push(o);
      values.push(1);
      const pairs = opt.res.map((r, k) => [rowsOfResource[r], opt.amt[k]] as const).sort((a, b) => a[0] - b[0]);
      for (const [row, amt] of pairs) {
        indices.push(row);
        values.push(amt);
      }
      starts[++c] = indices.length;
    }
    colCost[c] = p.unroutedCost;
    indices.push(o);
    values.push(1);
    starts[++c] = indices.length;
  });
  const rowLower = new Float64Array(rows);
  const rowUpper = new Float64Array(rows);
  for (let o = 0; o < O; o++) rowLower[o] = rowUpper[o] = 1;
  rowsOfResource.forEach((row, r) => {
    if (row < 0) return;
    rowLower[row] = -highs.infinity;
    rowUpper[row] = p.capacity[r];
  });
  const started = performance.now();
  return highs.withModel(
    {
      numCols: cols,
      numRows: rows,
      colCost,
      colLower: new Float64Array(cols),
      colUpper: new Float64Array(cols).fill(1),
      rowLower,
      rowUpper,
      matrix: { format: "csc", numRows: rows, numCols: cols, starts, indices: Int32Array.from(indices), values: Float64Array.from(values) },
      integrality,
    },
    (model) => {
      model.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0.5, time_limit: seconds });
      model.run();
      const status = model.getModelStatus();
      const optimal = status === highs.constants.modelStatus.optimal;
      const objective = model.getObjectiveValue();
      const bound = Number(model.info.get("mip_dual_bound"));
      return { optimal, status, objective, bound: optimal ? objective : bound, seconds: (performance.now() - started) / 1000 };
    },
  );
}

/**
 * Peak memory of one decision in a fresh process (bench/routing-memory.ts), bundled by Vite into
 * plain JavaScript first, as the server runs it. Vite builds in a process of its own, so its
 * syntax trees do not sit in this one's heap while the decisions are timed.
 */
function measureMemory(): { maxRssMb: number; baselineRssMb: number; heapMb: number; coldMs: number } | null {
  const outDir = join(process.cwd(), "node_modules/.cache/nearhub-bench");
  const config = {
    configFile: false,
    logLevel: "warn",
    build: {
      ssr: "bench/routing-memory.ts",
      outDir,
      emptyOutDir: true,
      target: "node20",
      minify: false,
      rollupOptions: { output: { format: "es", entryFileNames: "routing-memory.mjs" } },
    },
  };
  const built = spawnSync(process.execPath, ["--input-type=module", "-e", `import { build } from "vite"; await build(${JSON.stringify(config)});`], {
    encoding: "utf8",
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (built.status !== 0) return null;
  const child = spawnSync(process.execPath, [join(outDir, "routing-memory.mjs")], { encoding: "utf8", env: process.env });
  const last = child.stdout?.trim().split("\n").at(-1);
  try {
    return last ? JSON.parse(last) : null;
  } catch {
    if (child.stderr) console.error(child.stderr);
    return null;
  }
}

async function main() {
  const memory = measureMemory();
  const highs = await (await import("highs")).default();
  const solver: LpSolver = highs;

  console.log(`Routing benchmark: ${ORDERS} orders, seed ${SEED}`);
  const genStarted = performance.now();
  const inst = generateInstance({ seed: SEED, orders: ORDERS });
  const kinds: Record<string, number> = {};
  for (const n of inst.snapshot.nodes) kinds[n.kind] = (kinds[n.kind] ?? 0) + 1;
  const lines = inst.orders.reduce((s, o) => s + o.lines.length, 0);
  const chosen = inst.orders.filter((o) => o.serviceCode).length;
  console.log(`\nInstance (generated in ${Math.round(performance.now() - genStarted)} ms)`);
  line("nodes", `${inst.snapshot.nodes.length}: ${Object.entries(kinds).map(([k, v]) => `${v} ${k}`).join(", ")}`);
  line("products", `${inst.snapshot.products.length} (${inst.snapshot.products.filter((p) => p.madeToOrder).length} made to order)`);
  line("orders", `${inst.orders.length}, ${lines} lines, ${chosen} with a Nearhub service chosen at checkout`);

  const prepStarted = performance.now();
  const net: RoutingNetwork = prepareRouting(prepareNetwork(inst.snapshot, inst.quoteConfig), inst.routingConfig);
  line("network prepared in", `${Math.round(performance.now() - prepStarted)} ms`);

  // Warm the JIT on another day, then time the decision RUNS times. Each run starts from a
  // collected heap (npm run bench:routing passes --expose-gc), so a run is not also charged for
  // collecting the previous run's 10,000 decisions.
  const warm = generateInstance({ seed: SEED + 1, orders: Math.min(2000, ORDERS) });
  routeBatch(prepareRouting(prepareNetwork(warm.snapshot, warm.quoteConfig), warm.routingConfig), warm.orders, { now: warm.now, solver });

  const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const runs: { ms: number; cpu: number }[] = [];
  let nearhub: BatchResult | null = null;
  for (let i = 0; i < RUNS; i++) {
    nearhub = null;
    collect();
    const c0 = cpuMs();
    const t0 = performance.now();
    nearhub = routeBatch(net, inst.orders, { now: inst.now, solver });
    runs.push({ ms: performance.now() - t0, cpu: cpuMs() - c0 });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const decideMs = median(runs.map((r) => r.ms));
  const decideCpuMs = median(runs.map((r) => r.cpu));
  const rssAfterDecision = maxRssMb();
  const heapMb = mb(process.memoryUsage().heapUsed);
  const nh = nearhub!;
  const nOut = outcomes(nh);

  console.log(`\nNearhub (${nh.stats.method}: ${nh.stats.methodReason})`);
  line(`decided in (median of ${RUNS})`, `${Math.round(decideMs)} ms wall, ${Math.round(decideCpuMs)} ms CPU (runs: ${runs.map((r) => Math.round(r.ms)).join(", ")} ms)`);
  line("options costed", `${nh.stats.optionsCosted} (${(nh.stats.optionsCosted / ORDERS).toFixed(1)} per order)`);
  line("decided directly / contended", `${nh.stats.decidedDirectly} / ${nh.stats.contended} orders; ${nh.stats.variables} variables, ${nh.stats.constraints} contended resources`);
  line("improvement moves, repaired", `${nh.stats.improvementMoves}, ${nh.stats.repaired}`);
  line("routed / unroutable", `${nOut.routed} / ${nOut.unroutable} (splits: ${nOut.splits})`);
  line("promise kept / node changed / broken", `${nOut.KEPT} / ${nOut.NODE_CHANGED} / ${nOut.BROKEN}`);
  line("landed cost + split penalties", usd(nh.totalMinor));
  line("objective (with promise penalties)", usd(nh.objectiveMinor));
  line(
    "peak memory of one decision",
    memory
      ? `${memory.maxRssMb} MB RSS (fresh node process running the Vite-bundled core: ${memory.baselineRssMb} MB with HiGHS loaded and the day generated, ` +
          `then decide once, cold: ${memory.coldMs} ms; heap in use after ${memory.heapMb} MB)`
      : "not measured (child process failed)",
  );
  line("peak RSS of this process so far", `${rssAfterDecision} MB (after a warm-up day and ${RUNS} decisions; heap in use ${heapMb} MB)`);

  // One order at a time, as a webhook decides it.
  const single: number[] = [];
  for (let i = 0; i < Math.min(2000, ORDERS); i++) {
    const t0 = performance.now();
    routeOrder(net, inst.orders[i], { now: inst.now });
    single.push((performance.now() - t0) * 1000);
  }
  single.sort((a, b) => a - b);
  const p50 = single[Math.floor(single.length * 0.5)];
  const p99 = single[Math.floor(single.length * 0.99)];
  line("one order alone (routeOrder)", `p50 ${p50.toFixed(0)} µs, p99 ${p99.toFixed(0)} µs over ${single.length} orders`);

  // Shopify's default rule on the same day.
  const s0 = performance.now();
  const shopify = routeShopifyDefault(net, inst.orders, { now: inst.now });
  const sOut = outcomes(shopify);
  console.log(`\nShopify's default rule (fewest locations, then closest; in sequence), ${Math.round(performance.now() - s0)} ms`);
  line("routed / unroutable", `${sOut.routed} / ${sOut.unroutable} (splits: ${sOut.splits})`);
  line("promise kept / node changed / broken", `${sOut.KEPT} / ${sOut.NODE_CHANGED} / ${sOut.BROKEN}`);
  line("landed cost + split penalties", usd(shopify.totalMinor));
  line("objective (with promise penalties)", usd(shopify.objectiveMinor));
  const savingMinor = shopify.objectiveMinor - nh.objectiveMinor;
  const landedSavingMinor = shopify.totalMinor - nh.totalMinor;
  line("Nearhub's saving, objective", `${usd(savingMinor)} (${((savingMinor / shopify.objectiveMinor) * 100).toFixed(2)}%)`);
  line("Nearhub's saving, landed cost", `${usd(landedSavingMinor)} (${((landedSavingMinor / shopify.totalMinor) * 100).toFixed(2)}%)`);

  // The whole instance: every node set and split for every order, solved by HiGHS.
  let bound: { kind: string; minor: number; seconds: number; status: number; variables: number } | null = null;
  if (BOUND) {
    const e0 = performance.now();
    const whole = reduceBatch(net, inst.orders, { now: inst.now, exhaustive: true });
    let directMinor = 0;
    for (const opt of whole.direct.values()) directMinor += opt.objective;
    const noOption = whole.all.filter((oo) => oo.options.length === 0).length;
    directMinor += noOption * net.config.unroutedPenaltyMinor;
    const variables = binaryVariables(whole.problem);
    console.log(`\nExact model of the whole instance (every node set and split up to ${net.config.maxShipments} shipments)`);
    line("built in", `${((performance.now() - e0) / 1000).toFixed(1)} s: ${whole.all.reduce((s, o) => s + o.options.length, 0)} options, ${variables} variables, ${whole.problem.capacity.length} contended resources`);
    const sol = solveWithBound(highs, whole.problem, BOUND_SECONDS);
    const kind = sol.optimal ? "optimum" : "mip-dual-bound";
    bound = { kind, minor: Math.round(sol.bound + directMinor), seconds: sol.seconds, status: sol.status, variables };
    line(sol.optimal ? "optimum (HiGHS, proven)" : `bound (HiGHS stopped, status ${sol.status})`, `${usd(bound.minor)} in ${sol.seconds.toFixed(1)} s`);
    if (!sol.optimal) line("best solution HiGHS found", usd(Math.round(sol.objective + directMinor)));
    const gap = ((nh.objectiveMinor - bound.minor) / bound.minor) * 100;
    line("Nearhub's gap to it", `${gap.toFixed(2)}%`);
  }

  // Exact vs heuristic on smaller batches: what exact.maxVariables rests on.
  const sweep: { orders: number; variables: number; exactMs: number; heuristicMs: number; gapPercent: number; status: string }[] = [];
  if (SWEEP) {
    console.log("\nExact (HiGHS MIP) vs heuristic on the contended part of smaller days");
    console.log("  orders  variables  exact ms  heuristic ms  heuristic gap");
    for (const size of [100, 250, 500, 1000, 2000, 4000]) {
      const day = generateInstance({ seed: SEED + size, orders: size });
      const dayNet = prepareRouting(prepareNetwork(day.snapshot, day.quoteConfig), day.routingConfig);
      const red = reduceBatch(dayNet, day.orders, { now: day.now });
      const t0 = performance.now();
      const exact = solveExact(red.problem, solver, { timeLimitSeconds: 60 });
      const exactMs = performance.now() - t0;
      const t1 = performance.now();
      const h = solveHeuristic(red.problem, { improvementPasses: dayNet.config.heuristic.improvementPasses });
      const heuristicMs = performance.now() - t1;
      const best = exact.ok ? exact.solution.objective : NaN;
      const gapPercent = best > 0 ? ((h.solution.objective - best) / best) * 100 : 0;
      sweep.push({ orders: size, variables: binaryVariables(red.problem), exactMs: Math.round(exactMs), heuristicMs: Math.round(heuristicMs), gapPercent: Number(gapPercent.toFixed(3)), status: exact.status });
      console.log(
        `  ${String(size).padStart(6)}  ${String(binaryVariables(red.problem)).padStart(9)}  ${String(Math.round(exactMs)).padStart(8)}  ${String(Math.round(heuristicMs)).padStart(12)}  ${gapPercent.toFixed(2).padStart(12)}%  ${exact.status}`,
      );
    }
  }

  const gapPercent = bound ? Number((((nh.objectiveMinor - bound.minor) / bound.minor) * 100).toFixed(3)) : null;
  const result = {
    orders: ORDERS,
    nodes: inst.snapshot.nodes.length,
    seed: SEED,
    method: nh.stats.method,
    decideMs: Math.round(decideMs),
    decideCpuMs: Math.round(decideCpuMs),
    singleOrderP50Us: Math.round(p50),
    singleOrderP99Us: Math.round(p99),
    peakRssMb: memory?.maxRssMb ?? null,
    baselineRssMb: memory?.baselineRssMb ?? null,
    coldDecideMs: memory?.coldMs ?? null,
    peakRssMbAfterRepeatedRuns: rssAfterDecision,
    nearhub: { landedMinor: nh.totalMinor, ...nOut },
    bound: bound ? { kind: bound.kind, objectiveMinor: bound.minor, seconds: Number(bound.seconds.toFixed(1)), variables: bound.variables } : null,
    gapPercent,
    shopify: { landedMinor: shopify.totalMinor, ...sOut },
    savingMinor,
    savingPercent: Number(((savingMinor / shopify.objectiveMinor) * 100).toFixed(3)),
    landedSavingMinor,
    landedSavingPercent: Number(((landedSavingMinor / shopify.totalMinor) * 100).toFixed(3)),
    sweep,
    peakRssMbOverall: maxRssMb(),
    targets: { gapPercent: 1, decideMs: 1000, peakRssMb: 300 },
  };
  console.log(`\n${JSON.stringify(result)}`);
}

await main();
