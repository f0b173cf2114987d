// Meta Marketing API over HTTP (the Graph API with the version from configuration, default v26.0;
// the official Node SDK still targets v24, which expired 2026-11-10). One campaign with one ad set
// per hub circle (several radii in one ad set risk error 100/1815946):
//
//   POST /act_<id>/campaigns      name, objective, status, special_ad_categories: [] (required even when empty)
//   POST /act_<id>/adsets         daily_budget (integer minor units of the account currency), targeting
//                                 {geo_locations.custom_locations: [one circle], targeting_automation.advantage_audience: 0},
//                                 start_time, end_time, billing_event, optimization_goal, campaign_id, status
//   GET  /act_<id>/minimum_budgets   {data: [{currency, min_daily_budget_imp, _high_freq, _low_freq, _video_views}]}
//   POST /<ad set id>             status ACTIVE | PAUSED (daily budgets are dayparted by switching status:
//                                 adset_schedule needs a lifetime budget), daily_budget
//   GET  /<ad set id>/insights    time_increment=1, fields spend, impressions, clicks, actions, action_values
//
// Bodies are sent as JSON (the Graph API reads application/json bodies as it reads form fields),
// with the token in an Authorization header so no AdRequest ever carries it.
//
// Objective: OUTCOME_TRAFFIC optimised for LINK_CLICKS, billed on IMPRESSIONS. OUTCOME_SALES needs a
// promoted_object with the merchant's pixel and a conversion event, which a connected ad account does
// not tell us; traffic to the hub's landing URL (with its UTM) works on any account, and Nearhub
// attributes the orders itself (UTM, landing page, code). Purchases Meta reports are still read.
//
// Errors: {error: {message, type, code, error_subcode, error_user_title, error_user_msg, fbtrace_id,
// is_transient}}: codes 1, 2 (transient), 4, 17, 613, 80000–80099 (rate limits) and HTTP 5xx are
// retried; 190 (and HTTP 401) means the token was refused: reconnect.
import { createHmac } from "node:crypto";
import { z } from "zod";
import { sendAdRequest, isRecord, retryAfterMs as retryAfterHeader, type AdHttpAnswer, type AdHttpOptions } from "./http.server";
import { decimalToMinor } from "./money";
import {
  AdPlatformError,
  type AdAccount,
  type AdCampaignSpec,
  type AdDayInsight,
  type AdPlatformAdapter,
  type AdRequest,
  type RemoteCampaign,
  type RemoteRef,
} from "./types";

export const META_DEFAULT_VERSION = "v26.0";
export const META_GRAPH_URL = "https://graph.facebook.com";
/** Custom location radius limits in kilometres (Basic Targeting reference: 1–80 km). */
export const META_RADIUS_KM = { min: 1, max: 80 } as const;

export const META_OBJECTIVE = "OUTCOME_TRAFFIC";
export const META_OPTIMIZATION_GOAL = "LINK_CLICKS";
export const META_BILLING_EVENT = "IMPRESSIONS";

/** Purchase action types, most inclusive first: the first one present is read (they overlap, so never summed). */
export const META_PURCHASE_ACTIONS = ["omni_purchase", "purchase", "offsite_conversion.fb_pixel_purchase", "onsite_web_purchase"] as const;

/**
 * Subcodes known to name a field: 1815946 (several radii in one ad set). No budget subcode was
 * verified, so a refused budget is recognised from Meta's own words ("budget").
 */
const BUDGET_SUBCODES = new Set<number>();
const RADIUS_SUBCODES = new Set([1815946]);

export interface MetaOptions extends AdHttpOptions {
  version?: string;
  /** Without the version; default https://graph.facebook.com (tests point it elsewhere or intercept it). */
  graphUrl?: string;
  /**
   * The app secret: every call then carries appsecret_proof (HMAC-SHA256 of the token with the
   * secret), which Meta requires when the app has "Require App Secret" on. Added to the URL fetched,
   * never to the AdRequest shown or stored.
   */
  appSecret?: string | null;
}

/** Meta's appsecret_proof for a token: hex HMAC-SHA256 keyed with the app secret. */
export function appSecretProof(accessToken: string, appSecret: string): string {
  return createHmac("sha256", appSecret).update(accessToken).digest("hex");
}

const actId = (accountId: string) => (accountId.startsWith("act_") ? accountId : `act_${accountId}`);

