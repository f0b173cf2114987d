// A burst of signed orders/create deliveries against two app processes on one PostgreSQL (issue 11,
// item 9). Run: npm run bench:webhooks   (tsx bench/webhooks.ts)
//
//   1. builds the app if build/ is missing or stale (the browser tests' lock);
//   2. starts a throwaway PostgreSQL cluster (test/support/postgres.mjs, as scripts/test.mjs does),
//      migrates a database, seeds the demo marketplace on it and gives its shop an offline session,
//      routing in "move automatically", and enough mugs in stock for every order of the burst;
//   3. starts two production servers (server.mjs, connected mode, the job engine on pg-boss), Shopify
//      stood in for in each by test/support/fake-shopify-fetch.mjs (statelessly, so the processes agree:
//      order gid://shopify/Order/<5820000000 + n> has one fulfillment order of one mug, which moves);
//   4. sends BENCH_DELIVERIES (5,000) signed orders/create, BENCH_REPEAT (20%) of them repeats of
//      another delivery (the same X-Shopify-Webhook-Id and body: Shopify's retry), in a shuffled order,
//      round-robin between the two processes over BENCH_CONNECTIONS (50) keep-alive connections
//      (autocannon, half the connections on each process), timing each acknowledgement;
//   5. waits until the routing queue is drained (no routing.order job waiting, retrying or running, and
//      no move still pending) and counts: deliveries recorded, orders routed, orders lost (acknowledged
//      but never decided), effects done twice (a decision per order, a recorded delivery, a
//      fulfillmentOrderMove per fulfillment order: more than one is a duplicate).
// Also printed: the CPU the two servers used per delivery during the burst (/proc/<pid>/stat), which
// other load on a shared machine moves much less than it moves latency. Diagnostics:
// BENCH_SERVER_JOBS=0 runs the servers without their job worker (acknowledgements alone; nothing is
// routed, so "lost" fails), BENCH_CPU_PROFILE_DIR=<dir> writes each server's CPU profile there.
// Targets: 0 lost, 0 duplicated effects, acknowledgement p99 <= 50 ms. The last line printed is one
// JSON object with every figure and, per target, whether it was met; the exit code is 1 when one
// was not. Traffic goes to 127.0.0.1 only. Everything started here (servers, pg-boss, the cluster) is
// stopped on the way out, whatever happens.
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { ROOT, ensureBuild, freePort, startAppServer, type RunningServer } from "../test/e2e/support/app-server";
import { startPostgres, type Postgres } from "../test/support/postgres.mjs";
import { TEST_SHOPIFY, sign } from "../test/support/shopify";

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 5_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 0.2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DRAIN_LIMIT_MS = Number(process.env.BENCH_DRAIN_LIMIT_MS ?? 15 * 60_000);
const TARGET_P99_MS = 50;
const SHOP = "nearhub-demo.myshopify.com";
const ORDER_BASE = 5_820_000_000;
const FO_BASE = 6_540_000_000;

