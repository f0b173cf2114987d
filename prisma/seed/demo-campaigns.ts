// The demo's hyperlocal campaigns (issue 15, item 8), made by the same code that makes them in the
// app, on the sandbox platform (no ad account, spends nothing):
//
// - Williamsburg: launched three weeks ago for four weeks around the Brooklyn micro-hub, running, with
//   three weeks of daily results (the sandbox's deterministic figures within its daily budget) and the
//   Brooklyn orders it brought in those weeks (last-visit UTM and landing page, a few by its local code);
// - East Austin: launched two weeks ago and paused five days ago by its guardrails (profit ROAS under
//   target after the minimum spend), with that change's reasons.
//
// The plans come from the campaigns service (planCampaign, with a campaign key drawn from the seed's
// random stream, so the UTMs and the sandbox's figures are the same every run for the same seed and
// clock); the rows are written as launch and campaigns.apply write them (a LAUNCH change APPLIED with
// its requests); the days, attribution and landed cost come from the nightly results job's own
// refreshResults (no engagements: the demo has no store). Runs after routing (landed costs of the
// hubs' shipments) and deliveries.
import type { PrismaClient } from "@prisma/client";
import { DateTime } from "luxon";
import { evaluateGuardrails } from "../../app/core/promotions";
import type { CampaignPlan } from "../../app/core/promotions/types";
import { accountFor, connectSandbox } from "../../app/services/ads/connections.server";
import { adapterFor } from "../../app/services/ads/index.server";
import { campaignName, planCampaign } from "../../app/services/campaigns/plan.server";
import { refreshResults } from "../../app/services/campaigns/results.server";
import { guardrailState } from "../../app/services/campaigns/guardrails.server";
import { greatCircleM } from "../../app/core/geo/distance";
import { substream, type Rng } from "./random";

const DAY_MS = 86_400_000;

export interface SeedDemoCampaignsResult {
  campaigns: number;
  campaignDays: number;
  attributedOrders: number;
}

const hex = (rng: Rng, n: number) => Array.from({ length: n }, () => Math.floor(rng.next() * 16).toString(16)).join("");

interface Launched {
  id: string;
  plan: CampaignPlan;
  remote: { campaignId: string; adSetId: string };
}

/** A campaign as launchCampaign writes it and campaigns.apply confirms it: ACTIVE on the sandbox, its LAUNCH change APPLIED. */
async function launch(db: PrismaClient, shopId: string, nodeId: string, opts: { at: number; days: number; rng: Rng; discountCode: string | null }): Promise<Launched | null> {
  // The planner mints utm_campaign as <hub handle>-<key>.
  const key = hex(opts.rng, 8);
  const planned = await planCampaign(shopId, { nodeId, platform: "SANDBOX", days: opts.days }, opts.at, { campaignKey: key });
  const { plan } = planned;
  // A marketplace seeded with too little history or stock for a hub: no campaign there, as the app would refuse it.
  if (!plan.launchable) return null;
  const remote = { campaignId: `sbx-cmp-${hex(opts.rng, 12)}`, adSetId: `sbx-adset-${hex(opts.rng, 12)}` };
  const connection = await db.adConnection.findUniqueOrThrow({ where: { shopId_platform: { shopId, platform: "SANDBOX" } }, select: { id: true } });
  const daily = plan.budget.dailyMinor;
  const campaign = await db.campaign.create({
    data: {
      shopId,
      nodeId,
      connectionId: connection.id,
      platform: "SANDBOX",
      name: campaignName(plan),
      status: "ACTIVE",
      wantStatus: "ACTIVE",
      currency: plan.budget.currency,
      dailyBudgetMinor: daily,
      plannedBudgetMinor: daily,
      startsOn: plan.startsOn,
      endsOn: plan.endsOn,
      centerLat: plan.area.latitude,
      centerLng: plan.area.longitude,
      radiusM: plan.area.radiusM,
      skusJson: JSON.stringify(plan.products.map((p) => ({ productId: p.productId, sku: p.sku }))),
      guardrailsJson: JSON.stringify(plan.guardrails),
      planJson: JSON.stringify(plan),
      utmCampaign: plan.utm.campaign,
      discountCode: opts.discountCode,
      remoteCampaignId: remote.campaignId,
      remoteAdSetId: remote.adSetId,
      lastReasonsJson: JSON.stringify(plan.reasons),
      lastCheckedAt: new Date(opts.at),
      createdAt: new Date(opts.at),
    },
  });
  await db.campaignChange.create({
    data: {
      shopId,
      campaignId: campaign.id,
      action: "LAUNCH",
      actor: "MERCHANT",
      fromStatus: "DRAFT",
      toStatus: "ACTIVE",
      budgetTo: daily,
      reasonsJson: JSON.stringify(plan.reasons),
      requestJson: JSON.stringify(planned.payloads),
      state: "APPLIED",
      attempts: 1,
      createdAt: new Date(opts.at),
      appliedAt: new Date(opts.at + 2 * 60_000),
    },
  });
  return { id: campaign.id, plan, remote };
}

/** The shop's orders to the campaign's circle in its window (oldest first), some of which it brought. */
async function ordersInCircle(db: PrismaClient, shopId: string, plan: CampaignPlan, from: number, to: number) {
  const orders = await db.order.findMany({
    where: { shopId, cancelledAt: null, placedAt: { gte: new Date(from), lt: new Date(to) }, destLatitude: { not: null }, destLongitude: { not: null } },
    select: { id: true, placedAt: true, destLatitude: true, destLongitude: true, lines: { select: { sku: true, product: { select: { sku: true } } }, take: 1 } },
    orderBy: [{ placedAt: "asc" }, { id: "asc" }],
  });
  return orders.filter((o) => greatCircleM(plan.area.latitude, plan.area.longitude, o.destLatitude!, o.destLongitude!) <= plan.area.radiusM);
}

