// Google Ads API over REST (v26 by default, version from configuration). One Search campaign per hub
// circle (proximity on Performance Max through the API is unverified):
//
//   POST /customers/{cid}/campaignBudgets:mutate   create {amountMicros, explicitlyShared: false, deliveryMethod: STANDARD, period: DAILY}
//   POST /customers/{cid}/campaigns:mutate         create {advertisingChannelType: SEARCH, status, campaignBudget,
//                                                  startDateTime, endDateTime ("yyyy-MM-dd HH:mm:ss" in the customer's
//                                                  time zone; start_date/end_date were removed in v23)}
//   POST /customers/{cid}/campaignCriteria:mutate  create {campaign, proximity {geoPoint {latitudeInMicroDegrees,
//                                                  longitudeInMicroDegrees}, radius, radiusUnits: KILOMETERS}}
//   pause/resume: campaigns:mutate update {status}, updateMask "status"
//   budget:       campaignBudgets:mutate update {amountMicros}, updateMask "amountMicros"
//   insights:     googleAds:search, GAQL metrics.cost_micros, impressions, clicks, conversions,
//                 conversions_value by segments.date
//
// JSON uses the proto3 JSON mapping (lowerCamelCase of amount_micros, explicitly_shared, …; int64 as
// strings). No developer-token header: developer tokens were retired on 2026-09-09 and access follows
// the OAuth client's Cloud project. `login-customer-id` is sent when the customer is reached through a
// manager account.
//
// Minimum budget: Google has no endpoint for it; a mutate refused with BudgetPerDayMinimumErrorDetails
// names it, and that figure is kept (per customer and currency, in this process) and answered from
// then on; before that, the configured default.
//
// Errors: {error: {code, message, status, details: [{@type …GoogleAdsFailure, errors: [{errorCode: {…},
// message, location, details: {budgetPerDayMinimumErrorDetails, quotaErrorDetails}}], requestId}]}}.
// RESOURCE_EXHAUSTED / UNAVAILABLE / 429 / 5xx are retried (Retry-After or the quota's retryDelay);
// UNAUTHENTICATED (401) means reconnect.
import { z } from "zod";
import { sendAdRequest, retryAfterMs as retryAfterHeader, type AdHttpAnswer, type AdHttpOptions } from "./http.server";
import { microsToMinor, minorToMicros } from "./money";
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

export const GOOGLE_DEFAULT_VERSION = "v26";
export const GOOGLE_ADS_URL = "https://googleads.googleapis.com";
/** One major unit, until Google names the account's minimum. */
export const GOOGLE_DEFAULT_MIN_DAILY_BUDGET_MICROS = 1_000_000;

export interface GoogleOptions extends AdHttpOptions {
  version?: string;
  /** Without the version; default https://googleads.googleapis.com. */
  adsUrl?: string;
  /** The minimum answered before Google has named one, in micros of the account currency. */
  defaultMinDailyBudgetMicros?: number;
}

/** Minimums Google named in BudgetPerDayMinimumErrorDetails, by "customer:currency" (minor units). */
const learntMinimums = new Map<string, number>();
const minimumKey = (customerId: string, currency: string) => `${customerId}:${currency}`;

/** Forget what was learnt (tests). */
export function forgetGoogleMinimums(): void {
  learntMinimums.clear();
}

export const customerDigits = (id: string) => id.replace(/^customers\//, "").replace(/-/g, "");

/** "yyyy-MM-dd" of an instant in a time zone. */
function localDate(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

const durationMs = (text: unknown): number | undefined => {
  if (typeof text !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(text.trim());
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
};

const failureError = z.object({
  errorCode: z.record(z.string(), z.unknown()).optional(),
  message: z.string().optional(),
  location: z.object({ fieldPathElements: z.array(z.object({ fieldName: z.string(), index: z.number().optional() })).optional() }).optional(),
  details: z
    .object({
      budgetPerDayMinimumErrorDetails: z
        .object({
          currencyCode: z.string().optional(),
          budgetPerDayMinimumMicros: z.union([z.string(), z.number()]).optional(),
          minimumBudgetAmountMicros: z.union([z.string(), z.number()]).optional(),
          failedBudgetAmountMicros: z.union([z.string(), z.number()]).optional(),
        })
        .optional(),
      quotaErrorDetails: z.object({ retryDelay: z.string().optional() }).loose().optional(),
    })
    .loose()
    .optional(),
});
const errorSchema = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.object({ "@type": z.string().optional(), errors: z.array(failureError).optional(), requestId: z.string().optional(), retryDelay: z.string().optional() }).loose()).optional(),
  }),
});

const RETRYABLE_STATUSES = new Set(["RESOURCE_EXHAUSTED", "UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED", "ABORTED"]);