/** The spec's radius in kilometres (one decimal), or an error naming radiusM when Meta would refuse it. */
export function metaRadiusKm(radiusM: number): number {
  const km = Math.round(radiusM / 100) / 10;
  if (!(km >= META_RADIUS_KM.min && km <= META_RADIUS_KM.max)) {
    throw new AdPlatformError(
      `Meta targets a radius of ${META_RADIUS_KM.min}–${META_RADIUS_KM.max} km around a custom location; ${radiusM} m is outside it`,
      "META",
      { retryable: false, field: "radiusM" },
    );
  }
  return km;
}

const errorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    fbtrace_id: z.string().optional(),
    is_transient: z.boolean().optional(),
  }),
});

const RATE_LIMIT_CODES = new Set([4, 17, 613]);
const TRANSIENT_CODES = new Set([1, 2]);

/**
 * How long Meta says to wait, from its usage headers: X-Business-Use-Case-Usage
 * {"<business id>": [{type, call_count, total_cputime, total_time, estimated_time_to_regain_access (minutes)}]},
 * X-Ad-Account-Usage {acc_id_util_pct, reset_time_duration (seconds)}, or Retry-After.
 */
export function metaRetryAfterMs(headers: Headers): number | undefined {
  let best: number | undefined;
  const take = (ms: number) => {
    if (Number.isFinite(ms) && ms > 0) best = Math.max(best ?? 0, ms);
  };
  const parse = (name: string): unknown => {
    const raw = headers.get(name);
    if (!raw) return null;
    try {
      return JSON.parse(raw);
    } catch {
      return null;
    }
  };
  const buc = parse("x-business-use-case-usage");
  if (isRecord(buc)) {
    for (const entries of Object.values(buc)) {
      if (!Array.isArray(entries)) continue;
      for (const e of entries) if (isRecord(e) && typeof e.estimated_time_to_regain_access === "number") take(e.estimated_time_to_regain_access * 60_000);
    }
  }
  const account = parse("x-ad-account-usage");
  if (isRecord(account) && typeof account.reset_time_duration === "number") take(account.reset_time_duration * 1000);
  const header = retryAfterHeader(headers);
  if (header !== undefined) take(header);
  return best;
}

/** Meta's error answer as an AdPlatformError: its own words, retryable or reauth, the field when known. */
export function metaError(answer: AdHttpAnswer): AdPlatformError {
  const parsed = errorSchema.safeParse(answer.json);
  if (!parsed.success) {
    const retryable = answer.status >= 500 || answer.status === 429;
    return new AdPlatformError(`Meta answered HTTP ${answer.status}`, "META", {
      code: answer.status,
      retryable,
      reauth: answer.status === 401,
      retryAfterMs: retryable ? metaRetryAfterMs(answer.headers) : undefined,
    });
  }
  const e = parsed.data.error;
  const code = e.code;
  const subcode = e.error_subcode;
  const rateLimited = code !== undefined && (RATE_LIMIT_CODES.has(code) || (code >= 80000 && code <= 80099));
  const retryable = rateLimited || (code !== undefined && TRANSIENT_CODES.has(code)) || e.is_transient === true || answer.status >= 500;
  const reauth = code === 190 || code === 102 || answer.status === 401;
  const words = `${e.error_user_title ?? ""} ${e.error_user_msg ?? ""} ${e.message ?? ""}`.toLowerCase();
  let field: string | undefined;
  if (subcode !== undefined && BUDGET_SUBCODES.has(subcode)) field = "dailyBudgetMinor";
  else if (subcode !== undefined && RADIUS_SUBCODES.has(subcode)) field = "radiusM";
  else if (/budget/.test(words)) field = "dailyBudgetMinor";
  else if (/radius|custom_locations|custom location/.test(words)) field = "radiusM";
  const message = e.error_user_msg ?? e.message ?? `Meta answered HTTP ${answer.status}`;
  const trace = e.fbtrace_id ? ` (fbtrace_id ${e.fbtrace_id})` : "";
  return new AdPlatformError(`${message}${trace}`, "META", {
    code,
    subcode,
    retryable,
    reauth,
    field,
    retryAfterMs: retryable ? metaRetryAfterMs(answer.headers) : undefined,
  });
}

