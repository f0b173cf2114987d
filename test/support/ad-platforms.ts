// MSW fakes of the ad platforms, following their documented shapes and checking what they receive:
//
// Meta Graph API (v26.0): POST /act_<id>/campaigns and /adsets (refuses a campaign without
// special_ad_categories, an ad set without targeting_automation.advantage_audience, a radius outside
// 1–80 km, several custom locations, a budget that is not an integer or under minimum_budgets),
// execution_options ["validate_only"], POST /<ad set> updates, GET /act_<id>/minimum_budgets,
// GET /<ad set>/insights, OAuth (oauth/access_token, fb_exchange_token, me/adaccounts); errors as
// {error: {message, type, code, error_subcode, error_user_title, error_user_msg, fbtrace_id}}, rate
// limits as code 17 with X-Business-Use-Case-Usage.
//
// Google Ads REST (v26): campaignBudgets, campaigns and campaignCriteria :mutate, googleAds:search,
// customers:listAccessibleCustomers; a budget under the minimum refused with
// BudgetPerDayMinimumErrorDetails; RESOURCE_EXHAUSTED (429, Retry-After, quotaErrorDetails.retryDelay);
// UNAUTHENTICATED for a wrong token; OAuth at oauth2.googleapis.com/token (authorization_code,
// refresh_token, invalid_grant).
import { http, HttpResponse } from "msw";

export const META_GRAPH = "https://graph.facebook.com";
export const GOOGLE_ADS = "https://googleads.googleapis.com";
export const GOOGLE_TOKEN = "https://oauth2.googleapis.com/token";

export interface RecordedRequest {
  method: string;
  url: URL;
  path: string;
  body: unknown;
  headers: Headers;
}

type Failure = { status: number; body: unknown; headers?: Record<string, string> };

