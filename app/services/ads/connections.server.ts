// A shop's ad accounts (AdConnection rows): connecting (the sandbox at once; Meta and Google through
// OAuth from settings), opening the sealed tokens for an adapter (refreshing Google's access token
// when it expires), and marking a connection "reconnect" when the platform refuses its token.
//
// Tokens are sealed at rest with the app's key (services/secrets.server.ts), the context
// "AdConnection.<column>:<shopId>:<platform>" binding each value to its row and column. They are
// never logged, never put in an AdRequest (adapters send them in a header) and never answered to a
// page. The OAuth state is 32 random bytes plus when it was issued and where to return; only its
// SHA-256 is stored (AdConnection.oauthState), it is good for one use within 30 minutes, and it
// binds the flow to the shop, so the callback needs no admin session.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { AD_PLATFORM_LABELS, AD_PLATFORMS, type AdPlatform } from "~/core/promotions/types";
import { db } from "~/db.server";
import { env, type AdsConfig } from "~/env.server";
import { logger } from "~/services/logger.server";
import { secrets } from "~/services/secrets.server";
import type { AdConnectionView } from "~/services/campaigns/types";
import { GoogleAdsAdapter, customerDigits } from "./google.server";
import { appSecretProof } from "./meta.server";
import { adapterFor, withAdRetry, type AdRetryOptions } from "./index.server";
import { AdPlatformError, type AdAccount, type AdPlatformAdapter } from "./types";

export const OAUTH_STATE_TTL_MS = 30 * 60_000;
/** Google's access token is refreshed this long before it expires. */
const REFRESH_MARGIN_MS = 2 * 60_000;
export const GOOGLE_ADS_SCOPE = "https://www.googleapis.com/auth/adwords";
export const META_SCOPES = ["ads_management", "ads_read", "business_management"] as const;
export const SANDBOX_ACCOUNT_ID = "sandbox-1";

export type ConnectionProblem = "NOT_CONFIGURED" | "NOT_CONNECTED" | "RECONNECT";

/** The shop has no usable connection to the platform: why, in words for the merchant. */
export class AdConnectionError extends Error {
  constructor(
    message: string,
    readonly platform: AdPlatform,
    readonly problem: ConnectionProblem,
  ) {
    super(message);
    this.name = "AdConnectionError";
  }
}

/** The OAuth callback was refused: unknown, used or expired state, or the platform refused the code. */
export class AdOAuthError extends Error {
  constructor(
    message: string,
    readonly reason: "state" | "expired" | "exchange" | "account" | "config",
    /** Known once the state matched a shop (where to send the merchant back). */
    readonly shopId: string | null = null,
    readonly returnPath: string | null = null,
  ) {
    super(message);
    this.name = "AdOAuthError";
  }
}

export interface AdConnectionDeps {
  fetch?: typeof fetch;
  now?: () => number;
  config?: AdsConfig;
}

const sealContext = (column: "accessToken" | "refreshToken", shopId: string, platform: AdPlatform) => `AdConnection.${column}:${shopId}:${platform}`;
const hashState = (state: string) => createHash("sha256").update(state, "utf8").digest("hex");

type Row = NonNullable<Awaited<ReturnType<typeof db.adConnection.findUnique>>>;

function view(row: Row): AdConnectionView {
  return {
    id: row.id,
    platform: row.platform as AdPlatform,
    accountId: row.accountId,
    accountName: row.accountName,
    currency: row.currency,
    status: row.status as AdConnectionView["status"],
    statusMessage: row.statusMessage,
    tokenExpiresAt: row.tokenExpiresAt?.toISOString() ?? null,
  };
}

/** Whether the platform's app credentials are configured (the sandbox always is). */
export function adPlatformConfigured(platform: AdPlatform, config: AdsConfig = env().ads): boolean {
  if (platform === "META") return Boolean(config.meta.appId && config.meta.appSecret);
  if (platform === "GOOGLE") return Boolean(config.google.clientId && config.google.clientSecret);
  return true;
}

/** The shop's connections (every platform it ever connected, whatever their state now). */
export async function listAdConnections(shopId: string): Promise<AdConnectionView[]> {
  const rows = await db.adConnection.findMany({ where: { shopId }, orderBy: { platform: "asc" } });
  // A flow started but never completed leaves a DISCONNECTED row without an account: not a connection.
  return rows.filter((r) => r.accountId !== "").map(view);
}