function fieldOf(error: z.infer<typeof failureError>): string | undefined {
  const path = (error.location?.fieldPathElements ?? []).map((e) => e.fieldName).join(".");
  const codes = JSON.stringify(error.errorCode ?? {});
  if (error.details?.budgetPerDayMinimumErrorDetails || /amount_micros|amountMicros/.test(path) || /campaignBudgetError/.test(codes)) return "dailyBudgetMinor";
  if (/proximity|radius/.test(path) || /PROXIMITY|RADIUS/.test(codes)) return "radiusM";
  if (/start_date|end_date/.test(path)) return "startTime";
  return undefined;
}

/** Google's error answer as an AdPlatformError (and the minimum budget it names, kept for the account). */
export function googleError(answer: AdHttpAnswer, account?: AdAccount): AdPlatformError {
  const parsed = errorSchema.safeParse(answer.json);
  const status = parsed.success ? parsed.data.error.status : undefined;
  const httpRetryable = answer.status === 429 || answer.status >= 500;
  if (!parsed.success) {
    return new AdPlatformError(`Google Ads answered HTTP ${answer.status}`, "GOOGLE", {
      code: answer.status,
      httpStatus: answer.status,
      retryable: httpRetryable,
      reauth: answer.status === 401,
      retryAfterMs: httpRetryable ? retryAfterHeader(answer.headers) : undefined,
    });
  }
  const e = parsed.data.error;
  const failures = (e.details ?? []).flatMap((d) => d.errors ?? []);
  const first = failures[0];
  const quota = failures.some((f) => f.errorCode && "quotaError" in f.errorCode);
  const retryable = httpRetryable || (status !== undefined && RETRYABLE_STATUSES.has(status)) || quota;
  let retryAfterMs = retryable ? retryAfterHeader(answer.headers) : undefined;
  if (retryable && retryAfterMs === undefined) {
    for (const d of e.details ?? []) retryAfterMs ??= durationMs(d.retryDelay);
    for (const f of failures) retryAfterMs ??= durationMs(f.details?.quotaErrorDetails?.retryDelay);
  }
  let minimumDailyBudgetMinor: number | undefined;
  for (const f of failures) {
    const m = f.details?.budgetPerDayMinimumErrorDetails;
    const micros = Number(m?.minimumBudgetAmountMicros ?? m?.budgetPerDayMinimumMicros);
    const currency = m?.currencyCode ?? account?.currency;
    if (Number.isFinite(micros) && micros > 0 && currency) {
      // A minimum rounds up: the smallest whole minor amount that is not under it.
      minimumDailyBudgetMinor = Math.ceil(micros / minorToMicros(1, currency));
      if (account) learntMinimums.set(minimumKey(customerDigits(account.accountId), account.currency), minimumDailyBudgetMinor);
    }
  }
  const requestId = (e.details ?? []).find((d) => d.requestId)?.requestId;
  const words = failures.map((f) => f.message).filter(Boolean).join("; ") || e.message || `Google Ads answered HTTP ${answer.status}`;
  return new AdPlatformError(`${words}${requestId ? ` (request ${requestId})` : ""}`, "GOOGLE", {
    code: status ?? e.code,
    subcode: first?.errorCode ? Object.entries(first.errorCode).map(([k, v]) => `${k}.${String(v)}`)[0] : undefined,
    httpStatus: answer.status,
    retryable,
    reauth: status === "UNAUTHENTICATED" || answer.status === 401,
    field: failures.map(fieldOf).find(Boolean),
    retryAfterMs,
    minimumDailyBudgetMinor,
  });
}

const mutateAnswer = z.object({ results: z.array(z.object({ resourceName: z.string().optional() })).optional() });
const num = z.union([z.string(), z.number()]).optional();
const searchAnswer = z.object({
  results: z
    .array(
      z.object({
        segments: z.object({ date: z.string() }).partial().optional(),
        metrics: z.object({ costMicros: num, impressions: num, clicks: num, conversions: num, conversionsValue: num }).partial().optional(),
      }).loose(),
    )
    .optional(),
  nextPageToken: z.string().optional(),
});

const n = (v: string | number | undefined) => {
  const x = Number(v ?? 0);
  return Number.isFinite(x) ? x : 0;
};

export class GoogleAdsAdapter implements AdPlatformAdapter {
  readonly platform = "GOOGLE" as const;
  readonly version: string;
  readonly adsUrl: string;

  constructor(private readonly options: GoogleOptions = {}) {
    this.version = options.version ?? GOOGLE_DEFAULT_VERSION;
    this.adsUrl = (options.adsUrl ?? GOOGLE_ADS_URL).replace(/\/+$/, "");
  }

  url(account: AdAccount, method: string): string {
    return `${this.adsUrl}/${this.version}/customers/${customerDigits(account.accountId)}/${method}`;
  }

