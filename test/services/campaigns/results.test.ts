// A campaign's results per day (issue 15, items 4 and 5), on both databases: the platform's daily
// figures (an insights source following AdDayInsight, as the adapters answer) set onto CampaignDay,
// the shop's orders attributed with their landed cost, and one marketingEngagementCreate per finished
// day through the suite's fake Admin API (checked against MarketingEngagementInput), never twice.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import type { AdDayInsight, RemoteRef } from "~/services/ads/types";
import { AdPlatformError } from "~/services/ads/types";
import { connectSandbox } from "~/services/ads/connections.server";
import { syncMarketingActivity } from "~/services/campaigns/marketing.server";
import { refreshResults, utcOffsetOf, type InsightsSource } from "~/services/campaigns/results.server";
import { drainJobs, enqueue } from "~/services/jobs/index.server";
import "~/services/jobs/all.server";
import { makeCampaign } from "../../support/campaign-rows";
import { useFakeAdminApi } from "../../support/fake-admin-api";
import { makeNode, makeOrder, makeProduct, makeSession, makeShop } from "../../support/factories";

const shopify = useFakeAdminApi();
const ENGAGEMENT = "NearhubMarketingEngagementCreate";
// 2026-11-13 10:00 in New York: the 10th, 11th and 12th are over, the 13th is not.
const NOW = Date.parse("2026-11-13T15:00:00Z");

let n = 0;
let shop: { id: string; domain: string };
let hubId: string;
let productId: string;

beforeEach(async () => {
  n++;
  shop = await makeShop(db, `results-${n}.myshopify.com`);
  await makeSession(db, shop.domain);
  hubId = (await makeNode(db, shop.id, { handle: `nyc-bk-hub-${n}`, handlingCostMinor: 260, pickupCostMinor: 120 })).id;
  productId = (await makeProduct(db, shop.id, { returnRateBps: 1000 })).id;
});

/** An ad platform's daily figures, as the adapters give them; records what it was asked. */
function platform(days: AdDayInsight[]) {
  const asked: { platform: string; ref: RemoteRef; since: string; until: string }[] = [];
  const source: InsightsSource & { days: AdDayInsight[] } = {
    days,
    async insights(_shopId, p, ref, since, until) {
      asked.push({ platform: p, ref, since, until });
      return source.days.filter((d) => d.day >= since && d.day <= until);
    },
  };
  return { source, asked };
}

const day = (d: string, spendMinor: number, impressions: number, clicks: number): AdDayInsight => ({ day: d, spendMinor, impressions, clicks, orders: 0, revenueMinor: 0 });
const rows = (campaignId: string) => db.campaignDay.findMany({ where: { campaignId }, orderBy: { day: "asc" } });

