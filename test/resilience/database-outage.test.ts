// The built production server (server.mjs, NODE_ENV=production) against its database misbehaving,
// with real processes throughout: the red team's findings, with their figures.
//
// 1. "Another process holding the SQLite write lock stalls every endpoint 5–10 s (10–13% of rate
//    requests over 5 s, one /healthz 7.8 s)": a child process holds BEGIN IMMEDIATE for 10 s while
//    rate requests and /healthz keep coming; each must answer within 1 s.
// 2. "The server exits ~11 s after start when the database is unreachable": it starts without its
//    SQLite file (and, below, with its PostgreSQL server stopped), must still be serving after 12 s,
//    say what is wrong on /healthz, answer backup rates, and resume when the database comes; then the
//    database goes away under it (file moved away; server stopped) and comes back.
// Bounds are the findings' own (1 s a request), generous against the ~50 ms these take, or four times
// the slowest answer of the same server in good health measured in the same run, whichever is more:
// a loaded machine slows both, a stall on the database (the whole 5–10 s) stays far beyond. One answer
// in a hundred may pass it (a pause of a shared machine), none half the database's 5 s wait. Every
// response is counted, and none may be a 5xx.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, db, SQLITE_BUSY_WAIT_MS } from "~/db.server";
import { DEMO_SHOP_DOMAIN, seedDemoMarketplace } from "../../prisma/seed/demo";
import { migratePostgres } from "../../scripts/lib/migrate.mjs";
import { ensureBuild, ROOT, startAppServer, type RunningServer } from "../e2e/support/app-server";
import { testDbKind } from "../support/db";
import { findPgBin, startPostgres } from "../support/postgres.mjs";
import { appProxySignature, sign } from "../support/shopify";
import { holdWriteLock } from "../support/sqlite-lock";

const RATE_REQUEST = readFileSync(path.join(__dirname, "../fixtures/carrier-service/rate-request.json"), "utf8");
const PRODUCTION = { NODE_ENV: "production", NEARHUB_DEMO: "", NEARHUB_COURIER_QUOTES: "0", LOG_LEVEL: "warn" };
/** The findings' figure: every request answered within 1 s… */
const ANSWER_WITHIN_MS = 1_000;
/** …or within this many times the slowest answer in good health, on a machine slower than that. */
const BASELINE_FACTOR = 4;
/** What a request that waits on the locked database would take: SQLite's write wait (db.server.ts). */
const STALL_MS = SQLITE_BUSY_WAIT_MS;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tmp = mkdtempSync(path.join(os.tmpdir(), "nearhub-outage-"));

interface Answer {
  path: string;
  status: number;
  ms: number;
  body: { rates?: { service_code: string }[]; status?: string; database?: { state: string; problem: string | null } };
}

async function call(server: RunningServer, pathname: "/healthz" | "/api/carrier-service/rates"): Promise<Answer> {
  const started = performance.now();
  const init: RequestInit =
    pathname === "/healthz"
      ? {}
      : {
          method: "POST",
          body: RATE_REQUEST,
          headers: {
            "Content-Type": "application/json",
            "X-Shopify-Shop-Domain": DEMO_SHOP_DOMAIN,
            "X-Shopify-Timeout": "10000",
            "X-Shopify-Hmac-Sha256": sign(RATE_REQUEST),
          },
        };
  const res = await fetch(`${server.url}${pathname}`, { ...init, signal: AbortSignal.timeout(30_000) });
  return { path: pathname, status: res.status, ms: performance.now() - started, body: await res.json() };
}

/** An open API read with a made-up key: answered only once the database says the key is unknown. */
async function openApiRead(server: RunningServer) {
  const started = performance.now();
  const res = await fetch(`${server.url}/api/v1/nodes`, { headers: { Authorization: "Bearer nh_live_0000000000000000000000000000made" }, signal: AbortSignal.timeout(30_000) });
  return { status: res.status, retryAfter: res.headers.get("Retry-After"), body: (await res.json()) as { error?: string }, ms: performance.now() - started };
}

/** The storefront's delivery promise through Shopify's app proxy, signed as Shopify signs it. */
async function proxyPromise(server: RunningServer) {
  const params: Record<string, string> = { country: "US", postal_code: "11211", lines: "7001:1:2400", shop: DEMO_SHOP_DOMAIN, logged_in_customer_id: "", path_prefix: "/apps/nearhub", timestamp: String(Math.floor(Date.now() / 1000)) };
  const search = new URLSearchParams({ ...params, signature: appProxySignature(params) });
  const started = performance.now();
  const res = await fetch(`${server.url}/apps/nearhub/promise?${search}`, { signal: AbortSignal.timeout(30_000) });
  return { status: res.status, body: (await res.json()) as { status?: string }, ms: performance.now() - started };
}