const idAnswer = z.object({ id: z.string().min(1) });
const minimumBudgetsAnswer = z.object({
  data: z.array(
    z.object({
      currency: z.string().optional(),
      min_daily_budget_imp: z.number().int().optional(),
      min_daily_budget_high_freq: z.number().int().optional(),
      min_daily_budget_low_freq: z.number().int().optional(),
      min_daily_budget_video_views: z.number().int().optional(),
    }),
  ),
});
const actionList = z.array(z.object({ action_type: z.string(), value: z.union([z.string(), z.number()]) })).optional();
const insightsAnswer = z.object({
  data: z.array(
    z.object({
      date_start: z.string(),
      spend: z.union([z.string(), z.number()]).optional(),
      impressions: z.union([z.string(), z.number()]).optional(),
      clicks: z.union([z.string(), z.number()]).optional(),
      actions: actionList,
      action_values: actionList,
    }),
  ),
  paging: z.object({ next: z.string().optional() }).optional(),
});

function purchaseValue(list: z.infer<typeof actionList>): string | number | undefined {
  if (!list) return undefined;
  for (const type of META_PURCHASE_ACTIONS) {
    const hit = list.find((a) => a.action_type === type);
    if (hit) return hit.value;
  }
  return undefined;
}

const int = (v: string | number | undefined) => {
  const n = Number(v ?? 0);
  return Number.isFinite(n) ? Math.round(n) : 0;
};

export class MetaAdapter implements AdPlatformAdapter {
  readonly platform = "META" as const;
  readonly version: string;
  readonly graphUrl: string;

  constructor(private readonly options: MetaOptions = {}) {
    this.version = options.version ?? META_DEFAULT_VERSION;
    this.graphUrl = (options.graphUrl ?? META_GRAPH_URL).replace(/\/+$/, "");
  }

  url(path: string): string {
    return `${this.graphUrl}/${this.version}/${path.replace(/^\/+/, "")}`;
  }

  /** The two create requests (the ad set's campaign_id is the placeholder "{campaign_id}" until the campaign exists). */
  createRequests(account: AdAccount, spec: AdCampaignSpec, validateOnly = false): [AdRequest, AdRequest] {
    const radius = metaRadiusKm(spec.radiusM);
    const act = actId(account.accountId);
    const validate = validateOnly ? { execution_options: ["validate_only"] } : {};
    const campaign: AdRequest = {
      method: "POST",
      url: this.url(`${act}/campaigns`),
      body: {
        name: spec.name,
        objective: META_OBJECTIVE,
        // The campaign stays ACTIVE; its one ad set is what guardrails and dayparting switch.
        status: "ACTIVE",
        special_ad_categories: [],
        buying_type: "AUCTION",
        // The budget is on the ad set (an integer per hub); no sharing between ad sets.
        is_adset_budget_sharing_enabled: false,
        ...validate,
      },
    };
    const adSet: AdRequest = {
      method: "POST",
      url: this.url(`${act}/adsets`),
      body: {
        name: `${spec.name} · hub circle`,
        campaign_id: "{campaign_id}",
        daily_budget: spec.dailyBudgetMinor,
        billing_event: META_BILLING_EVENT,
        optimization_goal: META_OPTIMIZATION_GOAL,
        bid_strategy: "LOWEST_COST_WITHOUT_CAP",
        destination_type: "WEBSITE",
        targeting: {
          geo_locations: {
            custom_locations: [{ latitude: spec.latitude, longitude: spec.longitude, radius, distance_unit: "kilometer" }],
          },
          // Required since v23.0; 0 keeps the audience to the circle (location is never widened anyway).
          targeting_automation: { advantage_audience: 0 },
        },
        start_time: spec.startTime,
        end_time: spec.endTime,
        status: spec.status,
        ...validate,
      },
    };
    return [campaign, adSet];
  }

  private async send(account: AdAccount, request: AdRequest): Promise<AdHttpAnswer> {
    const secret = this.options.appSecret;
    const sent = secret
      ? { ...request, url: `${request.url}${request.url.includes("?") ? "&" : "?"}appsecret_proof=${appSecretProof(account.accessToken, secret)}` }
      : request;
    const answer = await sendAdRequest("META", sent, { Authorization: `Bearer ${account.accessToken}` }, this.options);
    if (answer.status >= 400 || (isRecord(answer.json) && "error" in answer.json)) throw metaError(answer);
    return answer;
  }