export interface AdPlatformState {
  platform: AdPlatform;
  label: string;
  configured: boolean;
  connection: AdConnectionView | null;
}

/** What the settings page shows for each platform. */
export async function adPlatformStates(shopId: string, config: AdsConfig = env().ads): Promise<AdPlatformState[]> {
  const connections = await listAdConnections(shopId);
  return AD_PLATFORMS.map((platform) => ({
    platform,
    label: AD_PLATFORM_LABELS[platform],
    configured: adPlatformConfigured(platform, config),
    connection: connections.find((c) => c.platform === platform) ?? null,
  }));
}

/** Connects the demo's sandbox platform (no OAuth, no token, spends nothing). */
export async function connectSandbox(shopId: string, currency: string): Promise<AdConnectionView> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { timezone: true } });
  const fields = {
    accountId: SANDBOX_ACCOUNT_ID,
    accountName: "Nearhub sandbox",
    currency,
    timezone: shop.timezone,
    status: "CONNECTED",
    statusMessage: null,
    accessToken: null,
    refreshToken: null,
    tokenExpiresAt: null,
  };
  const row = await db.adConnection.upsert({
    where: { shopId_platform: { shopId, platform: "SANDBOX" } },
    create: { shopId, platform: "SANDBOX", ...fields },
    update: fields,
  });
  return view(row);
}

/** Where the platform sends the merchant back: /auth/ads/<meta|google>/callback on the app's URL. */
export function adOAuthRedirectUri(platform: AdPlatform): string {
  return new URL(`/auth/ads/${platform.toLowerCase()}/callback`, env().appUrl).toString();
}

/** Only a path inside the admin is a place to return to (no open redirect). */
export function safeReturnPath(value: string | null | undefined): string {
  if (value && /^\/app(\/[A-Za-z0-9._~\-/]*)?(\?[A-Za-z0-9._~\-=&%]*)?$/.test(value) && !value.startsWith("//")) return value;
  return "/app/settings/ads";
}

/**
 * Starts a connect flow: the platform's authorize URL with a fresh state (its hash stored on the
 * shop's row for the platform). `returnUrl` is the admin path the callback returns to.
 */
export async function startAdOAuth(shopId: string, platform: AdPlatform, returnUrl: string, deps: AdConnectionDeps = {}): Promise<{ url: string }> {
  const config = deps.config ?? env().ads;
  if (platform === "SANDBOX") throw new AdConnectionError("The sandbox connects without OAuth", platform, "NOT_CONFIGURED");
  if (!adPlatformConfigured(platform, config)) {
    throw new AdConnectionError(`${AD_PLATFORM_LABELS[platform]} is not configured on this Nearhub server`, platform, "NOT_CONFIGURED");
  }
  const now = (deps.now ?? Date.now)();
  const state = [randomBytes(32).toString("base64url"), now.toString(36), Buffer.from(safeReturnPath(returnUrl)).toString("base64url")].join(".");
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } });
  await db.adConnection.upsert({
    where: { shopId_platform: { shopId, platform } },
    create: { shopId, platform, accountId: "", currency: shop.currency, status: "DISCONNECTED", oauthState: hashState(state) },
    update: { oauthState: hashState(state) },
  });
  const redirectUri = adOAuthRedirectUri(platform);
  if (platform === "META") {
    const url = new URL(`${config.meta.oauthUrl}/${config.meta.apiVersion}/dialog/oauth`);
    url.search = new URLSearchParams({ client_id: config.meta.appId!, redirect_uri: redirectUri, state, response_type: "code", scope: META_SCOPES.join(",") }).toString();
    return { url: url.toString() };
  }
  const url = new URL(config.google.oauthUrl);
  url.search = new URLSearchParams({
    client_id: config.google.clientId!,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: GOOGLE_ADS_SCOPE,
    // offline + consent: Google answers a refresh token every time.
    access_type: "offline",
    prompt: "consent",
    include_granted_scopes: "true",
    state,
  }).toString();
  return { url: url.toString() };
}

