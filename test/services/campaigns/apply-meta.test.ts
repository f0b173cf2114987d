// The same flow against Meta's Graph API faked with msw in its documented shapes: the plan reads the
// account's minimum from /minimum_budgets and previews with validate_only; the launch creates the
// campaign and its one ad set once; a guardrail pause answered with Meta's rate limit (code 17) is
// retried by the job engine while the campaign stays ACTIVE with Meta's words as lastError, and
// applied when Meta answers; a refused token (code 190) marks the connection "reconnect".
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { MARKETING_JOB } from "~/services/campaigns/apply.server";
import { checkCampaignGuardrails } from "~/services/campaigns/guardrails.server";
import { campaignDetail, launchCampaign, planCampaign } from "~/services/campaigns/index.server";
import { jobDefinition } from "~/services/jobs/define.server";
import { defineJob, drainJobs } from "~/services/jobs/index.server";
import { invalidateQuoteCache } from "~/services/quote-snapshot.server";
import { secrets } from "~/services/secrets.server";
import { recordingSleep } from "../../support/clock";
import { MONDAY_10AM_NY, seedHub, type SeededHub } from "./plan-hub.fixture";

vi.hoisted(() => {
  // Meta is configured on this server (the app's id and secret), read when the configuration is first parsed.
  process.env.META_APP_ID = "1234567890";
  process.env.META_APP_SECRET = "meta-app-secret-for-tests";
});

if (!jobDefinition(MARKETING_JOB)) {
  defineJob({ name: MARKETING_JOB, switch: "insights", retries: 0, backoff: { type: "fixed", delayMs: 1000 }, timeout: 10_000, run: async () => undefined });
}

const GRAPH = "https://graph.facebook.com/v26.0";
const ACT = "act_1029384756";
const CAMPAIGN_ID = "120210000000001";
const ADSET_ID = "120210000000002";

interface Sent {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  authorization: string | null;
}
const sent: Sent[] = [];
/** What the ad set endpoint answers next: "ok", Meta's rate limit, or a refused token. */
let adSetAnswer: "ok" | "rate-limit" | "token" = "ok";

const metaError = (status: number, error: Record<string, unknown>) => HttpResponse.json({ error: { type: "OAuthException", fbtrace_id: "AbCdEf123", ...error } }, { status });

const server = setupServer(
  http.all(`${GRAPH}/*`, async ({ request }) => {
    const url = new URL(request.url);
    const path = url.pathname.replace("/v26.0/", "");
    const body = request.method === "GET" ? null : ((await request.json().catch(() => null)) as Record<string, unknown> | null);
    sent.push({ method: request.method, path, body, authorization: request.headers.get("authorization") });
    if (path === `${ACT}/minimum_budgets` && request.method === "GET") {
      return HttpResponse.json({ data: [{ currency: "USD", min_daily_budget_imp: 150, min_daily_budget_high_freq: 1000, min_daily_budget_low_freq: 150, min_daily_budget_video_views: 150 }] });
    }
    if (path === `${ACT}/campaigns` && request.method === "POST") {
      if (Array.isArray(body?.execution_options) && body.execution_options.includes("validate_only")) return HttpResponse.json({ success: true });
      return HttpResponse.json({ id: CAMPAIGN_ID });
    }
    if (path === `${ACT}/adsets` && request.method === "POST") return HttpResponse.json({ id: ADSET_ID });
    if (path === ADSET_ID && request.method === "POST") {
      if (adSetAnswer === "rate-limit") return metaError(400, { message: "(#17) User request limit reached", code: 17, error_subcode: 2446079, is_transient: true });
      if (adSetAnswer === "token") return metaError(401, { message: "Error validating access token: Session has expired on Friday, 04-Dec-26.", code: 190, error_subcode: 463 });
      return HttpResponse.json({ success: true });
    }
    return metaError(400, { message: `Unsupported request ${request.method} ${path}`, code: 100 });
  }),
);

let seeded: SeededHub;
const { sleep } = recordingSleep();
const drainApply = (ignoreDelay = false, passes?: number) => drainJobs({ names: ["campaigns.apply"], sleep, ignoreDelay, passes });
const NOW = MONDAY_10AM_NY + 30 * 60_000;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  seeded = await seedHub(db, "meta-alpha.myshopify.com");
  await db.adConnection.create({
    data: {
      shopId: seeded.shop.id,
      platform: "META",
      accountId: ACT,
      accountName: "Alpha ads",
      currency: "USD",
      timezone: "America/New_York",
      accessToken: secrets().seal("EAAB-long-lived-test-token", `AdConnection.accessToken:${seeded.shop.id}:META`),
      tokenExpiresAt: new Date(Date.now() + 50 * 86_400_000),
    },
  });
});

