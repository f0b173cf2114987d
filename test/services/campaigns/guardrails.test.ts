// The guardrails acting on a running campaign, on a real database and the real job engine, with the
// sandbox platform (its calls made to fail where a test needs an outage or a refused token):
// - stock drops → a PAUSE change (actor GUARDRAIL, with the reason) PENDING; the campaign still
//   reads ACTIVE until the platform answered, then PAUSED; stock back → RESUME;
// - the platform down → the change is retried with back-off, the campaign stays ACTIVE with the
//   platform's message as lastError ("retrying"), never PAUSED until the platform confirmed;
// - a refused token → the connection reads "reconnect", the change FAILED, the status unchanged;
// - a fifth budget change within an hour is deferred, not sent;
// - stock, routing and permit changes enqueue the hub's re-check in their transaction, and the
//   15-minute schedule enqueues one per hub with a running campaign.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { SandboxAdapter } from "~/services/ads/sandbox.server";
import { AdPlatformError } from "~/services/ads/types";
import { MARKETING_JOB } from "~/services/campaigns/apply.server";
import { checkCampaignGuardrails, enqueueHubGuards, writeChange } from "~/services/campaigns/guardrails.server";
import { campaignDetail, launchCampaign, setCampaignState } from "~/services/campaigns/index.server";
import { jobDefinition } from "~/services/jobs/define.server";
import { defineJob, drainJobs, enqueue, listJobs } from "~/services/jobs/index.server";
import { invalidateQuoteCache } from "~/services/quote-snapshot.server";
import { recordingSleep } from "../../support/clock";
import { makeNode } from "../../support/factories";
import { MONDAY_10AM_NY, seedHub, type SeededHub } from "./plan-hub.fixture";

if (!jobDefinition(MARKETING_JOB)) {
  defineJob({ name: MARKETING_JOB, switch: "insights", retries: 0, backoff: { type: "fixed", delayMs: 1000 }, timeout: 10_000, run: async () => undefined });
}

let seeded: SeededHub;
const { sleep } = recordingSleep();
const drainApply = (ignoreDelay = false, passes?: number) => drainJobs({ names: ["campaigns.apply"], sleep, ignoreDelay, passes });
const NOW = MONDAY_10AM_NY + 30 * 60_000;

async function setStock(units: number) {
  await db.stockLevel.updateMany({ where: { shopId: seeded.shop.id, nodeId: seeded.hub.id }, data: { available: units } });
  invalidateQuoteCache(seeded.shop.id);
}

async function runningCampaign(): Promise<string> {
  const c = await launchCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "SANDBOX" }, MONDAY_10AM_NY);
  await drainApply();
  expect((await campaignDetail(seeded.shop.id, c.id))!.status).toBe("ACTIVE");
  return c.id;
}

beforeAll(async () => {
  seeded = await seedHub(db, "guard-alpha.myshopify.com");
});

afterEach(async () => {
  vi.restoreAllMocks();
  await setStock(40);
  // Each test starts with no campaign running at the hub.
  await db.campaign.updateMany({ where: { shopId: seeded.shop.id }, data: { status: "ENDED", wantStatus: "ENDED" } });
  await drainJobs({ names: ["campaigns.apply"], sleep, ignoreDelay: true });
});

