// The campaigns open API over real Requests to the real route modules: plan (200 with the reasons
// and payloads; 400 naming the field), launch (201, pending until the platform confirms; the apply
// job makes it ACTIVE), list and get, shop isolation (another shop's key gets 404 and sees none of
// it), API-key auth, and the OpenAPI document describing the four operations.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import * as campaignById from "~/routes/api.v1.campaigns.$id";
import * as campaignsIndex from "~/routes/api.v1.campaigns._index";
import * as campaignPlan from "~/routes/api.v1.campaigns.plan";
import { loader as openApiLoader } from "~/routes/api.v1.openapi[.]json";
import { createApiKey } from "~/services/api-keys.server";
import { MARKETING_JOB } from "~/services/campaigns/apply.server";
import { jobDefinition } from "~/services/jobs/define.server";
import { defineJob, drainJobs } from "~/services/jobs/index.server";
import { campaignListSchema, campaignSchema, plannedCampaignSchema } from "~/services/open-api/campaigns.server";
import { recordingSleep } from "../support/clock";
import { makeShop } from "../support/factories";
import { seedHub, type SeededHub } from "../services/campaigns/plan-hub.fixture";

if (!jobDefinition(MARKETING_JOB)) {
  defineJob({ name: MARKETING_JOB, switch: "insights", retries: 0, backoff: { type: "fixed", delayMs: 1000 }, timeout: 10_000, run: async () => undefined });
}

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response> | Response;

