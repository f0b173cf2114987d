// Applying a campaign change to its ad platform (issue 15 items 2 and 5): the `campaigns.apply` job
// {shopId, changeId}. The change was written PENDING in the transaction that decided it (a launch,
// a guardrail, the merchant); this job sends it through the platform's adapter (with the adapter's
// own back-off for rate limits, withAdRetry) and only then records what the platform confirmed:
// the change APPLIED, the campaign's status, remote ids and budget, and the Shopify marketing
// activity to update (the `campaigns.marketing` job). Idempotent: an APPLIED change does nothing, a
// LAUNCH whose campaign already has remote ids does not create it twice.
//
// Failures:
// - the platform is down or rate-limits (retryable): the attempt and the platform's words are
//   recorded on the change and the campaign (`lastError`, shown as "retrying"), and the job throws
//   so the engine tries again with back-off; the campaign keeps the status the platform last
//   confirmed (a pause that did not happen is never reported);
// - the token was refused (reauth): the connection is marked "reconnect" (settings shows it), the
//   change is FAILED with the platform's message, the campaign keeps its confirmed status (a launch
//   leaves it FAILED: nothing was created); the next guardrail check tries a pause or resume again;
// - any other refusal: FAILED with the platform's message (a launch leaves the campaign FAILED).
// Budget changes keep to Meta's limit of 4 per ad set per hour, counted from the applied BUDGET
// rows: a fifth is deferred (the change stays PENDING, a job is enqueued for when the hour frees).
import type { Prisma } from "@prisma/client";
import { BUDGET_CHANGES_PER_HOUR, budgetChangeAllowed } from "~/core/promotions";
import type { AdPlatform, CampaignPlan } from "~/core/promotions/types";
import { db } from "~/db.server";
import { adapterFor, withAdRetry } from "../ads/index.server";
import { markReconnect } from "../ads/connections.server";
import { AdPlatformError, type AdRequest, type RemoteRef } from "../ads/types";
import { jobDefinition } from "../jobs/define.server";
import { defineJob, enqueue } from "../jobs/index.server";
import { logger } from "../logger.server";
import type { Sleep } from "../clock.server";
import { connectionFor, specOf } from "./plan.server";

type Tx = Prisma.TransactionClient;

/** The job engine switch campaigns' jobs belong to (env.server.ts has no campaigns switch of its own yet). */
export const CAMPAIGN_JOB_SWITCH = "insights" as const;
/** The Shopify marketing activity job (services/campaigns/marketing.server.ts): enqueued by name after every applied change. */
export const MARKETING_JOB = "campaigns.marketing";
const HOUR_MS = 3_600_000;
export const APPLY_RETRIES = 12;

export const applyChangeJob = defineJob<{ shopId: string; changeId: string }>({
  name: "campaigns.apply",
  switch: CAMPAIGN_JOB_SWITCH,
  // A platform outage can last hours: 30 s doubling to 30 min, 12 retries (about 4 h in all).
  retries: APPLY_RETRIES,
  backoff: { type: "exponential", delayMs: 30_000, maxMs: 30 * 60_000 },
  timeout: 2 * 60_000,
  concurrency: 2,
  run: async ({ shopId, changeId }, ctx) => applyChange(shopId, changeId, { now: ctx.now(), attempt: ctx.attempt, maxAttempts: ctx.maxAttempts, sleep: ctx.sleep }),
});

export interface ApplyOptions {
  now?: number;
  /** How the adapter's back-off waits are spent (the job's ctx.sleep; tests record them). */
  sleep?: Sleep;
  attempt?: number;
  maxAttempts?: number;
}

export type ApplyOutcome =
  | { outcome: "applied"; changeId: string }
  | { outcome: "already-applied" | "missing" | "failed" | "deferred" | "superseded"; changeId: string; why?: string };

/** Enqueues the Shopify marketing activity update, when that job exists in this build. */
export async function enqueueMarketing(tx: Tx, shopId: string, campaignId: string): Promise<void> {
  if (!jobDefinition(MARKETING_JOB)) {
    logger.warn({ shopId, campaignId }, "campaigns: no campaigns.marketing job in this build; the marketing activity is not updated");
    return;
  }
  await enqueue(tx, MARKETING_JOB, { shopId, campaignId }, { key: campaignId });
}

