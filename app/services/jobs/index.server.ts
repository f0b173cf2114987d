// The one job engine (ADR 0022). Callers see one interface whichever database runs:
//
//   const job = defineJob({ name, schedule?, run, retries, backoff, timeout, switch });
//   await db.$transaction(async (tx) => { ...the change...; await enqueue(tx, job, payload, { key }); });
//
// enqueue writes the job in the caller's transaction (the job exists exactly when the change that
// causes it committed); `key` is its singleton key: while a job of that name and key waits, another
// enqueue of it changes nothing, and two attempts of one name and key never run at once. Without a
// key the job is a singleton of its name. On SQLite the jobs are rows of `Job` (sqlite.server.ts), on
// PostgreSQL pg-boss's (pg-boss.server.ts). The worker (startJobWorker, from server.mjs) runs the
// jobs whose switch is on in this process (app/env.server.ts) and fires their schedules.
import type { Prisma, PrismaClient } from "@prisma/client";
import { db, onPostgres } from "~/db.server";
import { env } from "~/env.server";
import type { Sleep } from "../clock.server";
import { logger } from "../logger.server";
import { requestContext } from "../request-context.server";
import { defineJob, jobDefinition, jobDefinitions, REQUEST_ID_FIELD, type AnyJob, type JobDefinition } from "./define.server";
import { drainPgBoss, enqueuePgBoss, listPgJobs, PgBossWorker, queuedPgJobs, retryPgJob, stopPgBoss } from "./pg-boss.server";
import { enqueueSqlite, SqliteWorker, workOnce } from "./sqlite.server";

export { defineJob, jobDefinitions, type JobDefinition };
export type { Backoff, JobContext } from "./define.server";

type Tx = Prisma.TransactionClient;

export interface EnqueueOptions {
  /** The singleton (dedupe) key: one waiting and one running job per name and key. */
  key?: string;
  /** Not before this many ms from now. */
  delayMs?: number;
}

const nameOf = (job: string | JobDefinition<never>) => (typeof job === "string" ? job : job.name);

/**
 * Enqueues a job in the caller's transaction (or, given `db`, on its own). True when a job was
 * written, false when one of the same name and key was already waiting.
 */
export async function enqueue<P extends object>(tx: Tx | PrismaClient, job: JobDefinition<P> | string, payload: P, opts: EnqueueOptions = {}): Promise<boolean> {
  const name = nameOf(job as JobDefinition<never>);
  if (!jobDefinition(name)) throw new Error(`enqueue: no job named ${JSON.stringify(name)} is defined`);
  // The job's logs carry the id of the request that caused it (request-context.server.ts).
  const requestId = requestContext()?.requestId;
  const stored = requestId ? { ...payload, [REQUEST_ID_FIELD]: requestId } : payload;
  const written = onPostgres() ? await enqueuePgBoss(tx, name, stored, opts) : await enqueueSqlite(tx, name, stored, opts);
  if (written) worker?.nudge();
  return written;
}

interface RunningWorker {
  stop(): Promise<void>;
  nudge(): void;
  names: string[];
}
let worker: RunningWorker | null = null;

/** Whether this process's worker runs, and the jobs it runs (for /readyz). */
export function jobWorkerStatus(): { running: boolean; jobs: string[] } {
  return { running: worker !== null, jobs: worker?.names ?? [] };
}

/** The definitions this process runs: its worker is on (NEARHUB_JOBS) and each job's switch too. */
export function enabledJobs(definitions: readonly AnyJob[] = jobDefinitions()): AnyJob[] {
  const e = env().jobs;
  if (!e.worker) return [];
  return definitions.filter((d) => e.switches[d.switch]);
}

/**
 * Starts this process's worker (server.mjs, after it listens); idempotent. Returns what it runs,
 * or null when NEARHUB_JOBS=0 or every job is switched off.
 */
