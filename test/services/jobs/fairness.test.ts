// Per-shop fairness in the job engine (ADR 0035), on both databases: one shop's burst does not make
// another shop's job (or a job of no shop) wait behind it, a shop alone still gets every slot, and
// no job is lost or run twice. Positions and counts, no timings.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { defineJob, drainJobs, enqueue, listJobs, stopJobWorker } from "~/services/jobs/index.server";
import { resetDb, testDbKind } from "../../support/db";

const ran: string[] = [];
let peakRunning = 0;

const work = defineJob<{ shopId?: string; n: number }>({
  name: "test.fair",
  retries: 0,
  backoff: { type: "fixed", delayMs: 0 },
  timeout: 10_000,
  switch: "returns",
  concurrency: 5,
  run: async (p) => {
    ran.push(`${p.shopId ?? "none"}:${p.n}`);
    // Jobs claimed together are all running while the first of them runs.
    peakRunning = Math.max(peakRunning, (await listJobs({ name: "test.fair", states: ["running"] })).length);
  },
});

const N = 30;

async function burst(shopId: string, n: number) {
  await db.$transaction(async (tx) => {
    for (let i = 1; i <= n; i++) await enqueue(tx, work, { shopId, n: i }, { key: `${shopId}:${i}` });
  });
}

beforeEach(async () => {
  await resetDb();
  ran.length = 0;
  peakRunning = 0;
});

afterAll(() => stopJobWorker());

describe(`per-shop fairness on ${testDbKind()}`, () => {
  it("with one slot, shop B's job enqueued after shop A's burst runs second, not after A's burst", async () => {
    await burst("shop-a", N);
    await enqueue(db, work, { shopId: "shop-b", n: 1 }, { key: "shop-b:1" });
    const r = await drainJobs({ names: ["test.fair"], batch: 1 });
    expect(r).toMatchObject({ ran: N + 1, completed: N + 1, failed: 0 });
    expect(ran.indexOf("shop-b:1")).toBeLessThanOrEqual(1);
    // A's own jobs keep their order.
    expect(ran.filter((x) => x.startsWith("shop-a:"))).toEqual(Array.from({ length: N }, (_, i) => `shop-a:${i + 1}`));
    // Nothing lost, nothing twice.
    expect(new Set(ran).size).toBe(N + 1);
    expect((await listJobs({ name: "test.fair", limit: 500 })).every((j) => j.state === "completed" && j.attempts === 1)).toBe(true);
  });

  it("shops take turns while both have work waiting, and a job of no shop is not starved", async () => {
    await burst("shop-a", N);
    await burst("shop-b", 3);
    await enqueue(db, work, { n: 1 }, { key: "sweep" });
    await drainJobs({ names: ["test.fair"], batch: 1 });
    expect(ran).toHaveLength(N + 4);
    expect(new Set(ran).size).toBe(N + 4);
    // Rounds: A1 B1 none1, A2 B2, A3 B3, then A's rest.
    expect(ran.slice(0, 7).sort()).toEqual(["none:1", "shop-a:1", "shop-a:2", "shop-a:3", "shop-b:1", "shop-b:2", "shop-b:3"]);
    expect(ran.indexOf("shop-b:3")).toBeLessThan(ran.indexOf("shop-a:4"));
  });

  it("a shop alone gets every slot: five claimed at once, as many as with no fairness", async () => {
    await burst("shop-a", N);
    const first = await drainJobs({ names: ["test.fair"], batch: 5, passes: 1 });
    expect(first.ran).toBe(5);
    expect(peakRunning).toBe(5);
    await drainJobs({ names: ["test.fair"] });
    expect(new Set(ran).size).toBe(N);
    expect(ran).toHaveLength(N);
  });

  it("a shop that enqueues after the others' backlog drained partly starts level with them, not ahead", async () => {
    await burst("shop-a", 10);
    await drainJobs({ names: ["test.fair"], batch: 1, passes: 4 });
    expect(ran).toEqual(["shop-a:1", "shop-a:2", "shop-a:3", "shop-a:4"]);
    await burst("shop-c", 6);
    await drainJobs({ names: ["test.fair"], batch: 1 });
    // C starts at A's current round and they alternate: C does not run its six before A's fifth.
    expect(ran.slice(4, 8).sort()).toEqual(["shop-a:5", "shop-a:6", "shop-c:1", "shop-c:2"]);
    expect(new Set(ran).size).toBe(16);
  });
});
