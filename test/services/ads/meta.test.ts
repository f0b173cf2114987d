// The Meta adapter against an MSW fake of the Graph API (test/support/ad-platforms.ts) that refuses
// what Meta refuses: the exact bodies (one custom location in kilometres, advantage_audience set,
// special_ad_categories present, integer minor-unit budgets), the minimum read from
// /minimum_budgets, validate_only previews, and Meta's errors turned into AdPlatformError.
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { withAdRetry } from "~/services/ads/index.server";
import { appSecretProof, MetaAdapter, metaRetryAfterMs } from "~/services/ads/meta.server";
import { AdPlatformError, type AdAccount, type AdCampaignSpec } from "~/services/ads/types";
import { META_GRAPH, metaError, metaFake } from "../../support/ad-platforms";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const ACCOUNT: AdAccount = { platform: "META", accountId: "act_1234567890", currency: "USD", accessToken: "EAAG-meta-long-lived-token" };
const SPEC: AdCampaignSpec = {
  name: "Williamsburg hub · same-day",
  latitude: 40.7145,
  longitude: -73.9566,
  radiusM: 4200,
  dailyBudgetMinor: 700,
  startTime: "2026-12-05T14:00:00.000Z",
  endTime: "2026-12-26T04:59:59.000Z",
  landingUrl: "https://shop.example/collections/local?utm_source=meta&utm_medium=paid_social&utm_campaign=nh-wbg-1",
  status: "ACTIVE",
};

function fake(options: Parameters<typeof metaFake>[0] = {}) {
  const f = metaFake(options);
  server.use(...f.handlers);
  return f;
}