/** While the database is away: the open API says so (503, Retry-After, the reason), the storefront's promise still answers. */
async function expectStorefrontAndApiWhileAway(server: RunningServer, problem: string) {
  const promise = await proxyPromise(server);
  expect(promise.status, JSON.stringify(promise.body)).toBe(200);
  expect(promise.ms).toBeLessThan(STALL_MS);
  const read = await openApiRead(server);
  expect(read, server.output().slice(-3000)).toMatchObject({ status: 503, retryAfter: "5", body: { error: expect.stringContaining(problem) } });
  // At once: well inside the 5 s a write waits for a lock, the longest any database call may take.
  expect(read.ms).toBeLessThan(STALL_MS);
}

const rates = (a: Answer) => (a.body.rates ?? []).map((r) => r.service_code);
const isLive = (a: Answer) => rates(a).some((c) => !c.startsWith("NH:BACKUP:"));

/**
 * Every answer came within 1 s (or `BASELINE_FACTOR` times the slowest of `healthy`); every rate
 * request got a 200 with rates (live or backup); /healthz answered 200, or 503 saying the database
 * is unavailable (`healthz503` false: never).
 */
function expectServed(answers: Answer[], server: RunningServer, { healthz503, healthy }: { healthz503: boolean; healthy: Answer[] }) {
  const withinMs = Math.max(ANSWER_WITHIN_MS, BASELINE_FACTOR * Math.max(...healthy.map((a) => a.ms)));
  const late = answers.filter((a) => a.ms > withinMs).map((a) => `${a.path} ${Math.round(a.ms)} ms`);
  // A stall on the database delays every request that meets it, by seconds (the lock's 5 s wait); a
  // pause of a loaded machine delays one now and then. So: never one past the stall's half, and at
  // most one answer in a hundred past the bound.
  expect(answers.filter((a) => a.ms > STALL_MS / 2).map((a) => `${a.path} ${Math.round(a.ms)} ms`), server.output().slice(-3000)).toEqual([]);
  expect(late.length, `answers later than ${Math.round(withinMs)} ms: ${late.join(", ")}\n${server.output().slice(-3000)}`).toBeLessThanOrEqual(Math.floor(answers.length / 100));
  const rateAnswers = answers.filter((a) => a.path !== "/healthz");
  expect(rateAnswers.filter((a) => a.status !== 200 || rates(a).length === 0).map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
  const health = answers.filter((a) => a.path === "/healthz");
  const allowed = (a: Answer) => a.status === 200 || (healthz503 && a.status === 503 && a.body.status === "unavailable");
  expect(health.filter((a) => !allowed(a)).map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
}

/** Polls /healthz until `done` says so (or 20 s), recording every answer. */
async function until(server: RunningServer, answers: Answer[], done: (a: Answer) => boolean): Promise<Answer> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const a = await call(server, "/healthz");
    answers.push(a);
    if (done(a)) return a;
    if (Date.now() > deadline) throw new Error(`/healthz never got there; last: ${JSON.stringify(a.body)}\n${server.output().slice(-3000)}`);
    await sleep(250);
  }
}

/**
 * Rate requests until one is live (or 20 s): the first after the database is back may answer the
 * shop's backup rates while the network loads cold, in the background, past the shop's 400 ms budget.
 */
async function untilLive(server: RunningServer, answers: Answer[]): Promise<Answer> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const a = await call(server, "/api/carrier-service/rates");
    answers.push(a);
    if (isLive(a)) return a;
    if (Date.now() > deadline) throw new Error(`never live again; last: ${JSON.stringify(a.body)}\n${server.output().slice(-3000)}`);
    await sleep(250);
  }
}

/** Rate requests from `loops` clients and /healthz every 250 ms, for `ms`. */
async function traffic(server: RunningServer, ms: number, loops = 4): Promise<Answer[]> {
  const answers: Answer[] = [];
  const end = Date.now() + ms;
  const clients = Array.from({ length: loops }, async () => {
    while (Date.now() < end) answers.push(await call(server, "/api/carrier-service/rates"));
  });
  const health = (async () => {
    while (Date.now() < end) {
      answers.push(await call(server, "/healthz"));
      await sleep(250);
    }
  })();
  await Promise.all([...clients, health]);
  return answers;
}

