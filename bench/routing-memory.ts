// The routing benchmark's memory measurement, run by bench/routing.ts in a fresh process as plain
// JavaScript bundled by Vite (the way the server runs the core), not through tsx, whose loader
// thread would add its own ~40 MB: load HiGHS, generate the day, decide it once, print the peak
// resident memory of exactly that, and what the process held before the first order.
import { prepareNetwork } from "../app/core/quoting";
import { prepareRouting, routeBatch } from "../app/core/routing";
import { generateInstance } from "../test/core/routing/instance";

const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

const highs = await (await import("highs")).default();
const inst = generateInstance({ seed: Number(process.env.SEED ?? 20251125), orders: Number(process.env.ORDERS ?? 10_000) });
const net = prepareRouting(prepareNetwork(inst.snapshot, inst.quoteConfig), inst.routingConfig);
const baselineRssMb = Math.round(process.memoryUsage().rss / 1e6);
const t0 = performance.now();
const r = routeBatch(net, inst.orders, { now: inst.now, solver: highs });
const coldMs = performance.now() - t0;
console.log(
  JSON.stringify({
    maxRssMb: maxRssMb(),
    baselineRssMb,
    heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
    coldMs: Math.round(coldMs),
    routed: r.stats.routed,
  }),
);
