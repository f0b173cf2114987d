// What this process knows of its database, for /healthz (docs/decisions/0011-database-outages.md).
//
// A background probe asks the database every 2 s (`SELECT 1`, given 1 s to answer, the first 5 s; on SQLite also
// whether another process holds the write lock, which never waits) and keeps its last result, so
// /healthz answers at once from memory and never waits on the database itself. One probe runs at
// a time: one that has not answered yet leaves the next tick alone.
//
//   ok           the database answered
//   locked       SQLite: it answered, but another process holds the write lock (or this process's
//                writes are waiting for it); reads and checkout go on, writes wait up to 5 s each
//   unavailable  it did not answer in time, or answered with an error (unreachable, file missing)
//   starting     no probe has finished yet
import { databaseKind, databaseProblem, databaseUrl, db, sqliteLockStatus, type DatabaseKind } from "~/db.server";
import type { SQLiteLockStatus } from "~/sqlite.server";
import { DeadlineExceeded, withDeadline } from "./deadline.server";
import { logger } from "./logger.server";

export type DatabaseState = "starting" | "ok" | "locked" | "unavailable";

export interface DatabaseHealth {
  kind: DatabaseKind;
  state: DatabaseState;
  /** What is wrong, in a sentence; null when nothing is. */
  problem: string | null;
  /** When the current state began (ISO 8601). */
  since: string;
  /** When the last probe finished; null before the first. */
  checkedAt: string | null;
  /** When the database last answered; null if it never has in this process. */
  lastAnsweredAt: string | null;
  /** How long the last answer took. */
  latencyMs: number | null;
  /** SQLite only: the write lock as the last probe saw it. */
  lock: SQLiteLockStatus | null;
}

export interface ProbeTiming {
  intervalMs: number;
  timeoutMs: number;
}
const DEFAULT_TIMING: ProbeTiming = { intervalMs: 2_000, timeoutMs: 1_000 };
const FIRST_PROBE_TIMEOUT_MS = 5_000;

const kind = databaseKind(databaseUrl());
let health: DatabaseHealth = {
  kind,
  state: "starting",
  problem: "no database check has finished yet",
  since: new Date().toISOString(),
  checkedAt: null,
  lastAnsweredAt: null,
  latencyMs: null,
  lock: null,
};
let probing: Promise<DatabaseHealth> | null = null;
let timer: ReturnType<typeof setInterval> | null = null;
let first: Promise<DatabaseHealth> | null = null;

/** The last probe's result: never waits. */
export function databaseHealth(): DatabaseHealth {
  return health;
}

/** Runs a probe now (or joins the one running) and returns its result. */
export function probeDatabase(timeoutMs = DEFAULT_TIMING.timeoutMs): Promise<DatabaseHealth> {
  probing ??= runProbe(timeoutMs).finally(() => (probing = null));
  return probing;
}

async function runProbe(timeoutMs: number): Promise<DatabaseHealth> {
  const started = performance.now();
  const remaining = () => timeoutMs - (performance.now() - started);
  let state: DatabaseState;
  let problem: string | null = null;
  let lock: SQLiteLockStatus | null = null;
  let latencyMs: number | null = null;
  try {
    await withDeadline(db.$queryRaw`SELECT 1`, remaining(), "SELECT 1");
    latencyMs = Math.round((performance.now() - started) * 10) / 10;
    lock = await withDeadline(sqliteLockStatus(), remaining(), "the lock check");
    state = lock && (lock.heldElsewhere || lock.waitingStatements > 0) ? "locked" : "ok";
    if (state === "locked") problem = lockProblem(lock!);
  } catch (error) {
    state = "unavailable";
    problem = error instanceof DeadlineExceeded ? `the database did not answer: ${error.message}` : databaseProblem(error);
  }
  const now = new Date().toISOString();
  const changed = state !== health.state;
  if (changed && state !== "ok") logger.warn({ database: kind, state, problem }, "database health changed");
  if (changed && state === "ok" && health.state !== "starting") logger.info({ database: kind, was: health.state }, "database health: answering again");
  health = {
    kind,
    state,
    problem,
    since: changed ? now : health.since,
    checkedAt: now,
    lastAnsweredAt: state === "unavailable" ? health.lastAnsweredAt : now,
    latencyMs,
    lock,
  };
  return health;
}

function lockProblem(lock: SQLiteLockStatus): string {
  const waiting =
    lock.waitingStatements > 0
      ? `${lock.waitingStatements} write${lock.waitingStatements === 1 ? "" : "s"} of this process waiting for it (longest ${(lock.longestWaitMs / 1000).toFixed(1)} s, at most 5 s each)`
      : "no write of this process waiting for it";
  const who = lock.heldElsewhere === false ? "the SQLite write lock was just released" : "another process holds the SQLite write lock";
  return `${who}; ${waiting}; reads and checkout are not affected`;
}

/**
 * Starts the background probe (idempotent): the production server before it listens (its first
 * query also starts Prisma's engine, ~0.5 s on the event loop, which no request should wait for),
 * /healthz in case nothing did (the development server). `first` is the first probe's result. The
 * timer never keeps the process alive.
 */
export function startDatabaseProbe(timing: Partial<ProbeTiming> = {}): { stop: () => void; first: Promise<DatabaseHealth> } {
  const t = { ...DEFAULT_TIMING, ...timing };
  if (timer === null) {
    // The first query also compiles Prisma's engine on the event loop: it gets more time.
    first = probeDatabase(Math.max(t.timeoutMs, FIRST_PROBE_TIMEOUT_MS));
    timer = setInterval(() => void probeDatabase(t.timeoutMs), t.intervalMs);
    timer.unref?.();
  }
  return { stop: stopDatabaseProbe, first: first ?? probeDatabase(t.timeoutMs) };
}

export function stopDatabaseProbe(): void {
  if (timer !== null) clearInterval(timer);
  timer = null;
}
