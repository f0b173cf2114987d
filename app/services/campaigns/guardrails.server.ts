// Guardrails re-checked (issue 15 items 2 and 5): for a running campaign, what the guardrails read
// now (the hub's availability through the one gate, the stock of the advertised SKUs at the hub,
// spend, revenue and landed cost so far from its days, the plan's same-day hours), what they decide
// (core/promotions evaluateGuardrails), and, when that differs from what Nearhub last decided, a
// CampaignChange (actor GUARDRAIL, with the reasons) and its campaigns.apply job in one transaction.
// The reasons of every check are stored on the campaign (lastReasonsJson, lastCheckedAt).
//
// When it runs: `campaigns.guard` every 15 minutes (every hub with a running campaign, of every
// shop: one `campaigns.guard-hub` job each, which the engine takes in turn per shop), and
// `campaigns.guard-hub` {shopId, nodeId} enqueued in the transaction that changes the hub's stock
// (inventory webhook), its capacity (a routing decision) or a permit (enqueueHubGuards).
import type { Prisma } from "@prisma/client";
import { evaluateGuardrails, guardrailTransition, type AppliedState } from "~/core/promotions";
import type { CampaignPlan, GuardrailDecision, GuardrailState } from "~/core/promotions/types";
import type { RuleRef } from "~/core/rules/registry";
import { clockFor, dayOfIsoDate } from "~/core/geo/localTime";
import { db } from "~/db.server";
import { defineJob, enqueue } from "../jobs/index.server";
import { applyChangeJob, CAMPAIGN_JOB_SWITCH } from "./apply.server";
import { campaignAvailability, loadNetwork, loadShop } from "./hub-context.server";

type Tx = Prisma.TransactionClient;

/** Campaigns the guardrails look after: not ended, not failed at launch. */
const RUNNING = { wantStatus: { not: "ENDED" }, status: { notIn: ["ENDED", "FAILED"] } };

export const GUARD_SCHEDULE = "*/15 * * * *";

export interface GuardOutcome {
  campaignId: string;
  decision: GuardrailDecision | null;
  /** The changes written (none when the decision is what was already decided). */
  changes: Array<{ id: string; action: string }>;
}

/** The plan's minimum daily budget, as launched. */
const minimumOf = (plan: CampaignPlan) => plan.budget.minimumMinor;

/** What the guardrails read about the campaign now (the demo seed reads it the same way). */
export async function guardrailState(
  campaign: { shopId: string; nodeId: string; skusJson: string; currency: string; plannedBudgetMinor: number; dailyBudgetMinor: number; id: string },
  plan: CampaignPlan,
  availability: GuardrailState["availability"],
  now: number,
): Promise<GuardrailState> {
  const skus = JSON.parse(campaign.skusJson) as Array<{ productId: string; sku: string }>;
  const [levels, sums] = await Promise.all([
    db.stockLevel.findMany({ where: { shopId: campaign.shopId, nodeId: campaign.nodeId, productId: { in: skus.map((s) => s.productId) } }, select: { productId: true, available: true } }),
    db.campaignDay.aggregate({ where: { shopId: campaign.shopId, campaignId: campaign.id }, _sum: { spendMinor: true, revenueMinor: true, landedCostMinor: true } }),
  ]);
  const byProduct = new Map(levels.map((l) => [l.productId, Math.max(0, l.available)]));
  const stockBySku: Record<string, number> = {};
  for (const s of skus) stockBySku[s.sku] = byProduct.get(s.productId) ?? 0;
  return {
    now,
    hubTimezone: plan.hours.timezone,
    availability,
    stockBySku,
    windows: plan.hours.windows,
    spendMinor: sums._sum.spendMinor ?? 0,
    revenueMinor: sums._sum.revenueMinor ?? 0,
    landedCostMinor: sums._sum.landedCostMinor ?? 0,
    // The whole test's budget (the plan's daily budget × its days): BUDGET_SPENT pauses once it is spent.
    plannedBudgetMinor: plan.budget.totalMinor,
    dailyBudgetMinor: campaign.dailyBudgetMinor,
    minDailyBudgetMinor: minimumOf(plan),
    currency: campaign.currency,
  };
}

/** Past the last day of the campaign (its end date, in the hub's time zone). */
function ended(plan: CampaignPlan, now: number): boolean {
  return now >= clockFor(plan.hours.timezone).instant(dayOfIsoDate(plan.endsOn), 1440);
}