export async function startJobWorker(): Promise<RunningWorker | null> {
  if (worker) return worker;
  const all = jobDefinitions();
  const enabled = enabledJobs(all);
  const off = all.filter((d) => !enabled.includes(d)).map((d) => d.name);
  if (enabled.length === 0) {
    logger.info({ off }, "jobs: this process runs none (NEARHUB_JOBS=0 or every job switched off)");
    return null;
  }
  const e = env().jobs;
  if (onPostgres()) {
    const w = new PgBossWorker({ definitions: enabled, schedules: enabled.filter((d) => d.schedule), pollMs: e.pollMs });
    let stopped = false;
    // A database away at start-up (ADR 0011) is waited for: the worker starts once it answers.
    const started = (async () => {
      for (let attempt = 1; !stopped; attempt++) {
        try {
          await w.start();
          return;
        } catch (error) {
          logger.warn({ err: (error as Error).message, attempt }, "jobs: pg-boss did not start; trying again in 10 s");
          await new Promise((r) => setTimeout(r, 10_000).unref?.());
        }
      }
    })();
    worker = {
      stop: async () => {
        stopped = true;
        await w.stop();
      },
      nudge: () => undefined,
      names: enabled.map((d) => d.name),
    };
    void started;
  } else {
    const w = new SqliteWorker({ workerId: SqliteWorker.workerId(), definitions: enabled, leaseMs: e.leaseSeconds * 1000, maxRetryDelayMs: e.maxRetryDelaySeconds === null ? null : e.maxRetryDelaySeconds * 1000, pollMs: e.pollMs });
    w.start();
    worker = { stop: () => w.stop(), nudge: () => w.nudge(), names: enabled.map((d) => d.name) };
  }
  logger.info({ backend: onPostgres() ? "pg-boss" : "sqlite", on: worker.names, off }, "jobs: worker started");
  return worker;
}

/** Stops the worker (waiting for the attempts it runs) and, on PostgreSQL, the pg-boss connection. */
export async function stopJobWorker(): Promise<void> {
  const w = worker;
  worker = null;
  await w?.stop();
  if (onPostgres()) await stopPgBoss();
}

/**
 * Runs, in this process and to the end, every due job of the given names (default: all) until
 * none is due: tests and scripts, with the real clock (SQLite: `now` may be injected).
 * `ignoreDelay`: jobs waiting for a later time (delayed, or backing off) run now too.
 * `sleep`: how the attempts spend the waits inside them (JobContext.sleep; default: real timers).
 * `batch`: jobs of each name claimed at once per pass (default 20 on PostgreSQL, 50 on SQLite);
 * `passes`: at most this many passes (default 1,000).
 */
