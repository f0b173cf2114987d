// The Campaigns admin pages called as Remix calls them (issue 15 item 6): real Requests to the real
// loaders and actions in demo mode, on the demo marketplace, through the real campaigns service on
// the sandbox platform. The three launch steps (a plan with its area cells drawn, a refused budget
// beside its field, a typo caught before the planner, a hub that may not run showing why with no way
// forward), Launch, the list and the detail with Pause; another shop's campaign and an unknown id
// are not found (the house's 404 naming the thing).
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.NEARHUB_DEMO = "1";
});

import { db } from "~/db.server";
import * as listPage from "~/routes/app.campaigns._index";
import * as newPage from "~/routes/app.campaigns.new";
import * as detailPage from "~/routes/app.campaigns.$id";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { makeNode, makeShop } from "../support/factories";

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
interface Outcome {
  status: number;
  location: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function call(fn: Fn, path: string, opts: { form?: Record<string, string | string[]>; params?: Record<string, string> } = {}): Promise<Outcome> {
  let body: FormData | undefined;
  if (opts.form) {
    body = new FormData();
    for (const [k, v] of Object.entries(opts.form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  }
  const request = new Request(`http://127.0.0.1:3000${path}`, opts.form ? { method: "POST", body } : {});
  try {
    const out = await fn({ request, params: opts.params ?? {}, context: {} });
    if (out instanceof Response) return { status: out.status, location: out.headers.get("Location"), body: null };
    const d = out as { type?: string; data?: unknown; init?: { status?: number } | null };
    if (d && d.type === "DataWithResponseInit") return { status: d.init?.status ?? 200, location: null, body: d.data };
    return { status: 200, location: null, body: out };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, location: thrown.headers.get("Location"), body: await thrown.text() };
    throw thrown;
  }
}

let shopId: string;
let hubId: string;
let disabledHubId: string;
let launchedId: string;

beforeAll(async () => {
  ({ shopId } = await seedDemoMarketplace(db, { now: new Date(), orderDays: 30 }));
  // The busiest active micro-hub in New York: Williamsburg's, in the demo.
  const hubs = await db.node.findMany({ where: { shopId, kind: "MICRO_HUB", status: "ACTIVE" }, include: { _count: { select: { stockLevels: true } } } });
  hubId = (hubs.find((h) => /williamsburg/i.test(h.name)) ?? hubs.sort((a, b) => b._count.stockLevels - a._count.stockLevels)[0]).id;
  const other = hubs.find((h) => h.id !== hubId)!;
  await db.node.update({ where: { id: other.id }, data: { status: "DISABLED" } });
  disabledHubId = other.id;
}, 240_000);

const q = (params: Record<string, string>) => `/app/campaigns/new?${new URLSearchParams(params).toString()}`;

describe("launching a campaign in three steps", () => {
  it("step 1 without a hub lists the shop's nodes and plans nothing", async () => {
    const out = await call(newPage.loader as Fn, "/app/campaigns/new");
    expect(out.status).toBe(200);
    expect(out.body.step).toBe(1);
    expect(out.body.planned).toBeNull();
    expect(out.body.hubs.map((h: { id: string }) => h.id)).toContain(hubId);
    // Sandbox is always offered; in the demo it is the default.
    expect(out.body.platforms.options.map((o: { value: string }) => o.value)).toContain("SANDBOX");
    expect(out.body.choices.platform).toBe("SANDBOX");
  });

  it("step 1 with a hub shows the plan's area: a circle and demand cells with their hexagon boundaries", async () => {
    const out = await call(newPage.loader as Fn, q({ step: "1", hub: hubId, platform: "SANDBOX" }));
    expect(out.body.errors).toEqual({});
    const plan = out.body.planned.plan;
    expect(plan.launchable).toBe(true);
    expect(plan.area.radiusM).toBeGreaterThan(0);
    expect(plan.area.explanation.length).toBeGreaterThan(0);
    expect(out.body.cells.length).toBe(plan.area.cells.length);
    for (const c of out.body.cells) expect(c.boundary.length).toBeGreaterThanOrEqual(5);
  });

  it("step 2 → 3 with a typo in the budget stays on step 2 with the error beside the budget, before asking the planner", async () => {
    const out = await call(newPage.loader as Fn, q({ step: "3", hub: hubId, platform: "SANDBOX", budget: "twenty", days: "21" }));
    expect(out.body.step).toBe(2);
    expect(out.body.errors.budget).toMatch(/^Daily budget: /);
    expect(out.body.errors.days).toBeUndefined();
    const days = await call(newPage.loader as Fn, q({ step: "3", hub: hubId, platform: "SANDBOX", days: "0" }));
    expect(days.body.step).toBe(2);
    expect(days.body.errors.days).toMatch(/whole number/);
  });

  it("a budget under the account's minimum is refused by the service, shown beside the budget field", async () => {
    const out = await call(newPage.loader as Fn, q({ step: "3", hub: hubId, platform: "SANDBOX", budget: "0.01" }));
    expect(out.body.step).toBe(2);
    expect(out.body.errors.budget).toBeTruthy();
    // The plan is still there to show the suggestion beside the error.
    expect(out.body.planned.plan.budget.minimumMinor).toBeGreaterThan(1);
    const before = await db.campaign.count({ where: { shopId } });
    const launch = await call(newPage.action as Fn, "/app/campaigns/new", { form: { hub: hubId, platform: "SANDBOX", budget: "0.01" } });
    expect(launch.status).toBe(400);
    expect(launch.body.errors.budget).toBeTruthy();
    expect(await db.campaign.count({ where: { shopId } })).toBe(before);
  });

  it("step 3 reviews the exact requests, the guardrails and the UTM", async () => {
    const out = await call(newPage.loader as Fn, q({ step: "3", hub: hubId, platform: "SANDBOX", budget: "25.00", days: "21" }));
    expect(out.body.step).toBe(3);
    const { plan, payloads } = out.body.planned;
    expect(plan.budget.dailyMinor).toBe(2500);
    expect(plan.budget.days).toBe(21);
    expect(payloads.length).toBeGreaterThan(0);
    for (const p of payloads) expect(p.url).toMatch(/^https?:\/\//);
    expect(plan.guardrails.length).toBeGreaterThan(0);
    expect(plan.utm.campaign).toBeTruthy();
  });

  it("a hub that may not run a campaign shows why and never reaches a later step", async () => {
    const out = await call(newPage.loader as Fn, q({ step: "3", hub: disabledHubId, platform: "SANDBOX" }));
    expect(out.body.step).toBe(1);
    expect(out.body.planned.plan.launchable).toBe(false);
    expect(out.body.planned.plan.reasons.length).toBeGreaterThan(0);
    for (const r of out.body.planned.plan.reasons) expect(r.message).not.toMatch(/^[A-Z_]+$/);
  });

  it("a smaller radius typed in the shop's units narrows the circle; a typo or one under the platform's minimum is said beside the radius", async () => {
    const base = await call(newPage.loader as Fn, q({ step: "1", hub: hubId, platform: "SANDBOX" }));
    const perUnit = base.body.miles ? 1609.344 : 1000;
    const reach = base.body.planned.plan.area.radiusM as number;
    const smaller = Math.floor(reach / 2 / perUnit);
    const narrowed = await call(newPage.loader as Fn, q({ step: "2", hub: hubId, platform: "SANDBOX", radius: String(smaller) }));
    expect(narrowed.body.errors).toEqual({});
    expect(narrowed.body.step).toBe(2);
    // At most the radius asked (the planner may narrow further, to where the orders are).
    expect(narrowed.body.planned.plan.area.radiusM).toBeLessThanOrEqual(Math.round(smaller * perUnit));
    expect(narrowed.body.planned.plan.area.radiusM).toBeLessThan(reach);
    const typo = await call(newPage.loader as Fn, q({ step: "2", hub: hubId, platform: "SANDBOX", radius: "far" }));
    expect(typo.body.step).toBe(1);
    expect(typo.body.errors.radius).toMatch(/^Radius: enter a distance/);
    const tiny = await call(newPage.loader as Fn, q({ step: "2", hub: hubId, platform: "SANDBOX", radius: "0.1" }));
    expect(tiny.body.step).toBe(1);
    expect(tiny.body.errors.radius).toBeTruthy();
    expect(tiny.body.errors.radius).not.toMatch(/^radiusM:/);
    // The hub's own plan is still drawn beside the error.
    expect(tiny.body.planned.plan.area.radiusM).toBe(reach);
  });

  it("an unknown hub is an error beside the hub field", async () => {
    const out = await call(newPage.loader as Fn, q({ step: "1", hub: "no-such-hub", platform: "SANDBOX" }));
    expect(out.body.errors.hub).toBeTruthy();
    expect(out.body.step).toBe(1);
  });

  it("Launch creates the campaign on the sandbox and goes to its page", async () => {
    const before = await db.campaign.count({ where: { shopId } });
    const out = await call(newPage.action as Fn, "/app/campaigns/new", { form: { hub: hubId, platform: "SANDBOX", budget: "25.00", days: "21" } });
    expect(out.status).toBe(302);
    expect(out.location).toMatch(/^\/app\/campaigns\/[^/]+$/);
    launchedId = out.location!.split("/").pop()!;
    expect(await db.campaign.count({ where: { shopId } })).toBe(before + 1);
    expect(await db.campaign.findUniqueOrThrow({ where: { id: launchedId } })).toMatchObject({ shopId, nodeId: hubId, platform: "SANDBOX", plannedBudgetMinor: 2500 });
  });
});

describe("the list and one campaign", () => {
  it("shows the demo's campaigns: one running with three weeks of results, one paused by its guardrails with the reasons in words", async () => {
    const out = await call(listPage.loader as Fn, "/app/campaigns");
    const campaigns = out.body.campaigns as Array<{ hubName: string; status: string; wantStatus: string; lastReasons: { sentence: string }[]; totals: { spendMinor: number } }>;
    const running = campaigns.find((c) => c.status === "ACTIVE" && c.totals.spendMinor > 0);
    expect(running).toBeTruthy();
    const paused = campaigns.find((c) => c.status === "PAUSED");
    expect(paused?.lastReasons.length).toBeGreaterThan(0);
    for (const r of paused!.lastReasons) expect(r.sentence).not.toMatch(/^[A-Z_]+$|^$/);
    // The chart's days: summed across campaigns, at least the three weeks of the running one.
    expect(out.body.days.length).toBeGreaterThanOrEqual(14);
    const spend = out.body.days.reduce((sum: number, d: { spendMinor: number }) => sum + d.spendMinor, 0);
    expect(spend).toBe(campaigns.reduce((sum, c) => sum + c.totals.spendMinor, 0));
  });

  it("lists the launched campaign with its figures and the per-day series", async () => {
    const out = await call(listPage.loader as Fn, "/app/campaigns");
    expect(out.status).toBe(200);
    const mine = out.body.campaigns.find((c: { id: string }) => c.id === launchedId);
    expect(mine).toMatchObject({ nodeId: hubId, platform: "SANDBOX", currency: "USD" });
    expect(out.body.currency).toBe("USD");
    for (let i = 1; i < out.body.days.length; i++) expect(out.body.days[i].day > out.body.days[i - 1].day).toBe(true);
  });

  it("shows the campaign with its change log and area cells", async () => {
    const out = await call(detailPage.loader as Fn, `/app/campaigns/${launchedId}`, { params: { id: launchedId } });
    expect(out.status).toBe(200);
    expect(out.body.campaign.id).toBe(launchedId);
    expect(out.body.campaign.changes.map((c: { action: string }) => c.action)).toContain("LAUNCH");
    expect(out.body.cells.length).toBe(out.body.campaign.plan.area.cells.length);
  });

  it("Pause is the merchant's change: recorded, and the page says so without claiming what the platform has not confirmed", async () => {
    const out = await call(detailPage.action as Fn, `/app/campaigns/${launchedId}`, { params: { id: launchedId }, form: { intent: "PAUSE" } });
    expect(out.status).toBe(200);
    expect(out.body.ok).toBe(true);
    const row = await db.campaign.findUniqueOrThrow({ where: { id: launchedId } });
    expect(row.wantStatus).toBe("PAUSED");
    expect(out.body.message).toMatch(row.status === "PAUSED" ? /^Done/ : /^Asked the platform/);
    const change = await db.campaignChange.findFirstOrThrow({ where: { campaignId: launchedId, action: "PAUSE" } });
    expect(change.actor).toBe("MERCHANT");
  });

  it("refuses an intent it does not know, naming what to choose", async () => {
    const out = await call(detailPage.action as Fn, `/app/campaigns/${launchedId}`, { params: { id: launchedId }, form: { intent: "DELETE" } });
    expect(out.status).toBe(400);
    expect(out.body.message).toMatch(/pause, resume or end/);
  });

  it("an unknown id and another shop's campaign are the house's 404 naming a campaign", async () => {
    const unknown = await call(detailPage.loader as Fn, "/app/campaigns/nope", { params: { id: "nope" } });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({ notFound: "campaign" });
    // Another shop's campaign: a copy of the launched one under a shop that is not the demo's.
    const other = await makeShop(db);
    const source = await db.campaign.findUniqueOrThrow({ where: { id: launchedId } });
    const node = await makeNode(db, other.id, { name: "Elsewhere hub" });
    const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = source;
    const theirs = await db.campaign.create({ data: { ...copy, shopId: other.id, nodeId: node.id, connectionId: null, utmCampaign: `${source.utmCampaign}-x` } });
    const foreign = await call(detailPage.loader as Fn, `/app/campaigns/${theirs.id}`, { params: { id: theirs.id } });
    expect(foreign.status).toBe(404);
    const act = await call(detailPage.action as Fn, `/app/campaigns/${theirs.id}`, { params: { id: theirs.id }, form: { intent: "END" } });
    expect(act.status).toBe(404);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: theirs.id } })).wantStatus).toBe(source.wantStatus);
  });
});