/** The error in the platform's own words. */
function platformWords(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isRetryable(error: unknown): boolean {
  if (error instanceof AdPlatformError) return error.opts.retryable;
  // Not an answer of the platform's: the network, a timeout. Trying later may help.
  return true;
}

export async function applyChange(shopId: string, changeId: string, opts: ApplyOptions = {}): Promise<ApplyOutcome> {
  const now = opts.now ?? Date.now();
  const change = await db.campaignChange.findFirst({ where: { id: changeId, shopId }, include: { campaign: true } });
  if (!change) return { outcome: "missing", changeId };
  if (change.state === "APPLIED") return { outcome: "already-applied", changeId };
  if (change.state === "FAILED") return { outcome: "failed", changeId, why: change.error ?? undefined };
  // Changes of a campaign go to the platform in the order they were decided.
  const earlier = await db.campaignChange.findFirst({
    where: { shopId, campaignId: change.campaignId, state: "PENDING", createdAt: { lt: change.createdAt } },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  if (earlier) {
    const first = await applyChange(shopId, earlier.id, opts);
    if (first.outcome === "deferred") return { outcome: "deferred", changeId, why: "an earlier change waits for the platform's limit" };
    return applyChange(shopId, changeId, opts);
  }

  const campaign = change.campaign;
  if (campaign.wantStatus === "ENDED" && change.action !== "END") {
    // Ended meanwhile: a pause, resume or budget change decided before no longer applies.
    await db.campaignChange.update({ where: { id: change.id }, data: { state: "FAILED", error: "superseded: the campaign was ended" } });
    return { outcome: "superseded", changeId };
  }
  const platform = campaign.platform as AdPlatform;
  const attempts = change.attempts + 1;
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true, currency: true } });
  const connection = await connectionFor(shopId, platform, shop.currency);
  if (!connection.account && connection.error instanceof AdPlatformError && connection.error.opts.retryable && attempts < (opts.maxAttempts ?? APPLY_RETRIES + 1)) {
    // The platform did not answer the token refresh: try again later, as for any outage.
    const words = platformWords(connection.error);
    await recordRetry(change.id, campaign.id, attempts, words);
    throw connection.error;
  }
  if (!connection.account) {
    const why = `${platform} is not connected (or needs reconnecting): ${connection.error instanceof Error ? connection.error.message : "reconnect it in Settings"}`;
    await recordFailure(change.id, campaign.id, attempts, why, change.action === "LAUNCH");
    return { outcome: "failed", changeId, why };
  }
  const account = connection.account;
  const adapter = adapterFor(platform);
  const retry = { sleep: opts.sleep };
  const ref: RemoteRef | null = campaign.remoteCampaignId && campaign.remoteAdSetId ? { campaignId: campaign.remoteCampaignId, adSetId: campaign.remoteAdSetId, budgetId: campaign.remoteBudgetId } : null;

  if (change.action === "BUDGET") {
    // The platform's limit on budget changes (Meta: 4 per ad set per hour), counted from the applied rows.
    const recent = await db.campaignChange.findMany({
      where: { shopId, campaignId: campaign.id, action: "BUDGET", state: "APPLIED", appliedAt: { gt: new Date(now - HOUR_MS) } },
      select: { appliedAt: true },
    });
    const allowance = budgetChangeAllowed(platform, recent.map((r) => r.appliedAt!.getTime()), now);
    if (!allowance.allowed) {
      const why = `deferred: ${recent.length} budget changes in the last hour, ${platform} allows ${BUDGET_CHANGES_PER_HOUR[platform]} per ad set; sent at ${new Date(allowance.nextAt).toISOString()}`;
      await db.$transaction(async (tx) => {
        await tx.campaignChange.update({ where: { id: change.id }, data: { error: why } });
        await enqueue(tx, applyChangeJob, { shopId, changeId }, { key: `${change.id}:after:${allowance.nextAt}`, delayMs: Math.max(1_000, allowance.nextAt - now) });
      });
      return { outcome: "deferred", changeId, why };
    }
  }

  let requests: AdRequest[] = [];
  const data: Prisma.CampaignUpdateInput = { lastError: null };
  try {
    switch (change.action) {
      case "LAUNCH": {
        const status = campaign.wantStatus === "PAUSED" ? "PAUSED" : "ACTIVE";
        if (ref) {
          // Created on an earlier attempt whose answer was recorded: never twice.
          if (campaign.status === "DRAFT") data.status = status;
          break;
        }
        const plan = JSON.parse(campaign.planJson) as CampaignPlan;
        const remote = await withAdRetry(() => adapter.create(account, specOf(plan, shop, campaign.name, campaign.dailyBudgetMinor, status)), retry);
        // The ids first, on their own: whatever happens next, a retry finds them and does not create again.
        await db.campaign.update({ where: { id: campaign.id }, data: { remoteCampaignId: remote.campaignId, remoteAdSetId: remote.adSetId, remoteBudgetId: remote.budgetId } });
        requests = remote.requests;
        data.status = status;
        break;
      }
      case "END": {
        // Never created on the platform (its launch failed or was superseded): nothing to stop there.
        if (ref) requests = await withAdRetry(() => adapter.pause(account, ref), retry);
        data.status = "ENDED";
        break;
      }
      case "PAUSE": {
        if (!ref) throw new AdPlatformError("the campaign was never created on the platform", platform, { retryable: false });
        requests = await withAdRetry(() => adapter.pause(account, ref), retry);
        data.status = "PAUSED";
        break;
      }
      case "RESUME": {
        if (!ref) throw new AdPlatformError("the campaign was never created on the platform", platform, { retryable: false });
        requests = await withAdRetry(() => adapter.resume(account, ref), retry);
        data.status = "ACTIVE";
        break;
      }
      case "BUDGET": {
        if (!ref) throw new AdPlatformError("the campaign was never created on the platform", platform, { retryable: false });
        const to = change.budgetTo ?? campaign.dailyBudgetMinor;
        requests = await withAdRetry(() => adapter.updateBudget(account, ref, to), retry);
        data.dailyBudgetMinor = to;
        break;
      }
      default:
        throw new AdPlatformError(`unknown change ${change.action}`, platform, { retryable: false });
    }
  } catch (error) {
    const words = platformWords(error);
    if (error instanceof AdPlatformError && error.opts.reauth) {
      await markReconnect(shopId, platform, words);
      await recordFailure(change.id, campaign.id, attempts, `reconnect ${platform}: ${words}`, change.action === "LAUNCH");
      return { outcome: "failed", changeId, why: words };
    }
    if (isRetryable(error) && attempts < (opts.maxAttempts ?? APPLY_RETRIES + 1)) {
      await recordRetry(change.id, campaign.id, attempts, words);
      throw error;
    }
    await recordFailure(change.id, campaign.id, attempts, words, change.action === "LAUNCH");
    return { outcome: "failed", changeId, why: words };
  }

  await db.$transaction(async (tx) => {
    const done = await tx.campaignChange.updateMany({
      where: { id: change.id, state: "PENDING" },
      data: { state: "APPLIED", appliedAt: new Date(now), attempts, error: null, ...(requests.length > 0 ? { requestJson: JSON.stringify(requests) } : {}) },
    });
    if (done.count === 0) return;
    await tx.campaign.update({ where: { id: campaign.id }, data: { ...data, version: { increment: 1 } } });
    await enqueueMarketing(tx, shopId, campaign.id);
  });
  return { outcome: "applied", changeId };
}

/** Still PENDING: the attempt and the platform's words on the change, and "retrying" on the campaign. */
async function recordRetry(changeId: string, campaignId: string, attempts: number, words: string): Promise<void> {
  await db.$transaction([
    db.campaignChange.update({ where: { id: changeId }, data: { attempts, error: words } }),
    db.campaign.update({ where: { id: campaignId }, data: { lastError: `retrying (attempt ${attempts}): ${words}` } }),
  ]);
}

/** FAILED with the platform's words; a launch that failed leaves the campaign FAILED (nothing runs). */
async function recordFailure(changeId: string, campaignId: string, attempts: number, why: string, launch: boolean): Promise<void> {
  await db.$transaction([
    db.campaignChange.update({ where: { id: changeId }, data: { state: "FAILED", attempts, error: why } }),
    db.campaign.update({ where: { id: campaignId }, data: { lastError: why, ...(launch ? { status: "FAILED" } : {}) } }),
  ]);
}
