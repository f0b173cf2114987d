// The Google Ads adapter against an MSW fake of the REST API (test/support/ad-platforms.ts): budgets
// in micros of the account currency (JPY has no minor digits), a Search campaign on a non-shared
// budget, one proximity criterion in micro-degrees, the minimum learnt from
// BudgetPerDayMinimumErrorDetails, login-customer-id, no developer token, and Google's errors.
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forgetGoogleMinimums, GoogleAdsAdapter } from "~/services/ads/google.server";
import { withAdRetry } from "~/services/ads/index.server";
import { minorToMicros, microsToMinor } from "~/services/ads/money";
import { AdPlatformError, type AdAccount, type AdCampaignSpec } from "~/services/ads/types";
import { GOOGLE_ADS, googleAdsFailure, googleFake } from "../../support/ad-platforms";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(() => forgetGoogleMinimums());

const ACCOUNT: AdAccount = { platform: "GOOGLE", accountId: "123-456-7890", currency: "USD", accessToken: "ya29.google-access-token", timezone: "America/New_York" };
const SPEC: AdCampaignSpec = {
  name: "Williamsburg hub · same-day",
  latitude: 40.7145,
  longitude: -73.9566,
  radiusM: 4200,
  dailyBudgetMinor: 700,
  startTime: "2026-12-05T14:00:00.000Z",
  endTime: "2026-12-26T04:59:59.000Z",
  landingUrl: "https://shop.example/collections/local?utm_source=google&utm_medium=cpc&utm_campaign=nh-wbg-1",
  status: "ACTIVE",
};

function fake(options: Parameters<typeof googleFake>[0] = {}) {
  const f = googleFake(options);
  server.use(...f.handlers);
  return f;
}

describe("money", () => {
  it("converts minor units to micros by the currency's exponent", () => {
    expect(minorToMicros(700, "USD")).toBe(7_000_000);
    expect(minorToMicros(700, "JPY")).toBe(700_000_000);
    expect(minorToMicros(700, "KWD")).toBe(700_000);
    expect(microsToMinor(6_430_000, "USD")).toBe(643);
    expect(microsToMinor(6_435_000, "USD")).toBe(644);
    expect(microsToMinor(512_000_000, "JPY")).toBe(512);
  });
});

describe("create", () => {
  it("creates a non-shared daily budget in micros, a Search campaign on it, and one proximity in micro-degrees", async () => {
    const f = fake();
    const remote = await new GoogleAdsAdapter().create(ACCOUNT, SPEC);
    const [budget, campaign, criterion] = f.apiRequests();
    expect(budget.url.toString()).toBe(`${GOOGLE_ADS}/v26/customers/1234567890/campaignBudgets:mutate`);
    expect(budget.body).toEqual({
      operations: [{ create: { name: `${SPEC.name} · budget`, amountMicros: "7000000", explicitlyShared: false, deliveryMethod: "STANDARD", period: "DAILY" } }],
    });
    expect(campaign.url.toString()).toBe(`${GOOGLE_ADS}/v26/customers/1234567890/campaigns:mutate`);
    expect(campaign.body).toEqual({
      operations: [
        {
          create: {
            name: SPEC.name,
            status: "ENABLED",
            advertisingChannelType: "SEARCH",
            campaignBudget: remote.budgetId,
            targetSpend: {},
            networkSettings: { targetGoogleSearch: true, targetSearchNetwork: false, targetContentNetwork: false, targetPartnerSearchNetwork: false },
            geoTargetTypeSetting: { positiveGeoTargetType: "PRESENCE" },
            containsEuPoliticalAdvertising: "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING",
            // In the customer's time zone: 14:00Z on Dec 5 is 09:00 in New York; 04:59Z on Dec 26 is still Dec 25 there.
            startDateTime: "2026-12-05 00:00:00",
            endDateTime: "2026-12-25 23:59:59",
            finalUrlSuffix: "utm_source=google&utm_medium=cpc&utm_campaign=nh-wbg-1",
          },
        },
      ],
    });
    expect(criterion.body).toEqual({
      operations: [
        {
          create: {
            campaign: remote.campaignId,
            proximity: { geoPoint: { latitudeInMicroDegrees: 40714500, longitudeInMicroDegrees: -73956600 }, radius: 4.2, radiusUnits: "KILOMETERS" },
          },
        },
      ],
    });
    expect(remote.budgetId).toMatch(/^customers\/1234567890\/campaignBudgets\/\d+$/);
    expect(remote.campaignId).toMatch(/^customers\/1234567890\/campaigns\/\d+$/);
    expect(remote.adSetId).toMatch(/^customers\/1234567890\/campaignCriteria\/\d+~\d+$/);
    for (const r of f.apiRequests()) {
      expect(r.headers.get("authorization")).toBe("Bearer ya29.google-access-token");
      // Developer tokens were retired on 2026-09-09.
      expect(r.headers.get("developer-token")).toBeNull();
      expect(r.headers.get("login-customer-id")).toBeNull();
    }
    expect(remote.requests.map((r) => r.body)).toEqual([budget.body, campaign.body, criterion.body]);
  });

  it("creates a campaign launched paused as PAUSED", async () => {
    const f = fake();
    await new GoogleAdsAdapter().create(ACCOUNT, { ...SPEC, status: "PAUSED" });
    expect(f.apiRequests()[1].body).toMatchObject({ operations: [{ create: { status: "PAUSED" } }] });
  });

  it("counts a JPY budget in micros without minor digits", async () => {
    const f = fake();
    await new GoogleAdsAdapter().create({ ...ACCOUNT, currency: "JPY", timezone: "Asia/Tokyo" }, { ...SPEC, dailyBudgetMinor: 1500 });
    expect(f.apiRequests()[0].body).toMatchObject({ operations: [{ create: { amountMicros: "1500000000" } }] });
    expect(f.apiRequests()[1].body).toMatchObject({ operations: [{ create: { startDateTime: "2026-12-05 00:00:00", endDateTime: "2026-12-26 23:59:59" } }] });
  });

  it("sends login-customer-id (digits) when the customer is reached through a manager", async () => {
    const f = fake();
    // The campaign does not exist in the fake (refused): only the headers matter here.
    await new GoogleAdsAdapter().pause({ ...ACCOUNT, loginCustomerId: "999-888-7777" }, { campaignId: "customers/1234567890/campaigns/1", adSetId: "x", budgetId: null }).catch(() => undefined);
    expect(f.apiRequests()[0].headers.get("login-customer-id")).toBe("9998887777");
  });
});

