// The job engine's SQLite backend (ADR 0022): a durable `Job` table with pg-boss's semantics.
//
// - enqueue writes a row in the caller's transaction, so the job exists exactly when the change
//   that caused it committed. Its singleton slot ("<name>|<key>|queued") is unique: while a job of
//   that name and key waits, enqueueing another changes nothing.
// - A worker claims due jobs (state created or retry, runAt passed, no attempt of the same name
//   and key running) in one write transaction: state active, slot "<name>|<key>|active", attempts
//   + 1 and a lease (lockedUntil), renewed while the attempt runs. Every later write of the attempt
//   is guarded by (id, lockedBy, attempts): an attempt whose lease another worker took over
//   changes nothing.
// - A failed attempt (thrown, timed out, or its lease expired because its process died) waits its
//   backoff (state retry) or, after the last retry, is a dead letter (state dead) until retried by
//   hand. A failed job whose slot is taken by a newer waiting job of the same key gives way to it
//   (cancelled): that one will do the same work.
// - Per-shop fairness (ADR 0035): each job carries its shop (payload.shopId) and a turn (nextTurn);
//   due jobs are claimed in turn order, so one shop's burst does not make another shop's job wait.
// - Schedules: each process asks croner for the latest slot of each schedule and fires it only by
//   moving JobSchedule.lastSlot forward (a guarded update): one firing per slot, whatever the
//   number of processes; the firing enqueues the job with the empty key (one waiting at a time).
import { randomUUID } from "node:crypto";
import type { Job, Prisma, PrismaClient } from "@prisma/client";
import { db } from "~/db.server";
import { realSleep, type Sleep } from "../clock.server";
import { logger } from "../logger.server";
import { latestSlot, nextTurn, retryDelayMs, runWithTimeout, shopOfPayload, type AnyJob, type JobContext } from "./define.server";

type Tx = Prisma.TransactionClient;

export interface EnqueueOptions {
  key?: string;
  /** Not before this many ms from now. */
  delayMs?: number;
  now?: number;
}

const queuedSlot = (name: string, key: string) => `${name}|${key}|queued`;
const activeSlot = (name: string, key: string) => `${name}|${key}|active`;
const isUnique = (error: unknown) => (error as { code?: string } | null)?.code === "P2002";

/** Whether a job was written (false: one of the same name and key was already waiting). */
export async function enqueueSqlite(tx: Tx | PrismaClient, name: string, payload: object, opts: EnqueueOptions = {}): Promise<boolean> {
  const key = opts.key ?? "";
  const slot = queuedSlot(name, key);
  const now = opts.now ?? Date.now();
  if (await tx.job.findUnique({ where: { slot }, select: { id: true } })) return false;
  const shopId = shopOfPayload(payload);
  const waiting = { name, state: { in: ["created", "retry"] } };
  const [shopLast, lowest] = await Promise.all([
    tx.job.findFirst({ where: { ...waiting, shopId }, orderBy: { turn: "desc" }, select: { turn: true } }),
    tx.job.findFirst({ where: waiting, orderBy: { turn: "asc" }, select: { turn: true } }),
  ]);
  const turn = nextTurn(shopLast?.turn ?? null, lowest?.turn ?? null);
  try {
    await tx.job.create({
      data: { name, key, slot, shopId, turn, payloadJson: JSON.stringify(payload), state: "created", runAt: new Date(now + (opts.delayMs ?? 0)), createdAt: new Date(now) },
    });
    return true;
  } catch (error) {
    // Outside a transaction another process may have written it between the read and the write.
    if (isUnique(error)) return false;
    throw error;
  }
}

export interface WorkerOptions {
  /** Who holds the leases this worker takes. */
  workerId: string;
  definitions: readonly AnyJob[];
  now?: () => number;
  leaseMs: number;
  maxRetryDelayMs?: number | null;
  /** Claim waiting jobs whatever their runAt (drains in tests: delayed jobs and backoffs run now). */
  ignoreRunAt?: boolean;
  /** How the jobs' attempts spend their waits (JobContext.sleep; default: real timers). */
  sleep?: Sleep;
}

export interface Claimed {
  job: Job;
  def: AnyJob;
}

/** Attempts whose lease has passed: failed ("the process running it stopped"), then retried or dead. */
export async function expireLeases(opts: Pick<WorkerOptions, "definitions" | "now" | "maxRetryDelayMs">): Promise<number> {
  const now = (opts.now ?? Date.now)();
  const stale = await db.job.findMany({ where: { state: "active", lockedUntil: { lt: new Date(now) } }, take: 100 });
  let n = 0;
  for (const job of stale) {
    const def = opts.definitions.find((d) => d.name === job.name);
    if (await settleFailure(job, def, "the attempt's lease expired: the process running it stopped, or it ran past its timeout", now, opts.maxRetryDelayMs ?? null)) n++;
  }
  return n;
}