afterEach(() => {
  adSetAnswer = "ok";
});

afterAll(() => server.close());

async function setStock(units: number) {
  await db.stockLevel.updateMany({ where: { shopId: seeded.shop.id, nodeId: seeded.hub.id }, data: { available: units } });
  invalidateQuoteCache(seeded.shop.id);
}

describe("campaigns on Meta (msw)", () => {
  it("plans with the account's minimum and the validate_only preview", async () => {
    sent.length = 0;
    const { plan, payloads, connection } = await planCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "META" }, MONDAY_10AM_NY);
    expect(connection).toMatchObject({ platform: "META", accountId: ACT, connected: true });
    expect(plan.budget.minimumMinor).toBe(150);
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual([`GET ${ACT}/minimum_budgets`, `POST ${ACT}/campaigns`]);
    expect(sent[1].body).toMatchObject({ execution_options: ["validate_only"], special_ad_categories: [] });
    expect(sent[0].authorization).toBe("Bearer EAAB-long-lived-test-token");
    // The payloads shown never carry the token.
    expect(JSON.stringify(payloads)).not.toContain("EAAB");
    const adSet = payloads.find((p) => p.url.endsWith("/adsets"))!;
    expect(adSet.body).toMatchObject({ targeting: { geo_locations: { custom_locations: [expect.objectContaining({ latitude: plan.area.latitude, longitude: plan.area.longitude })] } } });
  });

  it("launches once, pauses through Meta's rate limit without reporting it early, and marks a refused token for reconnecting", async () => {
    const launched = await launchCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "META" }, MONDAY_10AM_NY);
    sent.length = 0;
    await drainApply();
    expect(sent.filter((s) => s.method === "POST" && s.path === `${ACT}/campaigns`)).toHaveLength(1);
    expect(sent.filter((s) => s.method === "POST" && s.path === `${ACT}/adsets`)).toHaveLength(1);
    const active = await db.campaign.findUniqueOrThrow({ where: { id: launched.id } });
    expect(active).toMatchObject({ status: "ACTIVE", remoteCampaignId: CAMPAIGN_ID, remoteAdSetId: ADSET_ID });

    // Stock runs out while Meta rate-limits: the pause is retried, the campaign still reads ACTIVE.
    adSetAnswer = "rate-limit";
    await setStock(0);
    await checkCampaignGuardrails(seeded.shop.id, launched.id, NOW);
    await drainApply();
    let detail = (await campaignDetail(seeded.shop.id, launched.id))!;
    expect(detail.status).toBe("ACTIVE");
    expect(detail.wantStatus).toBe("PAUSED");
    expect(detail.lastError).toMatch(/retrying \(attempt 1\).*User request limit reached/);
    expect(detail.changes[0]).toMatchObject({ action: "PAUSE", state: "PENDING", attempts: 1 });
    expect(sent.filter((s) => s.path === ADSET_ID).every((s) => s.body?.status === "PAUSED")).toBe(true);

    // Meta answers again: the next attempt pauses it, and only now it reads PAUSED.
    adSetAnswer = "ok";
    await drainApply(true, 1);
    detail = (await campaignDetail(seeded.shop.id, launched.id))!;
    expect(detail.status).toBe("PAUSED");
    expect(detail.lastError).toBeNull();

    // Stock back, but Meta refuses the token: reconnect, the campaign stays PAUSED as Meta has it.
    adSetAnswer = "token";
    await setStock(40);
    await checkCampaignGuardrails(seeded.shop.id, launched.id, NOW + 60_000);
    await drainApply();
    detail = (await campaignDetail(seeded.shop.id, launched.id))!;
    expect(detail.status).toBe("PAUSED");
    expect(detail.changes[0]).toMatchObject({ action: "RESUME", state: "FAILED" });
    expect(detail.lastError).toMatch(/^reconnect META: .*Session has expired/);
    const conn = await db.adConnection.findUniqueOrThrow({ where: { shopId_platform: { shopId: seeded.shop.id, platform: "META" } } });
    expect(conn.status).toBe("RECONNECT");
    expect(conn.statusMessage).toContain("Session has expired");
  });
});
