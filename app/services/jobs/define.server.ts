// What a job is (ADR 0022): a name, what it runs, how often it may fail and how long it waits in
// between, how long one attempt may take, and optionally a schedule. Definitions register
// themselves here when their module loads; both backends (SQLite table, pg-boss) read them.
import { Cron } from "croner";
import type { JobSwitch } from "~/env.server";
import type { Sleep } from "../clock.server";
import { jobAttempts } from "../metrics.server";
import { withRequestContext } from "../request-context.server";

export type { JobSwitch };

export interface Backoff {
  /** fixed: always delayMs; exponential: delayMs × 2^(attempt − 1). */
  type: "fixed" | "exponential";
  delayMs: number;
  /** The longest wait (exponential). */
  maxMs?: number;
}

export interface JobContext {
  jobId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** retries + 1. */
  maxAttempts: number;
  /** Aborted when the attempt runs past the job's timeout (or the worker stops). */
  signal: AbortSignal;
  /** The worker's clock (injected in tests). */
  now: () => number;
  /**
   * How a wait inside the attempt is spent (Shopify's cost bucket, a call's back-off): real timers,
   * or a test's, which records the waits asked for and returns at once.
   */
  sleep: Sleep;
}

export interface JobDefinition<P extends object = Record<string, unknown>> {
  /** Lower-case words separated by dots or dashes: `returns.effects`, `routing.order`. */
  name: string;
  /** A five-field cron expression in UTC: the job is enqueued once per slot, whatever the number of processes. */
  schedule?: string;
  run: (payload: P, ctx: JobContext) => Promise<unknown>;
  /** Attempts after the first before the job is a dead letter. */
  retries: number;
  backoff: Backoff;
  /** Longest one attempt may run (ms): then it is aborted and counts as failed. */
  timeout: number;
  /** The env switch that turns this job off in a process (app/env.server.ts). */
  switch: JobSwitch;
  /** Attempts of this job one process runs at once (default 1). */
  concurrency?: number;
}

export type AnyJob = JobDefinition<object>;

const NAME = /^[a-z][a-z0-9]*([.-][a-z0-9]+)*$/;
const registry = new Map<string, AnyJob>();

/** Declares a job; the module that defines it is imported by app/services/jobs/all.server.ts. */
export function defineJob<P extends object = Record<string, unknown>>(def: JobDefinition<P>): JobDefinition<P> {
  if (!NAME.test(def.name)) throw new Error(`job name ${JSON.stringify(def.name)}: lower-case words separated by dots or dashes`);
  if (!Number.isInteger(def.retries) || def.retries < 0) throw new Error(`job ${def.name}: retries must be an integer >= 0`);
  if (!(def.timeout >= 1_000)) throw new Error(`job ${def.name}: timeout must be at least 1000 ms`);
  if (!(def.backoff.delayMs >= 0)) throw new Error(`job ${def.name}: backoff.delayMs must be >= 0`);
  if (def.schedule) new Cron(def.schedule, { paused: true, timezone: "UTC" }); // throws on a bad expression
  // A module loaded again (Vite's HMR, a test's fresh import) replaces its own definition.
  registry.set(def.name, def as unknown as AnyJob);
  return def;
}

export function jobDefinition(name: string): AnyJob | undefined {
  return registry.get(name);
}

export function jobDefinitions(): AnyJob[] {
  return [...registry.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The wait before the attempt after `attempt` failed (1-based), capped by `maxDelayMs`. */
export function retryDelayMs(backoff: Backoff, attempt: number, maxDelayMs: number | null = null): number {
  const raw = backoff.type === "fixed" ? backoff.delayMs : backoff.delayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(raw, backoff.maxMs ?? Infinity, maxDelayMs ?? Infinity);
  return Math.max(0, Math.round(capped));
}

/**
 * The latest slot of `cron` at or before `now` and after `after` (UTC), or null when none has come.
 * Looks back at most `lookBackMs` (missed slots while nothing ran fire once, not once each).
 */
export function latestSlot(cron: string, after: number, now: number, lookBackMs = 6 * 3_600_000): number | null {
  const c = new Cron(cron, { paused: true, timezone: "UTC" });
  let slot = c.nextRun(new Date(Math.max(after, now - lookBackMs)));
  if (!slot || slot.getTime() > now) return null;
  for (let i = 0; i < 100_000; i++) {
    const next = c.nextRun(slot);
    if (!next || next.getTime() > now) break;
    slot = next;
  }
  return slot.getTime();
}

/**
 * One attempt of `def` within its timeout, for both backends: past `def.timeout` the attempt's
 * `controller` is aborted (so `ctx.signal` tells the job) and the attempt fails with that error.
 */
export async function runWithTimeout(def: AnyJob, stored: object, ctx: JobContext, controller: AbortController): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const { [REQUEST_ID_FIELD]: requestId, ...payload } = stored as Record<string, unknown>;
  const context = { requestId: typeof requestId === "string" ? requestId : `job-${ctx.jobId}`, job: def.name };
  const ended = jobAttempts.startTimer({ job: def.name });
  try {
    const out = await Promise.race([
      withRequestContext(context, () => def.run(payload, ctx)),
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          const error = new Error(`timed out after ${Math.round(def.timeout / 1000)} s`);
          controller.abort(error);
          reject(error);
        }, def.timeout);
        timer.unref?.();
      }),
    ]);
    ended({ outcome: "completed" });
    return out;
  } catch (error) {
    ended({ outcome: "failed" });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The payload field that carries the id of the request that enqueued the job (enqueue adds it, the attempt removes it). */
export const REQUEST_ID_FIELD = "__requestId";

/** The shop a job works for: its payload's `shopId`, or "" (schedules, sweeps). Per-shop fairness, ADR 0035. */
export function shopOfPayload(payload: object): string {
  const v = (payload as { shopId?: unknown }).shopId;
  return typeof v === "string" ? v : "";
}

/**
 * A new job's turn in its queue (ADR 0035): right after its shop's last waiting job, or, when the
 * shop has none waiting, level with the queue's lowest waiting turn (0 in an empty queue). Jobs run
 * in turn order, then oldest first, so a shop's 101st job waits behind every other shop's first,
 * and a shop alone still gets every slot.
 */
export function nextTurn(shopLast: number | null, queueLowest: number | null): number {
  return shopLast !== null ? shopLast + 1 : (queueLowest ?? 0);
}
