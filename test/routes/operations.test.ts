// Operations a platform team needs (issue 17, item 4), on the built server started the way
// production starts it (`node server.mjs`, connected mode, Shopify stood in for by
// test/support/fake-shopify-fetch.mjs), against this file's database:
//  - one request id from the webhook's route through the services into the job it enqueued, in
//    the JSON logs and answered in X-Request-Id;
//  - /readyz (database, migrations, job worker) and /metrics (prom-client, behind a bearer token)
//    with the webhook, job and checkout figures the requests above made;
//  - rate limits on the open API shared through the database: per API key, and per address before
//    the key is checked (429 with Retry-After);
//  - no secret, token or signature in the logs;
//  - SIGTERM drains: a request still arriving is answered, then the process exits 0.
import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createApiKey } from "~/services/api-keys.server";
import { saveRoutingSettings } from "~/services/routing-settings.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { ROOT, ensureBuild, freePort } from "../e2e/support/app-server";
import { makeSession } from "../support/factories";
import { sign, TEST_SHOPIFY, webhookRequest } from "../support/shopify";

const SHOP = "nearhub-demo.myshopify.com";
const METRICS_TOKEN = "metrics-token-for-the-operations-test";
const REQUEST_ID = "ops-test-request-0001";

let tmp: string;
let apiKey: string;
let child: ChildProcess;
let url: string;
let output = "";
let exited: Promise<number | null>;
const sentSignatures: string[] = [];

interface LogLine {
  msg?: string;
  reqId?: string;
  shop?: string;
  job?: string;
  topic?: string;
}
const logLines = (): LogLine[] =>
  output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as LogLine);

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  await ensureBuild();
  tmp = mkdtempSync(path.join(os.tmpdir(), "nearhub-ops-"));
  const seeded = await seedDemoMarketplace(db, { now: new Date(), orderDays: 2 });
  await makeSession(db, SHOP);
  apiKey = (await createApiKey(seeded.shopId, "operations test")).key;
  await saveRoutingSettings(seeded.shopId, { mode: "AUTO", splitPenaltyMinor: 300 });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL!,
    PORT: String(port),
    HOST: "127.0.0.1",
    SHOPIFY_API_KEY: TEST_SHOPIFY.apiKey,
    SHOPIFY_API_SECRET: TEST_SHOPIFY.apiSecret,
    SHOPIFY_APP_URL: url,
    NEARHUB_ENCRYPTION_KEY: TEST_SHOPIFY.encryptionKey,
    NEARHUB_METRICS_TOKEN: METRICS_TOKEN,
    NEARHUB_API_RATE_PER_MINUTE: "3",
    NEARHUB_API_IP_RATE_PER_MINUTE: "10",
    NEARHUB_COURIER_QUOTES: "0",
    NEARHUB_RETURNS_JOB: "0",
    NEARHUB_JOBS_POLL_MS: "200",
    NEARHUB_FAKE_SHOPIFY_ORDERS: "1",
    NEARHUB_FAKE_SHOPIFY_LOG: path.join(tmp, "shopify.jsonl"),
    LOG_LEVEL: "info",
  };
  for (const k of ["NODE_ENV", "NEARHUB_DEMO"]) Reflect.deleteProperty(env, k);
  child = spawn(process.execPath, ["--import", path.join(ROOT, "test/support/fake-shopify-fetch.mjs"), path.join(ROOT, "server.mjs")], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  await until("the server to listen", () => output.includes("Nearhub listening on"));
}, 600_000);

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(tmp, { recursive: true, force: true });
});

