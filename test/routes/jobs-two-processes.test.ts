// Two real app processes (the built server.mjs, connected mode, Shopify stood in for by
// test/support/fake-shopify-fetch.mjs in each) on one PostgreSQL database, the job engine on
// pg-boss (issue 11, item 5):
//  1. a stream of signed orders/create and order_routing_complete deliveries, sent to both, some
//     delivered twice (Shopify's retries) and some orders under both topics: every order is routed
//     and its fulfillment order moved exactly once, whichever process took which delivery;
//  2. the scheduled routing sweep fires once per slot, not once per process;
//  3. a job that keeps failing (Shopify answers 500 for that order) ends as a dead letter with its
//     message;
//  4. a process killed (SIGKILL) in the middle of a move has that job finished by the other.
// PostgreSQL only: on SQLite two processes share one file and the same guarantees are tested without
// processes, with an injected clock (test/services/jobs/sqlite-backend.test.ts).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { listJobs, stopJobWorker } from "~/services/jobs/index.server";
import { saveRoutingSettings } from "~/services/routing-settings.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { ROOT, ensureBuild, freePort, startAppServer, type RunningServer } from "../e2e/support/app-server";
import { testDbKind } from "../support/db";
import { makeSession } from "../support/factories";
import { TEST_SHOPIFY, webhookRequest } from "../support/shopify";

const SHOP = "nearhub-demo.myshopify.com";
const ORDER = (n: number) => `gid://shopify/Order/${5820000000 + n}`;
const FO = (n: number) => `gid://shopify/FulfillmentOrder/${6540000000 + n}`;
const ORDERS = 30;
const FAILING = 900;
const HANGING = 500;

let tmp: string;
let log: string;
let shopId: string;
const servers: RunningServer[] = [];

interface LogEntry {
  kind: string;
  pid?: number;
  operation?: string;
  id?: string;
}
const entries = (): LogEntry[] =>
  existsSync(log)
    ? readFileSync(log, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LogEntry)
    : [];

async function start(name: string, extra: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const server = await startAppServer({
    databaseUrl: process.env.DATABASE_URL!,
    demo: false,
    port,
    preload: path.join(ROOT, "test/support/fake-shopify-fetch.mjs"),
    env: {
      SHOPIFY_API_KEY: TEST_SHOPIFY.apiKey,
      SHOPIFY_API_SECRET: TEST_SHOPIFY.apiSecret,
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      NEARHUB_ENCRYPTION_KEY: TEST_SHOPIFY.encryptionKey,
      HOST: "127.0.0.1",
      NEARHUB_COURIER_QUOTES: "0",
      NEARHUB_RETURNS_JOB: "0",
      NEARHUB_JOBS_POLL_MS: "500",
      NEARHUB_JOBS_LEASE_SECONDS: "10",
      NEARHUB_JOBS_SUPERVISE_SECONDS: "1",
      NEARHUB_JOBS_MAX_RETRY_DELAY_SECONDS: "1",
      NEARHUB_FAKE_SHOPIFY_ORDERS: "1",
      NEARHUB_FAKE_SHOPIFY_LOG: log,
      NEARHUB_FAKE_SHOPIFY_FAIL_ORDERS: ORDER(FAILING),
      NEARHUB_FAKE_SHOPIFY_HANG_MOVES: "",
      LOG_LEVEL: "warn",
      ...extra,
    },
  });
  servers.push(server);
  void name;
  return server;
}

