// findCreated (issue 17, SIGKILL mid-campaign change): what an interrupted create left on the
// platform, looked up by the exact name, and completed. Meta: GET /act_<id>/campaigns filtered on
// name EQUAL, then the campaign's ad sets; a campaign without its ad set gets one; deleted campaigns
// are not reused. Google: a GAQL search by name, then the proximity criterion; a campaign without
// its criterion gets one. msw handlers in the documented shapes.
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GoogleAdsAdapter } from "~/services/ads/google.server";
import { MetaAdapter } from "~/services/ads/meta.server";
import type { AdAccount, AdCampaignSpec } from "~/services/ads/types";
import { GOOGLE_ADS, META_GRAPH } from "../../support/ad-platforms";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const SPEC: AdCampaignSpec = {
  name: "Nearhub · Williamsburg Micro-hub · 2026-12-05 · cmcrash0001",
  latitude: 40.7145,
  longitude: -73.9566,
  radiusM: 4200,
  dailyBudgetMinor: 700,
  startTime: "2026-12-05T14:00:00.000Z",
  endTime: "2026-12-26T04:59:59.000Z",
  landingUrl: "https://shop.example/collections/local?utm_campaign=nh-wbg-1",
  status: "ACTIVE",
};

describe("Meta findCreated", () => {
  const ACCOUNT: AdAccount = { platform: "META", accountId: "act_1234567890", currency: "USD", accessToken: "EAAG-token" };
  const G = `${META_GRAPH}/v26.0`;

  function meta(campaigns: Array<{ id: string; name: string; effective_status: string }>, adSets: Record<string, string[]>) {
    const seen: Array<{ method: string; path: string; query: URLSearchParams; body: Record<string, unknown> | null }> = [];
    server.use(
      http.all(`${G}/*`, async ({ request }) => {
        const url = new URL(request.url);
        const path = url.pathname.replace("/v26.0/", "");
        const body = request.method === "GET" ? null : ((await request.json()) as Record<string, unknown>);
        seen.push({ method: request.method, path, query: url.searchParams, body });
        if (request.method === "GET" && path === "act_1234567890/campaigns") {
          const [filter] = JSON.parse(url.searchParams.get("filtering") ?? "[]") as Array<{ field: string; operator: string; value: string }>;
          return HttpResponse.json({ data: campaigns.filter((c) => filter?.field === "name" && filter.operator === "EQUAL" && c.name === filter.value) });
        }
        const m = /^(\d+)\/adsets$/.exec(path);
        if (request.method === "GET" && m) return HttpResponse.json({ data: (adSets[m[1]] ?? []).map((id) => ({ id, name: "x", effective_status: "ACTIVE" })) });
        if (request.method === "POST" && path === "act_1234567890/adsets") return HttpResponse.json({ id: "777" });
        return HttpResponse.json({ error: { message: `Unsupported ${request.method} ${path}`, code: 100 } }, { status: 400 });
      }),
    );
    return seen;
  }

  it("answers null when no campaign has the name, and never reuses a deleted one", async () => {
    const seen = meta([{ id: "100", name: SPEC.name, effective_status: "DELETED" }], {});
    expect(await new MetaAdapter().findCreated(ACCOUNT, SPEC)).toBeNull();
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(["GET act_1234567890/campaigns"]);
    expect(JSON.parse(seen[0].query.get("filtering")!)).toEqual([{ field: "name", operator: "EQUAL", value: SPEC.name }]);
  });

  it("finds the campaign and its ad set, creating nothing", async () => {
    const seen = meta([{ id: "100", name: SPEC.name, effective_status: "ACTIVE" }, { id: "200", name: "Nearhub · other", effective_status: "ACTIVE" }], { "100": ["101"] });
    const found = await new MetaAdapter().findCreated(ACCOUNT, SPEC);
    expect(found).toMatchObject({ campaignId: "100", adSetId: "101", budgetId: null });
    expect(seen.filter((s) => s.method !== "GET")).toEqual([]);
  });

  it("adds the ad set to a campaign made without one", async () => {
    const seen = meta([{ id: "100", name: SPEC.name, effective_status: "ACTIVE" }], {});
    const found = await new MetaAdapter().findCreated(ACCOUNT, SPEC);
    expect(found).toMatchObject({ campaignId: "100", adSetId: "777" });
    const posts = seen.filter((s) => s.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0].body).toMatchObject({ campaign_id: "100", daily_budget: 700, status: "ACTIVE" });
  });
});

describe("Google findCreated", () => {
  const ACCOUNT: AdAccount = { platform: "GOOGLE", accountId: "123-456-7890", currency: "USD", accessToken: "ya29.token", timezone: "America/New_York" };
  const BASE = `${GOOGLE_ADS}/v26/customers/1234567890`;
  const CAMPAIGN = "customers/1234567890/campaigns/55";
  const BUDGET = "customers/1234567890/campaignBudgets/54";

  function google(withCriterion: boolean) {
    const queries: string[] = [];
    const mutates: Array<{ path: string; body: Record<string, unknown> }> = [];
    server.use(
      http.post(`${BASE}/googleAds:search`, async ({ request }) => {
        const { query } = (await request.json()) as { query: string };
        queries.push(query);
        if (query.includes("FROM campaign_criterion")) {
          return HttpResponse.json({ results: withCriterion ? [{ campaignCriterion: { resourceName: `${CAMPAIGN.replace("campaigns/", "campaignCriteria/")}~9` } }] : [] });
        }
        return HttpResponse.json({ results: query.includes(`campaign.name = '${SPEC.name}'`) ? [{ campaign: { resourceName: CAMPAIGN, campaignBudget: BUDGET } }] : [] });
      }),
      http.post(`${BASE}/campaignCriteria:mutate`, async ({ request }) => {
        mutates.push({ path: "campaignCriteria:mutate", body: (await request.json()) as Record<string, unknown> });
        return HttpResponse.json({ results: [{ resourceName: "customers/1234567890/campaignCriteria/55~10" }] });
      }),
    );
    return { queries, mutates };
  }

  it("finds the campaign, its budget and its circle by the exact name, excluding removed ones", async () => {
    const { queries, mutates } = google(true);
    const found = await new GoogleAdsAdapter().findCreated(ACCOUNT, SPEC);
    expect(found).toMatchObject({ campaignId: CAMPAIGN, budgetId: BUDGET, adSetId: "customers/1234567890/campaignCriteria/55~9" });
    expect(queries[0]).toContain("campaign.status != 'REMOVED'");
    expect(mutates).toEqual([]);
  });

  it("adds the circle to a campaign made without one, and answers null for an unknown name", async () => {
    const { mutates } = google(false);
    const found = await new GoogleAdsAdapter().findCreated(ACCOUNT, SPEC);
    expect(found).toMatchObject({ campaignId: CAMPAIGN, adSetId: "customers/1234567890/campaignCriteria/55~10" });
    expect(mutates).toHaveLength(1);
    expect(JSON.stringify(mutates[0].body)).toContain(CAMPAIGN);
    expect(await new GoogleAdsAdapter().findCreated(ACCOUNT, { ...SPEC, name: "Nearhub · it's another" })).toBeNull();
  });
});
