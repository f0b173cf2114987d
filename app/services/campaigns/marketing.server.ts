// Each hub campaign is a Shopify marketing activity (issue 15, item 4), so the merchant sees it in
// Shopify's Marketing page beside its sessions and sales, and Shopify attributes sessions by its UTM.
//
//   job "campaigns.marketing" { shopId, campaignId }   enqueued by the campaigns service after every
//                                                      change applied to the platform (and at launch)
//   syncMarketingActivity(shopId, campaignId, opts)    what the job runs: one upsert, idempotent
//
// The upsert is `marketingActivityUpsertExternal` (Admin GraphQL, scope write_marketing_events) through
// the one Admin client, with remoteId = the campaign's id (so a retry or a second change updates the
// same activity; Shopify's id is stored in Campaign.shopifyActivityId), the campaign's name, its
// confirmed status (ACTIVE, PAUSED; ENDED and FAILED → INACTIVE; a DRAFT has no activity), tactic AD,
// channel SOCIAL (Meta, the sandbox) or SEARCH (Google), its daily budget, and its UTM. Shopify's
// rule is that an activity's UTM is set once and never changes, and that an upsert's absent field is
// removed: so every upsert sends the same UTM, built only from what never changes after launch
// (Campaign.utmCampaign, minted at launch, and the source and medium of the plan it launched from).
//
// Hierarchy: one Nearhub campaign is one hub circle (one Meta ad set, one Google campaign), so it is
// one activity; a campaign-level parent would need a UTM of its own that no link carries. It is not
// modelled (hierarchyLevel and parentRemoteId are left out).
//
// The demo shop has no store: the job does nothing there and says so; a shop without an offline
// session (uninstalled) likewise. Shopify's refusal (userErrors) is final and logged; throttling
// and network failures throw, for the job engine to retry with its back-off.
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { formatAmount } from "~/core/money/money";
import { UTM_MEDIUMS, UTM_SOURCES, type AdPlatform } from "~/core/promotions";
import { db } from "~/db.server";
import { DEMO_SHOP_DOMAIN, env } from "~/env.server";
import { defineJob } from "../jobs/index.server";
import { CAMPAIGN_JOB_SWITCH } from "./apply.server";
import { logger } from "../logger.server";
import { adminMutation, offlineAdmin, ShopifyUserErrors, userErrorSchema, type AdminFor, type AdminGraphql, type CallOptions } from "../shopify-admin.server";

export const MARKETING_ACTIVITY_UPSERT = `#graphql
mutation NearhubMarketingActivityUpsert($input: MarketingActivityUpsertExternalInput!) {
  marketingActivityUpsertExternal(input: $input) {
    marketingActivity { id }
    userErrors { field message code }
  }
}`;

const upsertPayload = z.object({
  marketingActivity: z.object({ id: z.string() }).nullable(),
  userErrors: z.array(userErrorSchema),
});

export type ActivityStatus = "ACTIVE" | "PAUSED" | "INACTIVE";
export type MarketingChannel = "SOCIAL" | "SEARCH";

export interface UtmParameters {
  campaign: string;
  source: string;
  medium: string;
}

/** The variables of the upsert (MarketingActivityUpsertExternalInput), exactly as sent. */
export interface ActivityInput {
  remoteId: string;
  remoteUrl: string;
  title: string;
  status: ActivityStatus;
  tactic: "AD";
  marketingChannelType: MarketingChannel;
  budget: { budgetType: "DAILY"; total: { amount: string; currencyCode: string } };
  utm: UtmParameters;
  start: string;
}


export const channelOf = (platform: string): MarketingChannel => (platform === "GOOGLE" ? "SEARCH" : "SOCIAL");

/** The confirmed platform status as Shopify's MarketingActivityExternalStatus; null: nothing to show yet (a draft). */
export function activityStatusOf(status: string): ActivityStatus | null {
  switch (status) {
    case "ACTIVE":
      return "ACTIVE";
    case "PAUSED":
      return "PAUSED";
    case "ENDED":
    case "FAILED":
      return "INACTIVE";
    default:
      return null;
  }
}

const planUtmSchema = z.object({ utm: z.object({ campaign: z.string().min(1), source: z.string().min(1), medium: z.string().min(1) }).partial().optional() }).loose();

/** The campaign's UTM: its minted campaign value, and the source and medium of the plan it launched from. Never changes after launch. */
export function utmOf(c: { platform: string; utmCampaign: string; planJson: string }): UtmParameters {
  let plan: z.output<typeof planUtmSchema>["utm"];
  try {
    const parsed = planUtmSchema.safeParse(JSON.parse(c.planJson));
    plan = parsed.success ? parsed.data.utm : undefined;
  } catch {
    plan = undefined;
  }
  // A plan without them (older rows): the planner's own source and medium for the platform.
  const platform = (c.platform in UTM_SOURCES ? c.platform : "SANDBOX") as AdPlatform;
  return { campaign: c.utmCampaign, source: plan?.source ?? UTM_SOURCES[platform], medium: plan?.medium ?? UTM_MEDIUMS[platform] };
}

