// The campaign planner (issue 15 item 1): for one hub, the circle it can serve same-day now (within
// the platform's radius limits, narrowed to where past orders are), the H3 cells inside it weighted
// by those orders, the products with stock enough to advertise (restocked returns first), a
// three-week micro-budget (never under the account minimum; a suggestion from the landed cost
// per order, the average order and the target ROAS), the hours when same-day is still possible,
// the UTM, and the guardrails that will run it. Pure: the services load every input, the clock
// is `now`. Every part explains itself in sentences from core/network/reasons.
import { cellToLatLng, getHexagonAreaAvg, getHexagonEdgeLengthAvg, gridDisk, latLngToCell, UNITS } from "h3-js";
import { DateTime } from "luxon";
import { greatCircleM } from "../geo/distance";
import { reason, sentence, type Reason } from "../network/reasons";
import { defaultGuardrails } from "./guardrails";
import { sameDayWindows } from "./hours";
import { clampRadius, PLATFORM_NAMES } from "./radius";
import type { RoasBasis } from "./roas";
import { campaignUtm } from "./utm";
import type { CampaignPlan, DemandPoint, HubStockLine, PlanCell, PlanInput } from "./types";

export const PLAN_H3_RESOLUTION = 8;
/** Three weeks: the playbook's hyperlocal test. */
export const DEFAULT_CAMPAIGN_DAYS = 21;
/** The circle narrows to the radius holding this share of the past orders inside the reach. */
export const DEMAND_SHARE = 0.9;
/** Fewer past orders than this inside the reach say too little to narrow the circle. */
export const MIN_POINTS_TO_NARROW = 10;
/** The circle is narrowed in steps of this many metres (rounded up). */
export const RADIUS_STEP_M = 100;
/** Circles up to about this many cells list every cell (empty ones with weight 0); wider ones only those with orders. */
export const MAX_CIRCLE_CELLS = 2000;
const CELL_AREA_M2 = getHexagonAreaAvg(PLAN_H3_RESOLUTION, UNITS.m2);
// Neighbouring centres are about edge × √3 apart; stepping one edge per ring over-covers the circle safely.
const CELL_EDGE_M = getHexagonEdgeLengthAvg(PLAN_H3_RESOLUTION, UNITS.m);
/** A product is advertised with at least this many units at the hub… */
export const PRODUCT_MIN_UNITS = 3;
/** …and at least this many days of its local demand. */
export const PRODUCT_COVER_DAYS = 3;
/** Default targets: profit ROAS 0.50x (profit after landed cost and ad spend, per unit of spend); revenue ROAS 3.00x. */
export const DEFAULT_TARGET_ROAS_BPS: Record<RoasBasis, number> = { PROFIT: 5_000, REVENUE: 30_000 };
/** Ad-driven orders a day the suggested budget pays for (a micro-budget test). */
export const DEFAULT_ORDERS_PER_DAY = 1;
/** Days of the daily budget spent before the ROAS guardrail judges. */
export const ROAS_LEARNING_DAYS = 3;

/** Units a stock line needs behind an ad: the minimum, or a few days of its local demand. */
export function unitsToAdvertise(line: Pick<HubStockLine, "dailyDemand">): number {
  return Math.max(PRODUCT_MIN_UNITS, Math.ceil(Math.max(0, line.dailyDemand) * PRODUCT_COVER_DAYS));
}

interface Area {
  radiusM: number;
  cells: PlanCell[];
  explanation: string[];
  blocker: Reason | null;
}

