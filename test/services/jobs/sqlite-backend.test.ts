// The SQLite backend's semantics with an injected clock (no sleeps): leases that expire when the
// process running an attempt stopped, retries after each backoff, one attempt per key at a time,
// dead letters, and one firing per schedule slot with two workers. SQLite only: on PostgreSQL
// pg-boss provides these (test/services/jobs/engine.test.ts runs the shared interface on both).
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { defineJob, type AnyJob } from "~/services/jobs/define.server";
import { claimDue, enqueueSqlite, fireSchedules, runClaimed, workOnce, type WorkerOptions } from "~/services/jobs/sqlite.server";
import { resetDb, testDbKind } from "../../support/db";

const T0 = Date.parse("2026-12-02T10:00:00Z");
let clock = T0;
const now = () => clock;
const calls: string[] = [];
let failing = true;

const exp = defineJob<{ tag: string }>({
  name: "test.backoff",
  retries: 3,
  backoff: { type: "exponential", delayMs: 10_000, maxMs: 25_000 },
  timeout: 60_000,
  switch: "returns",
  run: async (p, ctx) => {
    calls.push(`${p.tag}#${ctx.attempt}`);
    if (failing) throw new Error(`attempt ${ctx.attempt} failed`);
  },
});

let release: (() => void) | null = null;
const slow = defineJob<{ tag: string }>({
  name: "test.slow",
  retries: 2,
  backoff: { type: "fixed", delayMs: 5_000 },
  timeout: 60_000,
  switch: "returns",
  run: async (p) => {
    calls.push(`start ${p.tag}`);
    await new Promise<void>((r) => (release = r));
    calls.push(`end ${p.tag}`);
  },
});

const ticker = defineJob({
  name: "test.ticker",
  schedule: "*/5 * * * *",
  retries: 0,
  backoff: { type: "fixed", delayMs: 0 },
  timeout: 60_000,
  switch: "returns",
  run: async (p) => {
    calls.push(`tick ${(p as { slot: string }).slot}`);
  },
});

const worker = (id: string, definitions: AnyJob[]): WorkerOptions => ({ workerId: id, definitions, now, leaseMs: 30_000 });
const jobs = () => db.job.findMany({ orderBy: { createdAt: "asc" } });

describe.skipIf(testDbKind() !== "sqlite")("SQLite job backend", () => {
  beforeEach(async () => {
    await resetDb();
    clock = T0;
    calls.length = 0;
    failing = true;
  });

  it("waits each backoff before the next attempt, then keeps the job as a dead letter", async () => {
    const w = worker("w1", [exp as AnyJob]);
    await enqueueSqlite(db, exp.name, { tag: "a" }, { now: T0 });
    await workOnce(w);
    expect(calls).toEqual(["a#1"]);
    // 10 s after attempt 1, 20 s after attempt 2, then capped at 25 s.
    for (const [wait, attempt] of [[10_000, 2], [20_000, 3], [25_000, 4]] as const) {
      clock += wait - 1;
      await workOnce(w);
      expect(calls).toHaveLength(attempt - 1); // not yet
      clock += 1;
      await workOnce(w);
      expect(calls.at(-1)).toBe(`a#${attempt}`);
    }
    const [job] = await jobs();
    expect(job).toMatchObject({ state: "dead", attempts: 4, maxAttempts: 4, slot: null, lastError: "attempt 4 failed" });
    clock += 3_600_000;
    await workOnce(w);
    expect(calls).toHaveLength(4); // a dead letter is not run again by itself
  });

  it("hands an attempt whose lease expired (its process died) to another worker, after its backoff", async () => {
    await enqueueSqlite(db, slow.name, { tag: "x" }, { now: T0 });
    // Worker A claims it and dies: nothing renews its lease.
    const [claimed] = await claimDue(worker("A", [slow as AnyJob]), new Map([[slow.name, 1]]));
    expect(claimed.job).toMatchObject({ state: "active", lockedBy: "A", attempts: 1 });
    const b = worker("B", [slow as AnyJob]);
    clock += 29_000;
    expect((await workOnce(b)).ran).toBe(0); // A's lease still holds
    clock += 2_000; // lease passed: A's attempt failed; retried after 5 s
    expect((await workOnce(b)).ran).toBe(0);
    expect((await jobs())[0]).toMatchObject({ state: "retry", lockedBy: null, lastError: expect.stringContaining("lease expired") });
    clock += 5_000;
    const run = workOnce(b);
    await until(() => calls.includes("start x"));
    release!();
    expect((await run).completed).toBe(1);
    expect((await jobs())[0]).toMatchObject({ state: "completed", attempts: 2, slot: null });
    // A, come back to life, cannot settle the attempt it lost.
    const { completeJob } = await import("~/services/jobs/sqlite.server");
    expect(await completeJob(claimed.job, clock)).toBe(false);
  });

  it("runs one attempt per name and key at a time, with one more waiting", async () => {
    const w = worker("w1", [slow as AnyJob]);
    expect(await enqueueSqlite(db, slow.name, { tag: "1" }, { key: "shop-a", now: T0 })).toBe(true);
    const first = await claimDue(w, new Map([[slow.name, 5]]));
    expect(first).toHaveLength(1);
    // While it runs, one more may wait; a third is the same work and is dropped.
    expect(await enqueueSqlite(db, slow.name, { tag: "2" }, { key: "shop-a", now: T0 })).toBe(true);
    expect(await enqueueSqlite(db, slow.name, { tag: "3" }, { key: "shop-a", now: T0 })).toBe(false);
    expect(await enqueueSqlite(db, slow.name, { tag: "b" }, { key: "shop-b", now: T0 })).toBe(true);
    const second = await claimDue(worker("w2", [slow as AnyJob]), new Map([[slow.name, 5]]));
    expect(second.map((c) => JSON.parse(c.job.payloadJson).tag)).toEqual(["b"]); // shop-a's second waits
    const p = runClaimed(first[0], w);
    await until(() => calls.includes("start 1"));
    release!();
    await p;
    const third = await claimDue(w, new Map([[slow.name, 5]]));
    expect(third.map((c) => JSON.parse(c.job.payloadJson).tag)).toEqual(["2"]);
  });

  it("fires each schedule slot once, however many workers look", async () => {
    const defs = [ticker as AnyJob];
    clock = Date.parse("2026-12-02T10:02:00Z");
    expect(await fireSchedules(defs, clock)).toEqual([]); // first sight: starts from now
    clock = Date.parse("2026-12-02T10:05:01Z");
    const fired = await Promise.all([fireSchedules(defs, clock), fireSchedules(defs, clock), fireSchedules(defs, clock)]);
    expect(fired.flat()).toEqual(["test.ticker"]);
    await workOnce({ ...worker("A", defs), schedules: false });
    expect(calls).toEqual(["tick 2026-12-02T10:05:00.000Z"]);
    // Down for 12 minutes: the slots missed fire once, as the latest.
    clock = Date.parse("2026-12-02T10:17:30Z");
    await workOnce(worker("B", defs));
    await workOnce(worker("A", defs));
    expect(calls).toEqual(["tick 2026-12-02T10:05:00.000Z", "tick 2026-12-02T10:15:00.000Z"]);
  });
});

async function until(condition: () => boolean) {
  for (let i = 0; i < 1_000 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error("condition never became true");
}
