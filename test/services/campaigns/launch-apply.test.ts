// Launching a campaign and applying it on the sandbox platform, on a real database and the real job
// engine: the launch writes the campaign (DRAFT, its UTM minted once), its LAUNCH change PENDING and
// the apply job in one transaction; the job creates it on the platform once (a second run, or the
// change applied again, creates nothing more), marks it APPLIED, the campaign ACTIVE with its remote
// ids, and enqueues the Shopify marketing activity update. Bad input is refused naming the field.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { SandboxAdapter } from "~/services/ads/sandbox.server";
import { applyChange, campaignDetail, CampaignInputError, launchCampaign, listCampaigns } from "~/services/campaigns/index.server";
import { MARKETING_JOB } from "~/services/campaigns/apply.server";
import { jobDefinition } from "~/services/jobs/define.server";
import { defineJob, drainJobs, listJobs } from "~/services/jobs/index.server";
import { recordingSleep } from "../../support/clock";
import { MONDAY_10AM_NY, seedHub, type SeededHub } from "./plan-hub.fixture";

// The marketing activity job belongs to another part of the feature; a stand-in records the calls when it is absent.
const marketingCalls: unknown[] = [];
if (!jobDefinition(MARKETING_JOB)) {
  defineJob<{ shopId: string; campaignId: string }>({
    name: MARKETING_JOB,
    switch: "insights",
    retries: 0,
    backoff: { type: "fixed", delayMs: 1000 },
    timeout: 10_000,
    run: async (p) => void marketingCalls.push(p),
  });
}

let seeded: SeededHub;
const { sleep } = recordingSleep();
const drainApply = () => drainJobs({ names: ["campaigns.apply"], sleep });

beforeAll(async () => {
  seeded = await seedHub(db, "launch-alpha.myshopify.com");
});

afterEach(() => vi.restoreAllMocks());

async function inputError(p: Promise<unknown>): Promise<CampaignInputError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CampaignInputError);
  return error as CampaignInputError;
}

describe("launchCampaign → campaigns.apply on the sandbox", () => {
  it("launches pending, then ACTIVE once the platform answered, creating it once", async () => {
    const create = vi.spyOn(SandboxAdapter.prototype, "create");
    const launched = await launchCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "SANDBOX" }, MONDAY_10AM_NY);
    expect(launched.status).toBe("DRAFT");
    expect(launched.wantStatus).toBe("ACTIVE");
    expect(launched.pendingChange).toBe(true);
    expect(launched.changes).toHaveLength(1);
    expect(launched.changes[0]).toMatchObject({ action: "LAUNCH", actor: "MERCHANT", state: "PENDING" });
    expect(launched.utmCampaign).toBe(launched.plan.utm.campaign);
    expect(launched.skus.map((s) => s.sku).sort()).toEqual([seeded.products[0].sku, seeded.products[1].sku].sort());
    expect(create).not.toHaveBeenCalled();
    const jobs = await listJobs({ name: "campaigns.apply", shopId: seeded.shop.id });
    expect(jobs.map((j) => j.payload)).toContainEqual({ shopId: seeded.shop.id, changeId: launched.changes[0].id });

    await drainApply();
    const active = (await campaignDetail(seeded.shop.id, launched.id))!;
    expect(active.status).toBe("ACTIVE");
    expect(active.pendingChange).toBe(false);
    expect(active.changes[0]).toMatchObject({ action: "LAUNCH", state: "APPLIED", attempts: 1 });
    expect(active.utmCampaign).toBe(launched.utmCampaign); // never changes
    const row = await db.campaign.findUniqueOrThrow({ where: { id: launched.id } });
    expect(row.remoteCampaignId).toBeTruthy();
    expect(row.remoteAdSetId).toBeTruthy();
    expect(create).toHaveBeenCalledTimes(1);

    // The marketing activity is updated after the applied change.
    const marketing = await listJobs({ name: MARKETING_JOB, shopId: seeded.shop.id });
    expect(marketing.map((j) => j.payload)).toContainEqual({ shopId: seeded.shop.id, campaignId: launched.id });

    // Applying again, or a LAUNCH change that finds remote ids, creates nothing more.
    expect(await applyChange(seeded.shop.id, launched.changes[0].id)).toMatchObject({ outcome: "already-applied" });
    await db.campaignChange.update({ where: { id: launched.changes[0].id }, data: { state: "PENDING" } });
    expect(await applyChange(seeded.shop.id, launched.changes[0].id)).toMatchObject({ outcome: "applied" });
    expect(create).toHaveBeenCalledTimes(1);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: launched.id } })).remoteCampaignId).toBe(row.remoteCampaignId);

    const list = await listCampaigns(seeded.shop.id);
    expect(list.find((c) => c.id === launched.id)).toMatchObject({ status: "ACTIVE", hubName: seeded.hub.name });
  });

  it("mints a new UTM for every campaign", async () => {
    const a = await launchCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "SANDBOX" }, MONDAY_10AM_NY);
    const b = await launchCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "SANDBOX" }, MONDAY_10AM_NY);
    expect(a.utmCampaign).not.toBe(b.utmCampaign);
    await drainApply();
  });

  it("a launch the platform refuses leaves the campaign FAILED with the platform's words", async () => {
    const { AdPlatformError } = await import("~/services/ads/types");
    vi.spyOn(SandboxAdapter.prototype, "create").mockRejectedValue(new AdPlatformError("(#100) Invalid parameter: custom_locations", "SANDBOX", { retryable: false, code: 100 }));
    const launched = await launchCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "SANDBOX" }, MONDAY_10AM_NY);
    await drainApply();
    const failed = (await campaignDetail(seeded.shop.id, launched.id))!;
    expect(failed.status).toBe("FAILED");
    expect(failed.lastError).toContain("Invalid parameter");
    expect(failed.changes[0]).toMatchObject({ state: "FAILED" });
  });

  it.each([
    ["a budget under the account's minimum", { dailyBudgetMinor: 1 }, "dailyBudgetMinor"],
    ["an unknown SKU", { skus: ["NO-SUCH-SKU"] }, "skus"],
    ["an unknown hub", { nodeId: "nope" }, "nodeId"],
    ["a radius outside the platform's limits", { radiusM: 90_000 }, "radiusM"],
    ["a platform that is not connected", { platform: "META" }, "platform"],
  ])("refuses %s, naming the field, and writes nothing", async (_what, over, field) => {
    const before = await db.campaign.count({ where: { shopId: seeded.shop.id } });
    const error = await inputError(launchCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "SANDBOX", ...over }, MONDAY_10AM_NY));
    expect(error.field).toBe(field);
    expect(error.status).toBe(400);
    expect(await db.campaign.count({ where: { shopId: seeded.shop.id } })).toBe(before);
  });

  it("refuses a plan the hub may not run now with its reasons", async () => {
    await db.node.update({ where: { id: seeded.hub.id }, data: { status: "DISABLED" } });
    const { invalidateQuoteCache } = await import("~/services/quote-snapshot.server");
    invalidateQuoteCache(seeded.shop.id);
    try {
      const error = await inputError(launchCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "SANDBOX" }, MONDAY_10AM_NY));
      expect(error.field).toBe("nodeId");
      expect((error as unknown as { reasons: Array<{ code: string }> }).reasons.map((r) => r.code)).toContain("CAMPAIGN_HUB_UNAVAILABLE");
    } finally {
      await db.node.update({ where: { id: seeded.hub.id }, data: { status: "ACTIVE" } });
      invalidateQuoteCache(seeded.shop.id);
    }
  });
});

void marketingCalls;
