// Stateless app processes on one PostgreSQL (issue 17, item 1), with real processes throughout:
//  1. two servers (server.mjs, connected mode, Shopify stood in for by
//     test/support/fake-shopify-fetch.mjs) behind a small round-robin proxy started here, which
//     sends request k to process k mod 2 and says which one answered. A merchant's pricing save
//     answered by one process is in the other's very next checkout answer: PostgreSQL's NOTIFY
//     from the save's transaction drops that process's cached snapshot (ADR 0036), where the version
//     check alone would have served the old prices for up to 3 s. Orders delivered through the
//     proxy to both processes are each routed once.
//  2. `node server.mjs` with NEARHUB_PROCESSES=2 (Node's cluster): two app processes on one port; one
//     killed is started again; SIGTERM stops them all and the primary exits 0.
// PostgreSQL only: on SQLite the processes of one machine share one file, and the version check
// carries changes between them (test/services/quote-snapshot*.test.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { stopJobWorker } from "~/services/jobs/index.server";
import { getShopShipping } from "~/services/shipping-settings.server";
import { saveRoutingSettings } from "~/services/routing-settings.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { ROOT, ensureBuild, freePort, startAppServer, type RunningServer } from "../e2e/support/app-server";
import { testDbKind } from "../support/db";
import { makeSession } from "../support/factories";
import { TEST_SHOPIFY, sessionToken, sign, webhookRequest } from "../support/shopify";

const SHOP = "nearhub-demo.myshopify.com";
const RATE_REQUEST = readFileSync(path.join(__dirname, "../fixtures/carrier-service/rate-request.json"), "utf8");
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tmp: string;
let shopId: string;