/** Claims due jobs, at most `room.get(name)` of each (one transaction: one winner per job). */
export async function claimDue(opts: WorkerOptions, room: ReadonlyMap<string, number>): Promise<Claimed[]> {
  const now = (opts.now ?? Date.now)();
  const left = new Map([...room].filter(([, n]) => n > 0));
  const byName = new Map(opts.definitions.filter((d) => left.has(d.name)).map((d) => [d.name, d]));
  if (byName.size === 0) return [];
  const total = [...left.values()].reduce((a, b) => a + b, 0);
  return db.$transaction(async (tx) => {
    const due = await tx.job.findMany({
      where: { state: { in: ["created", "retry"] }, ...(opts.ignoreRunAt ? {} : { runAt: { lte: new Date(now) } }), name: { in: [...byName.keys()] } },
      // Per-shop fairness (ADR 0035): in turn order (each shop's n-th waiting job in round n), then oldest first.
      orderBy: [{ turn: "asc" }, { runAt: "asc" }, { id: "asc" }],
      take: Math.min(500, total * 4),
    });
    const claimed: Claimed[] = [];
    for (const job of due) {
      const def = byName.get(job.name)!;
      if ((left.get(job.name) ?? 0) <= 0) continue;
      const slot = activeSlot(job.name, job.key);
      // One attempt per name and key at a time: the next waits until the running one ends.
      if (await tx.job.findUnique({ where: { slot }, select: { id: true } })) continue;
      const updated = await tx.job.update({
        where: { id: job.id },
        data: {
          state: "active",
          slot,
          attempts: { increment: 1 },
          maxAttempts: def.retries + 1,
          lockedUntil: new Date(now + opts.leaseMs),
          lockedBy: opts.workerId,
          startedAt: new Date(now),
        },
      });
      left.set(job.name, left.get(job.name)! - 1);
      claimed.push({ job: updated, def });
    }
    return claimed;
  });
}

const guard = (job: Job) => ({ id: job.id, state: "active", lockedBy: job.lockedBy, attempts: job.attempts });

/** Extends an attempt's lease; false when the attempt is no longer this worker's. */
export async function renewLease(job: Job, now: number, leaseMs: number): Promise<boolean> {
  const r = await db.job.updateMany({ where: guard(job), data: { lockedUntil: new Date(now + leaseMs) } });
  return r.count === 1;
}

export async function completeJob(job: Job, now: number): Promise<boolean> {
  const r = await db.job.updateMany({
    where: guard(job),
    data: { state: "completed", slot: null, lockedUntil: null, lockedBy: null, finishedAt: new Date(now), lastError: null },
  });
  return r.count === 1;
}

/** A failed attempt: back to waiting after its backoff, or a dead letter after the last retry. */
export async function settleFailure(job: Job, def: AnyJob | undefined, message: string, now: number, maxRetryDelayMs: number | null): Promise<boolean> {
  const lastError = message.slice(0, 2_000);
  const maxAttempts = def ? def.retries + 1 : job.maxAttempts;
  if (job.attempts >= maxAttempts) {
    const r = await db.job.updateMany({ where: guard(job), data: { state: "dead", slot: null, lockedUntil: null, lockedBy: null, finishedAt: new Date(now), lastError } });
    if (r.count === 1) logger.error({ job: job.name, jobId: job.id, attempts: job.attempts, err: lastError }, "job: dead letter after its last attempt");
    return r.count === 1;
  }
  const waitMs = def ? retryDelayMs(def.backoff, job.attempts, maxRetryDelayMs) : 0;
  try {
    const r = await db.job.updateMany({
      where: guard(job),
      data: { state: "retry", slot: queuedSlot(job.name, job.key), runAt: new Date(now + waitMs), lockedUntil: null, lockedBy: null, lastError },
    });
    if (r.count === 1) logger.warn({ job: job.name, jobId: job.id, attempt: job.attempts, retryInMs: waitMs, err: lastError }, "job: attempt failed; retried");
    return r.count === 1;
  } catch (error) {
    if (!isUnique(error)) throw error;
    // A newer job of the same name and key waits already: it does this one's work.
    const r = await db.job.updateMany({
      where: guard(job),
      data: { state: "cancelled", slot: null, lockedUntil: null, lockedBy: null, finishedAt: new Date(now), lastError: `${lastError} (superseded by a waiting job of the same key)` },
    });
    return r.count === 1;
  }
}

/**
 * Runs one claimed attempt to its end: the job's run with a timeout and an abort signal, the lease
 * renewed meanwhile, then completed or failed. Never throws.
 */