describe("minimum daily budget", () => {
  it("answers the configured default until Google names the minimum, then what Google named", async () => {
    const f = fake({ minimumMicros: 2_500_000 });
    const google = new GoogleAdsAdapter({ defaultMinDailyBudgetMicros: 1_000_000 });
    expect(await google.minimumDailyBudget(ACCOUNT)).toBe(100);
    const e = (await google.create(ACCOUNT, { ...SPEC, dailyBudgetMinor: 200 }).catch((x: unknown) => x)) as AdPlatformError;
    expect(e).toBeInstanceOf(AdPlatformError);
    expect(e.message).toContain("The budget is below the per-day minimum.");
    expect(e.opts).toMatchObject({ code: "INVALID_ARGUMENT", field: "dailyBudgetMinor", retryable: false, minimumDailyBudgetMinor: 250 });
    expect(await google.minimumDailyBudget(ACCOUNT)).toBe(250);
    // Another instance (another call of adapterFor) knows it too.
    expect(await new GoogleAdsAdapter().minimumDailyBudget(ACCOUNT)).toBe(250);
    expect(f.budgets.size).toBe(0);
  });
});

describe("preview", () => {
  it("validates the budget with validateOnly, creates nothing, shows the three bodies", async () => {
    const f = fake();
    const requests = await new GoogleAdsAdapter().preview(ACCOUNT, SPEC);
    expect(f.budgets.size).toBe(0);
    expect(f.apiRequests()).toHaveLength(1);
    expect(f.apiRequests()[0].body).toMatchObject({ validateOnly: true });
    expect(requests.map((r) => r.url.split("/").at(-1))).toEqual(["campaignBudgets:mutate", "campaigns:mutate", "campaignCriteria:mutate"]);
  });
});

describe("pause, resume, budget", () => {
  it("sets the campaign's status and the budget's amountMicros with update masks", async () => {
    const f = fake();
    const google = new GoogleAdsAdapter();
    const remote = await google.create(ACCOUNT, SPEC);
    expect((await google.pause(ACCOUNT, remote))[0].body).toEqual({ operations: [{ update: { resourceName: remote.campaignId, status: "PAUSED" }, updateMask: "status" }] });
    expect(f.campaigns.get(remote.campaignId)?.status).toBe("PAUSED");
    await google.resume(ACCOUNT, remote);
    expect(f.campaigns.get(remote.campaignId)?.status).toBe("ENABLED");
    expect((await google.updateBudget(ACCOUNT, remote, 1234))[0].body).toEqual({
      operations: [{ update: { resourceName: remote.budgetId, amountMicros: "12340000" }, updateMask: "amountMicros" }],
    });
    expect(f.budgets.get(remote.budgetId!)?.amountMicros).toBe("12340000");
  });
});

