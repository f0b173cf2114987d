// The job engine's PostgreSQL backend (ADR 0022): pg-boss 12, its tables in their own schema
// (JOBS_SCHEMA) of the shop's database. Each job is a queue with the `stately` policy (at most one
// job waiting, one retrying and one running per singleton key: the SQLite backend's slot), its
// definition's retries, backoff and timeout, and a heartbeat: a job whose worker stops beating for
// NEARHUB_JOBS_LEASE_SECONDS is failed by the supervisor of any process and retried elsewhere.
// enqueue sends through the caller's Prisma transaction (pg-boss's `db` option with the
// transaction's $queryRawUnsafe), so the job exists exactly when the change that caused it committed.
// Schedules are pg-boss's (one job per slot across every process).
import { PgBoss, fromPrisma, type Job as BossJob, type JobWithMetadata } from "pg-boss";
import type { Prisma, PrismaClient } from "@prisma/client";
import { databaseUrl, db, pgConnection } from "~/db.server";
import { env } from "~/env.server";
import { realSleep, type Sleep } from "../clock.server";
import { logger } from "../logger.server";
import { jobDefinition, nextTurn, runWithTimeout, shopOfPayload, type AnyJob, type JobContext } from "./define.server";

type Tx = Prisma.TransactionClient;

export const JOBS_SCHEMA = "nearhub_jobs";

const g = globalThis as typeof globalThis & { __nearhubBoss?: { url: string; worker: boolean; boss: Promise<PgBoss> } };

/** The process's pg-boss: started on first use; `worker` adds the supervisor and the scheduler. */
function bossFor(worker: boolean): Promise<PgBoss> {
  const url = databaseUrl();
  const held = g.__nearhubBoss;
  if (held && held.url === url && (held.worker || !worker)) return held.boss;
  const previous = held?.boss;
  const boss = (async () => {
    if (previous) await previous.then((b) => b.stop({ graceful: false, close: true })).catch(() => undefined);
    const e = env().jobs;
    const b = new PgBoss({
      connectionString: pgConnection(url).connectionString,
      schema: JOBS_SCHEMA,
      application_name: "nearhub-jobs",
      max: 4,
      supervise: worker,
      schedule: worker,
      superviseIntervalSeconds: e.superviseSeconds,
      monitorIntervalSeconds: e.superviseSeconds,
      registerInstance: false,
      openTelemetry: { enabled: false },
    });
    b.on("error", (error: Error) => logger.error({ err: error.message }, "pg-boss: error"));
    await b.start();
    return b;
  })();
  g.__nearhubBoss = { url, worker, boss };
  boss.catch(() => {
    if (g.__nearhubBoss?.boss === boss) g.__nearhubBoss = undefined;
  });
  return boss;
}

const ensured = new Map<string, Promise<void>>();

function queueOptions(def: AnyJob) {
  const e = env().jobs;
  const cap = e.maxRetryDelaySeconds ?? Infinity;
  const delayS = Math.max(1, Math.min(cap, Math.round(def.backoff.delayMs / 1000)));
  const maxS = def.backoff.maxMs !== undefined ? Math.min(cap, Math.max(delayS, Math.round(def.backoff.maxMs / 1000))) : Number.isFinite(cap) ? cap : undefined;
  return {
    retryLimit: def.retries,
    retryDelay: def.backoff.delayMs === 0 ? 0 : delayS,
    retryBackoff: def.backoff.type === "exponential",
    ...(def.backoff.type === "exponential" && maxS !== undefined ? { retryDelayMax: maxS } : {}),
    expireInSeconds: Math.max(1, Math.ceil(def.timeout / 1000)),
    heartbeatSeconds: e.leaseSeconds,
  };
}