/**
 * Re-checks one campaign's guardrails now and writes the change they call for (if any) with its
 * apply job. A campaign the merchant paused stays paused (the guardrails never resume it); one past
 * its end date is ended (actor SCHEDULE).
 */
export async function checkCampaignGuardrails(shopId: string, campaignId: string, now = Date.now(), preloaded?: { availability?: GuardrailState["availability"] }): Promise<GuardOutcome> {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, shopId } });
  if (!campaign || campaign.wantStatus === "ENDED" || campaign.status === "ENDED" || campaign.status === "FAILED") {
    return { campaignId, decision: null, changes: [] };
  }
  const plan = JSON.parse(campaign.planJson) as CampaignPlan;
  const rules = JSON.parse(campaign.guardrailsJson) as RuleRef[];

  if (ended(plan, now)) {
    const id = await db.$transaction(async (tx) => {
      await tx.campaign.update({ where: { id: campaign.id }, data: { lastCheckedAt: new Date(now) } });
      return writeChange(tx, campaign, { action: "END", actor: "SCHEDULE", toStatus: "ENDED", reasons: [], now });
    });
    return { campaignId, decision: null, changes: [{ id, action: "END" }] };
  }

  let availability = preloaded?.availability;
  if (!availability) {
    const shop = await loadShop(shopId);
    availability = campaignAvailability(await loadNetwork(shop), campaign.nodeId, now);
  }
  const state = await guardrailState(campaign, plan, availability, now);
  const decision = evaluateGuardrails(state, rules);

  // What Nearhub last decided: its wanted status, and the budget of the newest budget change (pending or applied).
  const lastBudget = await db.campaignChange.findFirst({
    where: { shopId, campaignId, action: { in: ["BUDGET", "LAUNCH"] }, state: { not: "FAILED" } },
    orderBy: { createdAt: "desc" },
    select: { budgetTo: true },
  });
  const wantedBudget = lastBudget?.budgetTo ?? campaign.dailyBudgetMinor;
  const lastStatusChange = await db.campaignChange.findFirst({
    where: { shopId, campaignId, action: { in: ["PAUSE", "RESUME", "LAUNCH"] } },
    orderBy: { createdAt: "desc" },
    select: { action: true, actor: true },
  });
  const merchantPaused = campaign.wantStatus === "PAUSED" && lastStatusChange?.action === "PAUSE" && lastStatusChange.actor === "MERCHANT";
  const pending = await db.campaignChange.count({ where: { shopId, campaignId, state: "PENDING" } });

  // From what Nearhub last decided (pending or applied) to what the guardrails ask now: a pause keeps
  // the budget (a budget change on a paused ad set would spend one of Meta's hourly changes).
  const decided: AppliedState = { status: campaign.wantStatus === "PAUSED" ? "PAUSED" : "ACTIVE", dailyBudgetMinor: wantedBudget };
  const t = guardrailTransition(decided, decision);
  const reasons = decision.reasons;
  const changes: GuardOutcome["changes"] = [];
  await db.$transaction(async (tx) => {
    if (merchantPaused) {
      // The merchant's pause stands: the guardrails neither resume nor resize it.
    } else if (t.switchStatus) {
      const action = t.status === "PAUSED" ? "PAUSE" : "RESUME";
      changes.push({ id: await writeChange(tx, campaign, { action, actor: "GUARDRAIL", toStatus: t.status, reasons, now }), action });
    } else if (pending === 0 && campaign.status !== "DRAFT" && campaign.status !== t.status) {
      // The platform never confirmed the last decision (its change failed, e.g. a token to reconnect): try it again.
      const action = t.status === "PAUSED" ? "PAUSE" : "RESUME";
      changes.push({ id: await writeChange(tx, campaign, { action, actor: "GUARDRAIL", toStatus: t.status, reasons, now }), action });
    }
    if (!merchantPaused && t.changeBudget && t.status === "ACTIVE" && t.dailyBudgetMinor > 0) {
      changes.push({ id: await writeChange(tx, campaign, { action: "BUDGET", actor: "GUARDRAIL", budgetFrom: wantedBudget, budgetTo: t.dailyBudgetMinor, reasons, now }), action: "BUDGET" });
    }
    await tx.campaign.update({ where: { id: campaign.id }, data: { lastReasonsJson: JSON.stringify(reasons), lastCheckedAt: new Date(now) } });
  });
  return { campaignId, decision, changes };
}