/** A server's settings; `appUrl` is where Shopify reaches the app (the load balancer's address, behind one). */
function serverEnv(appUrl: string): Record<string, string> {
  return {
    SHOPIFY_API_KEY: TEST_SHOPIFY.apiKey,
    SHOPIFY_API_SECRET: TEST_SHOPIFY.apiSecret,
    SHOPIFY_APP_URL: appUrl,
    NEARHUB_ENCRYPTION_KEY: TEST_SHOPIFY.encryptionKey,
    HOST: "127.0.0.1",
    NEARHUB_COURIER_QUOTES: "0",
    NEARHUB_RETURNS_JOB: "0",
    NEARHUB_JOBS_POLL_MS: "300",
    NEARHUB_FAKE_SHOPIFY_ORDERS: "1",
    NEARHUB_FAKE_SHOPIFY_LOG: path.join(tmp, "shopify.jsonl"),
    LOG_LEVEL: "warn",
  };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** A load balancer in miniature: request k goes to `backends[k % n]` (filled in later); X-Test-Backend says which. */
async function roundRobinProxy(backends: string[]): Promise<{ url: string; backends: string[]; sent: number[]; close(): Promise<void> }> {
  let next = 0;
  const sent: number[] = [];
  const server = http.createServer((req, res) => {
    const index = next++ % backends.length;
    sent.push(index);
    const target = new URL(req.url ?? "/", backends[index]);
    // As a load balancer does: the Host the client asked for is kept, its address appended to X-Forwarded-For.
    const upstream = http.request(target, { method: req.method, headers: { ...req.headers, "x-forwarded-for": req.socket.remoteAddress ?? "" } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, "x-test-backend": String(index) });
      answer.pipe(res);
    });
    upstream.on("error", (error) => {
      res.writeHead(502);
      res.end(error.message);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    backends,
    sent,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface RateAnswer {
  backend: string | null;
  status: number;
  prices: Record<string, number>;
}

async function rates(base: string): Promise<RateAnswer> {
  const res = await fetch(`${base}/api/carrier-service/rates`, {
    method: "POST",
    body: RATE_REQUEST,
    headers: { "Content-Type": "application/json", "X-Shopify-Shop-Domain": SHOP, "X-Shopify-Hmac-Sha256": sign(RATE_REQUEST), "X-Shopify-Timeout": "10000" },
  });
  const body = (await res.json()) as { rates: { service_code: string; total_price: string }[] };
  return { backend: res.headers.get("x-test-backend"), status: res.status, prices: Object.fromEntries(body.rates.map((r) => [r.service_code, Number(r.total_price)])) };
}

/** Rate requests until one is live (not the shop's backup rates): the first load may miss the budget. */
const liveRates = (base: string) =>
  until("live rates", async () => {
    const answer = await rates(base);
    return Object.keys(answer.prices).some((code) => !code.startsWith("NH:BACKUP:")) ? answer : null;
  });

describe.skipIf(testDbKind() !== "postgresql")("stateless processes on one PostgreSQL", () => {
  beforeAll(async () => {
    await ensureBuild();
    tmp = mkdtempSync(path.join(os.tmpdir(), "nearhub-processes-"));
    shopId = (await seedDemoMarketplace(db, { now: new Date(), orderDays: 2 })).shopId;
    await makeSession(db, SHOP);
    await saveRoutingSettings(shopId, { mode: "AUTO", splitPenaltyMinor: 300 });
    await stopJobWorker();
  }, 600_000);

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  describe("two processes behind a load balancer", () => {
    const servers: RunningServer[] = [];
    let proxy: Awaited<ReturnType<typeof roundRobinProxy>>;

    beforeAll(async () => {
      proxy = await roundRobinProxy([]);
      const start = async () => {
        const server = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, demo: false, port: await freePort(), preload: path.join(ROOT, "test/support/fake-shopify-fetch.mjs"), env: serverEnv(proxy.url) });
        return server;
      };
      servers.push(...(await Promise.all([start(), start()])));
      proxy.backends.push(...servers.map((s) => s.url));
    }, 120_000);

    afterAll(async () => {
      await proxy?.close();
      await Promise.all(servers.map((s) => s.stop()));
    });

    it("puts a pricing save answered by one process into the other's next checkout answer", async () => {
      // Both processes hold the shop's snapshot (live rates), then the proxy is lined up on process 0.
      for (const s of servers) await liveRates(s.url);
      if (proxy.sent.length % 2 === 1) await rates(proxy.url);
      const before = await rates(proxy.url); // process 0
      const again = await rates(proxy.url); // process 1
      expect([before.backend, again.backend]).toEqual(["0", "1"]);
      expect(again.prices).toEqual(before.prices);

      // The merchant's pricing becomes one 50% margin in the admin; the proxy hands the save to process 0.
      const { version } = await getShopShipping(shopId);
      const save = await fetch(`${proxy.url}/app/shipping/pricing`, {
        method: "POST",
        redirect: "manual",
        // A browser's User-Agent: the library answers 410 to what it takes for a bot (Node's own fetch).
        headers: { "Content-Type": "application/x-www-form-urlencoded", "User-Agent": BROWSER, Origin: proxy.url, Authorization: `Bearer ${sessionToken(SHOP)}` },
        body: new URLSearchParams({ intent: "pricing", version: String(version), "pricingRules.0.code": "MARGIN_PERCENT", "pricingRules.0.args.percent": "50" }),
      });
      expect(save.headers.get("x-test-backend")).toBe("0");
      expect(save.status, servers[0].output().slice(-2000)).toBe(302);

      // Process 1's very next checkout answer has the new prices.
      const after = await rates(proxy.url);
      expect(after.backend).toBe("1");
      expect(after.status).toBe(200);
      // …the prices process 0 quotes since its save, and not those of before.
      const saver = await rates(servers[0].url);
      expect(after.prices).toEqual(saver.prices);
      // (The demo's rules ship standard free over its subtotal; the one rule saved here replaces them.)
      expect(after.prices).not.toEqual(before.prices);
    }, 120_000);

    it("routes each order delivered through the proxy once, whichever process took it", async () => {
      const orders = Array.from({ length: 6 }, (_, i) => 5840000001 + i);
      for (const id of orders) {
        for (let copy = 0; copy < 2; copy++) {
          // Each order twice with one webhook id (Shopify's retry): the copies go to different processes.
          const request = webhookRequest("/webhooks/orders/create", { id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#${id % 10_000}`, cancelled_at: null }, { shop: SHOP, topic: "orders/create", webhookId: `proxy-${id}`, baseUrl: proxy.url });
          const res = await fetch(request.url, { method: "POST", headers: request.headers, body: await request.text() });
          expect(res.status).toBe(200);
        }
      }
      const gids = orders.map((id) => `gid://shopify/Order/${id}`);
      await until("every order decided", async () => (await db.routingDecision.count({ where: { shopId, orderGid: { in: gids } } })) === orders.length);
      await sleep(1_000); // time for a second decision, if a process were to make one
      const decisions = await db.routingDecision.groupBy({ by: ["orderGid"], where: { shopId, orderGid: { in: gids } }, _count: { _all: true } });
      expect(decisions.map((d) => d._count._all)).toEqual(orders.map(() => 1));
      expect(await db.webhookDelivery.count({ where: { shopId, webhookId: { startsWith: "proxy-" } } })).toBe(orders.length);
    }, 120_000);
  });

  describe("npm start with NEARHUB_PROCESSES=2", () => {
    let primary: ChildProcess;
    let output = "";
    let url: string;
    /** The primary's child processes, from /proc (field 4 of /proc/<pid>/stat is the parent's pid). */
    const workers = () =>
      readdirSync("/proc")
        .filter((name) => /^\d+$/.test(name))
        .filter((pid) => {
          try {
            return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[1]) === primary.pid;
          } catch {
            return false; // ended meanwhile
          }
        })
        .map(Number);

    beforeAll(async () => {
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      const env: NodeJS.ProcessEnv = { ...process.env, ...serverEnv(url), DATABASE_URL: process.env.DATABASE_URL!, PORT: String(port), NEARHUB_PROCESSES: "2", NODE_OPTIONS: `--import=${pathToFileURL(path.join(ROOT, "test/support/fake-shopify-fetch.mjs")).href}` };
      for (const k of ["NODE_ENV", "NEARHUB_DEMO"]) Reflect.deleteProperty(env, k);
      primary = spawn(process.execPath, [path.join(ROOT, "server.mjs")], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
      primary.stdout!.on("data", (d) => (output += d));
      primary.stderr!.on("data", (d) => (output += d));
      await until("both processes to listen", async () => (output.match(/Nearhub listening on/g) ?? []).length >= 2, 60_000);
    }, 120_000);

    afterAll(() => {
      if (primary.exitCode === null && primary.signalCode === null) primary.kill("SIGKILL");
    });

    it("runs two app processes on one port, starts again one that dies, and stops them all on SIGTERM", async () => {
      expect(output).toContain("Nearhub: 2 processes on one port");
      const first = workers();
      expect(first).toHaveLength(2);
      expect((await liveRates(url)).status).toBe(200);

      process.kill(first[0], "SIGKILL");
      const replaced = await until("the killed process to be replaced", async () => {
        const now = workers();
        return now.length === 2 && !now.includes(first[0]) ? now : null;
      });
      expect(replaced).toContain(first[1]);
      expect(output).toMatch(/process \d of 2 ended \(SIGKILL\); starting it again/);
      await until("the new process to listen", async () => (output.match(/Nearhub listening on/g) ?? []).length >= 3);
      expect((await rates(url)).status).toBe(200);

      const exited = new Promise<number | null>((resolve) => primary.once("exit", (code) => resolve(code)));
      primary.kill("SIGTERM");
      expect(await exited).toBe(0);
      for (const pid of replaced) expect(() => process.kill(pid, 0), `process ${pid} still running`).toThrow();
    }, 120_000);
  });
});
