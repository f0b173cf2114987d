// A campaign's results per day (issue 15, items 4 and 5): the nightly pull, and the same on demand.
//
//   job "campaigns.results" { shopId?, campaignId? }   nightly (schedule: every shop's running and
//                                                      recently ended campaigns) or for one shop or campaign
//   refreshResults(shopId, { campaignId?, now, … })    what it runs
//
// For each campaign: (1) the platform's daily, non-cumulative figures from its first day to today
// (adapterFor(platform).insights) are written onto CampaignDay, one row per campaign and day, set
// (never added to), so a rerun or a platform's late correction leaves the right figure; (2) the shop's
// orders are attributed (attribution.server.ts) and each day gets its orders, revenue and landed cost
// from them, again set; (3) each finished day (before today, in the shop's time zone) that Shopify has
// not had yet goes to the campaign's marketing activity as one non-cumulative marketingEngagementCreate
// (ad spend, impressions, clicks, sales, orders), and CampaignDay.engagementSentAt records it. A day is
// claimed (engagementSentAt set) before it is sent and released if Shopify does not take it, so two runs
// never send one day twice (a process that dies between the claim and Shopify's answer loses that day's
// engagement rather than sending it twice). A day Shopify already has keeps what it was sent: orders
// attributed to it later show in Nearhub's figures only. The demo shop (no store) and campaigns without an activity send nothing.
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { DateTime } from "luxon";
import { z } from "zod";
import { formatAmount } from "~/core/money/money";
import type { AdPlatform } from "~/core/promotions/types";
import { db } from "~/db.server";
import { AdConnectionError, withAdAccount } from "../ads/connections.server";
import { AdPlatformError, type AdDayInsight, type RemoteRef } from "../ads/types";
import { defineJob } from "../jobs/index.server";
import { CAMPAIGN_JOB_SWITCH } from "./apply.server";
import { logger } from "../logger.server";
import { adminMutation, offlineAdmin, ShopifyUserErrors, userErrorSchema, type AdminFor, type AdminGraphql, type CallOptions } from "../shopify-admin.server";
import { addDays, attributeOrders, dayTotals, localDay } from "./attribution.server";
import { isDemoShop } from "./marketing.server";

export const MARKETING_ENGAGEMENT_CREATE = `#graphql
mutation NearhubMarketingEngagementCreate($remoteId: String!, $marketingEngagement: MarketingEngagementInput!) {
  marketingEngagementCreate(remoteId: $remoteId, marketingEngagement: $marketingEngagement) {
    marketingEngagement { occurredOn }
    userErrors { field message code }
  }
}`;

const engagementPayload = z.object({
  marketingEngagement: z.object({ occurredOn: z.string() }).nullable(),
  userErrors: z.array(userErrorSchema),
});

/** How results reach Nearhub from an ad platform: the adapters (services/ads) in the app, a fake in tests. */
export interface InsightsSource {
  /** Daily figures between two dates inclusive; null when the shop has no usable connection to the platform. */
  insights(shopId: string, platform: AdPlatform, ref: RemoteRef, since: string, until: string): Promise<AdDayInsight[] | null>;
}

/**
 * The app's insights source: the shop's connected account (connections.server.ts accountFor, tokens
 * opened, Google's refreshed) and its platform's adapter, with the platform's retries (withAdAccount;
 * a refused token marks the connection "reconnect"). A shop with no usable connection throws
 * AdConnectionError, which the pull reports and does not retry.
 */
export function adInsights(opts: { now?: () => number; sleep?: CallOptions["sleep"] } = {}): InsightsSource {
  return {
    insights: (shopId, platform, ref, since, until) =>
      withAdAccount(shopId, platform, (adapter, account) => adapter.insights(account, ref, since, until), { now: opts.now, sleep: opts.sleep, maxDelayMs: 10_000 }),
  };
}

export interface ResultsOptions {
  campaignId?: string;
  now?: number;
  insights?: InsightsSource;
  /** The Admin API client for the engagements; null: none (the demo). Default: the shop's offline session. */
  admin?: AdminGraphql | null;
  adminFor?: AdminFor;
  call?: CallOptions;
}

export interface CampaignResult {
  campaignId: string;
  pulledDays: number;
  engagementsSent: number;
  /** Why the platform's figures were not read (no connection, the platform's refusal). */
  pullError: string | null;
  /** Why the engagements were not sent (demo, no session, Shopify's refusal). */
  engagementNote: string | null;
}