interface CampaignForActivity {
  id: string;
  name: string;
  platform: string;
  status: string;
  currency: string;
  dailyBudgetMinor: number;
  utmCampaign: string;
  planJson: string;
  createdAt: Date;
}

/** The upsert's input for a campaign (null for a draft: it has no activity). */
export function activityInputOf(c: CampaignForActivity, appUrl: string): ActivityInput | null {
  const status = activityStatusOf(c.status);
  if (!status) return null;
  return {
    remoteId: c.id,
    remoteUrl: `${appUrl.replace(/\/+$/, "")}/app/campaigns/${encodeURIComponent(c.id)}`,
    title: c.name.slice(0, 255),
    status,
    tactic: "AD",
    marketingChannelType: channelOf(c.platform),
    budget: { budgetType: "DAILY", total: { amount: formatAmount(c.dailyBudgetMinor, c.currency), currencyCode: c.currency } },
    utm: utmOf(c),
    start: c.createdAt.toISOString(),
  };
}

export type MarketingOutcome =
  | { outcome: "UPSERTED"; activityId: string }
  | { outcome: "SKIPPED"; why: "demo" | "no offline session" | "draft" | "no such campaign" }
  | { outcome: "REFUSED"; message: string };

export interface MarketingOptions {
  /** The Admin API client; null: no store (the demo). Default: the shop's offline session. */
  admin?: AdminGraphql | null;
  adminFor?: AdminFor;
  call?: CallOptions;
}

/** Whether a shop has no Shopify store behind it (the demo's). */
export const isDemoShop = (domain: string) => env().demo || domain === DEMO_SHOP_DOMAIN;

/** Creates or updates the campaign's marketing activity in Shopify (see the header). */
export async function syncMarketingActivity(shopId: string, campaignId: string, opts: MarketingOptions = {}): Promise<MarketingOutcome> {
  const campaign = await db.campaign.findFirst({
    where: { id: campaignId, shopId },
    select: { id: true, name: true, platform: true, status: true, currency: true, dailyBudgetMinor: true, utmCampaign: true, planJson: true, createdAt: true, shop: { select: { domain: true } } },
  });
  if (!campaign) return { outcome: "SKIPPED", why: "no such campaign" };
  if (opts.admin === null || (opts.admin === undefined && isDemoShop(campaign.shop.domain))) {
    logger.info({ shop: campaign.shop.domain, campaign: campaign.id }, "campaigns.marketing: no Shopify store (demo): no marketing activity");
    return { outcome: "SKIPPED", why: "demo" };
  }
  const input = activityInputOf(campaign, env().appUrl);
  if (!input) return { outcome: "SKIPPED", why: "draft" };
  let admin: AdminGraphql;
  try {
    admin = opts.admin ?? (await (opts.adminFor ?? offlineAdmin)(campaign.shop.domain));
  } catch (error) {
    if (error instanceof SessionNotFoundError) return { outcome: "SKIPPED", why: "no offline session" };
    throw error;
  }
  try {
    const answer = await adminMutation(admin, MARKETING_ACTIVITY_UPSERT, { input }, "marketingActivityUpsertExternal", upsertPayload, opts.call);
    const activityId = answer.marketingActivity?.id;
    if (!activityId) return { outcome: "REFUSED", message: "Shopify answered without a marketing activity" };
    await db.campaign.updateMany({ where: { id: campaign.id, shopId }, data: { shopifyActivityId: activityId } });
    return { outcome: "UPSERTED", activityId };
  } catch (error) {
    if (error instanceof ShopifyUserErrors) {
      // Final: the same input would be refused again. In Shopify's words, for the log.
      logger.warn({ shop: campaign.shop.domain, campaign: campaign.id, userErrors: error.userErrors }, "campaigns.marketing: Shopify refused the marketing activity");
      return { outcome: "REFUSED", message: error.message.slice(0, 500) };
    }
    throw error; // throttled past the call's patience, network, HTTP: the engine retries
  }
}

export const campaignsMarketingJob = defineJob<{ shopId: string; campaignId: string }>({
  name: "campaigns.marketing",
  switch: CAMPAIGN_JOB_SWITCH,
  retries: 5,
  backoff: { type: "exponential", delayMs: 30_000, maxMs: 30 * 60_000 },
  timeout: 2 * 60_000,
  concurrency: 2,
  run: async ({ shopId, campaignId }, ctx) => syncMarketingActivity(shopId, campaignId, { call: { maxAttempts: 3, maxWaitMs: 5_000, sleep: ctx.sleep } }),
});