/** A signed delivery, sent over HTTP to `server`. */
async function deliver(server: RunningServer, topic: "orders/create" | "fulfillment_orders/order_routing_complete", n: number, ids: { webhookId: string; eventId: string }) {
  const body = topic === "orders/create" ? { id: 5820000000 + n, admin_graphql_api_id: ORDER(n), name: `#${1000 + n}`, cancelled_at: null } : { fulfillment_order: { id: FO(n), status: "open" } };
  const request = webhookRequest(`/webhooks/${topic}`, body, { shop: SHOP, topic, ...ids, baseUrl: server.url });
  const res = await fetch(request.url, { method: "POST", headers: request.headers, body: await request.text() });
  return res.status;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${servers.map((s) => s.output().slice(-2000)).join("\n---\n")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const movedTimes = (foGid: string) => entries().filter((e) => e.kind === "moved" && e.id === foGid);

describe.skipIf(testDbKind() !== "postgresql")("two app processes on one PostgreSQL (pg-boss)", () => {
  let a: RunningServer;
  let b: RunningServer;
  let bothSince: Date;

  beforeAll(async () => {
    await ensureBuild();
    tmp = mkdtempSync(path.join(os.tmpdir(), "nearhub-jobs-"));
    log = path.join(tmp, "shopify.jsonl");
    const seeded = await seedDemoMarketplace(db, { now: new Date(), orderDays: 3 });
    shopId = seeded.shopId;
    await makeSession(db, SHOP);
    await saveRoutingSettings(shopId, { mode: "AUTO", splitPenaltyMinor: 300 });
    [a, b] = await Promise.all([start("A", { NEARHUB_FAKE_SHOPIFY_HANG_MOVES: FO(HANGING) }), start("B")]);
    bothSince = new Date();
  }, 600_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await stopJobWorker();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("routes and moves every order of a stream of deliveries to both processes exactly once", async () => {
    const statuses: number[] = [];
    for (let n = 1; n <= ORDERS; n++) {
      const ids = { webhookId: `wh-${n}`, eventId: `ev-${n}` };
      const first = n % 2 ? a : b;
      const other = n % 2 ? b : a;
      statuses.push(await deliver(first, "orders/create", n, ids));
      // One in five delivered again (Shopify's retry of the same delivery) to the other process.
      if (n % 5 === 0) statuses.push(await deliver(other, "orders/create", n, ids));
      // One in three also under the other topic, to the other process.
      if (n % 3 === 0) statuses.push(await deliver(other, "fulfillment_orders/order_routing_complete", n, { webhookId: `rc-${n}`, eventId: `rc-ev-${n}` }));
    }
    expect(statuses.every((s) => s === 200), String(statuses)).toBe(true);

    const gids = Array.from({ length: ORDERS }, (_, i) => ORDER(i + 1));
    await until("every order moved", async () => (await db.routingDecision.count({ where: { shopId, orderGid: { in: gids }, status: "MOVED" } })) === ORDERS);
    expect(await db.routingDecision.count({ where: { shopId, orderGid: { in: gids } } })).toBe(ORDERS);
    expect(await db.routingMove.count({ where: { shopId, decision: { orderGid: { in: gids } } } })).toBe(ORDERS);
    for (let n = 1; n <= ORDERS; n++) expect(movedTimes(FO(n)), FO(n)).toHaveLength(1);
    // Both processes did part of the work.
    const pids = new Set(entries().filter((e) => e.kind === "moved").map((e) => e.pid));
    expect(pids.size).toBe(2);
  }, 180_000);

  it("fires the scheduled routing sweep once per slot, not once per process", async () => {
    const sweeps = await until(
      "a routing sweep fired while both processes ran",
      async () => {
        const jobs = (await listJobs({ name: "routing.retry", limit: 50 })).filter((j) => j.createdAt >= bothSince);
        return jobs.some((j) => j.state === "completed") ? jobs : null;
      },
      150_000,
    );
    const perMinute = new Map<string, number>();
    for (const j of sweeps) {
      const minute = j.createdAt.toISOString().slice(0, 16);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    expect([...perMinute.values()].every((count) => count === 1), JSON.stringify([...perMinute])).toBe(true);
  }, 180_000);

  it("keeps a job that keeps failing as a dead letter with Shopify's answer", async () => {
    expect(await deliver(a, "orders/create", FAILING, { webhookId: "wh-fail", eventId: "ev-fail" })).toBe(200);
    const dead = await until("the failing order's job to be a dead letter", async () => (await listJobs({ name: "routing.order", key: ORDER(FAILING), states: ["dead"] }))[0], 120_000);
    expect(dead).toMatchObject({ attempts: 6, maxAttempts: 6 });
    expect(dead.lastError).toMatch(/500/);
    expect(await db.routingDecision.count({ where: { shopId, orderGid: ORDER(FAILING) } })).toBe(0);
  }, 180_000);

  it("finishes, in the other process, the job of a process killed in the middle of a move", async () => {
    // B steps aside so that A takes the order; A's Shopify never answers its move.
    await b.stop();
    expect(await deliver(a, "orders/create", HANGING, { webhookId: "wh-hang", eventId: "ev-hang" })).toBe(200);
    await until("A to be stuck in the move", async () => entries().some((e) => e.kind === "hang" && e.id === FO(HANGING)));
    const stuck = await db.routingMove.findFirstOrThrow({ where: { shopId, fulfillmentOrderGid: FO(HANGING) } });
    expect(stuck.status).toBe("MOVING");
    const c = await start("C");
    a.child.kill("SIGKILL");
    await until("the order moved by C", async () => (await db.routingDecision.findFirst({ where: { shopId, orderGid: ORDER(HANGING), status: "MOVED" } })) !== null, 120_000);
    const moved = movedTimes(FO(HANGING));
    expect(moved).toHaveLength(1);
    expect(moved[0].pid).toBe(c.child.pid);
    const job = await until("the job completed", async () => (await listJobs({ name: "routing.order", key: ORDER(HANGING), states: ["completed"] }))[0]);
    expect(job).toMatchObject({ attempts: 2 }); // A's attempt, taken over by C's
    expect(await db.routingMove.findFirstOrThrow({ where: { shopId, fulfillmentOrderGid: FO(HANGING) } })).toMatchObject({ status: "DONE" });
  }, 180_000);
});