  headers(account: AdAccount): Record<string, string> {
    const headers: Record<string, string> = { Authorization: `Bearer ${account.accessToken}` };
    if (account.loginCustomerId) headers["login-customer-id"] = customerDigits(account.loginCustomerId);
    return headers;
  }

  async send(account: AdAccount, request: AdRequest): Promise<unknown> {
    const answer = await sendAdRequest("GOOGLE", request, this.headers(account), this.options);
    if (answer.status >= 400) throw googleError(answer, account);
    return answer.json;
  }

  private async mutate(account: AdAccount, request: AdRequest): Promise<string> {
    const parsed = mutateAnswer.safeParse(await this.send(account, request));
    const name = parsed.success ? parsed.data.results?.[0]?.resourceName : undefined;
    if (!name) throw new AdPlatformError(`Google Ads answered no resource name for ${request.url}`, "GOOGLE", { retryable: false });
    return name;
  }

  /** The three create requests; placeholders "{budget}" and "{campaign}" stand for the resources made before. */
  createRequests(account: AdAccount, spec: AdCampaignSpec, validateOnly = false): [AdRequest, AdRequest, AdRequest] {
    if (!(spec.radiusM > 0)) throw new AdPlatformError("Google needs a proximity radius above 0", "GOOGLE", { retryable: false, field: "radiusM" });
    const timeZone = account.timezone || "UTC";
    const validate = validateOnly ? { validateOnly: true } : {};
    const budget: AdRequest = {
      method: "POST",
      url: this.url(account, "campaignBudgets:mutate"),
      body: {
        operations: [
          {
            create: {
              name: `${spec.name} · budget`,
              amountMicros: String(minorToMicros(spec.dailyBudgetMinor, account.currency)),
              explicitlyShared: false,
              deliveryMethod: "STANDARD",
              period: "DAILY",
            },
          },
        ],
        ...validate,
      },
    };
    const campaign: AdRequest = {
      method: "POST",
      url: this.url(account, "campaigns:mutate"),
      body: {
        operations: [
          {
            create: {
              name: spec.name,
              // Google's CampaignStatus: ENABLED | PAUSED (REMOVED); Nearhub's ACTIVE is ENABLED.
              status: spec.status === "ACTIVE" ? "ENABLED" : "PAUSED",
              advertisingChannelType: "SEARCH",
              campaignBudget: "{budget}",
              // Maximise clicks within the daily budget.
              targetSpend: {},
              networkSettings: { targetGoogleSearch: true, targetSearchNetwork: false, targetContentNetwork: false, targetPartnerSearchNetwork: false },
              // People in the circle, not people interested in it: the hub delivers there.
              geoTargetTypeSetting: { positiveGeoTargetType: "PRESENCE" },
              containsEuPoliticalAdvertising: "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING",
              startDateTime: `${localDate(spec.startTime, timeZone)} 00:00:00`,
              endDateTime: `${localDate(spec.endTime, timeZone)} 23:59:59`,
              finalUrlSuffix: new URL(spec.landingUrl).search.replace(/^\?/, "") || undefined,
            },
          },
        ],
        ...validate,
      },
    };
    const criterion: AdRequest = {
      method: "POST",
      url: this.url(account, "campaignCriteria:mutate"),
      body: {
        operations: [
          {
            create: {
              campaign: "{campaign}",
              proximity: {
                geoPoint: { latitudeInMicroDegrees: Math.round(spec.latitude * 1e6), longitudeInMicroDegrees: Math.round(spec.longitude * 1e6) },
                radius: Math.round(spec.radiusM / 100) / 10,
                radiusUnits: "KILOMETERS",
              },
            },
          },
        ],
        ...validate,
      },
    };
    return [budget, campaign, criterion];
  }

  async minimumDailyBudget(account: AdAccount): Promise<number> {
    const learnt = learntMinimums.get(minimumKey(customerDigits(account.accountId), account.currency));
    if (learnt !== undefined) return learnt;
    return Math.ceil((this.options.defaultMinDailyBudgetMicros ?? GOOGLE_DEFAULT_MIN_DAILY_BUDGET_MICROS) / minorToMicros(1, account.currency));
  }

  async preview(account: AdAccount, spec: AdCampaignSpec): Promise<AdRequest[]> {
    const requests = this.createRequests(account, spec, true);
    // validateOnly checks the budget without creating it; the campaign and its criterion need the
    // resources before them, so they are shown with placeholders but not sent.
    await this.send(account, requests[0]);
    return requests;
  }