function planArea(input: PlanInput): Area {
  const { hub, limits } = input;
  const platform = PLATFORM_NAMES[input.platform];
  const reachM = Number.isFinite(input.sameDayReachM) ? Math.max(0, input.sameDayReachM) : 0;
  const explanation = [sentence("CAMPAIGN_AREA", { hub: hub.name, reachM })];
  let radiusM = clampRadius(reachM, limits);
  let blocker: Reason | null = null;
  if (reachM > limits.maxM) explanation.push(sentence("CAMPAIGN_AREA", { platform, reachM, maxM: limits.maxM }));
  if (reachM < limits.minM) {
    explanation.push(sentence("CAMPAIGN_AREA", { platform, reachM, minM: limits.minM }));
    blocker = reason("CAMPAIGN_REACH_UNDER_MINIMUM", { hub: hub.name, reachM, minM: limits.minM, platform });
  }

  const withinM = Math.min(reachM, radiusM);
  const inside: Array<{ point: DemandPoint; d: number }> = [];
  for (const point of input.demand) {
    const d = greatCircleM(hub.latitude, hub.longitude, point.latitude, point.longitude);
    if (d <= withinM) inside.push({ point, d });
  }
  if (!blocker) {
    if (inside.length >= MIN_POINTS_TO_NARROW) {
      const sorted = inside.map((p) => p.d).sort((a, b) => a - b);
      const covering = sorted[Math.ceil(DEMAND_SHARE * sorted.length) - 1];
      const candidate = Math.max(limits.minM, Math.ceil(covering / RADIUS_STEP_M) * RADIUS_STEP_M);
      const share = Math.round(DEMAND_SHARE * 100);
      if (candidate < radiusM) {
        explanation.push(sentence("CAMPAIGN_AREA", { shrunkToM: candidate, share, points: inside.length, withinM: radiusM }));
        radiusM = candidate;
      } else {
        explanation.push(sentence("CAMPAIGN_AREA", { spreadM: covering, share, points: inside.length, withinM: radiusM }));
      }
    } else {
      explanation.push(sentence("CAMPAIGN_AREA", { fewPoints: inside.length, withinM: radiusM }));
    }
  }

  const counts = new Map<string, number>();
  let total = 0;
  for (const { point, d } of inside) {
    if (d > radiusM) continue;
    const cell = latLngToCell(point.latitude, point.longitude, PLAN_H3_RESOLUTION);
    counts.set(cell, (counts.get(cell) ?? 0) + 1);
    total++;
  }
  const withOrders = counts.size;
  let circleCells: number | null = null;
  if ((Math.PI * radiusM * radiusM) / CELL_AREA_M2 <= MAX_CIRCLE_CELLS) {
    for (const cell of gridDisk(latLngToCell(hub.latitude, hub.longitude, PLAN_H3_RESOLUTION), Math.ceil(radiusM / CELL_EDGE_M) + 1)) {
      const [lat, lng] = cellToLatLng(cell);
      if (greatCircleM(hub.latitude, hub.longitude, lat, lng) > radiusM) continue;
      if (!counts.has(cell)) counts.set(cell, 0);
    }
    // with the cells of orders near the edge whose centres fall just outside
    circleCells = counts.size;
  }
  const cells: PlanCell[] = [...counts]
    .map(([h3, orders]) => ({ h3, orders, weight: total > 0 ? orders / total : 0 }))
    .sort((a, b) => b.orders - a.orders || (a.h3 < b.h3 ? -1 : 1));
  explanation.push(
    sentence("CAMPAIGN_AREA", {
      cells: withOrders,
      of: circleCells,
      resolution: PLAN_H3_RESOLUTION,
      topShare: withOrders > 0 ? Math.round(cells[0].weight * 100) : 0,
    }),
  );
  return { radiusM, cells, explanation, blocker };
}

function planProducts(input: PlanInput): { products: CampaignPlan["products"]; skipped: NonNullable<CampaignPlan["skippedProducts"]> } {
  const products: CampaignPlan["products"] = [];
  const skipped: NonNullable<CampaignPlan["skippedProducts"]> = [];
  for (const line of input.stock) {
    const needs = unitsToAdvertise(line);
    if (line.onHand < needs) {
      skipped.push({ productId: line.productId, sku: line.sku, why: sentence("CAMPAIGN_PRODUCT_SKIPPED", { sku: line.sku, onHand: Math.max(0, line.onHand), needs }) });
      continue;
    }
    const restocked = Math.min(Math.max(0, line.restockedReturns), line.onHand);
    const coverDays = line.dailyDemand > 0 ? Math.floor(line.onHand / line.dailyDemand) : null;
    products.push({
      ...line,
      why: sentence("CAMPAIGN_PRODUCT", { onHand: line.onHand, restocked, dailyDemand: line.dailyDemand, coverDays, minUnits: PRODUCT_MIN_UNITS }),
    });
  }
  products.sort(
    (a, b) =>
      Math.min(b.restockedReturns, b.onHand) - Math.min(a.restockedReturns, a.onHand) ||
      b.dailyDemand - a.dailyDemand ||
      b.onHand - a.onHand ||
      (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0),
  );
  return { products, skipped };
}

