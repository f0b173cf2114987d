// A hub campaign as a Shopify marketing activity (issue 15, item 4), on both databases: the
// campaigns.marketing job run as a worker runs it (drainJobs), Shopify's Admin API answered by the
// suite's fake (marketingActivityUpsertExternal checked against its documented input, holding the
// activity by remoteId and refusing a UTM that changes, as Shopify does).
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import { syncMarketingActivity } from "~/services/campaigns/marketing.server";
import { drainJobs, enqueue } from "~/services/jobs/index.server";
import "~/services/jobs/all.server";
import { makeCampaign } from "../../support/campaign-rows";
import { useFakeAdminApi } from "../../support/fake-admin-api";
import { makeNode, makeSession, makeShop } from "../../support/factories";
import { TEST_SHOPIFY } from "../../support/shopify";

const shopify = useFakeAdminApi();
const UPSERT = "NearhubMarketingActivityUpsert";

let n = 0;
let shop: { id: string; domain: string };
let hubId: string;

beforeEach(async () => {
  n++;
  shop = await makeShop(db, `marketing-${n}.myshopify.com`);
  await makeSession(db, shop.domain);
  hubId = (await makeNode(db, shop.id, { handle: `nyc-bk-hub-${n}` })).id;
});

const runJob = async (campaignId: string, shopId = shop.id) => {
  await enqueue(db, "campaigns.marketing", { shopId, campaignId }, { key: campaignId });
  return drainJobs({ names: ["campaigns.marketing"] });
};

describe("the campaigns.marketing job", () => {
  it("upserts the activity with remoteId = the campaign, its status, tactic, channel, daily budget and UTM, and stores Shopify's id", async () => {
    const c = await makeCampaign(db, shop.id, hubId, { name: "Williamsburg same-day mugs", dailyBudgetMinor: 1250 });
    expect(await runJob(c.id)).toMatchObject({ completed: 1, failed: 0 });

    const calls = shopify.callsOf(UPSERT);
    expect(calls).toHaveLength(1);
    expect(calls[0].shop).toBe(shop.domain);
    expect(calls[0].variables).toEqual({
      input: {
        remoteId: c.id,
        remoteUrl: `${TEST_SHOPIFY.appUrl}/app/campaigns/${c.id}`,
        title: "Williamsburg same-day mugs",
        status: "ACTIVE",
        tactic: "AD",
        marketingChannelType: "SOCIAL",
        budget: { budgetType: "DAILY", total: { amount: "12.50", currencyCode: "USD" } },
        utm: { campaign: c.utmCampaign, source: "sandbox", medium: "paid_social" },
        start: "2026-11-10T14:00:00.000Z",
      },
    });
    const activity = shopify.shop(shop.domain).marketingActivities.get(c.id)!;
    expect(activity).toBeDefined();
    expect((await db.campaign.findUniqueOrThrow({ where: { id: c.id } })).shopifyActivityId).toBe(activity.id);
  });

  it("sends the same UTM on every later upsert (a pause, a shrunk budget, the end): Shopify keeps one activity and never sees its UTM change", async () => {
    const c = await makeCampaign(db, shop.id, hubId);
    await runJob(c.id);
    await db.campaign.update({ where: { id: c.id }, data: { status: "PAUSED", dailyBudgetMinor: 900 } });
    await runJob(c.id);
    await db.campaign.update({ where: { id: c.id }, data: { status: "ENDED" } });
    await runJob(c.id);

    const inputs = shopify.callsOf(UPSERT).map((call) => call.variables.input);
    expect(inputs.map((i) => i.status)).toEqual(["ACTIVE", "PAUSED", "INACTIVE"]);
    expect(inputs.map((i) => i.budget.total.amount)).toEqual(["15.00", "9.00", "9.00"]);
    expect(new Set(inputs.map((i) => JSON.stringify(i.utm))).size).toBe(1);
    expect(inputs.every((i) => i.remoteId === c.id)).toBe(true);
    const activities = shopify.shop(shop.domain).marketingActivities;
    expect(activities.size).toBe(1);
    expect(activities.get(c.id)!.input.status).toBe("INACTIVE");
    // The first id Shopify gave stays the campaign's.
    const ids = new Set([(await db.campaign.findUniqueOrThrow({ where: { id: c.id } })).shopifyActivityId]);
    expect(ids).toEqual(new Set([activities.get(c.id)!.id]));
  });

  it("a Google campaign is a SEARCH activity with the plan's UTM source and medium", async () => {
    const c = await makeCampaign(db, shop.id, hubId, { platform: "GOOGLE", utmCampaign: "nyc-bk-hub-g1", planJson: JSON.stringify({ utm: { campaign: "nyc-bk-hub-g1", source: "google", medium: "cpc" } }) });
    await runJob(c.id);
    expect(shopify.callsOf(UPSERT)[0].variables.input).toMatchObject({ marketingChannelType: "SEARCH", utm: { campaign: "nyc-bk-hub-g1", source: "google", medium: "cpc" } });
  });

  it("keeps Shopify's refusal (userErrors) in its words, stores no activity id and does not retry", async () => {
    const c = await makeCampaign(db, shop.id, hubId);
    shopify.next(UPSERT, { userErrors: [{ field: ["input", "budget", "total", "currencyCode"], message: "All currency codes provided in the input need to match.", code: "CURRENCY_CODE_MISMATCH_INPUT" }] });
    const outcome = await syncMarketingActivity(shop.id, c.id);
    expect(outcome).toEqual({ outcome: "REFUSED", message: expect.stringContaining("All currency codes provided in the input need to match.") });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: c.id } })).shopifyActivityId).toBeNull();
  });

  it("throws on throttling past the call's patience, so the job engine retries it", async () => {
    const c = await makeCampaign(db, shop.id, hubId);
    shopify.next(UPSERT, "throttled", "throttled");
    await expect(syncMarketingActivity(shop.id, c.id, { call: { maxAttempts: 2, sleep: async () => {} } })).rejects.toThrow(/Throttled|throttled/);
    expect(shopify.shop(shop.domain).marketingActivities.size).toBe(0);
  });

  it("skips a draft (nothing launched yet) and the demo shop (no store), calling Shopify for neither", async () => {
    const draft = await makeCampaign(db, shop.id, hubId, { status: "DRAFT" });
    expect(await syncMarketingActivity(shop.id, draft.id)).toEqual({ outcome: "SKIPPED", why: "draft" });

    const demo = await db.shop.upsert({ where: { domain: DEMO_SHOP_DOMAIN }, create: { domain: DEMO_SHOP_DOMAIN, name: "Nearhub Demo Market" }, update: {} });
    const demoHub = await makeNode(db, demo.id, { handle: `demo-hub-${n}` });
    const c = await makeCampaign(db, demo.id, demoHub.id);
    expect(await runJob(c.id, demo.id)).toMatchObject({ completed: 1, failed: 0 });
    expect(await syncMarketingActivity(demo.id, c.id)).toEqual({ outcome: "SKIPPED", why: "demo" });
    expect(shopify.callsOf(UPSERT)).toEqual([]);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: c.id } })).shopifyActivityId).toBeNull();
  });

  it("never reads or writes another shop's campaign", async () => {
    const other = await makeShop(db, `marketing-other-${n}.myshopify.com`);
    const otherHub = await makeNode(db, other.id, { handle: `other-hub-${n}` });
    const theirs = await makeCampaign(db, other.id, otherHub.id);
    expect(await syncMarketingActivity(shop.id, theirs.id)).toEqual({ outcome: "SKIPPED", why: "no such campaign" });
    expect(shopify.callsOf(UPSERT)).toEqual([]);
  });
});
