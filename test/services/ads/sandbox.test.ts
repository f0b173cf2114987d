// The sandbox platform: Meta's request shapes, nothing sent, and insights that are the same for the
// same campaign and day in every process, with no figures for a day the campaign was paused all day
// (read from Nearhub's own APPLIED changes, scoped by shop) and about half for a day paused half.
import { beforeEach, describe, expect, it } from "vitest";
import { adapterFor, draftRequests } from "~/services/ads/index.server";
import { SANDBOX_URL, SandboxAdapter, sandboxUnit } from "~/services/ads/sandbox.server";
import type { AdAccount, AdCampaignSpec } from "~/services/ads/types";
import { resetDb, testDb } from "../../support/db";
import { makeNode, makeShop } from "../../support/factories";

const db = testDb();
beforeEach(() => resetDb());

const NOW = Date.parse("2026-12-04T18:00:00Z");
const SPEC: AdCampaignSpec = {
  name: "Williamsburg hub · same-day",
  latitude: 40.7145,
  longitude: -73.9566,
  radiusM: 4200,
  dailyBudgetMinor: 1000,
  startTime: "2026-11-13T14:00:00.000Z",
  endTime: "2026-12-04T04:59:59.000Z",
  landingUrl: "https://shop.example/?utm_campaign=nh-wbg-1",
  status: "ACTIVE",
};

async function launched(shopId: string, remoteCampaignId: string) {
  const node = await makeNode(db, shopId);
  return db.campaign.create({
    data: {
      shopId,
      nodeId: node.id,
      platform: "SANDBOX",
      name: SPEC.name,
      status: "ACTIVE",
      currency: "USD",
      dailyBudgetMinor: 1000,
      plannedBudgetMinor: 1000,
      startsOn: "2026-11-13",
      endsOn: "2026-12-03",
      centerLat: SPEC.latitude,
      centerLng: SPEC.longitude,
      radiusM: SPEC.radiusM,
      planJson: "{}",
      utmCampaign: `nh-${remoteCampaignId}`,
      remoteCampaignId,
      remoteAdSetId: `${remoteCampaignId}-adset`,
      changes: {
        create: [{ shopId, action: "LAUNCH", actor: "MERCHANT", toStatus: "ACTIVE", state: "APPLIED", appliedAt: new Date("2026-11-13T05:00:00Z") }],
      },
    },
  });
}

describe("sandbox shapes", () => {
  it("answers Meta-shaped requests it 'sent' and checks the radius and the minimum like a platform", async () => {
    const sandbox = adapterFor("SANDBOX");
    const account: AdAccount = { platform: "SANDBOX", accountId: "sandbox-1", currency: "USD", accessToken: "sandbox" };
    const remote = await sandbox.create(account, SPEC);
    expect(remote.requests.map((r) => r.url)).toEqual([`${SANDBOX_URL}/v26.0/act_sandbox-1/campaigns`, `${SANDBOX_URL}/v26.0/act_sandbox-1/adsets`]);
    expect(remote.requests[0].body).toMatchObject({ special_ad_categories: [] });
    expect(remote.requests[1].body).toMatchObject({
      campaign_id: remote.campaignId,
      daily_budget: 1000,
      targeting: { geo_locations: { custom_locations: [{ latitude: 40.7145, longitude: -73.9566, radius: 4.2, distance_unit: "kilometer" }] }, targeting_automation: { advantage_audience: 0 } },
    });
    expect(await sandbox.minimumDailyBudget(account)).toBe(100);
    expect(await sandbox.minimumDailyBudget({ ...account, currency: "JPY" })).toBe(100);
    await expect(sandbox.create(account, { ...SPEC, dailyBudgetMinor: 99 })).rejects.toMatchObject({ opts: { field: "dailyBudgetMinor", minimumDailyBudgetMinor: 100 } });
    await expect(sandbox.create(account, { ...SPEC, radiusM: 100_000 })).rejects.toMatchObject({ opts: { field: "radiusM" } });
    expect(await sandbox.pause(account, remote)).toEqual([{ method: "POST", url: `${SANDBOX_URL}/v26.0/${remote.adSetId}`, body: { status: "PAUSED" } }]);
    expect((await sandbox.preview(account, SPEC))[0].body).toMatchObject({ execution_options: ["validate_only"] });
  });
});

