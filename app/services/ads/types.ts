// The one interface every ad platform adapter implements (issue 15 item 3): Meta (Graph API over
// HTTP, version from configuration), Google Ads (REST), and the demo's sandbox that follows the
// same shapes. Services call these; nothing else talks to an ad platform.
import type { AdPlatform } from "~/core/promotions/types";

/** A connected account as the adapter needs it (tokens already opened from AdConnection). */
export interface AdAccount {
  platform: AdPlatform;
  accountId: string;
  currency: string;
  accessToken: string;
  loginCustomerId?: string | null;
  /** The account's time zone (IANA), when known: Google's start/end dates and insight days are in it. */
  timezone?: string | null;
  /** The Nearhub shop the connection belongs to (the sandbox reads that shop's own campaign rows). */
  shopId?: string;
}

/** What Nearhub asks a platform to run: one campaign with one hub circle. */
export interface AdCampaignSpec {
  name: string;
  latitude: number;
  longitude: number;
  radiusM: number;
  dailyBudgetMinor: number;
  /** ISO start and end (UTC). */
  startTime: string;
  endTime: string;
  /** Landing URL with the campaign's UTM parameters. */
  landingUrl: string;
  status: "ACTIVE" | "PAUSED";
}

/** The exact HTTP request an adapter sends (dry runs and the change log show it). */
export interface AdRequest {
  method: "GET" | "POST" | "DELETE";
  url: string;
  body?: unknown;
}

export interface RemoteCampaign {
  campaignId: string;
  /** Meta ad set id; Google campaign criterion resource name. */
  adSetId: string;
  /** Google campaign budget resource name; Meta: null (the budget is on the ad set). */
  budgetId: string | null;
  requests: AdRequest[];
}

export interface RemoteRef {
  campaignId: string;
  adSetId: string;
  budgetId: string | null;
}

export interface AdDayInsight {
  day: string; // YYYY-MM-DD, the account's time zone
  spendMinor: number;
  impressions: number;
  clicks: number;
  orders: number;
  revenueMinor: number;
}

/** A platform answered with an error: its own message, and whether trying later may help. */
export class AdPlatformError extends Error {
  constructor(
    message: string,
    readonly platform: AdPlatform,
    readonly opts: {
      /** The platform's code (Meta error.code; Google error status). */
      code?: string | number;
      subcode?: string | number;
      /** Rate limit or outage: retry with back-off. */
      retryable: boolean;
      /** The token was refused: the connection needs "reconnect". */
      reauth?: boolean;
      /** The field the platform refused, when it names one (budget, radius). */
      field?: string;
      retryAfterMs?: number;
      /** The account's minimum daily budget (minor units) when the refusal names it (Google's BudgetPerDayMinimumErrorDetails). */
      minimumDailyBudgetMinor?: number;
      /** HTTP status of the answer, when there was one. */
      httpStatus?: number;
    },
  ) {
    super(message);
    this.name = "AdPlatformError";
  }
}

export interface AdPlatformAdapter {
  platform: AdPlatform;
  /** The account's minimum daily budget in its currency's minor units (Meta: /minimum_budgets; Google: learnt from BudgetPerDayMinimumErrorDetails, else configuration). */
  minimumDailyBudget(account: AdAccount): Promise<number>;
  /** The requests create() would send, without sending anything that spends (Meta: validate_only). */
  preview(account: AdAccount, spec: AdCampaignSpec): Promise<AdRequest[]>;
  create(account: AdAccount, spec: AdCampaignSpec): Promise<RemoteCampaign>;
  updateBudget(account: AdAccount, ref: RemoteRef, dailyBudgetMinor: number): Promise<AdRequest[]>;
  pause(account: AdAccount, ref: RemoteRef): Promise<AdRequest[]>;
  resume(account: AdAccount, ref: RemoteRef): Promise<AdRequest[]>;
  /** Daily, non-cumulative figures between two dates inclusive. */
  insights(account: AdAccount, ref: RemoteRef, since: string, until: string): Promise<AdDayInsight[]>;
}