function planBudget(input: PlanInput, days: number): CampaignPlan["budget"] & { blocker: Reason | null } {
  const { currency } = input;
  const platform = PLATFORM_NAMES[input.platform];
  const basis: RoasBasis = input.target.roasBasis ?? "PROFIT";
  const targetRoasBps = input.target.targetRoasBps ?? DEFAULT_TARGET_ROAS_BPS[basis];
  const minimumMinor = Math.max(0, Math.round(input.minDailyBudgetMinor));
  const ordersPerDay = Math.max(1, Math.round(input.target.ordersPerDay ?? DEFAULT_ORDERS_PER_DAY));
  const aovMinor = Math.max(0, input.averageOrderMinor);
  const landedMinor = Math.max(0, input.landedCostPerOrderMinor);
  const contributionMinor = aovMinor - landedMinor;
  const explanation: string[] = [];

  let computed = 0;
  if (contributionMinor <= 0 && basis === "PROFIT") {
    explanation.push(sentence("CAMPAIGN_BUDGET", { lossPerOrderMinor: -contributionMinor, currency }));
  } else {
    explanation.push(sentence("CAMPAIGN_BUDGET", { aovMinor, landedMinor, contributionMinor, currency }));
    const t = targetRoasBps / 10_000;
    // PROFIT: (margin − ad cost) ÷ ad cost = target  →  ad cost = margin ÷ (1 + target).
    // REVENUE: order ÷ ad cost = target  →  ad cost = order ÷ target.
    const perOrderMinor =
      basis === "PROFIT" ? (t > -1 ? Math.floor(contributionMinor / (1 + t)) : 0) : t > 0 ? Math.floor(aovMinor / t) : 0;
    computed = perOrderMinor * ordersPerDay;
    explanation.push(sentence("CAMPAIGN_BUDGET", { basis, targetBps: targetRoasBps, perOrderMinor, ordersPerDay, suggestedMinor: computed, currency }));
  }
  const suggestedMinor = Math.max(minimumMinor, computed);
  if (suggestedMinor > computed) explanation.push(sentence("CAMPAIGN_BUDGET", { raisedToMinor: minimumMinor, currency, platform }));

  const merchant = input.target.dailyBudgetMinor !== undefined;
  const dailyMinor = merchant ? Math.max(0, Math.round(input.target.dailyBudgetMinor ?? 0)) : suggestedMinor;
  const totalMinor = dailyMinor * days;
  explanation.push(sentence("CAMPAIGN_BUDGET", { dailyMinor, days, totalMinor, currency, merchant }));
  const blocker =
    dailyMinor < minimumMinor ? reason("CAMPAIGN_BUDGET_UNDER_MINIMUM", { budgetMinor: dailyMinor, minimumMinor, currency, platform }) : null;
  return { currency, dailyMinor, days, totalMinor, minimumMinor, suggestedMinor, targetRoasBps, roasBasis: basis, explanation, blocker };
}

/** The plan for one hub's campaign; `launchable` false with `reasons` when nothing should launch. */
export function planCampaign(input: PlanInput): CampaignPlan {
  const { hub } = input;
  const days = Math.max(1, Math.round(input.target.days ?? DEFAULT_CAMPAIGN_DAYS));
  const area = planArea(input);
  const { products, skipped } = planProducts(input);
  const budget = planBudget(input, days);
  const windows = sameDayWindows(hub);
  const hoursExplanation: string[] = [];
  if (windows.length > 0 && hub.sameDayCutoff !== null) {
    hoursExplanation.push(
      sentence("CAMPAIGN_HOURS", { cutoff: hub.sameDayCutoff, zone: hub.timezone, days: new Set(windows.map((w) => w.day)).size }),
    );
  }

  const blockers: Reason[] = [];
  if (!input.availability.available) {
    blockers.push(reason("CAMPAIGN_HUB_UNAVAILABLE", { hub: hub.name, why: input.availability.reasons.map((r) => r.message) }));
  }
  if (area.blocker) blockers.push(area.blocker);
  if (products.length === 0) blockers.push(reason("CAMPAIGN_NO_STOCK", { hub: hub.name, minUnits: PRODUCT_MIN_UNITS, lines: input.stock.length }));
  if (windows.length === 0) blockers.push(reason("CAMPAIGN_NO_SAME_DAY", { hub: hub.name, cutoff: hub.sameDayCutoff }));
  if (budget.blocker) blockers.push(budget.blocker);
  const launchable = blockers.length === 0;

  const start = DateTime.fromMillis(input.now, { zone: input.shopTimezone });
  if (!start.isValid) throw new Error(`unknown time zone "${input.shopTimezone}"`);
  const startsOn = start.toISODate() ?? "";
  const endsOn = start.plus({ days: days - 1 }).toISODate() ?? "";
  const platform = PLATFORM_NAMES[input.platform];

  const { blocker: _blocker, ...budgetOut } = budget;
  return {
    hubId: hub.id,
    hubName: hub.name,
    platform: input.platform,
    launchable,
    reasons: launchable ? [reason("CAMPAIGN_READY", { hub: hub.name })] : blockers,
    area: {
      latitude: hub.latitude,
      longitude: hub.longitude,
      radiusM: area.radiusM,
      h3Resolution: PLAN_H3_RESOLUTION,
      cells: area.cells,
      explanation: area.explanation,
    },
    products,
    skippedProducts: skipped,
    budget: budgetOut,
    hours: { timezone: hub.timezone, windows, explanation: hoursExplanation },
    utm: campaignUtm(input.platform, hub.handle, input.campaignKey),
    guardrails: defaultGuardrails({
      minUnits: PRODUCT_MIN_UNITS,
      minSpendMinor: budget.dailyMinor * ROAS_LEARNING_DAYS,
      targetRoasBps: budget.targetRoasBps,
      basis: budget.roasBasis,
    }),
    startsOn,
    endsOn,
    explanation: [
      sentence("CAMPAIGN_PLAN", {
        hub: hub.name,
        days,
        startsOn,
        endsOn,
        radiusM: area.radiusM,
        products: products.length,
        dailyMinor: budget.dailyMinor,
        totalMinor: budget.totalMinor,
        currency: budget.currency,
        platform,
      }),
      ...(launchable ? [] : blockers.map((r) => r.message)),
    ],
  };
}