describe("refreshResults", () => {
  it("sets each day's platform figures, its attributed orders with their landed cost, and sends one engagement per finished day", async () => {
    const c = await makeCampaign(db, shop.id, hubId);
    await syncMarketingActivity(shop.id, c.id);
    const { source, asked } = platform([day("2026-11-10", 1420, 5100, 61), day("2026-11-11", 1495, 5600, 70), day("2026-11-12", 1380, 4900, 58), day("2026-11-13", 300, 800, 9)]);
    // One order decided by the routing engine (its landed cost stored), one not (the hub's figures), one of another campaign's day.
    const decided = await makeOrder(db, shop.id, productId, { shopifyOrderId: "gid://shopify/Order/777001", placedAt: new Date("2026-11-11T16:00:00Z"), totalMinor: 4200, utmCampaign: c.utmCampaign });
    await db.routingDecision.create({ data: { shopId: shop.id, orderGid: "gid://shopify/Order/777001", source: "WEBHOOK", mode: "AUTO", status: "MOVED", currency: "USD", landedMinor: 910, alternativesJson: "{}", reasonsJson: "{}" } });
    await makeOrder(db, shop.id, productId, { placedAt: new Date("2026-11-12T03:30:00Z"), totalMinor: 3500, discountCodes: "NOPE", landingPage: `/?utm_campaign=${c.utmCampaign}` });
    await makeOrder(db, shop.id, productId, { placedAt: new Date("2026-11-12T20:00:00Z"), totalMinor: 6000, utmCampaign: "not-ours" });

    const r = await refreshResults(shop.id, { now: NOW, insights: source });
    expect(asked).toEqual([{ platform: "SANDBOX", ref: { campaignId: c.remoteCampaignId, adSetId: c.remoteAdSetId, budgetId: null }, since: "2026-11-10", until: "2026-11-13" }]);
    expect(r).toMatchObject({ attributed: 2, retryable: [], campaigns: [{ campaignId: c.id, pulledDays: 4, engagementsSent: 3, pullError: null }] });
    expect((await db.order.findUniqueOrThrow({ where: { id: decided.id } })).campaignId).toBe(c.id);

    // The undecided order: the hub's handling + pickup (380) and 10% of it for the expected return.
    expect((await rows(c.id)).map((d) => [d.day, d.spendMinor, d.impressions, d.clicks, d.orders, d.revenueMinor, d.landedCostMinor, d.engagementSentAt !== null])).toEqual([
      ["2026-11-10", 1420, 5100, 61, 0, 0, 0, true],
      ["2026-11-11", 1495, 5600, 70, 2, 4200 + 3500, 910 + 418, true], // 03:30 UTC on the 12th is the 11th in New York
      ["2026-11-12", 1380, 4900, 58, 0, 0, 0, true],
      ["2026-11-13", 300, 800, 9, 0, 0, 0, false],
    ]);

    const sent = shopify.callsOf(ENGAGEMENT);
    expect(sent.map((call) => call.variables.marketingEngagement.occurredOn)).toEqual(["2026-11-10", "2026-11-11", "2026-11-12"]);
    expect(sent[1].variables).toEqual({
      remoteId: c.id,
      marketingEngagement: {
        occurredOn: "2026-11-11",
        utcOffset: "-05:00",
        isCumulative: false,
        adSpend: { amount: "14.95", currencyCode: "USD" },
        impressionsCount: 5600,
        clicksCount: 70,
        sales: { amount: "77.00", currencyCode: "USD" },
        orders: "2",
      },
    });
    expect(shopify.shop(shop.domain).marketingActivities.get(c.id)!.engagements).toHaveLength(3);
  });

  it("is idempotent: a rerun sets the same figures (a platform's correction replaces, never adds) and sends no day twice", async () => {
    const c = await makeCampaign(db, shop.id, hubId);
    await syncMarketingActivity(shop.id, c.id);
    const { source } = platform([day("2026-11-10", 1420, 5100, 61), day("2026-11-11", 1495, 5600, 70)]);
    await makeOrder(db, shop.id, productId, { placedAt: new Date("2026-11-10T16:00:00Z"), utmCampaign: c.utmCampaign });
    await refreshResults(shop.id, { now: NOW, insights: source });
    const first = await rows(c.id);

    const again = await refreshResults(shop.id, { now: NOW, insights: source });
    expect(again.campaigns[0].engagementsSent).toBe(0);
    expect((await rows(c.id)).map(({ pulledAt: _p, ...d }) => d)).toEqual(first.map(({ pulledAt: _p, ...d }) => d));

    // The platform revises the 11th, and the next day is over: the 11th is set anew, only the 12th goes to Shopify.
    source.days = [day("2026-11-10", 1420, 5100, 61), day("2026-11-11", 1450, 5500, 69), day("2026-11-12", 1300, 4000, 50)];
    const later = await refreshResults(shop.id, { now: NOW + 86_400_000, insights: source });
    expect(later.campaigns[0].engagementsSent).toBe(1);
    expect((await rows(c.id)).map((d) => [d.day, d.spendMinor, d.orders])).toEqual([
      ["2026-11-10", 1420, 1],
      ["2026-11-11", 1450, 0],
      ["2026-11-12", 1300, 0],
    ]);
    const days = shopify.callsOf(ENGAGEMENT).map((call) => call.variables.marketingEngagement.occurredOn);
    expect(days).toEqual(["2026-11-10", "2026-11-11", "2026-11-12"]);
    expect(new Set(days).size).toBe(days.length);
  });

  it("releases a day Shopify refused or could not take, and sends it (and the days after) on the next run", async () => {
    const c = await makeCampaign(db, shop.id, hubId);
    await syncMarketingActivity(shop.id, c.id);
    const { source } = platform([day("2026-11-10", 1420, 5100, 61), day("2026-11-11", 1495, 5600, 70)]);
    shopify.next(ENGAGEMENT, "network");
    const r = await refreshResults(shop.id, { now: NOW, insights: source });
    expect(r.campaigns[0].engagementsSent).toBe(0);
    expect(r.retryable).toHaveLength(1);
    expect((await rows(c.id)).every((d) => d.engagementSentAt === null)).toBe(true);

    const next = await refreshResults(shop.id, { now: NOW, insights: source });
    expect(next.campaigns[0].engagementsSent).toBe(2);
    expect(shopify.shop(shop.domain).marketingActivities.get(c.id)!.engagements.map((e) => e.occurredOn)).toEqual(["2026-11-10", "2026-11-11"]);
  });

  it("keeps attributing orders when the platform cannot be read, and says why (a refused token is not retried; an outage is)", async () => {
    const c = await makeCampaign(db, shop.id, hubId);
    await makeOrder(db, shop.id, productId, { placedAt: new Date("2026-11-10T16:00:00Z"), utmCampaign: c.utmCampaign, totalMinor: 5000 });
    const refused: InsightsSource = { insights: async () => { throw new AdPlatformError("Error validating access token: Session has expired", "SANDBOX", { retryable: false, reauth: true, code: 190 }); } };
    const r = await refreshResults(shop.id, { now: NOW, insights: refused });
    expect(r.campaigns[0].pullError).toMatch(/Session has expired/);
    expect(r.retryable).toEqual([]);
    expect((await rows(c.id)).map((d) => [d.day, d.spendMinor, d.orders, d.revenueMinor, d.pulledAt])).toEqual([["2026-11-10", 0, 1, 5000, null]]);
    // A day never read from the platform is never sent to Shopify as if it cost nothing.
    expect(shopify.callsOf(ENGAGEMENT)).toEqual([]);

    const down: InsightsSource = { insights: async () => { throw new AdPlatformError("Service temporarily unavailable", "SANDBOX", { retryable: true, code: 2 }); } };
    expect((await refreshResults(shop.id, { now: NOW, insights: down })).retryable).toHaveLength(1);
  });

  it("sends nothing for the demo shop, and reads only the shop it was asked for", async () => {
    const demo = await db.shop.upsert({ where: { domain: DEMO_SHOP_DOMAIN }, create: { domain: DEMO_SHOP_DOMAIN, name: "Nearhub Demo Market" }, update: {} });
    const demoHub = await makeNode(db, demo.id, { handle: `demo-hub-${n}` });
    const c = await makeCampaign(db, demo.id, demoHub.id, { shopifyActivityId: "gid://shopify/MarketingActivity/1" });
    const mine = await makeCampaign(db, shop.id, hubId);
    const { source, asked } = platform([day("2026-11-10", 1420, 5100, 61)]);
    const r = await refreshResults(demo.id, { now: NOW, insights: source });
    expect(r.campaigns.map((x) => x.campaignId)).toEqual([c.id]);
    expect(r.campaigns[0].engagementNote).toMatch(/demo/);
    expect(asked).toHaveLength(1);
    expect(await rows(mine.id)).toEqual([]);
    expect(shopify.calls).toEqual([]);
  });

  it("runs as the campaigns.results job: with no connection it says so and still attributes; with the sandbox connected it reads the sandbox's days", async () => {
    const c = await makeCampaign(db, shop.id, hubId);
    await makeOrder(db, shop.id, productId, { placedAt: new Date("2026-11-10T16:00:00Z"), utmCampaign: c.utmCampaign });
    const run = async () => {
      await enqueue(db, "campaigns.results", { shopId: shop.id }, { key: shop.id });
      return drainJobs({ names: ["campaigns.results"], now: () => NOW, ignoreDelay: true });
    };
    expect(await run()).toMatchObject({ completed: 1, failed: 0 });
    expect((await rows(c.id)).map((d) => [d.day, d.orders, d.pulledAt])).toEqual([["2026-11-10", 1, null]]);

    await connectSandbox(shop.id, "USD");
    expect(await run()).toMatchObject({ completed: 1, failed: 0 });
    const days = await rows(c.id);
    // From the first day to the worker's today (PostgreSQL's worker keeps the real clock) within the campaign; a day spends at most its daily budget.
    expect(days[0].day).toBe("2026-11-10");
    expect(days.length).toBeGreaterThanOrEqual(4);
    expect(days.every((d) => d.day <= c.endsOn)).toBe(true);
    expect(days.every((d) => d.pulledAt !== null && d.spendMinor > 0 && d.spendMinor <= c.dailyBudgetMinor && d.clicks <= d.impressions)).toBe(true);
    expect(days[0].orders).toBe(1);
  });

  it("utcOffsetOf follows daylight saving time in the shop's zone", () => {
    expect(utcOffsetOf("2026-07-01", "America/New_York")).toBe("-04:00");
    expect(utcOffsetOf("2026-12-01", "America/Chicago")).toBe("-06:00");
  });
});