describe("operations", () => {
  it("carries one request id from a webhook into the job it enqueued, and answers it", async () => {
    const request = webhookRequest("/webhooks/orders/create", { id: 5830000001, admin_graphql_api_id: "gid://shopify/Order/5830000001", name: "#2001", cancelled_at: null }, { shop: SHOP, topic: "orders/create", baseUrl: url });
    sentSignatures.push(request.headers.get("X-Shopify-Hmac-Sha256")!);
    const res = await fetch(request.url, { method: "POST", headers: { ...Object.fromEntries(request.headers), "X-Request-Id": REQUEST_ID }, body: await request.text() });
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Request-Id")).toBe(REQUEST_ID);

    const decided = await until("the routing job's log line", () => logLines().find((l) => l.msg === "routing: decided" && l.reqId === REQUEST_ID));
    expect(decided).toMatchObject({ job: "routing.order", shop: SHOP });
    expect(logLines().find((l) => l.msg === "webhook" && l.reqId === REQUEST_ID)).toMatchObject({ topic: "orders/create", shop: SHOP });

    // A request without an id (or with one that is not a plain token) gets a new one.
    const mine = await fetch(`${url}/healthz`, { headers: { "X-Request-Id": "bad id with spaces" } });
    expect(mine.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is ready, and serves its metrics only to the scraper with the token", async () => {
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, database: { ok: true }, migrations: { ok: true, pending: [] }, jobs: { ok: true, expected: true, running: true } });

    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { Authorization: "Bearer not-the-token-at-all" } })).status).toBe(401);

    const body = JSON.parse(readFileSync(path.join(ROOT, "test/fixtures/carrier-service/rate-request.json"), "utf8"));
    const raw = JSON.stringify(body);
    const signature = sign(raw);
    sentSignatures.push(signature);
    const rates = await fetch(`${url}/api/carrier-service/rates`, { method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": signature, "X-Shopify-Shop-Domain": SHOP }, body: raw });
    expect(rates.status).toBe(200);

    const metrics = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/^nearhub_webhooks_total\{topic="orders\/create",outcome="applied"\} 1$/m);
    expect(text).toMatch(/^nearhub_job_attempt_seconds_count\{job="routing\.order",outcome="completed"\} [1-9]/m);
    expect(text).toMatch(/^nearhub_checkout_seconds_count\{route="carrier_rates",answer="(live|backup)"\} 1$/m);
    expect(text).toMatch(/^nearhub_jobs_waiting\{state="dead"\} 0$/m);
    expect(text).toMatch(/^nearhub_nodejs_eventloop_lag_seconds /m);
  });

  it("limits the open API per key, and per address before the key is checked, with Retry-After", async () => {
    const get = (key: string) => fetch(`${url}/api/v1/nodes`, { headers: { Authorization: `Bearer ${key}` } });
    const keyed = [];
    for (let i = 0; i < 4; i++) keyed.push(await get(apiKey));
    expect(keyed.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    const over = keyed[3];
    expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(((await over.json()) as { error: string }).error).toMatch(/^Too many requests from this API key: at most 3 a minute/);
    // Guessed keys count against the address: 10 a minute in all, the 4 above included.
    const guessed: number[] = [];
    for (let i = 0; i < 8; i++) guessed.push((await get(`nh_guess_${i}`)).status);
    expect(guessed).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    sentSignatures.push(apiKey);
  });

  it("drains on SIGTERM: a request still arriving is answered, then the process exits 0", async () => {
    // A webhook reads its whole body before it checks the signature: the answer needs the rest of it.
    const body = JSON.stringify({ id: 5830000002, admin_graphql_api_id: "gid://shopify/Order/5830000002" });
    const answered = new Promise<number>((resolve, reject) => {
      const headers = { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), "X-Shopify-Topic": "orders/create", "X-Shopify-Shop-Domain": SHOP, "X-Shopify-Hmac-Sha256": "bm90LXRoZS1zaWduYXR1cmU=", "X-Shopify-Webhook-Id": "ops-drain-1", "X-Shopify-API-Version": "2026-10" };
      const req = httpRequest(`${url}/webhooks/orders/create`, { method: "POST", headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(10)), 500);
      }, 200);
    });
    expect(await answered).toBe(401); // not signed by Shopify: answered all the same, not cut
    expect(await exited).toBe(0);
  });

  it("wrote no secret, token or signature into its logs", () => {
    expect(output.length).toBeGreaterThan(0);
    for (const secret of [TEST_SHOPIFY.apiSecret, TEST_SHOPIFY.encryptionKey, METRICS_TOKEN, "shpat_test", ...sentSignatures]) {
      expect(output.includes(secret), `the logs hold ${secret.slice(0, 6)}…`).toBe(false);
    }
  });
});
