// What the admin pages and the open API read about campaigns (issue 15 items 6 and 7): the list with
// status, reasons for the last change and totals, one campaign with its plan, days and change log;
// and the merchant's own pause, resume and end (actor MERCHANT: written PENDING with its apply job,
// the status moves only when the platform confirmed it). Every query names the shop.
import type { Campaign, CampaignChange, CampaignDay } from "@prisma/client";
import { profitRoasBps, roasBps } from "~/core/promotions";
import type { AdPlatform, CampaignPlan } from "~/core/promotions/types";
import { reasonTitle } from "~/core/network/reasons";
import type { RuleRef } from "~/core/rules/registry";
import { db } from "~/db.server";
import { writeChange } from "./guardrails.server";
import {
  CampaignInputError,
  type CampaignChangeView,
  type CampaignDayView,
  type CampaignDetail,
  type CampaignReasonView,
  type CampaignStatus,
  type CampaignSummary,
  type CampaignTotals,
} from "./types";

function parseJson<T>(json: string | null | undefined, fallback: T): T {
  if (!json) return fallback;
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

/** A stored reason as people read it: the vocabulary's title and tone beside its sentence. */
export function reasonView(r: { code: string; message: string }): CampaignReasonView {
  const { title, tone } = reasonTitle(r.code);
  return { code: r.code, title, sentence: r.message, tone };
}

const reasonsOf = (json: string) => parseJson<Array<{ code: string; message: string }>>(json, []).map(reasonView);

type DaySums = Pick<CampaignDay, "spendMinor" | "orders" | "revenueMinor" | "landedCostMinor">;

export function totalsOf(days: readonly DaySums[]): CampaignTotals {
  let spendMinor = 0;
  let orders = 0;
  let revenueMinor = 0;
  let landedCostMinor = 0;
  for (const d of days) {
    spendMinor += d.spendMinor;
    orders += d.orders;
    revenueMinor += d.revenueMinor;
    landedCostMinor += d.landedCostMinor;
  }
  return {
    spendMinor,
    orders,
    revenueMinor,
    landedCostMinor,
    profitMinor: revenueMinor - landedCostMinor - spendMinor,
    roasBps: roasBps(revenueMinor, spendMinor),
    profitRoasBps: profitRoasBps(revenueMinor, landedCostMinor, spendMinor),
  };
}

function summaryOf(c: Campaign & { node: { name: string } }, totals: CampaignTotals, pendingChange: boolean): CampaignSummary {
  return {
    id: c.id,
    name: c.name,
    nodeId: c.nodeId,
    hubName: c.node.name,
    platform: c.platform as AdPlatform,
    status: c.status as CampaignStatus,
    wantStatus: c.wantStatus as CampaignSummary["wantStatus"],
    pendingChange,
    lastError: c.lastError,
    currency: c.currency,
    dailyBudgetMinor: c.dailyBudgetMinor,
    plannedBudgetMinor: c.plannedBudgetMinor,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    radiusM: c.radiusM,
    latitude: c.centerLat,
    longitude: c.centerLng,
    utmCampaign: c.utmCampaign,
    lastReasons: reasonsOf(c.lastReasonsJson),
    totals,
  };
}

function changeView(ch: CampaignChange): CampaignChangeView {
  return {
    id: ch.id,
    at: ch.createdAt.toISOString(),
    action: ch.action as CampaignChangeView["action"],
    actor: ch.actor as CampaignChangeView["actor"],
    fromStatus: ch.fromStatus,
    toStatus: ch.toStatus,
    budgetFrom: ch.budgetFrom,
    budgetTo: ch.budgetTo,
    state: ch.state as CampaignChangeView["state"],
    attempts: ch.attempts,
    error: ch.error,
    reasons: reasonsOf(ch.reasonsJson),
    request: parseJson<unknown>(ch.requestJson, null),
  };
}

function dayView(d: CampaignDay): CampaignDayView {
  return { day: d.day, impressions: d.impressions, clicks: d.clicks, ...totalsOf([d]) };
}

/** The shop's campaigns, newest first, with their totals. */
export async function listCampaigns(shopId: string): Promise<CampaignSummary[]> {
  const rows = await db.campaign.findMany({ where: { shopId }, include: { node: { select: { name: true } } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [sums, pending] = await Promise.all([
    db.campaignDay.groupBy({ by: ["campaignId"], where: { shopId, campaignId: { in: ids } }, _sum: { spendMinor: true, orders: true, revenueMinor: true, landedCostMinor: true } }),
    db.campaignChange.groupBy({ by: ["campaignId"], where: { shopId, campaignId: { in: ids }, state: "PENDING" }, _count: { _all: true } }),
  ]);
  const sumBy = new Map(sums.map((s) => [s.campaignId, s._sum]));
  const pendingBy = new Set(pending.map((p) => p.campaignId));
  return rows.map((r) => {
    const s = sumBy.get(r.id);
    const totals = totalsOf([{ spendMinor: s?.spendMinor ?? 0, orders: s?.orders ?? 0, revenueMinor: s?.revenueMinor ?? 0, landedCostMinor: s?.landedCostMinor ?? 0 }]);
    return summaryOf(r, totals, pendingBy.has(r.id));
  });
}

/** One campaign of the shop with its plan, days and change log (newest first), or null. */
export async function campaignDetail(shopId: string, id: string): Promise<CampaignDetail | null> {
  const c = await db.campaign.findFirst({
    where: { id, shopId },
    include: {
      node: { select: { name: true } },
      days: { orderBy: { day: "asc" } },
      changes: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 200 },
    },
  });
  if (!c) return null;
  const totals = totalsOf(c.days);
  return {
    ...summaryOf(c, totals, c.changes.some((ch) => ch.state === "PENDING")),
    plan: parseJson<CampaignPlan>(c.planJson, {} as CampaignPlan),
    guardrails: parseJson<RuleRef[]>(c.guardrailsJson, []),
    skus: parseJson<Array<{ productId: string; sku: string }>>(c.skusJson, []),
    discountCode: c.discountCode,
    shopifyActivityId: c.shopifyActivityId,
    days: c.days.map(dayView),
    changes: c.changes.map(changeView),
  };
}

export type MerchantAction = "PAUSE" | "RESUME" | "END";

/** The merchant pauses, resumes or ends a campaign: written PENDING with its apply job; the status follows the platform. */
export async function setCampaignState(shopId: string, id: string, action: MerchantAction, now = Date.now()): Promise<CampaignDetail> {
  if (action !== "PAUSE" && action !== "RESUME" && action !== "END") throw new CampaignInputError(`action: must be PAUSE, RESUME or END`, "action");
  const campaign = await db.campaign.findFirst({ where: { id, shopId } });
  if (!campaign) throw new CampaignInputError(`campaign ${id} was not found`, "id", 404);
  if (campaign.wantStatus === "ENDED" || campaign.status === "ENDED") throw new CampaignInputError("action: the campaign has ended", "action", 409);
  if (campaign.status === "FAILED") throw new CampaignInputError("action: the campaign failed to launch; launch a new one", "action", 409);
  const toStatus = action === "PAUSE" ? "PAUSED" : action === "RESUME" ? "ACTIVE" : "ENDED";
  if (campaign.wantStatus !== toStatus) {
    // The change's actor (MERCHANT) says why; no guardrail reason applies.
    await db.$transaction(async (tx) => writeChange(tx, campaign, { action, actor: "MERCHANT", toStatus, reasons: [], now }));
  }
  return (await campaignDetail(shopId, id))!;
}
