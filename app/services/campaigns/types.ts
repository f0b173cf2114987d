// What the campaigns service answers the admin pages and the open API (issue 15). The functions
// live in ./index.server.ts:
//
//   planCampaign(shopId, { nodeId, platform?, dailyBudgetMinor?, days? }, now?) → PlannedCampaign
//   launchCampaign(shopId, { nodeId, platform, dailyBudgetMinor?, days?, skus? }, now?) → CampaignDetail
//   listCampaigns(shopId) → CampaignSummary[]
//   campaignDetail(shopId, id) → CampaignDetail | null
//   setCampaignState(shopId, id, "PAUSE" | "RESUME" | "END") → CampaignDetail   (the merchant's own change)
//   listAdConnections(shopId) → AdConnectionView[]          (services/ads/connections.server.ts)
//
// Errors: CampaignInputError (400, names the field; for a platform refusal, the platform's words).
import type { AdPlatform, CampaignPlan } from "~/core/promotions/types";
import type { RuleRef } from "~/core/rules/registry";
import type { AdRequest } from "../ads/types";

export interface PlannedCampaign {
  plan: CampaignPlan;
  /** The exact requests launching would send to the platform (and to Shopify's marketing activity). */
  payloads: AdRequest[];
  connection: { platform: AdPlatform; accountId: string; currency: string; connected: boolean };
}

export type CampaignStatus = "DRAFT" | "ACTIVE" | "PAUSED" | "ENDED" | "FAILED";

export interface CampaignReasonView {
  code: string;
  title: string;
  sentence: string;
  tone: "critical" | "warning" | "info" | null;
}

export interface CampaignSummary {
  id: string;
  name: string;
  nodeId: string;
  hubName: string;
  platform: AdPlatform;
  status: CampaignStatus;
  /** What Nearhub decided; differs from status while a change waits for the platform. */
  wantStatus: "ACTIVE" | "PAUSED" | "ENDED";
  pendingChange: boolean;
  lastError: string | null;
  currency: string;
  dailyBudgetMinor: number;
  plannedBudgetMinor: number;
  startsOn: string;
  endsOn: string;
  radiusM: number;
  latitude: number;
  longitude: number;
  utmCampaign: string;
  lastReasons: CampaignReasonView[];
  totals: CampaignTotals;
}

export interface CampaignTotals {
  spendMinor: number;
  orders: number;
  revenueMinor: number;
  landedCostMinor: number;
  /** revenue − landed cost − spend. */
  profitMinor: number;
  /** revenue / spend, basis points; null before any spend. */
  roasBps: number | null;
  /** (revenue − landed cost) / spend, basis points; null before any spend. */
  profitRoasBps: number | null;
}

export interface CampaignDayView extends CampaignTotals {
  day: string;
  impressions: number;
  clicks: number;
}

export interface CampaignChangeView {
  id: string;
  at: string; // ISO
  action: "LAUNCH" | "PAUSE" | "RESUME" | "BUDGET" | "END";
  actor: "GUARDRAIL" | "MERCHANT" | "SCHEDULE";
  fromStatus: string | null;
  toStatus: string | null;
  budgetFrom: number | null;
  budgetTo: number | null;
  state: "PENDING" | "APPLIED" | "FAILED";
  attempts: number;
  error: string | null;
  reasons: CampaignReasonView[];
  request: unknown;
}

export interface CampaignDetail extends CampaignSummary {
  plan: CampaignPlan;
  guardrails: RuleRef[];
  skus: Array<{ productId: string; sku: string }>;
  discountCode: string | null;
  shopifyActivityId: string | null;
  days: CampaignDayView[];
  changes: CampaignChangeView[];
}

export interface AdConnectionView {
  id: string;
  platform: AdPlatform;
  accountId: string;
  accountName: string | null;
  currency: string;
  status: "CONNECTED" | "RECONNECT" | "DISCONNECTED";
  statusMessage: string | null;
  tokenExpiresAt: string | null;
}

export class CampaignInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "CampaignInputError";
  }
}

/** A plan the hub may not run now (gated, no stock, no same-day reach): 400 with the plan's reasons. */
export class CampaignNotLaunchableError extends CampaignInputError {
  constructor(
    message: string,
    readonly reasons: Array<{ code: string; message: string }>,
  ) {
    super(message, fieldOfBlockers(reasons), 400);
    this.name = "CampaignNotLaunchableError";
  }
}

/** The request field a plan's blocker is about: the budget, the radius, else the hub. */
function fieldOfBlockers(reasons: ReadonlyArray<{ code: string }>): string {
  if (reasons.some((r) => r.code === "CAMPAIGN_BUDGET_UNDER_MINIMUM")) return "dailyBudgetMinor";
  if (reasons.some((r) => r.code === "CAMPAIGN_REACH_UNDER_MINIMUM")) return "radiusM";
  return "nodeId";
}
