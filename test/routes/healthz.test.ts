// GET /healthz answers from the background probe's last result, never from the database itself:
// the red team saw one /healthz take 7.8 s while another process held the SQLite write lock. Here
// another real process holds it, and then this file's database is moved away and back. The SQLite
// adapter checks the file's path at most once a second by the system clock: the test fakes Date and
// moves it a second on, rather than sleeping.
import { renameSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db, sqliteLockStatus } from "~/db.server";
import { loader } from "~/routes/healthz";
import { probeDatabase, stopDatabaseProbe } from "~/services/database-health.server";
import { testDbKind } from "../support/db";
import { holdWriteLock } from "../support/sqlite-lock";

const sqlite = testDbKind() === "sqlite";
const file = sqlite ? process.env.DATABASE_URL!.replace(/^file:/, "") : "";

/** A probe that starts now: one already under way (the loader starts the background probe) may predate the change. */
async function probeNow() {
  await probeDatabase();
  return probeDatabase();
}

async function health() {
  const res = await loader();
  return { status: res.status, body: await res.json() };
}

afterEach(() => {
  stopDatabaseProbe();
  vi.useRealTimers();
});

describe("GET /healthz", () => {
  it("says ok, with when it last checked, while the database answers", async () => {
    await probeNow();
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", database: { state: "ok", problem: null, kind: testDbKind() }, quoteLogs: { queued: 0, dropped: 0 } });
    expect(Date.parse(body.database.checkedAt)).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe.runIf(sqlite)("GET /healthz while another process holds the SQLite write lock", () => {
  it("answers at once, degraded, naming the lock and the writes waiting for it; ok again once it is released", async () => {
    const lock = await holdWriteLock(file, 10_000);
    try {
      // A write of this process, waiting for the lock (as a quote log flush or a job would).
      let writeSettled = false;
      const write = db.shop.updateMany({ data: { name: "x" } }).catch(() => undefined).finally(() => (writeSettled = true));
      // Until it has met the other process's lock (a condition, not a guess at how long that takes).
      await vi.waitFor(async () => expect((await sqliteLockStatus())?.waitingStatements).toBe(1), { timeout: 4_000, interval: 10 });
      await probeNow();
      const { status, body } = await health();
      // Answered while the lock is still held and this process's write still waits for it (it gives up
      // after 5 s): /healthz did not wait on the lock (in the finding it took 7.8 s).
      expect(writeSettled).toBe(false);
      expect(status).toBe(200);
      expect(body.status).toBe("degraded");
      expect(body.database).toMatchObject({ state: "locked", lock: { waitingStatements: 1 } });
      expect(body.database.problem).toMatch(/^another process holds the SQLite write lock; 1 write of this process waiting for it/);
      lock.release();
      await lock.released;
      await write;
    } finally {
      lock.release();
      await lock.released;
    }
    await probeNow();
    expect(await health()).toMatchObject({ status: 200, body: { status: "ok", database: { state: "ok", lock: { heldElsewhere: false, waitingStatements: 0 } } } });
  }, 30_000);
});

describe.runIf(sqlite)("GET /healthz when the database file goes away", () => {
  it("answers 503 saying which file is missing, and 200 again when it is back", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await probeNow(); // it has answered before
    renameSync(file, `${file}.away`);
    try {
      vi.setSystemTime(Date.now() + 1_000); // a second later: the next statement checks the path
      await probeNow();
      const { status, body } = await health();
      expect(status).toBe(503);
      expect(body).toMatchObject({ status: "unavailable", database: { state: "unavailable", problem: `the database file ${file} does not exist` } });
      expect(body.database.lastAnsweredAt).not.toBeNull();
    } finally {
      renameSync(`${file}.away`, file);
    }
    await probeNow();
    const back = await health();
    expect(back).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(Date.parse(back.body.database.since)).toBeGreaterThan(Date.now() - 60_000);
  });
});