describe("checkCampaignGuardrails", () => {
  it("keeps a healthy campaign running and stores why", async () => {
    const id = await runningCampaign();
    const out = await checkCampaignGuardrails(seeded.shop.id, id, NOW);
    expect(out.decision?.action).toBe("RUN");
    expect(out.changes).toEqual([]);
    const row = await db.campaign.findUniqueOrThrow({ where: { id } });
    expect(row.lastCheckedAt?.getTime()).toBe(NOW);
    expect(JSON.parse(row.lastReasonsJson).length).toBeGreaterThan(0);
  });

  it("keeps running after a day's budget is spent, and pauses once the whole test's budget is", async () => {
    const id = await runningCampaign();
    const c = await db.campaign.findUniqueOrThrow({ where: { id } });
    const plan = JSON.parse(c.planJson) as { budget: { totalMinor: number; dailyMinor: number; days: number } };
    expect(plan.budget.totalMinor).toBe(plan.budget.dailyMinor * plan.budget.days);
    // One day's spend at the daily budget, sales paying for it: the ROAS guardrail has nothing to say.
    await db.campaignDay.create({ data: { shopId: seeded.shop.id, campaignId: id, day: "2025-06-09", spendMinor: c.dailyBudgetMinor, revenueMinor: 20 * c.dailyBudgetMinor, orders: 5 } });
    const oneDay = await checkCampaignGuardrails(seeded.shop.id, id, NOW);
    expect(oneDay.decision?.action).toBe("RUN");
    expect(oneDay.decision?.reasons.map((r) => r.code)).not.toContain("CAMPAIGN_BUDGET_SPENT");
    await db.campaignDay.create({ data: { shopId: seeded.shop.id, campaignId: id, day: "2025-06-08", spendMinor: plan.budget.totalMinor - c.dailyBudgetMinor, revenueMinor: 20 * plan.budget.totalMinor, orders: 90 } });
    const spent = await checkCampaignGuardrails(seeded.shop.id, id, NOW);
    expect(spent.decision?.action).toBe("PAUSE");
    expect(spent.decision?.reasons.map((r) => r.code)).toContain("CAMPAIGN_BUDGET_SPENT");
  });

  it("pauses when the hub's stock drops: PENDING first, PAUSED only after the platform answered; resumes when it is back", async () => {
    const id = await runningCampaign();
    await setStock(0);
    const out = await checkCampaignGuardrails(seeded.shop.id, id, NOW);
    expect(out.decision?.action).toBe("PAUSE");
    expect(out.changes.map((c) => c.action)).toEqual(["PAUSE"]);

    const pending = (await campaignDetail(seeded.shop.id, id))!;
    expect(pending.status).toBe("ACTIVE"); // the platform has not answered yet
    expect(pending.wantStatus).toBe("PAUSED");
    expect(pending.pendingChange).toBe(true);
    expect(pending.changes[0]).toMatchObject({ action: "PAUSE", actor: "GUARDRAIL", state: "PENDING" });
    expect(pending.changes[0].reasons.map((r) => r.code)).toContain("CAMPAIGN_LOW_STOCK");
    expect(pending.lastReasons[0]).toMatchObject({ code: "CAMPAIGN_LOW_STOCK", title: "Low stock", tone: "warning" });
    expect(pending.lastReasons[0].sentence.length).toBeGreaterThan(0);

    // A second check decides the same: nothing new is written.
    expect((await checkCampaignGuardrails(seeded.shop.id, id, NOW + 60_000)).changes).toEqual([]);

    await drainApply();
    const paused = (await campaignDetail(seeded.shop.id, id))!;
    expect(paused.status).toBe("PAUSED");
    expect(paused.changes[0]).toMatchObject({ action: "PAUSE", state: "APPLIED" });

    await setStock(40);
    const back = await checkCampaignGuardrails(seeded.shop.id, id, NOW + 120_000);
    expect(back.changes.map((c) => c.action)).toContain("RESUME");
    await drainApply();
    expect((await campaignDetail(seeded.shop.id, id))!.status).toBe("ACTIVE");
  });

  it("keeps retrying while the platform is down, shows it, and never reports a pause that did not happen", async () => {
    const id = await runningCampaign();
    const pause = vi.spyOn(SandboxAdapter.prototype, "pause").mockRejectedValue(new AdPlatformError("(#17) User request limit reached", "SANDBOX", { retryable: true, code: 17 }));
    await setStock(0);
    await checkCampaignGuardrails(seeded.shop.id, id, NOW);
    await drainApply();
    await drainApply(true, 1); // one more attempt, as the engine's back-off would run it

    const retrying = (await campaignDetail(seeded.shop.id, id))!;
    expect(pause).toHaveBeenCalled();
    expect(retrying.status).toBe("ACTIVE");
    expect(retrying.wantStatus).toBe("PAUSED");
    expect(retrying.lastError).toMatch(/^retrying \(attempt 2\): .*User request limit reached/);
    expect(retrying.changes[0]).toMatchObject({ action: "PAUSE", state: "PENDING", attempts: 2 });
    const job = (await listJobs({ name: "campaigns.apply", shopId: seeded.shop.id, states: ["retrying"] }))[0];
    expect(job?.payload).toEqual({ shopId: seeded.shop.id, changeId: retrying.changes[0].id });

    // The platform is back: the next attempt pauses it.
    pause.mockRestore();
    await drainApply(true);
    const paused = (await campaignDetail(seeded.shop.id, id))!;
    expect(paused.status).toBe("PAUSED");
    expect(paused.lastError).toBeNull();
    expect(paused.changes[0]).toMatchObject({ state: "APPLIED", attempts: 3 });
  });

  it("a refused token marks the connection for reconnecting and keeps the confirmed status", async () => {
    const id = await runningCampaign();
    vi.spyOn(SandboxAdapter.prototype, "pause").mockRejectedValue(new AdPlatformError("Error validating access token: the session was invalidated", "SANDBOX", { retryable: false, reauth: true, code: 190 }));
    await setStock(0);
    await checkCampaignGuardrails(seeded.shop.id, id, NOW);
    await drainApply();
    const detail = (await campaignDetail(seeded.shop.id, id))!;
    expect(detail.status).toBe("ACTIVE");
    expect(detail.changes[0]).toMatchObject({ state: "FAILED" });
    expect(detail.lastError).toMatch(/^reconnect SANDBOX/);
    const conn = await db.adConnection.findUniqueOrThrow({ where: { shopId_platform: { shopId: seeded.shop.id, platform: "SANDBOX" } } });
    expect(conn.status).toBe("RECONNECT");
    await db.adConnection.update({ where: { id: conn.id }, data: { status: "CONNECTED", statusMessage: null } });

    // Reconnected: the next check tries the pause again, and the platform confirms it.
    const again = await checkCampaignGuardrails(seeded.shop.id, id, NOW + 60_000);
    expect(again.changes.map((c) => c.action)).toEqual(["PAUSE"]);
    vi.restoreAllMocks();
    await drainApply();
    expect((await campaignDetail(seeded.shop.id, id))!.status).toBe("PAUSED");
  });

  it("defers a fifth budget change within an hour instead of sending it", async () => {
    const id = await runningCampaign();
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id } });
    const now = Date.now();
    for (let i = 0; i < 4; i++) {
      await db.campaignChange.create({
        data: { shopId: seeded.shop.id, campaignId: id, action: "BUDGET", actor: "GUARDRAIL", budgetFrom: 1000, budgetTo: 900 + i, state: "APPLIED", attempts: 1, createdAt: new Date(now - (40 - i) * 60_000), appliedAt: new Date(now - (40 - i) * 60_000) },
      });
    }
    const update = vi.spyOn(SandboxAdapter.prototype, "updateBudget");
    const changeId = await db.$transaction((tx) => writeChange(tx, campaign, { action: "BUDGET", actor: "GUARDRAIL", budgetFrom: campaign.dailyBudgetMinor, budgetTo: campaign.dailyBudgetMinor - 100, reasons: [], now }));
    await drainApply();
    expect(update).not.toHaveBeenCalled();
    const change = await db.campaignChange.findUniqueOrThrow({ where: { id: changeId } });
    expect(change.state).toBe("PENDING");
    expect(change.error).toMatch(/deferred: 4 budget changes in the last hour/);
    // It waits for the hour to free up: a job is due later, not now.
    const waiting = await listJobs({ name: "campaigns.apply", shopId: seeded.shop.id, states: ["waiting"] });
    const deferred = waiting.find((j) => j.payload.changeId === changeId);
    expect(deferred?.runAt?.getTime()).toBeGreaterThan(Date.now() + 15 * 60_000);
    expect((await db.campaign.findUniqueOrThrow({ where: { id } })).dailyBudgetMinor).toBe(campaign.dailyBudgetMinor);
  });

  it("never resumes a campaign the merchant paused", async () => {
    const id = await runningCampaign();
    const paused = await setCampaignState(seeded.shop.id, id, "PAUSE", NOW);
    expect(paused.wantStatus).toBe("PAUSED");
    expect(paused.status).toBe("ACTIVE");
    expect(paused.changes[0]).toMatchObject({ action: "PAUSE", actor: "MERCHANT", state: "PENDING" });
    await drainApply();
    const out = await checkCampaignGuardrails(seeded.shop.id, id, NOW + 60_000);
    expect(out.decision?.action).toBe("RUN");
    expect(out.changes).toEqual([]);
    expect((await campaignDetail(seeded.shop.id, id))!.status).toBe("PAUSED");
  });
});