const metaToken = z.object({ access_token: z.string().min(1), expires_in: z.number().optional() });
const metaAccounts = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      account_id: z.string().optional(),
      name: z.string().optional(),
      currency: z.string(),
      timezone_name: z.string().optional(),
      account_status: z.number().optional(),
    }),
  ),
});
const googleToken = z.object({ access_token: z.string().min(1), expires_in: z.number().optional(), refresh_token: z.string().optional() });
const googleOAuthError = z.object({ error: z.string(), error_description: z.string().optional() });
const googleCustomers = z.object({ resourceNames: z.array(z.string()).optional() });
const googleCustomerRow = z.object({
  results: z
    .array(
      z.object({
        customer: z.object({ id: z.union([z.string(), z.number()]), descriptiveName: z.string().optional(), currencyCode: z.string(), timeZone: z.string().optional(), manager: z.boolean().optional() }).optional(),
        customerClient: z.object({ id: z.union([z.string(), z.number()]), descriptiveName: z.string().optional(), currencyCode: z.string(), timeZone: z.string().optional(), manager: z.boolean().optional() }).optional(),
      }),
    )
    .optional(),
});

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

interface Granted {
  accountId: string;
  accountName: string | null;
  currency: string;
  timezone: string | null;
  loginCustomerId: string | null;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
}

async function exchangeMeta(code: string, config: AdsConfig, doFetch: typeof fetch, now: number): Promise<Granted> {
  const base = `${config.meta.graphUrl}/${config.meta.apiVersion}`;
  const short = await doFetch(
    `${base}/oauth/access_token?${new URLSearchParams({ client_id: config.meta.appId!, client_secret: config.meta.appSecret!, redirect_uri: adOAuthRedirectUri("META"), code })}`,
  );
  const shortToken = metaToken.safeParse(await readJson(short));
  if (!short.ok || !shortToken.success) throw new AdOAuthError("Meta refused the authorization code", "exchange");
  // The code gives a short-lived token (about an hour); the exchange gives the long-lived one (about 60 days).
  const long = await doFetch(
    `${base}/oauth/access_token?${new URLSearchParams({ grant_type: "fb_exchange_token", client_id: config.meta.appId!, client_secret: config.meta.appSecret!, fb_exchange_token: shortToken.data.access_token })}`,
  );
  const longToken = metaToken.safeParse(await readJson(long));
  if (!long.ok || !longToken.success) throw new AdOAuthError("Meta refused to exchange the token for a long-lived one", "exchange");
  const accountQuery = new URLSearchParams({
    fields: "id,account_id,name,currency,timezone_name,account_status",
    limit: "50",
    appsecret_proof: appSecretProof(longToken.data.access_token, config.meta.appSecret!),
  });
  const accounts = await doFetch(`${base}/me/adaccounts?${accountQuery}`, {
    headers: { Authorization: `Bearer ${longToken.data.access_token}`, Accept: "application/json" },
  });
  const list = metaAccounts.safeParse(await readJson(accounts));
  if (!accounts.ok || !list.success || list.data.data.length === 0) throw new AdOAuthError("The Meta user has no ad account Nearhub can use", "account");
  // account_status 1 = ACTIVE; the first active account (choosing among several is not offered yet).
  const account = list.data.data.find((a) => a.account_status === 1) ?? list.data.data[0];
  return {
    accountId: account.id.startsWith("act_") ? account.id : `act_${account.id}`,
    accountName: account.name ?? null,
    currency: account.currency,
    timezone: account.timezone_name ?? null,
    loginCustomerId: null,
    accessToken: longToken.data.access_token,
    refreshToken: null,
    expiresAt: longToken.data.expires_in ? new Date(now + longToken.data.expires_in * 1000) : null,
  };
}