// autocannon ships without type declarations: the part of its API used here.
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
interface AutocannonInstance extends Promise<{ errors: number; timeouts: number; non2xx: number }> {
  on(event: "response", listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Autocannon = (opts: { url: string; connections: number; amount: number; timeout: number; requests: { setupRequest: (req: AutocannonRequest) => AutocannonRequest }[] }) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (ms: number) => Math.round(ms * 10) / 10;

/** A small deterministic generator (mulberry32), so every run sends the same sequence. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Delivery {
  n: number;
  webhookId: string;
  raw: string;
  hmac: string;
}

/** The deliveries: every distinct order once, then repeats of random ones, shuffled together. */
function deliveries(total: number, repeatShare: number): { list: Delivery[]; orders: number } {
  const repeats = Math.round(total * repeatShare);
  const orders = total - repeats;
  const random = rng(20261202);
  const originals: Delivery[] = [];
  for (let n = 1; n <= orders; n++) {
    const raw = JSON.stringify({ id: ORDER_BASE + n, admin_graphql_api_id: `gid://shopify/Order/${ORDER_BASE + n}`, name: `#${1000 + n}`, created_at: new Date().toISOString(), cancelled_at: null });
    originals.push({ n, webhookId: randomUUID(), raw, hmac: sign(raw) });
  }
  const list = [...originals];
  for (let i = 0; i < repeats; i++) list.push(originals[Math.floor(random() * originals.length)]);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return { list, orders };
}

/** CPU time (user + system, ms) a process has used, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuMsOf(pid: number | undefined): number {
  if (!pid || !existsSync(`/proc/${pid}/stat`)) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const servers: RunningServer[] = [];
let postgres: Postgres | null = null;
let tmp: string | null = null;

function cleanupNow() {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  postgres?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
process.on("exit", cleanupNow);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

async function main() {
  console.log(`▸ Build: ${await ensureBuild()}`);
  tmp = mkdtempSync(path.join(os.tmpdir(), "nearhub-bench-webhooks-"));
  const shopifyLog = path.join(tmp, "shopify.jsonl");

  const pgStarted = performance.now();
  postgres = await startPostgres();
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: postgres.url() });
  await admin.connect();
  await admin.query("CREATE DATABASE bench");
  await admin.end();
  const url = postgres.url("bench");
  console.log(`▸ PostgreSQL ${postgres.version.replace(/^postgres \(PostgreSQL\) /, "")} on 127.0.0.1:${postgres.port} in ${Math.round(performance.now() - pgStarted)} ms`);
  const prepared = spawnSync(process.execPath, [path.join(ROOT, "scripts/db-prepare.mjs")], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
  if (prepared.status !== 0) throw new Error(`db:prepare failed:\n${prepared.stdout}${prepared.stderr}`);

  // The seed's helpers use the app's shared client, which reads DATABASE_URL on first import.
  process.env.DATABASE_URL = url;
  process.env.LOG_LEVEL ??= "warn";
  // This process is a connected app too (the same made-up one as the servers): it seeds and counts.
  Object.assign(process.env, { SHOPIFY_API_KEY: TEST_SHOPIFY.apiKey, SHOPIFY_API_SECRET: TEST_SHOPIFY.apiSecret, SHOPIFY_APP_URL: "http://127.0.0.1:3000", NEARHUB_ENCRYPTION_KEY: TEST_SHOPIFY.encryptionKey });
  const { db } = await import("../app/db.server");
  const { stopJobWorker } = await import("../app/services/jobs/index.server");
  const { saveRoutingSettings } = await import("../app/services/routing-settings.server");
  const { seedDemoMarketplace } = await import("../prisma/seed/demo");
  const { makeSession } = await import("../test/support/factories");
  try {
    const seeded = await seedDemoMarketplace(db, { now: new Date(), orderDays: 3 });
    const shopId = seeded.shopId;
    await makeSession(db, SHOP);
    await saveRoutingSettings(shopId, { mode: "AUTO", splitPenaltyMinor: 300 });
    // Every order of the burst is one mug: enough of them at every node that each can be routed and
    // moved (the seed's few days of stock would run out after a few dozen, and the rest be unroutable).
    await db.stockLevel.updateMany({ where: { shopId, product: { sku: "KK-MUG-SPK-12" } }, data: { available: 1_000_000 } });
    // The seed's routing enqueued jobs through pg-boss in this process: stopped, so only the servers work.
    await stopJobWorker();
    const before = {
      deliveries: await db.webhookDelivery.count({ where: { shopId } }),
      decisions: await db.routingDecision.count({ where: { shopId } }),
    };

    const start = async () => {
      const port = await freePort();
      const server = await startAppServer({
        databaseUrl: url,
        demo: false,
        port,
        preload: path.join(ROOT, "test/support/fake-shopify-fetch.mjs"),
        env: {
          NODE_ENV: "production",
          SHOPIFY_API_KEY: TEST_SHOPIFY.apiKey,
          SHOPIFY_API_SECRET: TEST_SHOPIFY.apiSecret,
          SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
          NEARHUB_ENCRYPTION_KEY: TEST_SHOPIFY.encryptionKey,
          HOST: "127.0.0.1",
          NEARHUB_COURIER_QUOTES: "0",
          NEARHUB_RETURNS_JOB: "0",
          NEARHUB_FAKE_SHOPIFY_ORDERS: "1",
          NEARHUB_FAKE_SHOPIFY_LOG: shopifyLog,
          LOG_LEVEL: "warn",
          ...(process.env.BENCH_SERVER_JOBS ? { NEARHUB_JOBS: process.env.BENCH_SERVER_JOBS } : {}),
          ...(process.env.BENCH_CPU_PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}` } : {}),
        },
      });
      servers.push(server);
      return server;
    };
    const [a, b] = await Promise.all([start(), start()]);
    console.log(`▸ Servers ${a.url} (pid ${a.child.pid}) and ${b.url} (pid ${b.child.pid}), the job engine on pg-boss in each`);

    const { list, orders } = deliveries(DELIVERIES, REPEAT);
    // Warm both processes (routes compiled, the shop's network cached, pg-boss's queue made) with
    // one delivery of an order outside the burst each.
    for (const [i, s] of [a, b].entries()) {
      const raw = JSON.stringify({ id: ORDER_BASE + 900_000 + i, admin_graphql_api_id: `gid://shopify/Order/${ORDER_BASE + 900_000 + i}`, cancelled_at: null });
      const res = await fetch(`${s.url}/webhooks/orders/create`, { method: "POST", body: raw, headers: headersOf({ webhookId: randomUUID(), raw, hmac: sign(raw), n: 0 }) });
      if (res.status !== 200) throw new Error(`warm-up delivery answered ${res.status}: ${await res.text()}\n${s.output().slice(-2000)}`);
    }
    const warmGids = [0, 1].map((i) => `gid://shopify/Order/${ORDER_BASE + 900_000 + i}`);
    if (process.env.BENCH_SERVER_JOBS !== "0") await waitFor("warm-up orders routed", async () => (await db.routingDecision.count({ where: { shopId, orderGid: { in: warmGids } } })) === 2, 60_000);

    console.log(`▸ Sending ${list.length} signed orders/create (${orders} orders, ${list.length - orders} repeated deliveries) over ${CONNECTIONS} connections, round-robin between the two`);
    const queues: Delivery[][] = [[], []];
    list.forEach((d, i) => queues[i % 2].push(d));
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const cpuBefore = [a, b].map((s) => cpuMsOf(s.child.pid));
    const sentAt = performance.now();
    const runs = [a, b].map((server, k) => {
      const queue = queues[k];
      let next = 0;
      const instance = autocannon({
        url: server.url,
        connections: k === 0 ? Math.ceil(CONNECTIONS / 2) : Math.floor(CONNECTIONS / 2),
        amount: queue.length,
        timeout: 30,
        requests: [
          {
            setupRequest: (req) => {
              const d = queue[Math.min(next++, queue.length - 1)];
              return { ...req, method: "POST", path: "/webhooks/orders/create", headers: headersOf(d), body: d.raw };
            },
          },
        ],
      });
      instance.on("response", (_client, statusCode, _bytes, responseTime) => {
        latencies.push(responseTime);
        statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      });
      return instance;
    });
    const results = await Promise.all(runs);
    const burstMs = performance.now() - sentAt;
    // CPU the two servers used during the burst, per delivery: other load on a shared machine moves it
    // much less than it moves latency (it includes the routing jobs the servers ran meanwhile).
    const serverCpuMsPerDelivery = round([a, b].reduce((sum, s, i) => sum + cpuMsOf(s.child.pid) - cpuBefore[i], 0) / list.length);
    const sorted = [...latencies].sort((x, y) => x - y);
    const ack = { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted[sorted.length - 1] ?? NaN), answered: latencies.length };
    const errors = results.reduce((s, r) => s + r.errors + r.timeouts, 0);
    console.log(`  burst: ${list.length} in ${Math.round(burstMs)} ms (${Math.round((list.length / burstMs) * 1000)}/s), statuses ${JSON.stringify(statuses)}, errors ${errors}; ack p50 ${ack.p50Ms} ms, p99 ${ack.p99Ms} ms, max ${ack.maxMs} ms; server CPU ${serverCpuMsPerDelivery} ms per delivery`);

    // Drained: no routing.order job waiting, retrying or running, and no move left to make.
    const gids = Array.from({ length: orders }, (_, i) => `gid://shopify/Order/${ORDER_BASE + i + 1}`);
    const openJobs = async (name: string) => {
      const rows = await db.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) AS count FROM nearhub_jobs.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`, name);
      return Number(rows[0].count);
    };
    let drainedMs: number | null = null;
    const deadline = Date.now() + DRAIN_LIMIT_MS;
    let lastReport = 0;
    for (;;) {
      const [jobs, undecided, moving] = await Promise.all([
        openJobs("routing.order"),
        db.routingDecision.count({ where: { shopId, orderGid: { in: gids } } }).then((c) => orders - c),
        db.routingMove.count({ where: { shopId, status: { in: ["PENDING", "MOVING"] }, decision: { orderGid: { in: gids } } } }),
      ]);
      if (jobs === 0 && moving === 0) {
        drainedMs = performance.now() - sentAt;
        break;
      }
      if (Date.now() > deadline) {
        console.log(`  not drained within ${DRAIN_LIMIT_MS} ms: ${jobs} routing jobs open, ${undecided} orders undecided, ${moving} moves pending`);
        break;
      }
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        console.log(`  draining: ${jobs} routing jobs open, ${undecided} orders undecided, ${moving} moves pending (${Math.round((performance.now() - sentAt) / 1000)} s)`);
      }
      await sleep(250);
    }

    const recorded = (await db.webhookDelivery.count({ where: { shopId, topic: "orders/create" } })) - before.deliveries - 2;
    const decisions = await db.routingDecision.findMany({ where: { shopId, orderGid: { in: gids } }, select: { orderGid: true, status: true } });
    const byStatus: Record<string, number> = {};
    for (const d of decisions) byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
    const perOrder = new Map<string, number>();
    for (const d of decisions) perOrder.set(d.orderGid, (perOrder.get(d.orderGid) ?? 0) + 1);
    const decided = new Set(perOrder.keys());
    // Lost: an order of the burst never decided once the queue is drained (every delivery answered
    // 200, so Shopify would not send it again; an answer other than 200 is counted in `statuses`).
    const lost = orders - decided.size;
    const notAcknowledged = list.length - (statuses["200"] ?? 0);
    const moveLog = existsSync(shopifyLog)
      ? readFileSync(shopifyLog, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { kind: string; id?: string; pid?: number })
          .filter((e) => e.kind === "moved")
      : [];
    const movesPerFo = new Map<string, number>();
    for (const m of moveLog) if (m.id) movesPerFo.set(m.id, (movesPerFo.get(m.id) ?? 0) + 1);
    const burstFos = new Set(gids.map((_, i) => `gid://shopify/FulfillmentOrder/${FO_BASE + i + 1}`));
    const duplicates = {
      decisions: [...perOrder.values()].filter((c) => c > 1).length,
      deliveriesRecorded: Math.max(0, recorded - orders),
      moves: [...movesPerFo.entries()].filter(([fo, c]) => burstFos.has(fo) && c > 1).length,
    };
    const duplicated = duplicates.decisions + duplicates.deliveriesRecorded + duplicates.moves;
    const movedBy = new Map<number, number>();
    for (const m of moveLog) if (m.id && burstFos.has(m.id) && m.pid) movedBy.set(m.pid, (movedBy.get(m.pid) ?? 0) + 1);
    const delayedMoveJobs = await openJobs("routing.moves");

    console.log(`  recorded ${recorded} deliveries for ${orders} orders; decided ${decided.size} ${JSON.stringify(byStatus)}; moves by process ${JSON.stringify(Object.fromEntries(movedBy))}`);
    console.log(`  lost ${lost} (never decided), deliveries not answered 200 ${notAcknowledged}, duplicated effects ${duplicated} ${JSON.stringify(duplicates)}`);
    console.log(`  queue drained ${drainedMs === null ? "NOT within the limit" : `${(drainedMs / 1000).toFixed(1)} s after the first delivery`}; routing.moves jobs still delayed (their process moved first; each finds nothing) ${delayedMoveJobs}`);

    const targets = {
      lost: { target: 0, measured: lost, pass: lost === 0 && drainedMs !== null },
      duplicatedEffects: { target: 0, measured: duplicated, pass: duplicated === 0 },
      ackP99Ms: { target: TARGET_P99_MS, measured: ack.p99Ms, pass: ack.p99Ms <= TARGET_P99_MS && latencies.length === list.length && errors === 0 && notAcknowledged === 0 },
    };
    for (const [name, t] of Object.entries(targets)) console.log(`  ${t.pass ? "PASS" : "FAIL"}  ${name}: ${t.measured} (target ${name === "ackP99Ms" ? "<=" : ""}${t.target})`);
    const pass = Object.values(targets).every((t) => t.pass);
    console.log(
      JSON.stringify({
        bench: "webhooks",
        deliveries: list.length,
        orders,
        repeated: list.length - orders,
        connections: CONNECTIONS,
        processes: 2,
        database: "postgresql",
        burstMs: Math.round(burstMs),
        deliveriesPerSecond: Math.round((list.length / burstMs) * 1000),
        statuses,
        errors,
        ack,
        serverCpuMsPerDelivery,
        recorded,
        decided: decided.size,
        byStatus,
        lost,
        notAcknowledged,
        delayedMoveJobs,
        duplicates,
        drainedMs: drainedMs === null ? null : Math.round(drainedMs),
        targets,
        pass,
      }),
    );
    if (!pass) process.exitCode = 1;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await stopJobWorker().catch(() => undefined);
    await db.$disconnect();
    postgres?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    tmp = null;
  }

  async function waitFor(what: string, check: () => Promise<boolean>, limitMs: number) {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > limitMs) throw new Error(`${what}: not within ${limitMs} ms\n${servers.map((s) => s.output().slice(-2000)).join("\n---\n")}`);
      await sleep(200);
    }
  }
}

function headersOf(d: Delivery): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Hmac-Sha256": d.hmac,
    "X-Shopify-Topic": "orders/create",
    "X-Shopify-Shop-Domain": SHOP,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": d.webhookId,
    "X-Shopify-Triggered-At": new Date().toISOString(),
  };
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