describe("create", () => {
  it("posts the campaign, then one ad set with one circle, explicit advantage_audience and the budget in minor units", async () => {
    const f = fake();
    const remote = await new MetaAdapter().create(ACCOUNT, SPEC);
    const [campaign, adSet] = f.apiRequests();
    expect(campaign.method).toBe("POST");
    expect(campaign.url.toString()).toBe(`${META_GRAPH}/v26.0/act_1234567890/campaigns`);
    expect(campaign.body).toEqual({
      name: SPEC.name,
      objective: "OUTCOME_TRAFFIC",
      status: "ACTIVE",
      special_ad_categories: [],
      buying_type: "AUCTION",
      is_adset_budget_sharing_enabled: false,
    });
    expect(adSet.url.toString()).toBe(`${META_GRAPH}/v26.0/act_1234567890/adsets`);
    expect(adSet.body).toEqual({
      name: `${SPEC.name} · hub circle`,
      campaign_id: remote.campaignId,
      daily_budget: 700,
      billing_event: "IMPRESSIONS",
      optimization_goal: "LINK_CLICKS",
      bid_strategy: "LOWEST_COST_WITHOUT_CAP",
      destination_type: "WEBSITE",
      targeting: {
        geo_locations: { custom_locations: [{ latitude: 40.7145, longitude: -73.9566, radius: 4.2, distance_unit: "kilometer" }] },
        targeting_automation: { advantage_audience: 0 },
      },
      start_time: SPEC.startTime,
      end_time: SPEC.endTime,
      status: "ACTIVE",
    });
    // The token travels in the header only: no request URL or body carries it.
    for (const r of f.apiRequests()) {
      expect(r.headers.get("authorization")).toBe(`Bearer ${ACCOUNT.accessToken}`);
      expect(r.url.toString()).not.toContain(ACCOUNT.accessToken);
    }
    expect(remote).toMatchObject({ adSetId: expect.stringMatching(/^\d+$/), budgetId: null });
    expect(f.adSets.has(remote.adSetId)).toBe(true);
    // What it answers as sent is what Meta received.
    expect(remote.requests.map((r) => r.body)).toEqual([campaign.body, adSet.body]);
    expect(JSON.stringify(remote.requests)).not.toContain(ACCOUNT.accessToken);
  });

  it("reports a budget under the account's minimum with Meta's own words and the field, and leaves no campaign behind", async () => {
    const f = fake({ minimumBudgets: [{ currency: "USD", min_daily_budget_imp: 150 }] });
    const error = await new MetaAdapter().create(ACCOUNT, { ...SPEC, dailyBudgetMinor: 120 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdPlatformError);
    const e = error as AdPlatformError;
    expect(e.message).toContain("The minimum daily budget for this ad set is $1.50.");
    expect(e.message).toContain("fbtrace_id AbCdEfGhIjK");
    expect(e.opts).toMatchObject({ code: 100, subcode: 1885272, retryable: false, field: "dailyBudgetMinor" });
    expect(f.campaigns.size).toBe(0);
    expect(f.apiRequests().at(-1)?.method).toBe("DELETE");
  });

  it("refuses a radius Meta cannot target before sending anything", async () => {
    const f = fake();
    await expect(new MetaAdapter().create(ACCOUNT, { ...SPEC, radiusM: 500 })).rejects.toMatchObject({ opts: { field: "radiusM", retryable: false } });
    await expect(new MetaAdapter().create(ACCOUNT, { ...SPEC, radiusM: 90_000 })).rejects.toMatchObject({ opts: { field: "radiusM" } });
    expect(f.requests).toHaveLength(0);
  });

  it("adds appsecret_proof to what it fetches when it has the app secret, never to the requests it answers", async () => {
    const f = fake();
    const remote = await new MetaAdapter({ appSecret: "meta-app-secret-0123456789" }).create(ACCOUNT, SPEC);
    const proof = appSecretProof(ACCOUNT.accessToken, "meta-app-secret-0123456789");
    expect(proof).toMatch(/^[0-9a-f]{64}$/);
    expect(f.apiRequests().map((r) => r.url.searchParams.get("appsecret_proof"))).toEqual([proof, proof]);
    expect(remote.requests.every((r) => !r.url.includes("appsecret_proof"))).toBe(true);
  });

  it("uses the configured version and base URL", async () => {
    const f = fake({ version: "v27.0" });
    await new MetaAdapter({ version: "v27.0", graphUrl: META_GRAPH }).create(ACCOUNT, SPEC);
    expect(f.apiRequests().every((r) => r.url.pathname.startsWith("/v27.0/"))).toBe(true);
  });
});

describe("minimum daily budget", () => {
  it("is read from /minimum_budgets for the account's currency, not assumed", async () => {
    fake({ minimumBudgets: [{ currency: "EUR", min_daily_budget_imp: 90 }, { currency: "USD", min_daily_budget_imp: 123, min_daily_budget_low_freq: 4000 }] });
    expect(await new MetaAdapter().minimumDailyBudget(ACCOUNT)).toBe(123);
    server.resetHandlers();
    fake({ minimumBudgets: [{ currency: "USD", min_daily_budget_imp: 77 }] });
    expect(await new MetaAdapter().minimumDailyBudget(ACCOUNT)).toBe(77);
  });
});

describe("preview", () => {
  it("sends the campaign with validate_only, creates nothing and shows both bodies", async () => {
    const f = fake();
    const requests = await new MetaAdapter().preview(ACCOUNT, SPEC);
    expect(f.campaigns.size).toBe(0);
    expect(f.apiRequests()).toHaveLength(1);
    expect(f.apiRequests()[0].body).toMatchObject({ execution_options: ["validate_only"], special_ad_categories: [] });
    expect(requests).toHaveLength(2);
    expect(requests[1].body).toMatchObject({ execution_options: ["validate_only"], campaign_id: "{campaign_id}", daily_budget: 700 });
  });
});

describe("pause, resume, budget", () => {
  it("switches the ad set's status and sets daily_budget on it", async () => {
    const f = fake();
    const meta = new MetaAdapter();
    const remote = await meta.create(ACCOUNT, SPEC);
    const pause = await meta.pause(ACCOUNT, remote);
    expect(pause).toEqual([{ method: "POST", url: `${META_GRAPH}/v26.0/${remote.adSetId}`, body: { status: "PAUSED" } }]);
    expect(f.adSets.get(remote.adSetId)?.status).toBe("PAUSED");
    await meta.resume(ACCOUNT, remote);
    expect(f.adSets.get(remote.adSetId)?.status).toBe("ACTIVE");
    const budget = await meta.updateBudget(ACCOUNT, remote, 450);
    expect(budget[0].body).toEqual({ daily_budget: 450 });
    expect(f.adSets.get(remote.adSetId)?.daily_budget).toBe(450);
  });
});

describe("insights", () => {
  it("asks for daily rows and reads spend, clicks and purchases (one purchase type, never summed)", async () => {
    const f = fake({
      insightsRows: [
        {
          date_start: "2026-12-06",
          date_stop: "2026-12-06",
          spend: "6.43",
          impressions: "812",
          clicks: "14",
          actions: [
            { action_type: "link_click", value: "14" },
            { action_type: "omni_purchase", value: "2" },
            { action_type: "offsite_conversion.fb_pixel_purchase", value: "2" },
          ],
          action_values: [{ action_type: "omni_purchase", value: "91.50" }, { action_type: "offsite_conversion.fb_pixel_purchase", value: "91.50" }],
        },
        { date_start: "2026-12-05", date_stop: "2026-12-05", spend: "7", impressions: "900", clicks: "9" },
      ],
    });
    const days = await new MetaAdapter().insights(ACCOUNT, { campaignId: "1", adSetId: "999", budgetId: null }, "2026-12-05", "2026-12-06");
    const q = f.apiRequests()[0].url.searchParams;
    expect(q.get("time_increment")).toBe("1");
    expect(q.get("fields")).toBe("spend,impressions,clicks,actions,action_values");
    expect(JSON.parse(q.get("time_range")!)).toEqual({ since: "2026-12-05", until: "2026-12-06" });
    expect(days).toEqual([
      { day: "2026-12-05", spendMinor: 700, impressions: 900, clicks: 9, orders: 0, revenueMinor: 0 },
      { day: "2026-12-06", spendMinor: 643, impressions: 812, clicks: 14, orders: 2, revenueMinor: 9150 },
    ]);
  });
});

describe("errors and retries", () => {
  const usage = JSON.stringify({ "1234567890": [{ type: "ads_management", call_count: 100, total_cputime: 30, total_time: 40, estimated_time_to_regain_access: 2 }] });

  it("reads code 17 as a retryable rate limit with the wait from X-Business-Use-Case-Usage", async () => {
    const f = fake();
    f.failNext(400, metaError(17, "User request limit reached", { error_subcode: 2446079 }), { "X-Business-Use-Case-Usage": usage });
    const e = (await new MetaAdapter().minimumDailyBudget(ACCOUNT).catch((x: unknown) => x)) as AdPlatformError;
    expect(e).toBeInstanceOf(AdPlatformError);
    expect(e.opts).toMatchObject({ code: 17, retryable: true, retryAfterMs: 120_000 });
    expect(metaRetryAfterMs(new Headers({ "X-Ad-Account-Usage": JSON.stringify({ acc_id_util_pct: 99, reset_time_duration: 45 }) }))).toBe(45_000);
  });

  it.each([4, 613, 80004])("code %i is retryable", async (code) => {
    const f = fake();
    f.failNext(400, metaError(code, "Too many calls"));
    await expect(new MetaAdapter().minimumDailyBudget(ACCOUNT)).rejects.toMatchObject({ opts: { retryable: true } });
  });

  it("retries a rate limit after the platform's wait, then succeeds", async () => {
    const f = fake({ minimumBudgets: [{ currency: "USD", min_daily_budget_imp: 105 }] });
    f.failNext(400, metaError(80004, "There have been too many calls to this ad-account."), { "X-Business-Use-Case-Usage": JSON.stringify({ "1": [{ type: "ads_management", estimated_time_to_regain_access: 0.5 }] }) });
    f.failNext(503, { error: { message: "Service temporarily unavailable", code: 2, is_transient: true } });
    const waits: number[] = [];
    const min = await withAdRetry(() => new MetaAdapter().minimumDailyBudget(ACCOUNT), { sleep: async (ms) => void waits.push(ms), attempts: 4, baseDelayMs: 1000 });
    expect(min).toBe(105);
    expect(waits).toEqual([30_000, 2_000]);
    expect(f.apiRequests()).toHaveLength(3);
  });

  it("gives a long wait back to the caller instead of holding on, and stops after its attempts", async () => {
    const f = fake();
    f.failNext(400, metaError(17, "User request limit reached"), { "X-Business-Use-Case-Usage": usage });
    const waits: number[] = [];
    await expect(withAdRetry(() => new MetaAdapter().minimumDailyBudget(ACCOUNT), { sleep: async (ms) => void waits.push(ms), maxDelayMs: 60_000 })).rejects.toMatchObject({ opts: { retryAfterMs: 120_000 } });
    expect(waits).toEqual([]);
    for (let i = 0; i < 3; i++) f.failNext(500, { error: { message: "An unknown error occurred", code: 1 } });
    await expect(withAdRetry(() => new MetaAdapter().minimumDailyBudget(ACCOUNT), { sleep: async (ms) => void waits.push(ms), attempts: 3 })).rejects.toMatchObject({ opts: { retryable: true } });
    expect(waits).toEqual([1_000, 2_000]);
  });

  it("reads code 190 as a refused token (reauth), not retryable, and does not retry it", async () => {
    fake({ token: "another-token" });
    const waits: number[] = [];
    const e = (await withAdRetry(() => new MetaAdapter().minimumDailyBudget(ACCOUNT), { sleep: async (ms) => void waits.push(ms) }).catch((x: unknown) => x)) as AdPlatformError;
    expect(e.opts).toMatchObject({ code: 190, reauth: true, retryable: false });
    expect(e.message).toContain("Error validating access token");
    expect(waits).toEqual([]);
  });

  it("names radiusM for several radii in one ad set (100/1815946)", async () => {
    const f = fake();
    f.failNext(400, metaError(100, "Invalid parameter", { error_subcode: 1815946, error_user_msg: "Locations with different radii cannot be combined." }));
    await expect(new MetaAdapter().minimumDailyBudget(ACCOUNT)).rejects.toMatchObject({ opts: { field: "radiusM", subcode: 1815946 } });
  });
});