async function record(request: Request, base: string): Promise<RecordedRequest> {
  const url = new URL(request.url);
  const text = request.method === "GET" || request.method === "DELETE" ? "" : await request.text();
  let body: unknown = undefined;
  if (text) {
    const type = request.headers.get("content-type") ?? "";
    body = type.includes("application/x-www-form-urlencoded") ? Object.fromEntries(new URLSearchParams(text)) : JSON.parse(text);
  }
  return { method: request.method, url, path: url.pathname.slice(new URL(base).pathname.length), body, headers: request.headers };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------- Meta

export interface MetaFakeOptions {
  version?: string;
  token?: string;
  accountId?: string;
  minimumBudgets?: Array<Record<string, unknown>>;
  /** Insights rows answered for any ad set (Meta's own shape). */
  insightsRows?: Array<Record<string, unknown>>;
  /** OAuth */
  appId?: string;
  appSecret?: string;
  code?: string;
  adAccounts?: Array<Record<string, unknown>>;
}

export function metaError(code: number, message: string, extra: Record<string, unknown> = {}) {
  return { error: { message, type: code === 190 ? "OAuthException" : "FacebookApiException", code, fbtrace_id: "AbCdEfGhIjK", ...extra } };
}

export function metaFake(options: MetaFakeOptions = {}) {
  const version = options.version ?? "v26.0";
  const token = { current: options.token ?? "EAAG-meta-long-lived-token" };
  const account = options.accountId ?? "act_1234567890";
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  const campaigns = new Map<string, Record<string, unknown>>();
  const adSets = new Map<string, Record<string, unknown>>();
  let nextId = 23850000000000;
  const minimumBudgets = options.minimumBudgets ?? [
    { currency: "USD", min_daily_budget_imp: 100, min_daily_budget_high_freq: 500, min_daily_budget_low_freq: 4000, min_daily_budget_video_views: 100 },
  ];
  const fail = (status: number, body: unknown, headers?: Record<string, string>) => HttpResponse.json(body as Record<string, unknown>, { status, headers });

  const handler = http.all(new RegExp(`^${META_GRAPH.replace(/\./g, "\\.")}/`), async ({ request }) => {
    const r = await record(request, META_GRAPH);
    requests.push(r);
    const path = r.url.pathname;
    if (!path.startsWith(`/${version}/`)) return fail(400, metaError(2635, `You are calling a deprecated version of the Ads API. Please update to the latest version: ${version}.`));
    const rest = path.slice(version.length + 2);

    // OAuth endpoints (no bearer token)
    if (rest === "oauth/access_token" && r.method === "GET") {
      const q = r.url.searchParams;
      if (q.get("client_id") !== options.appId || q.get("client_secret") !== options.appSecret) return fail(400, metaError(1, "Error validating client secret."));
      if (q.get("grant_type") === "fb_exchange_token") {
        if (q.get("fb_exchange_token") !== "short-lived-meta-token") return fail(400, metaError(190, "Invalid OAuth access token."));
        return HttpResponse.json({ access_token: token.current, token_type: "bearer", expires_in: 5_183_944 });
      }
      if (q.get("code") !== options.code || !q.get("redirect_uri")) return fail(400, metaError(100, "This authorization code has been used.", { error_subcode: 36009 }));
      return HttpResponse.json({ access_token: "short-lived-meta-token", token_type: "bearer", expires_in: 5_183 });
    }

    if (r.headers.get("authorization") !== `Bearer ${token.current}`) {
      return fail(400, metaError(190, "Error validating access token: The session has been invalidated because the user changed their password.", { error_subcode: 460 }));
    }
    const queued = failures.shift();
    if (queued) return fail(queued.status, queued.body, queued.headers);

    if (rest === "me/adaccounts") return HttpResponse.json({ data: options.adAccounts ?? [{ id: account, account_id: account.slice(4), name: "Brooklyn Goods", currency: "USD", timezone_name: "America/New_York", account_status: 1 }], paging: {} });
    if (rest === `${account}/minimum_budgets` && r.method === "GET") return HttpResponse.json({ data: minimumBudgets, paging: {} });
    const body = isObj(r.body) ? r.body : {};
    const validateOnly = Array.isArray(body.execution_options) && body.execution_options.includes("validate_only");
    if (rest === `${account}/campaigns` && r.method === "POST") {
      if (!Array.isArray(body.special_ad_categories)) return fail(400, metaError(100, "Invalid parameter", { error_subcode: 1885316, error_user_title: "Special Ad Categories Required", error_user_msg: "special_ad_categories is required." }));
      if (typeof body.objective !== "string" || !body.name) return fail(400, metaError(100, "Invalid parameter"));
      if (validateOnly) return HttpResponse.json({ success: true });
      const id = String(nextId++);
      campaigns.set(id, body);
      return HttpResponse.json({ id });
    }
    if (rest === `${account}/adsets` && r.method === "POST") {
      const targeting = isObj(body.targeting) ? body.targeting : {};
      const automation = isObj(targeting.targeting_automation) ? targeting.targeting_automation : {};
      if (automation.advantage_audience !== 0 && automation.advantage_audience !== 1) {
        return fail(400, metaError(100, "Invalid parameter", { error_subcode: 1870227, error_user_title: "Advantage Audience Flag Required", error_user_msg: "To create your ad set, you need to enable or disable the Advantage audience feature." }));
      }
      const geo = isObj(targeting.geo_locations) ? targeting.geo_locations : {};
      const locations = Array.isArray(geo.custom_locations) ? geo.custom_locations : [];
      if (locations.length > 1) return fail(400, metaError(100, "Invalid parameter", { error_subcode: 1815946, error_user_msg: "Locations with different radii cannot be combined." }));
      const loc = isObj(locations[0]) ? locations[0] : {};
      const radius = Number(loc.radius);
      if (loc.distance_unit !== "kilometer" || !(radius >= 1 && radius <= 80)) return fail(400, metaError(100, "Invalid parameter", { error_subcode: 1487750, error_user_msg: "The radius must be between 1 and 80 kilometers." }));
      const min = Number(minimumBudgets[0].min_daily_budget_imp);
      if (!Number.isInteger(body.daily_budget) || (body.daily_budget as number) < min) {
        return fail(400, metaError(100, "Invalid parameter", { error_subcode: 1885272, error_user_title: "Your Budget Is Too Low", error_user_msg: `The minimum daily budget for this ad set is $${(min / 100).toFixed(2)}.` }));
      }
      if (!validateOnly && !campaigns.has(String(body.campaign_id))) return fail(400, metaError(100, "Invalid parameter", { error_user_msg: "campaign_id does not exist" }));
      if (validateOnly) return HttpResponse.json({ success: true });
      const id = String(nextId++);
      adSets.set(id, { ...body });
      return HttpResponse.json({ id });
    }
    const insights = /^(\d+)\/insights$/.exec(rest);
    if (insights && r.method === "GET") {
      if (!adSets.has(insights[1]) && insights[1] !== "999") return fail(400, metaError(100, "Unsupported get request.", { error_subcode: 33 }));
      return HttpResponse.json({ data: options.insightsRows ?? [], paging: { cursors: { before: "a", after: "b" } } });
    }
    const node = /^(\d+)$/.exec(rest);
    if (node && r.method === "POST") {
      const set = adSets.get(node[1]);
      if (!set) return fail(400, metaError(100, "Unsupported post request.", { error_subcode: 33 }));
      Object.assign(set, body);
      return HttpResponse.json({ success: true });
    }
    if (node && r.method === "DELETE") {
      campaigns.delete(node[1]);
      return HttpResponse.json({ success: true });
    }
    return fail(400, metaError(100, `Unknown path components: /${rest}`));
  });

  return {
    handlers: [handler],
    requests,
    campaigns,
    adSets,
    token,
    /** Answer the next authorised call with this (rate limits, outages). */
    failNext(status: number, body: unknown, headers?: Record<string, string>) {
      failures.push({ status, body, headers });
    },
    /** Requests to the ad API (not OAuth). */
    apiRequests: () => requests.filter((r) => !r.path.includes("/oauth/")),
  };
}

// -------------------------------------------------------------------------------------------- Google

export interface GoogleFakeOptions {
  version?: string;
  customerId?: string;
  accessToken?: string;
  minimumMicros?: number;
  searchRows?: Array<Record<string, unknown>>;
  /** OAuth */
  clientId?: string;
  clientSecret?: string;
  code?: string;
  refreshToken?: string;
  /** listAccessibleCustomers and each customer's row. */
  customers?: Array<{ id: string; manager?: boolean; currencyCode?: string; timeZone?: string; descriptiveName?: string; clients?: Array<{ id: string; currencyCode: string; timeZone: string; descriptiveName: string }> }>;
}

export function googleAdsFailure(status: number, grpc: string, errors: Array<Record<string, unknown>>, message = "Request contains an invalid argument.") {
  return {
    error: {
      code: status,
      message,
      status: grpc,
      details: [{ "@type": "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure", errors, requestId: "gAdsReq123" }],
    },
  };
}

export function googleFake(options: GoogleFakeOptions = {}) {
  const version = options.version ?? "v26";
  const cid = options.customerId ?? "1234567890";
  const tokens = { access: options.accessToken ?? "ya29.google-access-token", refresh: options.refreshToken ?? "1//google-refresh-token", issued: 0, revoked: false };
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  const budgets = new Map<string, Record<string, unknown>>();
  const campaigns = new Map<string, Record<string, unknown>>();
  const criteria = new Map<string, Record<string, unknown>>();
  let nextId = 9000;
  const minimumMicros = options.minimumMicros ?? 1_000_000;
  const fail = (status: number, body: unknown, headers?: Record<string, string>) => HttpResponse.json(body as Record<string, unknown>, { status, headers });

  const token = http.post(GOOGLE_TOKEN, async ({ request }) => {
    const r = await record(request, "https://oauth2.googleapis.com");
    requests.push(r);
    const b = (r.body ?? {}) as Record<string, string>;
    if (b.client_id !== options.clientId || b.client_secret !== options.clientSecret) return fail(401, { error: "invalid_client", error_description: "The OAuth client was not found." });
    if (b.grant_type === "authorization_code") {
      if (b.code !== options.code || !b.redirect_uri) return fail(400, { error: "invalid_grant", error_description: "Malformed auth code." });
      return HttpResponse.json({ access_token: tokens.access, expires_in: 3599, refresh_token: tokens.refresh, scope: "https://www.googleapis.com/auth/adwords", token_type: "Bearer" });
    }
    if (b.grant_type === "refresh_token") {
      if (tokens.revoked || b.refresh_token !== tokens.refresh) return fail(400, { error: "invalid_grant", error_description: "Token has been expired or revoked." });
      tokens.issued += 1;
      tokens.access = `ya29.refreshed-${tokens.issued}`;
      return HttpResponse.json({ access_token: tokens.access, expires_in: 3599, scope: "https://www.googleapis.com/auth/adwords", token_type: "Bearer" });
    }
    return fail(400, { error: "unsupported_grant_type" });
  });
  const revoke = http.post("https://oauth2.googleapis.com/revoke", async ({ request }) => {
    requests.push(await record(request, "https://oauth2.googleapis.com"));
    tokens.revoked = true;
    return new HttpResponse(null, { status: 200 });
  });

  const api = http.all(new RegExp(`^${GOOGLE_ADS.replace(/\./g, "\\.")}/`), async ({ request }) => {
    const r = await record(request, GOOGLE_ADS);
    requests.push(r);
    if (r.headers.get("authorization") !== `Bearer ${tokens.access}`) {
      return fail(401, { error: { code: 401, message: "Request had invalid authentication credentials. Expected OAuth 2 access token.", status: "UNAUTHENTICATED" } });
    }
    const queued = failures.shift();
    if (queued) return fail(queued.status, queued.body, queued.headers);
    const rest = r.url.pathname.slice(version.length + 2);
    if (rest === "customers:listAccessibleCustomers") {
      return HttpResponse.json({ resourceNames: (options.customers ?? [{ id: cid }]).map((c) => `customers/${c.id}`) });
    }
    const m = /^customers\/(\d+)\/(campaignBudgets:mutate|campaigns:mutate|campaignCriteria:mutate|googleAds:search)$/.exec(rest);
    if (!m || r.method !== "POST") return fail(404, { error: { code: 404, message: "Not found", status: "NOT_FOUND" } });
    const body = isObj(r.body) ? r.body : {};
    if (m[2] === "googleAds:search") {
      const query = String(body.query ?? "");
      const customer = (options.customers ?? [{ id: cid }]).find((c) => c.id === m[1]);
      if (/FROM customer_client/.test(query)) {
        const clients = customer?.clients ?? [];
        return HttpResponse.json({ results: clients.map((c) => ({ customerClient: { resourceName: `customers/${m[1]}/customerClients/${c.id}`, id: c.id, descriptiveName: c.descriptiveName, currencyCode: c.currencyCode, timeZone: c.timeZone, manager: false } })) });
      }
      if (/FROM customer\b/.test(query)) {
        return HttpResponse.json({ results: customer ? [{ customer: { resourceName: `customers/${customer.id}`, id: customer.id, descriptiveName: customer.descriptiveName ?? "Brooklyn Goods", currencyCode: customer.currencyCode ?? "USD", timeZone: customer.timeZone ?? "America/New_York", manager: customer.manager ?? false } }] : [] });
      }
      return HttpResponse.json({ results: options.searchRows ?? [], fieldMask: "segments.date,metrics.costMicros" });
    }
    if (m[1] !== cid) return fail(403, { error: { code: 403, message: "The caller does not have permission", status: "PERMISSION_DENIED" } });
    const ops = Array.isArray(body.operations) ? (body.operations as Array<Record<string, unknown>>) : [];
    const results: Array<{ resourceName: string }> = [];
    for (const op of ops) {
      if (typeof op.remove === "string") {
        budgets.delete(op.remove);
        campaigns.delete(op.remove);
        results.push({ resourceName: op.remove });
        continue;
      }
      const create = isObj(op.create) ? op.create : null;
      const update = isObj(op.update) ? op.update : null;
      if (m[2] === "campaignBudgets:mutate") {
        const amount = Number((create ?? update)?.amountMicros);
        if (!(amount >= minimumMicros)) {
          return fail(400, googleAdsFailure(400, "INVALID_ARGUMENT", [
            {
              errorCode: { campaignBudgetError: "BUDGET_BELOW_PER_DAY_MINIMUM" },
              message: "The budget is below the per-day minimum.",
              location: { fieldPathElements: [{ fieldName: "operations", index: 0 }, { fieldName: create ? "create" : "update" }, { fieldName: "amount_micros" }] },
              details: { budgetPerDayMinimumErrorDetails: { currencyCode: "USD", budgetPerDayMinimumMicros: String(minimumMicros), minimumBudgetAmountMicros: String(minimumMicros), failedBudgetAmountMicros: String(amount) } },
            },
          ]));
        }
        if (create) {
          if (create.explicitlyShared !== false) return fail(400, googleAdsFailure(400, "INVALID_ARGUMENT", [{ errorCode: { campaignBudgetError: "CANNOT_USE_SHARED_CAMPAIGN_BUDGET_WHILE_PART_OF_CAMPAIGN_GROUP" }, message: "shared budget" }]));
          const name = `customers/${cid}/campaignBudgets/${nextId++}`;
          if (body.validateOnly !== true) budgets.set(name, create);
          results.push({ resourceName: name });
        } else if (update) {
          const name = String(update.resourceName);
          if (!budgets.has(name)) return fail(400, googleAdsFailure(400, "INVALID_ARGUMENT", [{ errorCode: { mutateError: "RESOURCE_NOT_FOUND" }, message: "Resource was not found." }]));
          Object.assign(budgets.get(name)!, update);
          results.push({ resourceName: name });
        }
      } else if (m[2] === "campaigns:mutate") {
        const status = (create ?? update)?.status;
        if (status !== undefined && status !== "ENABLED" && status !== "PAUSED" && status !== "REMOVED") {
          return fail(400, {
            error: { code: 400, message: `Invalid value at 'operations[0].create.status' (type.googleapis.com/google.ads.googleads.v26.enums.CampaignStatusEnum.CampaignStatus), "${String(status)}"`, status: "INVALID_ARGUMENT" },
          });
        }
        if (create) {
          if (!budgets.has(String(create.campaignBudget))) return fail(400, googleAdsFailure(400, "INVALID_ARGUMENT", [{ errorCode: { mutateError: "RESOURCE_NOT_FOUND" }, message: "Resource was not found." }]));
          const name = `customers/${cid}/campaigns/${nextId++}`;
          if (body.validateOnly !== true) campaigns.set(name, { ...create });
          results.push({ resourceName: name });
        } else if (update) {
          const name = String(update.resourceName);
          if (!campaigns.has(name)) return fail(400, googleAdsFailure(400, "INVALID_ARGUMENT", [{ errorCode: { mutateError: "RESOURCE_NOT_FOUND" }, message: "Resource was not found." }]));
          Object.assign(campaigns.get(name)!, update);
          results.push({ resourceName: name });
        }
      } else if (m[2] === "campaignCriteria:mutate" && create) {
        const campaign = String(create.campaign);
        if (!campaigns.has(campaign)) return fail(400, googleAdsFailure(400, "INVALID_ARGUMENT", [{ errorCode: { mutateError: "RESOURCE_NOT_FOUND" }, message: "Resource was not found." }]));
        const prox = isObj(create.proximity) ? create.proximity : {};
        if (prox.radiusUnits !== "KILOMETERS" && prox.radiusUnits !== "MILES") return fail(400, googleAdsFailure(400, "INVALID_ARGUMENT", [{ errorCode: { criterionError: "INVALID_PROXIMITY_RADIUS_UNITS" }, message: "Invalid radius units." }]));
        const name = `${campaign.replace("/campaigns/", "/campaignCriteria/")}~${nextId++}`;
        criteria.set(name, create);
        results.push({ resourceName: name });
      }
    }
    return HttpResponse.json(body.validateOnly === true ? {} : { results });
  });

  return {
    handlers: [token, revoke, api],
    requests,
    budgets,
    campaigns,
    criteria,
    tokens,
    failNext(status: number, body: unknown, headers?: Record<string, string>) {
      failures.push({ status, body, headers });
    },
    apiRequests: () => requests.filter((r) => r.url.origin === GOOGLE_ADS),
  };
}