/** The queue of a job, created (or brought up to its definition) once per process. */
function ensureQueue(boss: PgBoss, name: string): Promise<void> {
  let p = ensured.get(name);
  if (!p) {
    p = (async () => {
      const def = jobDefinition(name);
      const options = def ? queueOptions(def) : {};
      const existing = await boss.getQueue(name);
      if (!existing) {
        try {
          await boss.createQueue(name, { policy: "stately", ...options });
        } catch (error) {
          // Another process created it meanwhile.
          if (!(await boss.getQueue(name))) throw error;
        }
      } else if (def) {
        await boss.updateQueue(name, options);
      }
    })();
    ensured.set(name, p);
    p.catch(() => ensured.delete(name));
  }
  return p;
}

export async function enqueuePgBoss(tx: Tx | PrismaClient, name: string, payload: object, opts: { key?: string; delayMs?: number } = {}): Promise<boolean> {
  const boss = await bossFor(false);
  await ensureQueue(boss, name);
  // Per-shop fairness (ADR 0035): the shop is the job's pg-boss group (metadata only: no
  // groupConcurrency, which would cap a shop alone too) and its turn the negated priority, since
  // pg-boss fetches by priority desc, then created_on. Read in the caller's transaction; the
  // condition is pg-boss's job_i11's (waiting jobs), so the queue's lowest turn is one index step.
  const shopId = shopOfPayload(payload);
  const q = tx as unknown as { $queryRawUnsafe<T>(sql: string, ...values: unknown[]): Promise<T> };
  const turnOf = async (order: "ASC" | "DESC", byShop: boolean) => {
    const rows = await q.$queryRawUnsafe<{ turn: number }[]>(
      `SELECT -priority AS turn FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND state < 'active' AND NOT blocked${byShop ? " AND COALESCE(group_id, '') = $2" : ""} ORDER BY priority ${order} LIMIT 1`,
      ...(byShop ? [name, shopId] : [name]),
    );
    return rows[0] ? Number(rows[0].turn) : null;
  };
  const turn = nextTurn(await turnOf("ASC", true), await turnOf("DESC", false));
  const id = await boss.send(name, payload, {
    singletonKey: opts.key ?? "",
    priority: -turn,
    ...(shopId ? { group: { id: shopId } } : {}),
    ...(opts.delayMs ? { startAfter: new Date(Date.now() + opts.delayMs) } : {}),
    db: fromPrisma(tx as Parameters<typeof fromPrisma>[0]),
  });
  return id !== null;
}

function contextOf(job: BossJob<object> | JobWithMetadata<object>, def: AnyJob, signal: AbortSignal, sleep: Sleep): JobContext {
  return { jobId: job.id, attempt: job.retryCount + 1, maxAttempts: def.retries + 1, signal, now: Date.now, sleep };
}

/** One attempt with the job's timeout; throws its error (pg-boss records it and retries). */
async function runAttempt(def: AnyJob, job: BossJob<object>, sleep: Sleep = realSleep): Promise<unknown> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(job.signal.reason);
  job.signal.addEventListener("abort", onAbort, { once: true });
  try {
    return await runWithTimeout(def, job.data ?? {}, contextOf(job, def, controller.signal, sleep), controller);
  } finally {
    job.signal.removeEventListener("abort", onAbort);
  }
}

export class PgBossWorker {
  private boss: PgBoss | null = null;

  constructor(private readonly opts: { definitions: readonly AnyJob[]; schedules: readonly AnyJob[]; pollMs: number }) {}

  async start(): Promise<void> {
    const boss = await bossFor(true);
    this.boss = boss;
    for (const def of this.opts.definitions) {
      await ensureQueue(boss, def.name);
      await boss.work<object>(
        def.name,
        { pollingIntervalSeconds: Math.max(0.5, this.opts.pollMs / 1000), localConcurrency: def.concurrency ?? 1, batchSize: 1 },
        async (jobs) => {
          for (const job of jobs) {
            try {
              await runAttempt(def, job);
            } catch (error) {
              logger.warn({ job: def.name, jobId: job.id, attempt: job.retryCount + 1, err: (error as Error).message }, "job: attempt failed");
              throw error;
            }
          }
        },
      );
    }
    for (const def of this.opts.schedules) {
      await ensureQueue(boss, def.name);
      await boss.schedule(def.name, def.schedule!, {}, { tz: "UTC" });
    }
  }