/**
 * The first rate request after a start, not held to the 1 s: it compiles the whole rate path (zod,
 * luxon's zones, the HTTP parser), 0.6–1.6 s on these shared machines whether or not the database
 * answers (on main too). It must still be a 200 with rates.
 */
async function firstRequest(server: RunningServer): Promise<Answer> {
  const first = await call(server, "/api/carrier-service/rates");
  console.log(`first rate request after start: ${first.status} in ${Math.round(first.ms)} ms`);
  return { ...first, ms: 0 };
}

const summary = (answers: Answer[]) => {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  return `${answers.length} answers, p50 ${Math.round(ms[ms.length >> 1])} ms, max ${Math.round(ms.at(-1)!)} ms`;
};

/** A clean single-file copy of this test file's seeded SQLite database. */
let seededCopy: string;

beforeAll(async () => {
  await ensureBuild();
  if (testDbKind() === "sqlite") {
    await seedDemoMarketplace(db, { now: new Date(), orderDays: 30 });
    seededCopy = path.join(tmp, "seeded.db");
    await db.$executeRawUnsafe(`VACUUM INTO '${seededCopy}'`);
  }
}, 600_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.runIf(testDbKind() === "sqlite")("SQLite: another process holds the write lock for 10 s", () => {
  let server: RunningServer;
  const file = path.join(tmp, "locked.db");
  beforeAll(async () => {
    copyFileSync(seededCopy, file);
    server = await startAppServer({ databaseUrl: `file:${file}`, demo: false, env: PRODUCTION });
  }, 120_000);
  afterAll(() => server?.stop());

  it("answers every rate request and /healthz within 1 s, says degraded meanwhile, and writes the quote logs after", async () => {
    const check = createPrismaClient(`file:${file}`);
    try {
      await firstRequest(server);
      await untilLive(server, []); // the shop's network loaded (the first load may miss the 400 ms budget)
      const baseline = await traffic(server, 2_000, 2);
      const before = await check.quoteLog.count();

      const lock = await holdWriteLock(file, 10_000);
      const during = await traffic(server, 10_500, 2);
      await lock.released;
      console.log(`baseline: ${summary(baseline)}; during the 10 s lock: ${summary(during)}`);

      expectServed([...baseline, ...during], server, { healthz503: false, healthy: baseline });
      expect(during.filter((a) => a.path !== "/healthz" && isLive(a)).length).toBeGreaterThan(0);
      const degraded = during.filter((a) => a.path === "/healthz" && a.body.status === "degraded");
      expect(degraded.length).toBeGreaterThan(0);
      expect(degraded[0].body.database).toMatchObject({ state: "locked", problem: expect.stringMatching(/^another process holds the SQLite write lock/) });

      // Everything resumes: healthz ok, and the quote logs queued during the lock reach the database.
      const after: Answer[] = [];
      await until(server, after, (a) => a.body.status === "ok");
      for (let i = 0; i < 40 && (await check.quoteLog.count()) <= before; i++) await sleep(250);
      expect(await check.quoteLog.count()).toBeGreaterThan(before);
      expectServed(after, server, { healthz503: false, healthy: baseline });
    } finally {
      await check.$disconnect();
    }
  }, 120_000);
});

interface ComingAndGoing {
  /** What /healthz says while it is away. */
  problem: string;
  /** It arrives (first time), goes away under the running server, comes back. */
  arrive(): void;
  leave(): void;
  comeBack(): void;
  /** Quote logs in the database, read from this test process. */
  quoteLogs(): Promise<number>;
}

/**
 * The server was started without its database: it must still serve after 12 s (it used to exit at
 * ~11 s), say what is wrong, answer backup rates; take the database when it arrives; go on with live
 * rates from memory when it leaves; and write the quote logs made meanwhile when it comes back.
 */
async function startedWithoutDatabase(server: RunningServer, database: ComingAndGoing) {
  const started = Date.now();
  const answers: Answer[] = [await firstRequest(server)];
  while (Date.now() - started < 12_000) {
    answers.push(await call(server, "/api/carrier-service/rates"), await call(server, "/healthz"));
    await sleep(500);
  }
  expect(server.child.exitCode).toBeNull();
  const down = answers.filter((a) => a.path === "/healthz").at(-1)!;
  expect(down.status).toBe(503);
  expect(down.body).toMatchObject({ status: "unavailable", database: { state: "unavailable", problem: database.problem } });
  // A shop this process never saw, while the database cannot say: the default backup rates.
  expect(rates(answers.at(-2)!)).toEqual(["NH:BACKUP:STANDARD"]);
  // The open API: 503 with Retry-After and the reason, at once (never a 500, never a hang).
  await expectStorefrontAndApiWhileAway(server, database.problem);

  database.arrive();
  await until(server, answers, (a) => a.status === 200);
  await untilLive(server, answers);
  const logsBefore = await database.quoteLogs();

  database.leave();
  const away = await until(server, answers, (a) => a.status === 503);
  expect(away.body.database?.problem).toBe(database.problem);
  await expectStorefrontAndApiWhileAway(server, database.problem);
  const meanwhile = await traffic(server, 3_000, 2);
  answers.push(...meanwhile);
  expect(meanwhile.filter((a) => a.path !== "/healthz").every(isLive)).toBe(true); // from the network in memory

  database.comeBack();
  await until(server, answers, (a) => a.status === 200 && a.body.status === "ok");
  answers.push(await call(server, "/api/carrier-service/rates"));
  expect((await openApiRead(server)).status).toBe(401); // served again: the made-up key is refused
  const healthy = await traffic(server, 2_000, 2);
  console.log(`in good health: ${summary(healthy)}; before: ${summary(answers)}`);
  expectServed(answers, server, { healthz503: true, healthy });
  for (let i = 0; i < 40 && (await database.quoteLogs()) <= logsBefore; i++) await sleep(250);
  expect(await database.quoteLogs()).toBeGreaterThan(logsBefore);
  expect(server.output()).not.toMatch(/unhandled|uncaught/i);
}

describe.runIf(testDbKind() === "sqlite")("SQLite: started without its file, then the file comes, goes away and comes back", () => {
  let server: RunningServer;
  const file = path.join(tmp, "comes-and-goes.db");
  beforeAll(async () => {
    server = await startAppServer({ databaseUrl: `file:${file}`, demo: false, env: PRODUCTION });
  }, 120_000);
  afterAll(() => server?.stop());

  it("stays up, says which file is missing, answers backup rates, and resumes each time it is back", async () => {
    const check = createPrismaClient(`file:${file}`);
    try {
      await startedWithoutDatabase(server, {
        problem: `the database file ${file} does not exist`,
        arrive: () => {
          expect(existsSync(file)).toBe(false); // no empty database was created in its place
          copyFileSync(seededCopy, file);
        },
        leave: () => renameSync(file, `${file}.away`),
        comeBack: () => renameSync(`${file}.away`, file),
        quoteLogs: () => check.quoteLog.count(),
      });
    } finally {
      await check.$disconnect();
    }
  }, 180_000);
});

const postgresPresent = (() => {
  try {
    findPgBin();
    return true;
  } catch {
    return false;
  }
})();

// Its own throwaway cluster (the run's shared one cannot be stopped under the other test files).
describe.runIf(testDbKind() === "sqlite" && (postgresPresent || process.env.NEARHUB_SKIP_PG !== "1"))(
  "PostgreSQL: started with its server stopped, then it starts, stops and starts again",
  () => {
    let cluster: Awaited<ReturnType<typeof startPostgres>>;
    let server: RunningServer;
    let url: string;
    beforeAll(async () => {
      cluster = await startPostgres();
      url = cluster.url("postgres");
      await migratePostgres(url);
      // The seed script in its own process: the seed's routing writes through the process-wide `db`,
      // which in this file is its SQLite database.
      const seeded = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "prisma/seed.ts"), "--days", "30"], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "error" },
        encoding: "utf8",
        timeout: 240_000,
      });
      expect(seeded.status, seeded.stderr).toBe(0);
      cluster.pause();
      server = await startAppServer({ databaseUrl: url, demo: false, env: PRODUCTION });
    }, 300_000);
    afterAll(async () => {
      await server?.stop();
      cluster?.stop();
    });

    it("stays up, says the server cannot be reached, answers backup rates, and resumes each time it is back", async () => {
      const check = createPrismaClient(url);
      try {
        await startedWithoutDatabase(server, {
          problem: `the database server at 127.0.0.1:${cluster.port} cannot be reached`,
          arrive: () => cluster.resume(),
          leave: () => cluster.pause(),
          comeBack: () => cluster.resume(),
          quoteLogs: () => check.quoteLog.count(),
        });
      } finally {
        await check.$disconnect();
      }
    }, 180_000);
  },
);
