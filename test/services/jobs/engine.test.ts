// The job engine's one interface on both databases (SQLite table, pg-boss on PostgreSQL): a job
// enqueued in a transaction exists only if the transaction commits; the key dedupes waiting jobs;
// a run that keeps failing ends as a dead letter with its message, and retryJob brings it back.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { defineJob, drainJobs, enqueue, listJobs, retryJob, stopJobWorker } from "~/services/jobs/index.server";
import { resetDb, testDbKind } from "../../support/db";

const ran: { name: string; payload: unknown }[] = [];
let failUntil = 0;
let failCalls = 0;

const echo = defineJob<{ n: number }>({
  name: "test.echo",
  retries: 0,
  backoff: { type: "fixed", delayMs: 0 },
  timeout: 10_000,
  switch: "returns",
  run: async (payload) => {
    ran.push({ name: "test.echo", payload });
  },
});

const flaky = defineJob<{ n: number }>({
  name: "test.flaky",
  retries: 2,
  backoff: { type: "fixed", delayMs: 0 },
  timeout: 10_000,
  switch: "returns",
  run: async () => {
    failCalls++;
    if (failCalls <= failUntil) throw new Error(`Shopify answered 502 (call ${failCalls})`);
  },
});

beforeEach(async () => {
  await resetDb();
  ran.length = 0;
  failCalls = 0;
});

afterAll(() => stopJobWorker());

describe(`job engine on ${testDbKind()}`, () => {
  it("enqueues in the caller's transaction: a rolled-back change leaves no job", async () => {
    await expect(
      db.$transaction(async (tx) => {
        await enqueue(tx, echo, { n: 1 });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await listJobs()).toEqual([]);

    await db.$transaction(async (tx) => {
      await enqueue(tx, echo, { n: 2 });
    });
    expect((await listJobs()).map((j) => [j.name, j.state])).toEqual([["test.echo", "waiting"]]);
    expect(await drainJobs({ names: ["test.echo"] })).toMatchObject({ ran: 1, completed: 1 });
    expect(ran).toEqual([{ name: "test.echo", payload: { n: 2 } }]);
    expect((await listJobs()).map((j) => j.state)).toEqual(["completed"]);
  });

  it("keeps one waiting job per name and key", async () => {
    expect(await enqueue(db, echo, { n: 1 }, { key: "shop-a" })).toBe(true);
    expect(await enqueue(db, echo, { n: 2 }, { key: "shop-a" })).toBe(false);
    expect(await enqueue(db, echo, { n: 3 }, { key: "shop-b" })).toBe(true);
    await drainJobs({ names: ["test.echo"] });
    expect(ran.map((r) => r.payload)).toEqual(expect.arrayContaining([{ n: 1 }, { n: 3 }]));
    expect(ran).toHaveLength(2);
    // Once that job ran, the key is free again.
    expect(await enqueue(db, echo, { n: 4 }, { key: "shop-a" })).toBe(true);
  });

  it("retries a failing job, then keeps it as a dead letter with its message until retried", async () => {
    failUntil = 100;
    await enqueue(db, flaky, { n: 1 });
    await drainJobs({ names: ["test.flaky"] });
    expect(failCalls).toBe(3); // the first attempt and two retries
    const [dead] = await listJobs({ states: ["dead"] });
    expect(dead).toMatchObject({ name: "test.flaky", state: "dead", attempts: 3, maxAttempts: 3 });
    expect(dead.lastError).toContain("Shopify answered 502 (call 3)");

    failUntil = 0;
    expect(await retryJob("test.flaky", dead.id)).toBe(true);
    await drainJobs({ names: ["test.flaky"] });
    expect(failCalls).toBe(4);
    expect(await listJobs({ states: ["dead"] })).toEqual([]);
    expect(await retryJob("test.flaky", dead.id)).toBe(false);
  });

  it("refuses a job nobody defined", async () => {
    await expect(enqueue(db, "test.nobody", {})).rejects.toThrow('no job named "test.nobody"');
  });
});