  async create(account: AdAccount, spec: AdCampaignSpec): Promise<RemoteCampaign> {
    const [budgetRequest, campaignTemplate, criterionTemplate] = this.createRequests(account, spec);
    const sent: AdRequest[] = [budgetRequest];
    const budgetId = await this.mutate(account, budgetRequest);
    const undo: AdRequest[] = [{ method: "POST", url: this.url(account, "campaignBudgets:mutate"), body: { operations: [{ remove: budgetId }] } }];
    try {
      const campaignRequest = withPlaceholder(campaignTemplate, "{budget}", budgetId);
      sent.push(campaignRequest);
      const campaignId = await this.mutate(account, campaignRequest);
      undo.unshift({ method: "POST", url: this.url(account, "campaigns:mutate"), body: { operations: [{ remove: campaignId }] } });
      const criterionRequest = withPlaceholder(criterionTemplate, "{campaign}", campaignId);
      sent.push(criterionRequest);
      const adSetId = await this.mutate(account, criterionRequest);
      return { campaignId, adSetId, budgetId, requests: sent };
    } catch (error) {
      // Nothing half-made stays behind (best effort): the campaign, then its budget.
      for (const request of undo) await this.send(account, request).catch(() => undefined);
      throw error;
    }
  }

  private async setStatus(account: AdAccount, ref: RemoteRef, status: "PAUSED" | "ENABLED"): Promise<AdRequest[]> {
    const request: AdRequest = {
      method: "POST",
      url: this.url(account, "campaigns:mutate"),
      body: { operations: [{ update: { resourceName: ref.campaignId, status }, updateMask: "status" }] },
    };
    await this.mutate(account, request);
    return [request];
  }

  async updateBudget(account: AdAccount, ref: RemoteRef, dailyBudgetMinor: number): Promise<AdRequest[]> {
    if (!ref.budgetId) throw new AdPlatformError("This Google campaign has no budget resource on record", "GOOGLE", { retryable: false, field: "dailyBudgetMinor" });
    const request: AdRequest = {
      method: "POST",
      url: this.url(account, "campaignBudgets:mutate"),
      body: {
        operations: [{ update: { resourceName: ref.budgetId, amountMicros: String(minorToMicros(dailyBudgetMinor, account.currency)) }, updateMask: "amountMicros" }],
      },
    };
    await this.mutate(account, request);
    return [request];
  }

  pause(account: AdAccount, ref: RemoteRef): Promise<AdRequest[]> {
    return this.setStatus(account, ref, "PAUSED");
  }

  resume(account: AdAccount, ref: RemoteRef): Promise<AdRequest[]> {
    return this.setStatus(account, ref, "ENABLED");
  }

  insightsQuery(ref: RemoteRef, since: string, until: string): string {
    const day = /^\d{4}-\d{2}-\d{2}$/;
    if (!day.test(since) || !day.test(until)) throw new AdPlatformError("insights: since and until must be YYYY-MM-DD", "GOOGLE", { retryable: false });
    const resource = ref.campaignId.replace(/'/g, "");
    return [
      "SELECT segments.date, metrics.cost_micros, metrics.impressions, metrics.clicks, metrics.conversions, metrics.conversions_value",
      "FROM campaign",
      `WHERE campaign.resource_name = '${resource}' AND segments.date BETWEEN '${since}' AND '${until}'`,
      "ORDER BY segments.date",
    ].join(" ");
  }

  async insights(account: AdAccount, ref: RemoteRef, since: string, until: string): Promise<AdDayInsight[]> {
    const query = this.insightsQuery(ref, since, until);
    const byDay = new Map<string, AdDayInsight>();
    let pageToken: string | undefined;
    for (let page = 0; page < 50; page++) {
      const json = await this.send(account, { method: "POST", url: this.url(account, "googleAds:search"), body: pageToken ? { query, pageToken } : { query } });
      const parsed = searchAnswer.safeParse(json);
      if (!parsed.success) throw new AdPlatformError("Google Ads' search answer is not in the documented shape", "GOOGLE", { retryable: false });
      for (const row of parsed.data.results ?? []) {
        const day = row.segments?.date;
        if (!day) continue;
        const m = row.metrics ?? {};
        const seen = byDay.get(day) ?? { day, spendMinor: 0, impressions: 0, clicks: 0, orders: 0, revenueMinor: 0 };
        seen.spendMinor += microsToMinor(n(m.costMicros), account.currency);
        seen.impressions += Math.round(n(m.impressions));
        seen.clicks += Math.round(n(m.clicks));
        // Conversions can be fractional (data-driven attribution): whole orders for the day.
        seen.orders += Math.round(n(m.conversions));
        // conversions_value is in the account currency's major units.
        seen.revenueMinor += microsToMinor(Math.round(n(m.conversionsValue) * 1e6), account.currency);
        byDay.set(day, seen);
      }
      pageToken = parsed.data.nextPageToken;
      if (!pageToken) break;
    }
    return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
  }
}

function withPlaceholder(request: AdRequest, placeholder: string, value: string): AdRequest {
  return { ...request, body: JSON.parse(JSON.stringify(request.body).split(JSON.stringify(placeholder)).join(JSON.stringify(value))) };
}