export interface ChangeInput {
  action: "PAUSE" | "RESUME" | "BUDGET" | "END";
  actor: "GUARDRAIL" | "MERCHANT" | "SCHEDULE";
  toStatus?: "ACTIVE" | "PAUSED" | "ENDED";
  budgetFrom?: number;
  budgetTo?: number;
  reasons: Array<{ code: string; message: string }>;
  now: number;
}

/** A PENDING change, the campaign's wanted status moved with it, and its apply job: in the caller's transaction. */
export async function writeChange(tx: Tx, campaign: { id: string; shopId: string; wantStatus: string; status: string }, c: ChangeInput): Promise<string> {
  const change = await tx.campaignChange.create({
    data: {
      shopId: campaign.shopId,
      campaignId: campaign.id,
      action: c.action,
      actor: c.actor,
      fromStatus: campaign.status,
      toStatus: c.toStatus ?? null,
      budgetFrom: c.budgetFrom ?? null,
      budgetTo: c.budgetTo ?? null,
      reasonsJson: JSON.stringify(c.reasons),
      createdAt: new Date(c.now),
    },
  });
  // A change without reasons (the merchant's own) leaves the last reasons shown as they were.
  if (c.toStatus) await tx.campaign.update({ where: { id: campaign.id }, data: { wantStatus: c.toStatus, ...(c.reasons.length > 0 ? { lastReasonsJson: JSON.stringify(c.reasons) } : {}) } });
  await enqueue(tx, applyChangeJob, { shopId: campaign.shopId, changeId: change.id }, { key: change.id });
  return change.id;
}

/** Every running campaign of one hub, re-checked (the network loaded once). */
export async function checkHubGuardrails(shopId: string, nodeId: string, now = Date.now()): Promise<GuardOutcome[]> {
  const campaigns = await db.campaign.findMany({ where: { shopId, nodeId, ...RUNNING }, select: { id: true }, orderBy: { id: "asc" } });
  if (campaigns.length === 0) return [];
  const shop = await loadShop(shopId);
  const availability = campaignAvailability(await loadNetwork(shop), nodeId, now);
  const out: GuardOutcome[] = [];
  for (const c of campaigns) out.push(await checkCampaignGuardrails(shopId, c.id, now, { availability }));
  return out;
}

export const guardHubJob = defineJob<{ shopId: string; nodeId: string }>({
  name: "campaigns.guard-hub",
  switch: CAMPAIGN_JOB_SWITCH,
  retries: 5,
  backoff: { type: "exponential", delayMs: 15_000, maxMs: 10 * 60_000 },
  timeout: 2 * 60_000,
  concurrency: 2,
  run: async ({ shopId, nodeId }, ctx) => {
    const outcomes = await checkHubGuardrails(shopId, nodeId, ctx.now());
    return { checked: outcomes.length, changes: outcomes.reduce((s, o) => s + o.changes.length, 0) };
  },
});

/** Every 15 minutes: one guard-hub job per hub with a running campaign, in every shop (taken in turn per shop). */
export const guardScheduleJob = defineJob<Record<string, never>>({
  name: "campaigns.guard",
  schedule: GUARD_SCHEDULE,
  switch: CAMPAIGN_JOB_SWITCH,
  retries: 3,
  backoff: { type: "fixed", delayMs: 60_000 },
  timeout: 5 * 60_000,
  run: async () => {
    const hubs = await db.campaign.findMany({ where: RUNNING, select: { shopId: true, nodeId: true }, distinct: ["shopId", "nodeId"] });
    for (const h of hubs) await enqueue(db, guardHubJob, { shopId: h.shopId, nodeId: h.nodeId }, { key: `${h.shopId}:${h.nodeId}` });
    return { hubs: hubs.length };
  },
});

/**
 * In the caller's transaction (a stock level, a routing decision, a permit changed): re-check the
 * running campaigns of these hubs of the shop (null: every hub of the shop with one). Cheap when the
 * shop runs none: one count, no job.
 */
export async function enqueueHubGuards(tx: Tx, shopId: string, nodeIds: readonly string[] | null): Promise<number> {
  const hubs = await tx.campaign.findMany({
    where: { shopId, ...RUNNING, ...(nodeIds ? { nodeId: { in: [...nodeIds] } } : {}) },
    select: { nodeId: true },
    distinct: ["nodeId"],
  });
  for (const h of hubs) await enqueue(tx, guardHubJob, { shopId, nodeId: h.nodeId }, { key: `${shopId}:${h.nodeId}` });
  return hubs.length;
}