export interface ShopResults {
  attributed: number;
  campaigns: CampaignResult[];
  /** A platform or Shopify failure worth another attempt (outage, rate limit). */
  retryable: string[];
}

/** The UtcOffset of a local date in a time zone ("-05:00"), as marketingEngagementCreate wants it. */
export const utcOffsetOf = (day: string, timezone: string): string => DateTime.fromISO(day, { zone: timezone }).set({ hour: 12 }).toFormat("ZZ");

/** Refreshes one shop's campaign results (see the header). Idempotent. */
export async function refreshResults(shopId: string, opts: ResultsOptions = {}): Promise<ShopResults> {
  const now = opts.now ?? Date.now();
  const out: ShopResults = { attributed: 0, campaigns: [], retryable: [] };
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { id: true, domain: true, timezone: true } });
  if (!shop) return out;
  const today = localDay(now, shop.timezone);
  const campaigns = await db.campaign.findMany({
    where: { shopId, status: { not: "DRAFT" }, ...(opts.campaignId ? { id: opts.campaignId } : {}) },
    orderBy: { createdAt: "asc" },
  });
  const source = opts.insights ?? adInsights({ now: () => now, sleep: opts.call?.sleep });

  // (1) the platform's figures
  const pulled = new Map<string, CampaignResult>();
  for (const c of campaigns) {
    const r: CampaignResult = { campaignId: c.id, pulledDays: 0, engagementsSent: 0, pullError: null, engagementNote: null };
    pulled.set(c.id, r);
    out.campaigns.push(r);
    const until = c.endsOn < today ? c.endsOn : today;
    if (until < c.startsOn) continue;
    if (!c.remoteCampaignId || !c.remoteAdSetId) {
      r.pullError = "The campaign has no platform campaign yet";
      continue;
    }
    let days: AdDayInsight[] | null;
    try {
      days = await source.insights(shopId, c.platform as AdPlatform, { campaignId: c.remoteCampaignId, adSetId: c.remoteAdSetId, budgetId: c.remoteBudgetId }, c.startsOn, until);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      r.pullError = message.slice(0, 500);
      // Not connected, or the token refused: the merchant's to fix (settings shows "reconnect"), not a retry's.
      const final = error instanceof AdConnectionError || (error instanceof AdPlatformError && !error.opts.retryable);
      if (!final) out.retryable.push(`${c.id}: ${message}`);
      logger.warn({ shop: shop.domain, campaign: c.id, err: message }, "campaigns.results: could not read the platform's figures");
      continue;
    }
    if (days === null) {
      r.pullError = "The shop has no usable connection to the platform";
      continue;
    }
    for (const d of days) {
      if (d.day < c.startsOn || d.day > until) continue;
      const figures = { spendMinor: d.spendMinor, impressions: d.impressions, clicks: d.clicks, platformOrders: d.orders, platformRevenueMinor: d.revenueMinor, pulledAt: new Date(now) };
      await db.campaignDay.upsert({
        where: { campaignId_day: { campaignId: c.id, day: d.day } },
        create: { shopId, campaignId: c.id, day: d.day, ...figures },
        update: figures,
      });
      r.pulledDays++;
    }
  }

  // (2) attribution and each day's orders, revenue and landed cost
  out.attributed = (await attributeOrders(shopId)).matched;
  for (const c of campaigns) {
    const totals = await dayTotals(shopId, c, shop.timezone);
    const stored = await db.campaignDay.findMany({ where: { shopId, campaignId: c.id }, select: { day: true } });
    const days = new Set([...stored.map((d) => d.day), ...totals.keys()]);
    for (const day of days) {
      const t = totals.get(day) ?? { orders: 0, revenueMinor: 0, landedCostMinor: 0 };
      await db.campaignDay.upsert({
        where: { campaignId_day: { campaignId: c.id, day } },
        create: { shopId, campaignId: c.id, day, ...t },
        update: t,
      });
    }
  }

  // (3) one engagement per finished day to Shopify
  const withActivity = campaigns.filter((c) => c.shopifyActivityId);
  if (withActivity.length === 0) return out;
  if (opts.admin === null || (opts.admin === undefined && isDemoShop(shop.domain))) {
    for (const c of withActivity) pulled.get(c.id)!.engagementNote = "No Shopify store (demo): no engagements sent";
    return out;
  }
  let admin: AdminGraphql;
  try {
    admin = opts.admin ?? (await (opts.adminFor ?? offlineAdmin)(shop.domain));
  } catch (error) {
    if (!(error instanceof SessionNotFoundError)) throw error;
    for (const c of withActivity) pulled.get(c.id)!.engagementNote = "No offline session: no engagements sent";
    return out;
  }
  for (const c of withActivity) {
    const r = pulled.get(c.id)!;
    const due = await db.campaignDay.findMany({ where: { shopId, campaignId: c.id, engagementSentAt: null, pulledAt: { not: null }, day: { lt: today } }, orderBy: { day: "asc" } });
    for (const d of due) {
      // Claim the day: a second run (or process) finds it taken and sends nothing.
      const claimed = await db.campaignDay.updateMany({ where: { id: d.id, engagementSentAt: null }, data: { engagementSentAt: new Date(now) } });
      if (claimed.count === 0) continue;
      const input = {
        occurredOn: d.day,
        utcOffset: utcOffsetOf(d.day, shop.timezone),
        isCumulative: false,
        adSpend: { amount: formatAmount(d.spendMinor, c.currency), currencyCode: c.currency },
        impressionsCount: d.impressions,
        clicksCount: d.clicks,
        sales: { amount: formatAmount(d.revenueMinor, c.currency), currencyCode: c.currency },
        orders: String(d.orders),
      };
      try {
        await adminMutation(admin, MARKETING_ENGAGEMENT_CREATE, { remoteId: c.id, marketingEngagement: input }, "marketingEngagementCreate", engagementPayload, opts.call);
        r.engagementsSent++;
      } catch (error) {
        await db.campaignDay.updateMany({ where: { id: d.id }, data: { engagementSentAt: null } });
        const message = error instanceof Error ? error.message : String(error);
        r.engagementNote = message.slice(0, 500);
        if (error instanceof ShopifyUserErrors) {
          logger.warn({ shop: shop.domain, campaign: c.id, day: d.day, userErrors: error.userErrors }, "campaigns.results: Shopify refused the engagement");
        } else {
          out.retryable.push(`${c.id} ${d.day}: ${message}`);
          logger.warn({ shop: shop.domain, campaign: c.id, day: d.day, err: message }, "campaigns.results: could not send the engagement");
        }
        break; // the later days wait for this one: Shopify gets them in order
      }
    }
  }
  return out;
}