/** Marks `perDay` orders a day (on average) as arriving from the campaign's ads: UTM and landing page, or its local code. */
async function attributeSome(db: PrismaClient, plan: CampaignPlan, discountCode: string | null, orders: Awaited<ReturnType<typeof ordersInCircle>>, days: number, perDay: number, rng: Rng): Promise<void> {
  const share = orders.length ? Math.min(1, (perDay * days) / orders.length) : 0;
  const { campaign, source, medium } = plan.utm;
  for (const o of orders) {
    if (rng.next() >= share) continue;
    const path = `/products/${(o.lines[0]?.product?.sku ?? o.lines[0]?.sku ?? "shop").toLowerCase()}`;
    const query = `utm_source=${source}&utm_medium=${medium}&utm_campaign=${campaign}`;
    const how = rng.next();
    const data =
      how < 0.8
        ? { utmCampaign: campaign, utmSource: source, landingPage: `${path}?${query}` } // the last visit's UTM
        : how < 0.9 || !discountCode
          ? { landingPage: `${path}?${query}` } // a journey summary Shopify had not filled: the landing page
          : { discountCodes: discountCode }; // the local code, typed at checkout
    await db.order.update({ where: { id: o.id }, data });
  }
}

/** The latest weekday at 11:00 in `zone` at least `daysBack` days before `now` (inside a hub's same-day hours). */
function weekdayMorning(now: number, zone: string, daysBack: number): number {
  let d = DateTime.fromMillis(now - daysBack * DAY_MS, { zone }).set({ hour: 11, minute: 0, second: 0, millisecond: 0 });
  while (d.weekday > 5) d = d.minus({ days: 1 });
  return d.toMillis();
}

/** The campaign's days as the nightly job had them at `pauseAt`, its guardrails checked then, and the PAUSE they decided applied on the sandbox. */
async function pauseByGuardrails(db: PrismaClient, shopId: string, atx: Launched, atxAt: number, pauseAt: number, rng: Rng): Promise<void> {
  await attributeSome(db, atx.plan, null, await ordersInCircle(db, shopId, atx.plan, atxAt, pauseAt), Math.max(1, (pauseAt - atxAt) / DAY_MS), 0.15, rng);
  await refreshResults(shopId, { campaignId: atx.id, now: pauseAt, admin: null });
  const row = await db.campaign.findUniqueOrThrow({ where: { id: atx.id } });
  const state = await guardrailState(row, atx.plan, { available: true, reasons: [] }, pauseAt);
  const decision = evaluateGuardrails(state, atx.plan.guardrails);
  if (decision.action !== "PAUSE") return;
  const account = await accountFor(shopId, "SANDBOX");
  const request = await adapterFor("SANDBOX").pause(account, { campaignId: atx.remote.campaignId, adSetId: atx.remote.adSetId, budgetId: null });
  await db.campaignChange.create({
    data: {
      shopId,
      campaignId: atx.id,
      action: "PAUSE",
      actor: "GUARDRAIL",
      fromStatus: "ACTIVE",
      toStatus: "PAUSED",
      reasonsJson: JSON.stringify(decision.reasons),
      requestJson: JSON.stringify(request),
      state: "APPLIED",
      attempts: 1,
      createdAt: new Date(pauseAt),
      appliedAt: new Date(pauseAt + 60_000),
    },
  });
  await db.campaign.update({ where: { id: atx.id }, data: { status: "PAUSED", wantStatus: "PAUSED", lastReasonsJson: JSON.stringify(decision.reasons), lastCheckedAt: new Date(pauseAt) } });
}

export async function seedDemoCampaigns(db: PrismaClient, opts: { shopId: string; now: Date; seed?: number }): Promise<SeedDemoCampaignsResult> {
  const now = opts.now.getTime();
  const rng = substream(opts.seed ?? 1001, "campaigns");
  const shopId = opts.shopId;
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } });
  const hubs = new Map((await db.node.findMany({ where: { shopId, handle: { in: ["nyc-bk-hub", "atx-east-hub"] } }, select: { id: true, handle: true, timezone: true } })).map((n) => [n.handle, n]));
  const brooklyn = hubs.get("nyc-bk-hub");
  const austin = hubs.get("atx-east-hub");
  if (!brooklyn || !austin) return { campaigns: 0, campaignDays: 0, attributedOrders: 0 };
  await connectSandbox(shopId, shop.currency);

  // Williamsburg: three weeks in, a week to go.
  const bkAt = weekdayMorning(now, brooklyn.timezone, 21);
  const bk = await launch(db, shopId, brooklyn.id, { at: bkAt, days: 28, rng, discountCode: "BKSAMEDAY10" });
  if (bk) await attributeSome(db, bk.plan, "BKSAMEDAY10", await ordersInCircle(db, shopId, bk.plan, bkAt, now), Math.max(1, (now - bkAt) / DAY_MS), 2.5, rng);

  // East Austin: nine days of spend that brought too little, then its guardrails paused it.
  const atxAt = weekdayMorning(now, austin.timezone, 14);
  const atx = await launch(db, shopId, austin.id, { at: atxAt, days: 21, rng, discountCode: null });
  if (atx) await pauseByGuardrails(db, shopId, atx, atxAt, weekdayMorning(now, austin.timezone, 5), rng);

  // Every campaign's days up to now: the sandbox's figures, the attributed orders, their landed cost.
  await refreshResults(shopId, { now, admin: null });
  return {
    campaigns: await db.campaign.count({ where: { shopId } }),
    campaignDays: await db.campaignDay.count({ where: { shopId } }),
    attributedOrders: await db.order.count({ where: { shopId, campaignId: { not: null } } }),
  };
}
