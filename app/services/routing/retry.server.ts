// The routing retry job: moves left PENDING (Shopify throttled the call, or it failed on the way)
// are tried again once their nextAttemptAt has come, with the shop's offline session. A move
// left MOVING by a process that died mid-call goes back to PENDING after STALE_MOVING_MS (the
// retry then asks Shopify again; a fulfillment order already at its location is refused with a
// userError, recorded, and nothing moves twice). Every minute, in process (croner), off with
// NEARHUB_ROUTING_JOB=0 (tests and benchmarks switch it off).
import { Cron } from "croner";
import { env } from "~/env.server";
import { db } from "~/db.server";
import { logger } from "../logger.server";
import { runMoves, STALE_MOVING_MS, type ExecuteOptions } from "./execute.server";
import { offlineAdmin, type AdminFor } from "../shopify-admin.server";

export interface RetryResult {
  decisions: number;
  unstuck: number;
  failed: string[];
}

/** Runs every due PENDING move, grouped by decision; never throws for one shop's failure. */
export async function retryDueMoves(opts: { now?: number; adminFor?: AdminFor; call?: ExecuteOptions["call"] } = {}): Promise<RetryResult> {
  const now = opts.now ?? Date.now();
  const adminFor = opts.adminFor ?? offlineAdmin;
  const unstuck = await db.routingMove.updateMany({
    where: { status: "MOVING", updatedAt: { lt: new Date(now - STALE_MOVING_MS) } },
    data: { status: "PENDING", nextAttemptAt: new Date(now) },
  });
  const due = await db.routingMove.findMany({
    where: { status: "PENDING", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: new Date(now) } }] },
    select: { decisionId: true, shop: { select: { id: true, domain: true } } },
    distinct: ["decisionId"],
    take: 200,
  });
  const failed: string[] = [];
  for (const d of due) {
    try {
      await runMoves(d.shop, await adminFor(d.shop.domain), d.decisionId, { now: () => now, call: opts.call, source: "JOB" });
    } catch (error) {
      failed.push(d.decisionId);
      logger.error({ shop: d.shop.domain, decisionId: d.decisionId, err: (error as Error).message }, "routing retry: could not run the moves");
    }
  }
  return { decisions: due.length, unstuck: unstuck.count, failed };
}

export const ROUTING_JOB_SCHEDULE = "30 * * * * *";
const started = globalThis as typeof globalThis & { __nearhubRoutingJob?: Cron };

/** Starts the retry job (every minute) unless NEARHUB_ROUTING_JOB=0; idempotent per process. */
export function startRoutingJob(): Cron | null {
  if (!env().routingJob) {
    logger.info("routing retry job: off (NEARHUB_ROUTING_JOB=0)");
    return null;
  }
  if (started.__nearhubRoutingJob && !started.__nearhubRoutingJob.isStopped()) return started.__nearhubRoutingJob;
  const job = new Cron(
    ROUTING_JOB_SCHEDULE,
    { name: "routing-retry", protect: true, unref: true, catch: (error) => logger.error({ err: error }, "routing retry job failed") },
    async () => {
      await retryDueMoves();
    },
  );
  started.__nearhubRoutingJob = job;
  logger.info({ schedule: ROUTING_JOB_SCHEDULE }, "routing retry job: on");
  return job;
}