/** Campaigns the nightly run looks at: not drafts, and running or ended in the last week (the platforms revise recent days). */
export async function shopsWithResultsDue(now: number): Promise<string[]> {
  const weekAgo = addDays(new Date(now).toISOString().slice(0, 10), -8);
  const rows = await db.campaign.findMany({ where: { status: { not: "DRAFT" }, endsOn: { gte: weekAgo }, shop: { uninstalledAt: null } }, select: { shopId: true }, distinct: ["shopId"] });
  return rows.map((r) => r.shopId);
}

export const campaignsResultsJob = defineJob<{ shopId?: string; campaignId?: string }>({
  name: "campaigns.results",
  switch: CAMPAIGN_JOB_SWITCH,
  // Nightly, after the order reconciliation (03:30 UTC) has brought the day's orders in.
  schedule: "15 5 * * *",
  retries: 3,
  backoff: { type: "exponential", delayMs: 5 * 60_000, maxMs: 60 * 60_000 },
  timeout: 30 * 60_000,
  run: async (payload, ctx) => {
    const shops = payload.shopId ? [payload.shopId] : await shopsWithResultsDue(ctx.now());
    const call = { maxAttempts: 3, maxWaitMs: 5_000, sleep: ctx.sleep };
    const retryable: string[] = [];
    let campaigns = 0;
    for (const shopId of shops) {
      try {
        const r = await refreshResults(shopId, { campaignId: payload.campaignId, now: ctx.now(), call });
        campaigns += r.campaigns.length;
        retryable.push(...r.retryable);
      } catch (error) {
        // One shop's failure does not stop the others'; the run fails (and is retried) at the end.
        const message = error instanceof Error ? error.message : String(error);
        retryable.push(`shop ${shopId}: ${message}`);
        logger.error({ shopId, err: message }, "campaigns.results: failed for a shop");
      }
    }
    // What went in stays (days are set, engagements claimed once): a retry only redoes what failed.
    if (retryable.length) throw new Error(`campaigns.results: ${retryable.length} failures worth retrying: ${retryable.slice(0, 3).join("; ")}`);
    return { shops: shops.length, campaigns };
  },
});