async function exchangeGoogle(code: string, config: AdsConfig, doFetch: typeof fetch, now: number): Promise<Granted> {
  const answer = await doFetch(config.google.tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({ code, client_id: config.google.clientId!, client_secret: config.google.clientSecret!, redirect_uri: adOAuthRedirectUri("GOOGLE"), grant_type: "authorization_code" }),
  });
  const json = await readJson(answer);
  const token = googleToken.safeParse(json);
  if (!answer.ok || !token.success) {
    const why = googleOAuthError.safeParse(json);
    throw new AdOAuthError(`Google refused the authorization code${why.success ? `: ${why.data.error_description ?? why.data.error}` : ""}`, "exchange");
  }
  if (!token.data.refresh_token) throw new AdOAuthError("Google answered no refresh token; connect again and allow offline access", "exchange");
  const adapter = new GoogleAdsAdapter({ version: config.google.apiVersion, adsUrl: config.google.adsUrl, fetch: doFetch });
  const bare: AdAccount = { platform: "GOOGLE", accountId: "", currency: "USD", accessToken: token.data.access_token };
  const listed = await doFetch(`${config.google.adsUrl}/${config.google.apiVersion}/customers:listAccessibleCustomers`, {
    headers: { Authorization: `Bearer ${token.data.access_token}`, Accept: "application/json" },
  });
  const names = googleCustomers.safeParse(await readJson(listed));
  const ids = names.success ? (names.data.resourceNames ?? []).map(customerDigits) : [];
  if (!listed.ok || ids.length === 0) throw new AdOAuthError("The Google user can reach no Google Ads account", "account");
  const customerQuery = "SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone, customer.manager FROM customer LIMIT 1";
  const clientQuery =
    "SELECT customer_client.id, customer_client.descriptive_name, customer_client.currency_code, customer_client.time_zone, customer_client.manager FROM customer_client WHERE customer_client.manager = false AND customer_client.level = 1 LIMIT 1";
  let manager: string | null = null;
  for (const id of ids.slice(0, 10)) {
    const account = { ...bare, accountId: id };
    const row = googleCustomerRow.safeParse(await adapter.send(account, { method: "POST", url: adapter.url(account, "googleAds:search"), body: { query: customerQuery } }).catch(() => null));
    const customer = row.success ? row.data.results?.[0]?.customer : undefined;
    if (!customer) continue;
    if (customer.manager) {
      manager ??= id;
      continue;
    }
    return {
      accountId: String(customer.id),
      accountName: customer.descriptiveName ?? null,
      currency: customer.currencyCode,
      timezone: customer.timeZone ?? null,
      loginCustomerId: null,
      accessToken: token.data.access_token,
      refreshToken: token.data.refresh_token,
      expiresAt: token.data.expires_in ? new Date(now + token.data.expires_in * 1000) : null,
    };
  }
  if (manager) {
    // Only a manager account: its first client account, reached through it (login-customer-id).
    const account = { ...bare, accountId: manager, loginCustomerId: manager };
    const row = googleCustomerRow.safeParse(await adapter.send(account, { method: "POST", url: adapter.url(account, "googleAds:search"), body: { query: clientQuery } }).catch(() => null));
    const client = row.success ? row.data.results?.[0]?.customerClient : undefined;
    if (client) {
      return {
        accountId: String(client.id),
        accountName: client.descriptiveName ?? null,
        currency: client.currencyCode,
        timezone: client.timeZone ?? null,
        loginCustomerId: manager,
        accessToken: token.data.access_token,
        refreshToken: token.data.refresh_token,
        expiresAt: token.data.expires_in ? new Date(now + token.data.expires_in * 1000) : null,
      };
    }
  }
  throw new AdOAuthError("None of the Google Ads accounts this user reaches can run campaigns", "account");
}

export interface CompletedOAuth {
  shopId: string;
  platform: AdPlatform;
  returnPath: string;
  connection: AdConnectionView;
}

/** Finishes a connect flow: checks the state (one use, 30 minutes), exchanges the code, stores the sealed tokens. */
export async function completeAdOAuth(platform: AdPlatform, state: string, code: string, deps: AdConnectionDeps = {}): Promise<CompletedOAuth> {
  const config = deps.config ?? env().ads;
  const now = (deps.now ?? Date.now)();
  const doFetch = deps.fetch ?? fetch;
  const parts = state.split(".");
  if (platform === "SANDBOX" || parts.length !== 3 || !state) throw new AdOAuthError("This connect link is not one Nearhub issued", "state");
  const row = await db.adConnection.findUnique({ where: { oauthState: hashState(state) } });
  if (!row || row.platform !== platform) throw new AdOAuthError("This connect link is not one Nearhub issued, or it was used already", "state");
  // One use, whatever happens next.
  await db.adConnection.update({ where: { id: row.id }, data: { oauthState: null } });
  const returnPath = safeReturnPath(Buffer.from(parts[2], "base64url").toString("utf8"));
  const issuedAt = parseInt(parts[1], 36);
  if (!Number.isFinite(issuedAt) || now - issuedAt > OAUTH_STATE_TTL_MS || issuedAt - now > 60_000) {
    throw new AdOAuthError("This connect link expired; start again from settings", "expired", row.shopId, returnPath);
  }
  if (!adPlatformConfigured(platform, config)) throw new AdOAuthError(`${AD_PLATFORM_LABELS[platform]} is not configured`, "config", row.shopId, returnPath);
  let granted: Granted;
  try {
    granted = platform === "META" ? await exchangeMeta(code, config, doFetch, now) : await exchangeGoogle(code, config, doFetch, now);
  } catch (error) {
    if (error instanceof AdOAuthError) throw new AdOAuthError(error.message, error.reason, row.shopId, returnPath);
    const why = error instanceof Error ? error.message : String(error);
    throw new AdOAuthError(`${AD_PLATFORM_LABELS[platform]} could not be reached: ${why}`, "exchange", row.shopId, returnPath);
  }
  const box = secrets();
  const updated = await db.adConnection.update({
    where: { id: row.id },
    data: {
      accountId: granted.accountId,
      accountName: granted.accountName,
      currency: granted.currency,
      timezone: granted.timezone,
      loginCustomerId: granted.loginCustomerId,
      accessToken: box.seal(granted.accessToken, sealContext("accessToken", row.shopId, platform)),
      refreshToken: granted.refreshToken ? box.seal(granted.refreshToken, sealContext("refreshToken", row.shopId, platform)) : null,
      tokenExpiresAt: granted.expiresAt,
      status: "CONNECTED",
      statusMessage: null,
    },
  });
  logger.info({ shopId: row.shopId, platform, accountId: granted.accountId }, "ad platform connected");
  return { shopId: row.shopId, platform, returnPath, connection: view(updated) };
}