describe("re-checks enqueued by changes and by the schedule", () => {
  it("enqueues the hub's re-check in the caller's transaction only for hubs with a running campaign", async () => {
    await runningCampaign();
    const quiet = await makeNode(db, seeded.shop.id, { name: "Quiet hub" });
    const n = await db.$transaction((tx) => enqueueHubGuards(tx, seeded.shop.id, [seeded.hub.id, quiet.id]));
    expect(n).toBe(1);
    const jobs = await listJobs({ name: "campaigns.guard-hub", shopId: seeded.shop.id });
    expect(jobs.map((j) => j.payload)).toContainEqual({ shopId: seeded.shop.id, nodeId: seeded.hub.id });
    expect(jobs.map((j) => j.payload)).not.toContainEqual({ shopId: seeded.shop.id, nodeId: quiet.id });
  });

  it("the 15-minute schedule enqueues one re-check per hub with a running campaign", async () => {
    await runningCampaign();
    await drainJobs({ names: ["campaigns.guard-hub"], sleep });
    await enqueue(db, "campaigns.guard", {});
    await drainJobs({ names: ["campaigns.guard"], sleep });
    const waiting = await listJobs({ name: "campaigns.guard-hub", shopId: seeded.shop.id, states: ["waiting"] });
    expect(waiting.map((j) => j.payload)).toEqual([{ shopId: seeded.shop.id, nodeId: seeded.hub.id }]);
  });
});

describe("the end of the campaign", () => {
  it("ends it after its last day (actor SCHEDULE), and the platform stops it", async () => {
    const id = await runningCampaign();
    const row = await db.campaign.findUniqueOrThrow({ where: { id } });
    const afterEnd = Date.parse(`${row.endsOn}T12:00:00-05:00`) + 86_400_000;
    const out = await checkCampaignGuardrails(seeded.shop.id, id, afterEnd);
    expect(out.changes.map((c) => c.action)).toEqual(["END"]);
    const pause = vi.spyOn(SandboxAdapter.prototype, "pause");
    await drainApply();
    expect(pause).toHaveBeenCalledTimes(1);
    const ended = (await campaignDetail(seeded.shop.id, id))!;
    expect(ended).toMatchObject({ status: "ENDED", wantStatus: "ENDED" });
    expect(ended.changes[0]).toMatchObject({ action: "END", actor: "SCHEDULE", state: "APPLIED" });
    // Nothing more is checked or changed once it has ended.
    expect((await checkCampaignGuardrails(seeded.shop.id, id, afterEnd + 60_000)).changes).toEqual([]);
  });
});
