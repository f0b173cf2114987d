// Large returns against the real production build (issue 9: "a large return freezes the whole
// process"). Run: npm run bench:returns   (tsx bench/returns-http.ts)
//
//   1. builds the app if build/ is missing or stale (the browser tests' lock);
//   2. prepares a temporary SQLite database, seeds the demo marketplace (60 days of orders) and
//      gives its latest order a Shopify id; starts server.mjs in demo mode on it (returns job on);
//   3. for 250, 300 and 1,000 lines: sends one signed returns/request while a signed rate request
//      and a /healthz probe go out every 150 ms; reports the webhook's answer time, the slowest
//      rate request and probe meanwhile, failures, and when the return was decided on every line;
//   4. with auto-approve off, stores two 1,001-line returns, then times the returns/approve and
//      returns/decline webhooks on them (and the probes meanwhile), and checks every line moved.
// The baseline, measured first in the same run: the same probes against the idle server.
// The last line printed is one JSON object with every figure. Traffic goes to 127.0.0.1 only.
// BENCH_LINES (comma-separated, default 250,300,1000) and BENCH_STORED_LINES (1001) change the sizes.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { ensureBuild, ROOT, startDemoServer, type RunningServer } from "../test/e2e/support/app-server";
import {
  knownDemoOrder,
  largeReturnPayload,
  postRateRequest,
  postWebhook,
  slowest,
  withProbes,
  type KnownOrder,
  type Probes,
} from "../test/support/returns-load";

const SIZES = (process.env.BENCH_LINES ?? "250,300,1000").split(",").map(Number);
const STORED = Number(process.env.BENCH_STORED_LINES ?? 1001);

const round = (ms: number) => Math.round(ms);

function summary(p: Probes) {
  const failed = (list: Probes["rates"]) => list.filter((t) => t.status !== 200).length;
  return {
    rates: p.rates.length,
    slowestRateMs: round(slowest(p.rates).ms),
    ratesFailed: failed(p.rates),
    slowestHealthzMs: round(slowest(p.healthz).ms),
    healthzFailed: failed(p.healthz),
  };
}

async function main() {
  console.log(`▸ Build: ${await ensureBuild()}`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "nearhub-bench-returns-"));
  const url = `file:${path.join(tmp, "bench.db")}`;
  let server: RunningServer | null = null;
  // The seed's helpers use the app's shared client, which reads DATABASE_URL on first import.
  process.env.DATABASE_URL = url;
  process.env.LOG_LEVEL ??= "warn";
  const { db } = await import("../app/db.server");
  const { seedDemoMarketplace } = await import("../prisma/seed/demo");
  const { stopJobWorker } = await import("../app/services/jobs/index.server");
  try {
    const prepared = spawnSync(process.execPath, [path.join(ROOT, "scripts/db-prepare.mjs")], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
    if (prepared.status !== 0) throw new Error(`db:prepare failed:\n${prepared.stdout}${prepared.stderr}`);
    await seedDemoMarketplace(db, { now: new Date(), orderDays: 60 });
    const order: KnownOrder = await knownDemoOrder(db);
    server = await startDemoServer(url);
    const base = server.url;
    for (let i = 0; i < 20; i++) await postRateRequest(base); // warm: snapshot cached, code paths compiled
    console.log(`▸ Server ${base}; order ${order.shopifyOrderId}; ${order.skus.length} SKUs`);
    // The baseline: the same probes against the idle server, on this machine as loaded as it is now.
    const idle = summary((await withProbes(base, () => new Promise((r) => setTimeout(r, 3_000)))).probes);
    console.log(`  idle server: ${JSON.stringify(idle)}`);

    const waitFor = async (what: string, check: () => Promise<boolean>, limitMs = 300_000) => {
      const started = performance.now();
      while (!(await check())) {
        if (performance.now() - started > limitMs) throw new Error(`${what}: not within ${limitMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const linesIn = (gid: string, status: { not: string } | string) => db.returnLine.count({ where: { returnCase: { shopifyReturnGid: gid }, status } });

    const requests = [];
    let returnId = 7_000_000;
    for (const lines of SIZES) {
      const payload = largeReturnPayload(++returnId, order, lines);
      const started = performance.now();
      let decidedMs = 0;
      const { result: webhook, probes } = await withProbes(base, async () => {
        const answer = await postWebhook(base, "returns/request", payload);
        await waitFor(`${lines}-line return decided`, async () => (await linesIn(payload.admin_graphql_api_id, { not: "REQUESTED" })) === lines);
        decidedMs = performance.now() - started;
        return answer;
      });
      const row = { lines, webhookStatus: webhook.status, webhookMs: round(webhook.ms), decidedMs: round(decidedMs), ...summary(probes) };
      console.log(`  returns/request ${lines} lines: ${JSON.stringify(row)}`);
      requests.push(row);
    }

    // Stored returns the merchant decides in Shopify: auto-approve off, so they stay requested.
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: "nearhub-demo.myshopify.com" } });
    await db.returnSettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, autoApprove: false }, update: { autoApprove: false } });
    const stored = [largeReturnPayload(++returnId, order, STORED), largeReturnPayload(++returnId, order, STORED)];
    for (const p of stored) {
      await postWebhook(base, "returns/request", p);
      await waitFor("stored return planned", async () => {
        const c = await db.returnCase.findFirst({ where: { shopifyReturnGid: p.admin_graphql_api_id }, select: { decisionJson: true } });
        return c !== null && c.decisionJson !== "{}";
      });
    }
    const decisions = [];
    for (const [topic, p, status] of [
      ["returns/approve", stored[0], "APPROVED"],
      ["returns/decline", stored[1], "DECLINED"],
    ] as const) {
      const body = topic === "returns/decline" ? { ...p, status: "declined", decline: { reason: "other", note: "Bench" } } : { ...p, status: "open" };
      const { result: webhook, probes } = await withProbes(base, () => postWebhook(base, topic, body));
      const moved = await linesIn(p.admin_graphql_api_id, status);
      const row = { topic, lines: STORED, webhookStatus: webhook.status, webhookMs: round(webhook.ms), linesMoved: moved, ...summary(probes) };
      console.log(`  ${topic} on ${STORED} lines: ${JSON.stringify(row)}`);
      decisions.push(row);
    }
    console.log(JSON.stringify({ bench: "returns-http", idle, requests, decisions }));
  } finally {
    await server?.stop();
    // The seed enqueues jobs: on PostgreSQL that opens pg-boss in this process, which would keep it up.
    await stopJobWorker();
    await db.$disconnect();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