describe("insights", () => {
  it("asks GAQL for cost, impressions, clicks, conversions and value by day and reads micros into minor units", async () => {
    const f = fake({
      searchRows: [
        { campaign: { resourceName: "customers/1234567890/campaigns/5" }, segments: { date: "2026-12-05" }, metrics: { costMicros: "6430000", impressions: "812", clicks: "14", conversions: 2.0, conversionsValue: 91.5 } },
        { campaign: { resourceName: "customers/1234567890/campaigns/5" }, segments: { date: "2026-12-06" }, metrics: { costMicros: "0", impressions: "0", clicks: "0", conversions: 0, conversionsValue: 0 } },
      ],
    });
    const days = await new GoogleAdsAdapter().insights(ACCOUNT, { campaignId: "customers/1234567890/campaigns/5", adSetId: "", budgetId: null }, "2026-12-05", "2026-12-06");
    const query = String((f.apiRequests()[0].body as { query: string }).query);
    expect(query).toContain("metrics.cost_micros");
    expect(query).toContain("metrics.conversions_value");
    expect(query).toContain("segments.date BETWEEN '2026-12-05' AND '2026-12-06'");
    expect(query).toContain("campaign.resource_name = 'customers/1234567890/campaigns/5'");
    expect(days).toEqual([
      { day: "2026-12-05", spendMinor: 643, impressions: 812, clicks: 14, orders: 2, revenueMinor: 9150 },
      { day: "2026-12-06", spendMinor: 0, impressions: 0, clicks: 0, orders: 0, revenueMinor: 0 },
    ]);
  });
});

describe("errors and retries", () => {
  const exhausted = googleAdsFailure(429, "RESOURCE_EXHAUSTED", [{ errorCode: { quotaError: "RESOURCE_EXHAUSTED" }, message: "Too many requests. Retry in 30 seconds.", details: { quotaErrorDetails: { rateScope: "DEVELOPER", rateName: "Number of operations for explorer access", retryDelay: "30s" } } }], "Resource has been exhausted (e.g. check quota).");

  it("reads RESOURCE_EXHAUSTED as retryable, with Retry-After first and the quota's retryDelay otherwise", async () => {
    const f = fake();
    f.failNext(429, exhausted, { "Retry-After": "12" });
    f.failNext(429, exhausted);
    const google = new GoogleAdsAdapter();
    const ref = { campaignId: "customers/1234567890/campaigns/5", adSetId: "", budgetId: null };
    await expect(google.insights(ACCOUNT, ref, "2026-12-05", "2026-12-05")).rejects.toMatchObject({ opts: { code: "RESOURCE_EXHAUSTED", retryable: true, retryAfterMs: 12_000 } });
    await expect(google.insights(ACCOUNT, ref, "2026-12-05", "2026-12-05")).rejects.toMatchObject({ opts: { retryable: true, retryAfterMs: 30_000 } });
  });

  it("retries after the wait Google names, then succeeds", async () => {
    const f = fake({ searchRows: [{ segments: { date: "2026-12-05" }, metrics: { costMicros: "1000000" } }] });
    f.failNext(429, exhausted, { "Retry-After": "3" });
    f.failNext(503, { error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" } });
    const waits: number[] = [];
    const days = await withAdRetry(
      () => new GoogleAdsAdapter().insights(ACCOUNT, { campaignId: "customers/1234567890/campaigns/5", adSetId: "", budgetId: null }, "2026-12-05", "2026-12-05"),
      { sleep: async (ms) => void waits.push(ms), baseDelayMs: 500 },
    );
    expect(days[0].spendMinor).toBe(100);
    expect(waits).toEqual([3_000, 1_000]);
  });

  it("reads UNAUTHENTICATED as reauth", async () => {
    fake({ accessToken: "ya29.other" });
    await expect(new GoogleAdsAdapter().create(ACCOUNT, SPEC)).rejects.toMatchObject({ opts: { reauth: true, retryable: false, code: "UNAUTHENTICATED" } });
  });

  it("removes what it made when a later step fails", async () => {
    const g = fake();
    // The criterion is refused (radius units Google does not know): the campaign and budget are removed.
    const google = new GoogleAdsAdapter();
    const original = google.createRequests.bind(google);
    google.createRequests = (a, s, v) => {
      const [b, c, cr] = original(a, s, v);
      return [b, c, { ...cr, body: { operations: [{ create: { campaign: "{campaign}", proximity: { radius: 4.2, radiusUnits: "YARDS" } } }] } }];
    };
    await expect(google.create(ACCOUNT, SPEC)).rejects.toMatchObject({ opts: { field: "radiusM" } });
    expect(g.campaigns.size).toBe(0);
    expect(g.budgets.size).toBe(0);
  });
});
