// The routing sweep (`routing.retry`, a scheduled job of the job engine, ADR 0022): a move left
// MOVING by a process that died mid-call goes back to PENDING after STALE_MOVING_MS (the retry
// then asks Shopify again; a fulfillment order already at its location is refused with a
// userError, recorded, and nothing moves twice), and moves left PENDING whose nextAttemptAt has
// come are run (each decision's `routing.moves` job normally runs them on time; this is the net
// under it). Every minute, fired once whatever the number of processes; off in a process with
// NEARHUB_ROUTING_JOB=0 (tests and benchmarks switch it off).
import { db } from "~/db.server";
import { defineJob } from "../jobs/index.server";
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

/** The sweep's schedule (UTC cron): every minute. */
export const ROUTING_JOB_SCHEDULE = "* * * * *";

/** The routing sweep, every minute (NEARHUB_ROUTING_JOB=0: not in this process). */
export const routingRetryJob = defineJob({
  name: "routing.retry",
  schedule: ROUTING_JOB_SCHEDULE,
  switch: "routing",
  retries: 0, // the next minute's firing is the retry
  backoff: { type: "fixed", delayMs: 0 },
  timeout: 5 * 60_000,
  run: async (_payload, ctx) => retryDueMoves({ now: ctx.now() }),
});