  async stop(): Promise<void> {
    const boss = this.boss;
    this.boss = null;
    if (!boss) return;
    for (const def of this.opts.definitions) await boss.offWork(def.name, { wait: false }).catch(() => undefined);
  }
}

/** Runs every due job of `names` in this process until none is due (tests, scripts). */
export async function drainPgBoss(definitions: readonly AnyJob[], opts: { ignoreDelay?: boolean; sleep?: Sleep; batch?: number } = {}, max = 1_000): Promise<{ ran: number; completed: number; failed: number }> {
  const boss = await bossFor(false);
  const out = { ran: 0, completed: 0, failed: 0 };
  for (let pass = 0; pass < max; pass++) {
    let any = false;
    for (const def of definitions) {
      await ensureQueue(boss, def.name);
      const jobs = await boss.fetch<object>(def.name, { batchSize: opts.batch ?? 20, ignoreStartAfter: opts.ignoreDelay ?? false });
      for (const job of jobs) {
        any = true;
        out.ran++;
        try {
          await runAttempt(def, { ...job, signal: job.signal ?? new AbortController().signal }, opts.sleep);
          await boss.complete(def.name, job.id);
          out.completed++;
        } catch (error) {
          await boss.fail(def.name, job.id, { message: (error as Error).message });
          out.failed++;
        }
      }
    }
    if (!any) break;
  }
  return out;
}

export interface PgJobRow {
  id: string;
  name: string;
  key: string | null;
  state: string;
  retry_count: number;
  retry_limit: number;
  created_on: Date;
  started_on: Date | null;
  completed_on: Date | null;
  start_after: Date;
  output: unknown;
  data: unknown;
}

/** Recent jobs of every queue, newest first (the Activity page). */
export async function listPgJobs(opts: { limit: number; states?: readonly string[]; name?: string; key?: string; shopId?: string }): Promise<PgJobRow[]> {
  await bossFor(false);
  const states = opts.states?.length ? opts.states : null;
  // A job sent without a key is stored with the empty one (enqueuePgBoss); a schedule's with none.
  return db.$queryRawUnsafe<PgJobRow[]>(
    `SELECT id::text AS id, name, singleton_key AS key, state::text AS state, retry_count, retry_limit, created_on, started_on, completed_on, start_after, output, data
       FROM ${JOBS_SCHEMA}.job
      WHERE ($1::text[] IS NULL OR state::text = ANY($1::text[]))
        AND ($3::text IS NULL OR name = $3::text)
        AND ($4::text IS NULL OR COALESCE(singleton_key, '') = $4::text)
        AND ($5::text IS NULL OR data->>'shopId' = $5::text)
      ORDER BY created_on DESC
      LIMIT $2`,
    states,
    opts.limit,
    opts.name ?? null,
    opts.key ?? null,
    opts.shopId ?? null,
  );
}

/** Jobs waiting, retrying, running or failed for good, counted by state (queue depth for /metrics). */
export async function queuedPgJobs(): Promise<{ state: string; count: number }[]> {
  await bossFor(false);
  return db.$queryRawUnsafe<{ state: string; count: number }[]>(
    `SELECT state::text AS state, COUNT(*)::int AS count FROM ${JOBS_SCHEMA}.job WHERE state::text IN ('created', 'retry', 'active', 'failed') GROUP BY state`,
  );
}

/** A dead letter (failed for good) back to waiting: pg-boss's retry. */
export async function retryPgJob(name: string, id: string): Promise<boolean> {
  const boss = await bossFor(false);
  const before = await boss.findJobs(name, { id });
  if (before[0]?.state !== "failed") return false;
  await boss.retry(name, id);
  return true;
}

/** Stops the process's pg-boss (tests, shutdown). */
export async function stopPgBoss(): Promise<void> {
  const held = g.__nearhubBoss;
  g.__nearhubBoss = undefined;
  ensured.clear();
  if (held) await held.boss.then((b) => b.stop({ graceful: true, close: true, timeout: 5_000 })).catch(() => undefined);
}