export async function drainJobs(
  opts: { names?: readonly string[]; now?: () => number; schedules?: boolean; ignoreDelay?: boolean; sleep?: Sleep; batch?: number; passes?: number } = {},
): Promise<{ ran: number; completed: number; failed: number }> {
  const defs = jobDefinitions().filter((d) => !opts.names || opts.names.includes(d.name));
  if (onPostgres()) return drainPgBoss(defs, { ignoreDelay: opts.ignoreDelay, sleep: opts.sleep, batch: opts.batch }, opts.passes);
  const total = { ran: 0, completed: 0, failed: 0 };
  const e = env().jobs;
  for (let pass = 0; pass < (opts.passes ?? 1_000); pass++) {
    const r = await workOnce({ workerId: `drain-${process.pid}`, definitions: defs, now: opts.now, leaseMs: e.leaseSeconds * 1000, maxRetryDelayMs: null, schedules: opts.schedules ?? false, ignoreRunAt: opts.ignoreDelay, sleep: opts.sleep, limit: opts.batch });
    total.ran += r.ran;
    total.completed += r.completed;
    total.failed += r.failed;
    if (r.ran === 0) break;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// What the Activity page shows

export type JobState = "waiting" | "running" | "retrying" | "completed" | "dead" | "cancelled";

export interface JobRow {
  id: string;
  name: string;
  key: string;
  state: JobState;
  /** Attempts made (the running one included). */
  attempts: number;
  maxAttempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When it runs next (waiting or retrying). */
  runAt: Date | null;
  lastError: string | null;
  /** What it was enqueued with ({ shopId, orderGid, … }). */
  payload: Record<string, unknown>;
  /** The id of the request that enqueued it (its logs carry it too); null for a schedule's. */
  requestId: string | null;
}

/** A stored payload as the job's run sees it, and the request id beside it. */
function splitStored(stored: Record<string, unknown>): Pick<JobRow, "payload" | "requestId"> {
  const { [REQUEST_ID_FIELD]: requestId, ...payload } = stored;
  return { payload, requestId: typeof requestId === "string" ? requestId : null };
}

const SQLITE_STATE: Record<string, JobState> = { created: "waiting", retry: "retrying", active: "running", completed: "completed", dead: "dead", cancelled: "cancelled" };
const PG_STATE: Record<string, JobState> = { created: "waiting", retry: "retrying", active: "running", completed: "completed", failed: "dead", cancelled: "cancelled" };
const TO_SQLITE = Object.fromEntries(Object.entries(SQLITE_STATE).map(([k, v]) => [v, k]));
const TO_PG = Object.fromEntries(Object.entries(PG_STATE).map(([k, v]) => [v, k]));

function parsePayload(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function errorOf(output: unknown): string | null {
  if (!output || typeof output !== "object") return null;
  const o = output as { message?: unknown; value?: unknown };
  if (typeof o.message === "string") return o.message;
  if (typeof o.value === "string") return o.value;
  return null;
}

/** The newest job of a name and key (what a page says about "its" job), or null. */
export async function lastJob(name: string, key = ""): Promise<JobRow | null> {
  const [row] = await listJobs({ limit: 1, name, key });
  return row ?? null;
}

/** Recent jobs, newest first; `states` narrows them. Jobs are the app's, not a shop's (they name the shop in their payload). */
export async function listJobs(opts: { limit?: number; states?: readonly JobState[]; name?: string; key?: string; shopId?: string } = {}): Promise<JobRow[]> {
  const limit = Math.min(500, Math.max(1, opts.limit ?? 100));
  if (onPostgres()) {
    const rows = await listPgJobs({ limit, states: opts.states?.map((s) => TO_PG[s]), name: opts.name, key: opts.key, shopId: opts.shopId });
    return rows.map((r) => {
      const state = PG_STATE[r.state] ?? "waiting";
      return {
        id: r.id,
        name: r.name,
        key: r.key ?? "",
        state,
        attempts: r.retry_count + (state === "waiting" ? 0 : 1),
        maxAttempts: r.retry_limit + 1,
        createdAt: r.created_on,
        startedAt: r.started_on,
        finishedAt: r.completed_on,
        runAt: state === "waiting" || state === "retrying" ? r.start_after : null,
        lastError: state === "completed" ? null : errorOf(r.output),
        ...splitStored(r.data && typeof r.data === "object" ? (r.data as Record<string, unknown>) : {}),
      };
    });
  }
  const rows = await db.job.findMany({
    where: {
      ...(opts.states?.length ? { state: { in: opts.states.map((s) => TO_SQLITE[s]) } } : {}),
      ...(opts.name ? { name: opts.name } : {}),
      ...(opts.key !== undefined ? { key: opts.key } : {}),
      // A shop's jobs name it in their payload ({ shopId, … }).
      ...(opts.shopId !== undefined ? { payloadJson: { contains: JSON.stringify({ shopId: opts.shopId }).slice(1, -1) } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    key: r.key,
    state: SQLITE_STATE[r.state] ?? "waiting",
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    runAt: r.state === "created" || r.state === "retry" ? r.runAt : null,
    lastError: r.lastError,
    ...splitStored(parsePayload(r.payloadJson)),
  }));
}

/** Jobs in the queue by state (for /metrics): one grouped count on either backend. */
export async function jobQueueDepth(): Promise<Partial<Record<JobState, number>>> {
  const out: Partial<Record<JobState, number>> = {};
  if (onPostgres()) {
    const rows = await queuedPgJobs();
    for (const r of rows) out[PG_STATE[r.state] ?? "waiting"] = (out[PG_STATE[r.state] ?? "waiting"] ?? 0) + r.count;
    return out;
  }
  const rows = await db.job.groupBy({ by: ["state"], where: { state: { in: ["created", "retry", "active", "dead"] } }, _count: { _all: true } });
  for (const r of rows) out[SQLITE_STATE[r.state] ?? "waiting"] = r._count._all;
  return out;
}

/**
 * A dead letter back to waiting, its attempts counted afresh. False when it is not a dead letter
 * (or, given `shopId`, not that shop's).
 */
export async function retryJob(name: string, id: string, opts: { shopId?: string } = {}): Promise<boolean> {
  if (opts.shopId !== undefined) {
    const mine = await listJobs({ name, shopId: opts.shopId, states: ["dead"], limit: 500 });
    if (!mine.some((j) => j.id === id)) return false;
  }
  if (onPostgres()) return retryPgJob(name, id);
  const job = await db.job.findFirst({ where: { id, name, state: "dead" } });
  if (!job) return false;
  try {
    const r = await db.job.updateMany({
      where: { id, state: "dead" },
      data: { state: "created", slot: `${job.name}|${job.key}|queued`, attempts: 0, runAt: new Date(), finishedAt: null },
    });
    return r.count === 1;
  } catch (error) {
    // A job of the same name and key waits already: it will do this one's work.
    if ((error as { code?: string }).code !== "P2002") throw error;
    return false;
  } finally {
    worker?.nudge();
  }
}