  async minimumDailyBudget(account: AdAccount): Promise<number> {
    const answer = await this.send(account, { method: "GET", url: this.url(`${actId(account.accountId)}/minimum_budgets`) });
    const parsed = minimumBudgetsAnswer.safeParse(answer.json);
    if (!parsed.success) throw new AdPlatformError("Meta's minimum_budgets answer is not in the documented shape", "META", { retryable: false });
    const row = parsed.data.data.find((r) => r.currency === account.currency) ?? parsed.data.data[0];
    // Billed on impressions: min_daily_budget_imp applies (the others are for click, low-frequency and video billing).
    const min = row?.min_daily_budget_imp;
    if (min === undefined) throw new AdPlatformError("Meta answered no minimum daily budget for impressions", "META", { retryable: false });
    return min;
  }

  async preview(account: AdAccount, spec: AdCampaignSpec): Promise<AdRequest[]> {
    const [campaign, adSet] = this.createRequests(account, spec, true);
    // Meta validates the campaign without creating it. The ad set cannot be validated against a
    // campaign that does not exist, so it is shown, with its placeholder, but not sent.
    await this.send(account, campaign);
    return [campaign, adSet];
  }

  async create(account: AdAccount, spec: AdCampaignSpec): Promise<RemoteCampaign> {
    const [campaignRequest, adSetTemplate] = this.createRequests(account, spec);
    const campaign = idAnswer.safeParse((await this.send(account, campaignRequest)).json);
    if (!campaign.success) throw new AdPlatformError("Meta created the campaign but answered no id", "META", { retryable: false });
    const campaignId = campaign.data.id;
    const adSetRequest: AdRequest = { ...adSetTemplate, body: { ...(adSetTemplate.body as object), campaign_id: campaignId } };
    let adSetId: string;
    try {
      const adSet = idAnswer.safeParse((await this.send(account, adSetRequest)).json);
      if (!adSet.success) throw new AdPlatformError("Meta created the ad set but answered no id", "META", { retryable: false });
      adSetId = adSet.data.id;
    } catch (error) {
      // No half campaign left behind: the campaign without its ad set is deleted (best effort).
      await this.send(account, { method: "DELETE", url: this.url(campaignId) }).catch(() => undefined);
      throw error;
    }
    return { campaignId, adSetId, budgetId: null, requests: [campaignRequest, adSetRequest] };
  }

  private async postAdSet(account: AdAccount, ref: RemoteRef, body: Record<string, unknown>): Promise<AdRequest[]> {
    const request: AdRequest = { method: "POST", url: this.url(ref.adSetId), body };
    await this.send(account, request);
    return [request];
  }

  updateBudget(account: AdAccount, ref: RemoteRef, dailyBudgetMinor: number): Promise<AdRequest[]> {
    return this.postAdSet(account, ref, { daily_budget: dailyBudgetMinor });
  }

  pause(account: AdAccount, ref: RemoteRef): Promise<AdRequest[]> {
    return this.postAdSet(account, ref, { status: "PAUSED" });
  }

  resume(account: AdAccount, ref: RemoteRef): Promise<AdRequest[]> {
    return this.postAdSet(account, ref, { status: "ACTIVE" });
  }

  insightsUrl(ref: RemoteRef, since: string, until: string): string {
    const params = new URLSearchParams({
      level: "adset",
      time_increment: "1",
      fields: "spend,impressions,clicks,actions,action_values",
      time_range: JSON.stringify({ since, until }),
      limit: "100",
    });
    return `${this.url(`${ref.adSetId}/insights`)}?${params}`;
  }

  async insights(account: AdAccount, ref: RemoteRef, since: string, until: string): Promise<AdDayInsight[]> {
    const days: AdDayInsight[] = [];
    let url: string | undefined = this.insightsUrl(ref, since, until);
    for (let page = 0; url && page < 50; page++) {
      const answer = await this.send(account, { method: "GET", url });
      const parsed = insightsAnswer.safeParse(answer.json);
      if (!parsed.success) throw new AdPlatformError("Meta's insights answer is not in the documented shape", "META", { retryable: false });
      for (const row of parsed.data.data) {
        days.push({
          day: row.date_start,
          spendMinor: decimalToMinor(row.spend, account.currency),
          impressions: int(row.impressions),
          clicks: int(row.clicks),
          orders: int(purchaseValue(row.actions)),
          revenueMinor: decimalToMinor(purchaseValue(row.action_values), account.currency),
        });
      }
      // Only Meta's own next page gets the token.
      const next = parsed.data.paging?.next;
      url = next && next.startsWith(`${this.graphUrl}/`) ? next : undefined;
    }
    return days.sort((a, b) => a.day.localeCompare(b.day));
  }
}