async function call(fn: unknown, path: string, opts: { key?: string; method?: string; body?: unknown; raw?: string; params?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  const hasBody = opts.body !== undefined || opts.raw !== undefined;
  if (hasBody) headers["Content-Type"] = "application/json";
  const request = new Request(`http://127.0.0.1:3000${path}`, { method: opts.method ?? "GET", headers, body: hasBody ? (opts.raw ?? JSON.stringify(opts.body)) : undefined });
  try {
    return await (fn as Fn)({ request, params: opts.params ?? {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

let seeded: SeededHub;
let keyA: string;
let keyB: string;
const { sleep } = recordingSleep();

beforeAll(async () => {
  // The routes ask the real clock: the hub is open around the clock with a 23:59 cut-off, so it can
  // launch whenever this runs but for the last minutes of a New York day (the launch test says so then).
  seeded = await seedHub(db, "campaigns-api-alpha.myshopify.com", Date.now(), { allDay: true });
  const b = await makeShop(db, "campaigns-api-bravo.myshopify.com");
  keyA = (await createApiKey(seeded.shop.id, "script")).key;
  keyB = (await createApiKey(b.id, "script")).key;
});

describe("POST /api/v1/campaigns/plan", () => {
  it("needs an API key", async () => {
    const res = await call(campaignPlan.action, "/api/v1/campaigns/plan", { method: "POST", body: { nodeId: seeded.hub.id } });
    expect(res.status).toBe(401);
  });

  it("answers the plan with its reasons, payloads and connection", async () => {
    const res = await call(campaignPlan.action, "/api/v1/campaigns/plan", { key: keyA, method: "POST", body: { nodeId: seeded.hub.id, platform: "SANDBOX", days: 21 } });
    expect(res.status).toBe(200);
    const body = plannedCampaignSchema.parse(await res.json());
    expect(body.plan.hubId).toBe(seeded.hub.id);
    expect(body.plan.reasons.length).toBeGreaterThan(0);
    expect(body.plan.budget.days).toBe(21);
    expect(body.connection.platform).toBe("SANDBOX");
  });

  it.each([
    ["an unknown hub", { nodeId: "no-such-hub" }, "nodeId"],
    ["a budget that is no number", { nodeId: "x", dailyBudgetMinor: "lots" }, "dailyBudgetMinor"],
    ["a radius outside the platform's limits", { radiusM: 100 }, "radiusM"],
  ])("refuses %s with 400 naming the field", async (_what, over, field) => {
    const res = await call(campaignPlan.action, "/api/v1/campaigns/plan", { key: keyA, method: "POST", body: { nodeId: seeded.hub.id, platform: "SANDBOX", ...over } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; field: string };
    expect(body.field).toBe(field);
    expect(body.error).toContain(field);
  });

  it("refuses a body that is not JSON", async () => {
    const res = await call(campaignPlan.action, "/api/v1/campaigns/plan", { key: keyA, method: "POST", raw: "{nope" });
    expect(res.status).toBe(400);
  });

  it("does not plan another shop's hub", async () => {
    const res = await call(campaignPlan.action, "/api/v1/campaigns/plan", { key: keyB, method: "POST", body: { nodeId: seeded.hub.id } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toBe("nodeId");
  });
});

describe("POST and GET /api/v1/campaigns", () => {
  let launchedId: string | null = null;

  it("launches on the sandbox (201, pending), then the apply job makes it ACTIVE", async () => {
    const plan = plannedCampaignSchema.parse(await (await call(campaignPlan.action, "/api/v1/campaigns/plan", { key: keyA, method: "POST", body: { nodeId: seeded.hub.id, platform: "SANDBOX" } })).json());
    const res = await call(campaignsIndex.action, "/api/v1/campaigns", { key: keyA, method: "POST", body: { nodeId: seeded.hub.id, platform: "SANDBOX" } });
    if (!plan.plan.launchable) {
      // Outside the hub's same-day hours right now: the launch is refused with the plan's reasons.
      expect(res.status).toBe(400);
      const body = (await res.json()) as { reasons: Array<{ code: string }> };
      expect(body.reasons.map((r) => r.code)).toEqual(plan.plan.reasons.map((r) => r.code));
      return;
    }
    expect(res.status).toBe(201);
    const created = campaignSchema.parse(await res.json());
    expect(created.status).toBe("DRAFT");
    expect(created.pendingChange).toBe(true);
    launchedId = created.id;

    await drainJobs({ names: ["campaigns.apply"], sleep });
    const got = await call(campaignById.loader, `/api/v1/campaigns/${created.id}`, { key: keyA, params: { id: created.id } });
    expect(got.status).toBe(200);
    const detail = campaignSchema.parse(await got.json());
    expect(detail.status).toBe("ACTIVE");
    expect(detail.changes[0]).toMatchObject({ action: "LAUNCH", state: "APPLIED" });

    const list = campaignListSchema.parse(await (await call(campaignsIndex.loader, "/api/v1/campaigns", { key: keyA })).json());
    expect(list.data.map((c) => c.id)).toContain(created.id);
  });

  it("refuses a budget under the account's minimum with 400 naming the field", async () => {
    const res = await call(campaignsIndex.action, "/api/v1/campaigns", { key: keyA, method: "POST", body: { nodeId: seeded.hub.id, platform: "SANDBOX", dailyBudgetMinor: 1 } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toBe("dailyBudgetMinor");
  });

  it("refuses an unknown SKU with 400 naming the field", async () => {
    const res = await call(campaignsIndex.action, "/api/v1/campaigns", { key: keyA, method: "POST", body: { nodeId: seeded.hub.id, platform: "SANDBOX", skus: ["NOPE-1"] } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toBe("skus");
  });

  it("another shop's key sees none of it and gets 404 for the campaign", async () => {
    const someId =
      launchedId ??
      (
        await db.campaign.create({
          data: { shopId: seeded.shop.id, nodeId: seeded.hub.id, platform: "SANDBOX", name: "A's campaign", currency: "USD", dailyBudgetMinor: 500, plannedBudgetMinor: 500, startsOn: "2026-12-07", endsOn: "2026-12-27", centerLat: 40.7, centerLng: -73.9, radiusM: 3000, planJson: "{}", utmCampaign: "a-only" },
        })
      ).id;
    expect((await call(campaignById.loader, `/api/v1/campaigns/${someId}`, { key: keyA, params: { id: someId } })).status).toBe(200);
    const got = await call(campaignById.loader, `/api/v1/campaigns/${someId}`, { key: keyB, params: { id: someId } });
    expect(got.status).toBe(404);
    const list = campaignListSchema.parse(await (await call(campaignsIndex.loader, "/api/v1/campaigns", { key: keyB })).json());
    expect(list.data).toEqual([]);
  });

  it("is described in the OpenAPI document", async () => {
    const doc = (await (await openApiLoader({ request: new Request("http://127.0.0.1:3000/api/v1/openapi.json"), params: {}, context: {} } as never)).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.paths["/campaigns/plan"].post.operationId).toBe("planCampaign");
    expect(doc.paths["/campaigns"].post.operationId).toBe("launchCampaign");
    expect(doc.paths["/campaigns"].get.operationId).toBe("listCampaigns");
    expect(doc.paths["/campaigns/{id}"].get.operationId).toBe("getCampaign");
    for (const id of ["CampaignPlanRequest", "CampaignLaunchRequest", "PlannedCampaign", "Campaign", "CampaignList"]) expect(doc.components.schemas[id]).toBeDefined();
  });
});