/**
 * The merchant declined on the platform's page (it returned an error instead of a code): the state
 * is used up and the shop and return path are answered, or null for a state Nearhub did not issue.
 */
export async function abandonAdOAuth(platform: AdPlatform, state: string): Promise<{ shopId: string; returnPath: string } | null> {
  const parts = state.split(".");
  if (parts.length !== 3) return null;
  const row = await db.adConnection.findUnique({ where: { oauthState: hashState(state) } });
  if (!row || row.platform !== platform) return null;
  await db.adConnection.update({ where: { id: row.id }, data: { oauthState: null } });
  return { shopId: row.shopId, returnPath: safeReturnPath(Buffer.from(parts[2], "base64url").toString("utf8")) };
}

/** The platform refused the token: settings shows "reconnect" with the platform's words. */
export async function markReconnect(shopId: string, platform: AdPlatform, message: string): Promise<void> {
  await db.adConnection.updateMany({ where: { shopId, platform, status: { not: "DISCONNECTED" } }, data: { status: "RECONNECT", statusMessage: message.slice(0, 500) } });
  logger.warn({ shopId, platform }, "ad platform refused the token: connection needs reconnecting");
}

/** Forgets the tokens (Google's refresh token is revoked first, best effort); campaigns keep their history. */
export async function disconnectAd(shopId: string, platform: AdPlatform, deps: AdConnectionDeps = {}): Promise<void> {
  const row = await db.adConnection.findUnique({ where: { shopId_platform: { shopId, platform } } });
  if (!row) return;
  if (platform === "GOOGLE" && row.refreshToken) {
    try {
      const token = secrets().open(row.refreshToken, sealContext("refreshToken", shopId, platform));
      await (deps.fetch ?? fetch)("https://oauth2.googleapis.com/revoke", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      // The token is forgotten here whatever Google answered.
    }
  }
  await db.adConnection.update({
    where: { id: row.id },
    data: { status: "DISCONNECTED", statusMessage: null, accessToken: null, refreshToken: null, tokenExpiresAt: null, oauthState: null, loginCustomerId: null },
  });
}

async function refreshGoogle(row: Row, config: AdsConfig, doFetch: typeof fetch, now: number): Promise<{ accessToken: string; expiresAt: Date | null }> {
  if (!row.refreshToken) {
    await markReconnect(row.shopId, "GOOGLE", "Nearhub holds no refresh token for this Google Ads account");
    throw new AdPlatformError("Nearhub holds no refresh token for this Google Ads account", "GOOGLE", { retryable: false, reauth: true });
  }
  const refreshToken = secrets().open(row.refreshToken, sealContext("refreshToken", row.shopId, "GOOGLE"));
  let answer: Response;
  try {
    answer = await doFetch(config.google.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: config.google.clientId!, client_secret: config.google.clientSecret! }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new AdPlatformError(`Google's token endpoint could not be reached: ${error instanceof Error ? error.message : String(error)}`, "GOOGLE", { retryable: true });
  }
  const json = await readJson(answer);
  const token = googleToken.safeParse(json);
  if (!answer.ok || !token.success) {
    const why = googleOAuthError.safeParse(json);
    const message = why.success ? `Google refused the refresh token: ${why.data.error_description ?? why.data.error}` : `Google's token endpoint answered HTTP ${answer.status}`;
    // invalid_grant: revoked or expired; the merchant must connect again. Anything else may pass.
    if (why.success && (why.data.error === "invalid_grant" || why.data.error === "unauthorized_client")) {
      await markReconnect(row.shopId, "GOOGLE", message);
      throw new AdPlatformError(message, "GOOGLE", { retryable: false, reauth: true, httpStatus: answer.status });
    }
    throw new AdPlatformError(message, "GOOGLE", { retryable: answer.status >= 500 || answer.status === 429, httpStatus: answer.status });
  }
  const expiresAt = token.data.expires_in ? new Date(now + token.data.expires_in * 1000) : null;
  const box = secrets();
  await db.adConnection.update({
    where: { id: row.id },
    data: {
      accessToken: box.seal(token.data.access_token, sealContext("accessToken", row.shopId, "GOOGLE")),
      tokenExpiresAt: expiresAt,
      ...(token.data.refresh_token ? { refreshToken: box.seal(token.data.refresh_token, sealContext("refreshToken", row.shopId, "GOOGLE")) } : {}),
    },
  });
  return { accessToken: token.data.access_token, expiresAt };
}

/**
 * The shop's account on a platform, tokens opened, ready for an adapter. Google's access token is
 * refreshed (and the new one stored sealed) when it expires within two minutes. Throws
 * AdConnectionError when there is no usable connection, AdPlatformError (reauth) when the platform
 * refuses the refresh.
 */
export async function accountFor(shopId: string, platform: AdPlatform, deps: AdConnectionDeps = {}): Promise<AdAccount> {
  const config = deps.config ?? env().ads;
  const now = (deps.now ?? Date.now)();
  const row = await db.adConnection.findUnique({ where: { shopId_platform: { shopId, platform } } });
  const label = AD_PLATFORM_LABELS[platform];
  if (!row || row.status === "DISCONNECTED" || row.accountId === "") throw new AdConnectionError(`${label} is not connected`, platform, "NOT_CONNECTED");
  if (row.status === "RECONNECT") throw new AdConnectionError(`${label} needs reconnecting: ${row.statusMessage ?? "the platform refused the token"}`, platform, "RECONNECT");
  const base = { platform, accountId: row.accountId, currency: row.currency, timezone: row.timezone, loginCustomerId: row.loginCustomerId, shopId };
  if (platform === "SANDBOX") return { ...base, accessToken: "sandbox" };
  if (!adPlatformConfigured(platform, config)) throw new AdConnectionError(`${label} is not configured on this Nearhub server`, platform, "NOT_CONFIGURED");
  if (!row.accessToken) throw new AdConnectionError(`${label} is not connected`, platform, "NOT_CONNECTED");
  const expired = row.tokenExpiresAt !== null && row.tokenExpiresAt.getTime() - REFRESH_MARGIN_MS <= now;
  if (platform === "GOOGLE" && (expired || row.tokenExpiresAt === null)) {
    const fresh = await refreshGoogle(row, config, deps.fetch ?? fetch, now);
    return { ...base, accessToken: fresh.accessToken };
  }
  if (platform === "META" && row.tokenExpiresAt !== null && row.tokenExpiresAt.getTime() <= now) {
    // Long-lived user tokens are not refreshed by a server call: the merchant connects again.
    await markReconnect(shopId, platform, "The Meta token expired (long-lived tokens last about 60 days)");
    throw new AdPlatformError("The Meta token expired; reconnect Meta in settings", "META", { retryable: false, reauth: true });
  }
  return { ...base, accessToken: secrets().open(row.accessToken, sealContext("accessToken", shopId, platform)) };
}

/**
 * Runs one platform call for a shop: opens the account, retries what may pass later, and marks the
 * connection "reconnect" when the platform refuses the token (the error is thrown on).
 */
export async function withAdAccount<T>(
  shopId: string,
  platform: AdPlatform,
  fn: (adapter: AdPlatformAdapter, account: AdAccount) => Promise<T>,
  options: AdRetryOptions & AdConnectionDeps = {},
): Promise<T> {
  const adapter = adapterFor(platform, { fetch: options.fetch, now: options.now });
  try {
    // The account is opened on each try: a token endpoint that was down is tried again, and a
    // token refreshed meanwhile (by another process) is the one used.
    return await withAdRetry(async () => fn(adapter, await accountFor(shopId, platform, options)), options);
  } catch (error) {
    if (error instanceof AdPlatformError && error.opts.reauth) await markReconnect(shopId, platform, error.message);
    throw error;
  }
}