export async function runClaimed(c: Claimed, opts: WorkerOptions): Promise<"completed" | "failed" | "lost"> {
  const clock = opts.now ?? Date.now;
  const { job, def } = c;
  const controller = new AbortController();
  const renew = setInterval(() => {
    renewLease(job, clock(), opts.leaseMs).then(
      (mine) => {
        if (!mine) controller.abort(new Error("the lease was taken over by another worker"));
      },
      (error: unknown) => logger.warn({ job: job.name, jobId: job.id, err: (error as Error).message }, "job: could not renew the lease"),
    );
  }, Math.max(1_000, Math.floor(opts.leaseMs / 3)));
  renew.unref?.();
  const ctx: JobContext = { jobId: job.id, attempt: job.attempts, maxAttempts: def.retries + 1, signal: controller.signal, now: clock, sleep: opts.sleep ?? realSleep };
  try {
    await runWithTimeout(def, JSON.parse(job.payloadJson) as object, ctx, controller);
    return (await completeJob(job, clock())) ? "completed" : "lost";
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    try {
      return (await settleFailure(job, def, message, clock(), opts.maxRetryDelayMs ?? null)) ? "failed" : "lost";
    } catch (settle) {
      logger.error({ job: job.name, jobId: job.id, err: (settle as Error).message }, "job: could not record a failed attempt; its lease will expire");
      return "lost";
    }
  } finally {
    clearInterval(renew);
  }
}

/** Fires every schedule whose slot has come; returns the names fired. */
export async function fireSchedules(definitions: readonly AnyJob[], now: number): Promise<string[]> {
  const fired: string[] = [];
  for (const def of definitions) {
    if (!def.schedule) continue;
    let row = await db.jobSchedule.findUnique({ where: { name: def.name } });
    if (!row || row.cron !== def.schedule) {
      // First sight of this schedule (or a new expression): it starts from now, nothing is caught up.
      const data = { cron: def.schedule, lastSlot: new Date(latestSlot(def.schedule, 0, now) ?? now) };
      try {
        row = row ? await db.jobSchedule.update({ where: { name: def.name }, data }) : await db.jobSchedule.create({ data: { name: def.name, ...data } });
      } catch (error) {
        if (!isUnique(error)) throw error;
        row = await db.jobSchedule.findUniqueOrThrow({ where: { name: def.name } });
      }
    }
    const slot = latestSlot(def.schedule, row.lastSlot.getTime(), now);
    if (slot === null || slot <= row.lastSlot.getTime()) continue;
    const won = await db.$transaction(async (tx) => {
      const moved = await tx.jobSchedule.updateMany({ where: { name: def.name, lastSlot: row.lastSlot }, data: { lastSlot: new Date(slot) } });
      if (moved.count !== 1) return false;
      await enqueueSqlite(tx, def.name, { slot: new Date(slot).toISOString() }, { now });
      return true;
    });
    if (won) fired.push(def.name);
  }
  return fired;
}

/**
 * One pass of a worker, awaited to the end: leases expired, schedules fired, then every due job
 * claimed (up to `limit`) and run. For tests (with an injected clock) and drains.
 */
export async function workOnce(opts: WorkerOptions & { schedules?: boolean; limit?: number }): Promise<{ ran: number; completed: number; failed: number }> {
  const now = (opts.now ?? Date.now)();
  await expireLeases(opts);
  if (opts.schedules ?? true) await fireSchedules(opts.definitions, now);
  const claimed = await claimDue(opts, new Map(opts.definitions.map((d) => [d.name, opts.limit ?? 50])));
  const results = await Promise.all(claimed.map((c) => runClaimed(c, opts)));
  return { ran: claimed.length, completed: results.filter((r) => r === "completed").length, failed: results.filter((r) => r === "failed").length };
}

/** The worker loop of one process: polls, runs up to each job's concurrency at once, fires schedules. */
export class SqliteWorker {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly running = new Map<string, number>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private ticking = false;

  constructor(
    private readonly opts: WorkerOptions & { pollMs: number },
  ) {}

  static workerId(): string {
    return `${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    this.schedule(0);
  }

  /** Looks for work soon (after a local enqueue). */
  nudge(): void {
    if (!this.stopped && !this.ticking) this.schedule(50);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref?.();
  }

  private async tick() {
    if (this.stopped) return;
    this.ticking = true;
    try {
      const now = (this.opts.now ?? Date.now)();
      await expireLeases(this.opts);
      await fireSchedules(this.opts.definitions, now);
      const room = new Map(this.opts.definitions.map((d) => [d.name, (d.concurrency ?? 1) - (this.running.get(d.name) ?? 0)]));
      for (const c of await claimDue(this.opts, room)) {
        this.running.set(c.def.name, (this.running.get(c.def.name) ?? 0) + 1);
        const p = runClaimed(c, this.opts).finally(() => {
          this.running.set(c.def.name, (this.running.get(c.def.name) ?? 1) - 1);
          this.inFlight.delete(p);
          this.nudge();
        });
        this.inFlight.add(p);
      }
    } catch (error) {
      logger.error({ err: (error as Error).message }, "job worker: a pass failed; trying again");
    } finally {
      this.ticking = false;
      this.schedule(this.opts.pollMs);
    }
  }

  /** Stops polling and waits (up to `waitMs`) for the attempts running. */
  async stop(waitMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, waitMs).unref?.())]);
  }
}
