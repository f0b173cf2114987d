// Hyperlocal campaigns around a hub (issue 15): what the planner reads and answers, and what the
// guardrails decide. Pure values: services load the inputs, core/promotions decides, services and
// the ad adapters (services/ads) act on the answer.
import type { RuleRef } from "../rules/registry";
import type { Reason } from "../network/reasons";
import type { NetworkNode } from "../network/types";

export const AD_PLATFORMS = ["META", "GOOGLE", "SANDBOX"] as const;
export type AdPlatform = (typeof AD_PLATFORMS)[number];

export const AD_PLATFORM_LABELS: Record<AdPlatform, string> = {
  META: "Meta (Facebook and Instagram)",
  GOOGLE: "Google Ads",
  SANDBOX: "Sandbox (demo, spends nothing)",
};

/** A platform's radius limits (Meta 1–80 km; Google allows more, the planner keeps to the same-day reach). */
export interface RadiusLimits {
  minM: number;
  maxM: number;
}

/** One past order's destination, rounded to ~100 m (the synced order history). */
export interface DemandPoint {
  latitude: number;
  longitude: number;
  placedAt: number; // UTC ms
  totalMinor: number;
}

/** A product the hub holds, as the planner weighs it for advertising. */
export interface HubStockLine {
  productId: string;
  sku: string;
  title: string;
  /** Units available at the hub now (after reservations). */
  onHand: number;
  /** Of which came back as restocked returns (they should sell first). */
  restockedReturns: number;
  priceMinor: number;
  /** Units of it sold to the hub's area per day over the history (0 when unknown). */
  dailyDemand: number;
}

export interface PlanInput {
  hub: NetworkNode;
  /** Whether the hub may take part in a campaign now (core/network/availability, purpose CAMPAIGN), and why not. */
  availability: { available: boolean; reasons: Reason[] };
  now: number;
  shopTimezone: string;
  currency: string;
  /** The farthest a same-day delivery goes from this hub (service area, courier and corridor reach), metres. */
  sameDayReachM: number;
  demand: DemandPoint[];
  stock: HubStockLine[];
  platform: AdPlatform;
  limits: RadiusLimits;
  /** The ad account's minimum daily budget (minor units of `currency`), read from the platform. */
  minDailyBudgetMinor: number;
  /** The merchant's figures; absent ones are suggested. */
  target: {
    dailyBudgetMinor?: number;
    days?: number;
    targetRoasBps?: number;
    /** What targetRoasBps measures: PROFIT (default; after landed cost and ad spend) or REVENUE. */
    roasBasis?: "PROFIT" | "REVENUE";
    /** Ad-driven orders a day the suggested budget should pay for (default 1). */
    ordersPerDay?: number;
  };
  /** The engine's landed cost per order from this hub (forward + expected return), minor units. */
  landedCostPerOrderMinor: number;
  averageOrderMinor: number;
  /** Used to mint the UTM (never changed after launch). */
  campaignKey: string;
}

export interface PlanCell {
  h3: string;
  orders: number;
  /** Share of the circle's past orders, 0..1. */
  weight: number;
}

export interface CampaignPlan {
  hubId: string;
  hubName: string;
  platform: AdPlatform;
  /** False: the hub may not run a campaign now; `reasons` say why and nothing should launch. */
  launchable: boolean;
  reasons: Reason[];
  area: {
    latitude: number;
    longitude: number;
    radiusM: number;
    h3Resolution: number;
    cells: PlanCell[];
    explanation: string[];
  };
  products: Array<HubStockLine & { why: string }>;
  /** Stock lines not advertised, and why (too few units behind an ad). */
  skippedProducts?: Array<{ productId: string; sku: string; why: string }>;
  budget: {
    currency: string;
    dailyMinor: number;
    days: number;
    totalMinor: number;
    minimumMinor: number;
    suggestedMinor: number;
    targetRoasBps: number;
    /** What targetRoasBps measures (PROFIT when absent). */
    roasBasis?: "PROFIT" | "REVENUE";
    explanation: string[];
  };
  /** Local hours (hub time zone) when same-day delivery is still possible: per weekday 0 = Sunday. */
  hours: {
    timezone: string;
    windows: Array<{ day: number; startMinute: number; endMinute: number }>;
    explanation?: string[];
  };
  utm: { campaign: string; source: string; medium: string };
  guardrails: RuleRef[];
  startsOn: string;
  endsOn: string;
  explanation: string[];
}

/** What the guardrails read about a running campaign at one instant. */
export interface GuardrailState {
  now: number;
  hubTimezone: string;
  /** The hub's name, for sentences ("Williamsburg hub may not take part…"); absent: "the hub". */
  hubName?: string;
  availability: { available: boolean; reasons: Reason[] };
  /** Units at the hub of each advertised SKU. */
  stockBySku: Record<string, number>;
  /** The plan's same-day hours (CampaignPlan.hours.windows). */
  windows: CampaignPlan["hours"]["windows"];
  spendMinor: number;
  revenueMinor: number;
  landedCostMinor: number;
  /** The whole test's budget (daily × days), what BUDGET_SPENT compares the spend with. */
  plannedBudgetMinor: number;
  dailyBudgetMinor: number;
  minDailyBudgetMinor: number;
  currency: string;
}

export type GuardrailAction = "RUN" | "PAUSE" | "SHRINK";

export interface GuardrailDecision {
  action: GuardrailAction;
  /** The daily budget to run at (RUN: the planned one; SHRINK: lower, never under the minimum). */
  dailyBudgetMinor: number;
  /** Why (every guardrail that fired; for RUN, why it may run). */
  reasons: Reason[];
  /** Revenue ROAS and profit ROAS (after landed cost) in basis points; null before any spend. */
  roasBps: number | null;
  profitRoasBps: number | null;
}