describe("sandbox insights", () => {
  it("are the same figures from any instance, within the budget, and differ between campaigns", async () => {
    const shop = await makeShop(db);
    await launched(shop.id, "sbx-cmp-a");
    await launched(shop.id, "sbx-cmp-b");
    const account: AdAccount = { platform: "SANDBOX", accountId: "sandbox-1", currency: "USD", accessToken: "sandbox", timezone: "America/New_York", shopId: shop.id };
    const ref = { campaignId: "sbx-cmp-a", adSetId: "sbx-cmp-a-adset", budgetId: null };
    const one = await new SandboxAdapter({ now: () => NOW }).insights(account, ref, "2026-11-13", "2026-11-19");
    const two = await new SandboxAdapter({ now: () => NOW }).insights(account, ref, "2026-11-13", "2026-11-19");
    expect(two).toEqual(one);
    expect(one.map((d) => d.day)).toEqual(["2026-11-13", "2026-11-14", "2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"]);
    for (const d of one) {
      expect(d.spendMinor).toBeGreaterThan(0);
      expect(d.spendMinor).toBeLessThanOrEqual(1000);
      expect(d.clicks).toBeLessThanOrEqual(d.impressions);
      expect(Number.isInteger(d.revenueMinor)).toBe(true);
    }
    // The figures follow the seed (campaign, day), not the order asked.
    const single = await new SandboxAdapter({ now: () => NOW }).insights(account, ref, "2026-11-16", "2026-11-16");
    expect(single).toEqual([one[3]]);
    const other = await new SandboxAdapter({ now: () => NOW }).insights(account, { ...ref, campaignId: "sbx-cmp-b" }, "2026-11-13", "2026-11-19");
    expect(other.map((d) => d.spendMinor)).not.toEqual(one.map((d) => d.spendMinor));
    expect(sandboxUnit("sbx-cmp-a", "2026-11-16", "spend")).toBe(sandboxUnit("sbx-cmp-a", "2026-11-16", "spend"));
    // Outside the campaign's dates: nothing.
    expect(await new SandboxAdapter({ now: () => NOW }).insights(account, ref, "2026-12-04", "2026-12-06")).toEqual([]);
  });

  it("has no figures for a day paused all day, and less spend for a day paused half of it", async () => {
    const shop = await makeShop(db);
    const campaign = await launched(shop.id, "sbx-cmp-p");
    const account: AdAccount = { platform: "SANDBOX", accountId: "sandbox-1", currency: "USD", accessToken: "sandbox", timezone: "America/New_York", shopId: shop.id };
    const ref = { campaignId: "sbx-cmp-p", adSetId: "x", budgetId: null };
    const before = await new SandboxAdapter({ now: () => NOW }).insights(account, ref, "2026-11-20", "2026-11-22");
    expect(before).toHaveLength(3);
    // Paused from 00:00 New York on the 21st to 12:00 on the 22nd; a pending (not applied) resume changes nothing.
    await db.campaignChange.createMany({
      data: [
        { shopId: shop.id, campaignId: campaign.id, action: "PAUSE", actor: "GUARDRAIL", toStatus: "PAUSED", state: "APPLIED", appliedAt: new Date("2026-11-21T05:00:00Z") },
        { shopId: shop.id, campaignId: campaign.id, action: "RESUME", actor: "GUARDRAIL", toStatus: "ACTIVE", state: "APPLIED", appliedAt: new Date("2026-11-22T17:00:00Z") },
        { shopId: shop.id, campaignId: campaign.id, action: "PAUSE", actor: "GUARDRAIL", toStatus: "PAUSED", state: "PENDING", createdAt: new Date("2026-11-20T06:00:00Z") },
      ],
    });
    const after = await new SandboxAdapter({ now: () => NOW }).insights(account, ref, "2026-11-20", "2026-11-22");
    expect(after.map((d) => d.day)).toEqual(["2026-11-20", "2026-11-22"]);
    expect(after[0]).toEqual(before[0]);
    expect(Math.abs(after[1].spendMinor - before[2].spendMinor / 2)).toBeLessThanOrEqual(1);
    // Another shop's account does not read this shop's rows: it falls back to a campaign running every day.
    const stranger = await makeShop(db);
    const foreign = await new SandboxAdapter({ now: () => NOW }).insights({ ...account, shopId: stranger.id }, ref, "2026-11-20", "2026-11-22");
    expect(foreign.map((d) => d.day)).toEqual(["2026-11-20", "2026-11-21", "2026-11-22"]);
  });
});

describe("draft requests", () => {
  it("builds each platform's create requests without a network call", () => {
    const meta = draftRequests("META", { platform: "META", accountId: "act_1", currency: "USD", accessToken: "t" }, SPEC);
    expect(meta.map((r) => r.url)).toEqual(["https://graph.facebook.com/v26.0/act_1/campaigns", "https://graph.facebook.com/v26.0/act_1/adsets"]);
    expect(meta[1].body).toMatchObject({ campaign_id: "{campaign_id}", daily_budget: 1000 });
    const google = draftRequests("GOOGLE", { platform: "GOOGLE", accountId: "1234567890", currency: "JPY", accessToken: "t" }, { ...SPEC, dailyBudgetMinor: 1500 });
    expect(google[0].body).toMatchObject({ operations: [{ create: { amountMicros: "1500000000", explicitlyShared: false } }] });
    expect(google[1].body).toMatchObject({ operations: [{ create: { campaignBudget: "{budget}" } }] });
    expect(draftRequests("SANDBOX", { platform: "SANDBOX", accountId: "sandbox-1", currency: "USD", accessToken: "sandbox" }, SPEC)[0].url).toBe(`${SANDBOX_URL}/v26.0/act_sandbox-1/campaigns`);
    expect(() => draftRequests("META", { platform: "META", accountId: "act_1", currency: "USD", accessToken: "t" }, { ...SPEC, radiusM: 300 })).toThrow(/1–80 km/);
  });
});
