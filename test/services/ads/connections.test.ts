// Ad connections on the database: OAuth with a one-use, hashed, expiring state; the code exchanged
// at each platform's token endpoint (Meta: then the long-lived exchange; Google: a refresh token);
// tokens sealed at rest; Google's access token refreshed and stored sealed again; a refused token
// marks the connection RECONNECT; the callback route; one shop never sees another's connections.
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { AdsConfig } from "~/env.server";
import {
  accountFor,
  AdConnectionError,
  AdOAuthError,
  completeAdOAuth,
  connectSandbox,
  disconnectAd,
  listAdConnections,
  markReconnect,
  OAUTH_STATE_TTL_MS,
  startAdOAuth,
  withAdAccount,
} from "~/services/ads/connections.server";
import { AdPlatformError } from "~/services/ads/types";
import { secrets } from "~/services/secrets.server";
import { loader as callbackLoader } from "~/routes/auth.ads.$platform.callback";
import { GOOGLE_TOKEN, googleFake, META_GRAPH, metaFake } from "../../support/ad-platforms";
import { resetDb, testDb } from "../../support/db";
import { makeShop } from "../../support/factories";

// The callback route reads env(): the Meta app's credentials for this file, set before env() is first read.
vi.hoisted(() => {
  process.env.META_APP_ID = "1122334455";
  process.env.META_APP_SECRET = "meta-app-secret-0123456789";
});

const db = testDb();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(() => resetDb());

const CONFIG: AdsConfig = {
  meta: { appId: "1122334455", appSecret: "meta-app-secret-0123456789", apiVersion: "v26.0", graphUrl: META_GRAPH, oauthUrl: "https://www.facebook.com" },
  google: {
    clientId: "google-client-id.apps.googleusercontent.com",
    clientSecret: "google-client-secret-0123",
    apiVersion: "v26",
    adsUrl: "https://googleads.googleapis.com",
    oauthUrl: "https://accounts.google.com/o/oauth2/v2/auth",
    tokenUrl: GOOGLE_TOKEN,
    defaultMinDailyBudgetMicros: 1_000_000,
  },
};
const UNCONFIGURED: AdsConfig = { ...CONFIG, meta: { ...CONFIG.meta, appId: null, appSecret: null }, google: { ...CONFIG.google, clientId: null, clientSecret: null } };

const stateOf = (url: string) => new URL(url).searchParams.get("state")!;

function meta() {
  const f = metaFake({ appId: CONFIG.meta.appId!, appSecret: CONFIG.meta.appSecret!, code: "meta-code" });
  server.use(...f.handlers);
  return f;
}
function google(options: Parameters<typeof googleFake>[0] = {}) {
  const f = googleFake({ clientId: CONFIG.google.clientId!, clientSecret: CONFIG.google.clientSecret!, code: "google-code", ...options });
  server.use(...f.handlers);
  return f;
}

describe("sandbox", () => {
  it("connects at once, in the shop's currency, and opens without a token", async () => {
    const shop = await makeShop(db);
    const view = await connectSandbox(shop.id, "EUR");
    expect(view).toMatchObject({ platform: "SANDBOX", status: "CONNECTED", currency: "EUR", accountId: "sandbox-1" });
    expect(await accountFor(shop.id, "SANDBOX")).toMatchObject({ platform: "SANDBOX", currency: "EUR", shopId: shop.id });
    const other = await makeShop(db);
    expect(await listAdConnections(other.id)).toEqual([]);
    await expect(accountFor(other.id, "SANDBOX")).rejects.toBeInstanceOf(AdConnectionError);
  });
});

describe("Meta OAuth", () => {
  it("starts with the dialog URL and a state whose hash alone is stored", async () => {
    const shop = await makeShop(db);
    const { url } = await startAdOAuth(shop.id, "META", "/app/settings/ads", { config: CONFIG });
    const u = new URL(url);
    expect(`${u.origin}${u.pathname}`).toBe("https://www.facebook.com/v26.0/dialog/oauth");
    expect(u.searchParams.get("client_id")).toBe("1122334455");
    expect(u.searchParams.get("redirect_uri")).toBe("http://127.0.0.1:3000/auth/ads/meta/callback");
    expect(u.searchParams.get("scope")).toContain("ads_management");
    const row = await db.adConnection.findUniqueOrThrow({ where: { shopId_platform: { shopId: shop.id, platform: "META" } } });
    expect(row.oauthState).toMatch(/^[0-9a-f]{64}$/);
    expect(row.oauthState).not.toBe(stateOf(url));
    // A pending flow is not a connection.
    expect(await listAdConnections(shop.id)).toEqual([]);
  });

  it("exchanges the code, then for a long-lived token, picks the ad account and stores the token sealed", async () => {
    const f = meta();
    const shop = await makeShop(db);
    const { url } = await startAdOAuth(shop.id, "META", "/app/settings/ads", { config: CONFIG });
    const done = await completeAdOAuth("META", stateOf(url), "meta-code", { config: CONFIG });
    expect(done).toMatchObject({ shopId: shop.id, platform: "META", returnPath: "/app/settings/ads", connection: { accountId: "act_1234567890", currency: "USD", status: "CONNECTED", accountName: "Brooklyn Goods" } });
    const exchange = f.requests.filter((r) => r.path.endsWith("/oauth/access_token")).map((r) => Object.fromEntries(r.url.searchParams));
    expect(exchange[0]).toMatchObject({ client_id: "1122334455", code: "meta-code", redirect_uri: "http://127.0.0.1:3000/auth/ads/meta/callback" });
    expect(exchange[1]).toMatchObject({ grant_type: "fb_exchange_token", fb_exchange_token: "short-lived-meta-token" });
    expect(f.requests.find((r) => r.path.endsWith("/me/adaccounts"))?.url.searchParams.get("appsecret_proof")).toMatch(/^[0-9a-f]{64}$/);
    const row = await db.adConnection.findUniqueOrThrow({ where: { shopId_platform: { shopId: shop.id, platform: "META" } } });
    expect(row.accessToken).toMatch(/^nh1\./);
    expect(row.accessToken).not.toContain("EAAG");
    expect(row.oauthState).toBeNull();
    expect(row.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 50 * 86_400_000);
    expect(secrets().open(row.accessToken!, `AdConnection.accessToken:${shop.id}:META`)).toBe("EAAG-meta-long-lived-token");
    const account = await accountFor(shop.id, "META", { config: CONFIG });
    expect(account).toMatchObject({ accountId: "act_1234567890", accessToken: "EAAG-meta-long-lived-token", timezone: "America/New_York" });
  });

  it("refuses an unknown, reused, expired or other platform's state", async () => {
    meta();
    const shop = await makeShop(db);
    await expect(completeAdOAuth("META", "made.up.state", "meta-code", { config: CONFIG })).rejects.toMatchObject({ reason: "state" });
    const { url } = await startAdOAuth(shop.id, "META", "/app/settings/ads", { config: CONFIG });
    await expect(completeAdOAuth("GOOGLE", stateOf(url), "google-code", { config: CONFIG })).rejects.toMatchObject({ reason: "state" });
    await completeAdOAuth("META", stateOf(url), "meta-code", { config: CONFIG });
    await expect(completeAdOAuth("META", stateOf(url), "meta-code", { config: CONFIG })).rejects.toMatchObject({ reason: "state" });
    const late = await startAdOAuth(shop.id, "META", "/app/settings/ads", { config: CONFIG });
    const e = await completeAdOAuth("META", stateOf(late.url), "meta-code", { config: CONFIG, now: () => Date.now() + OAUTH_STATE_TTL_MS + 1000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AdOAuthError);
    expect(e).toMatchObject({ reason: "expired", shopId: shop.id });
    // A new flow replaces an earlier one: only the last state is good.
    const first = await startAdOAuth(shop.id, "META", "/app/settings/ads", { config: CONFIG });
    const second = await startAdOAuth(shop.id, "META", "/app/settings/ads", { config: CONFIG });
    await expect(completeAdOAuth("META", stateOf(first.url), "meta-code", { config: CONFIG })).rejects.toMatchObject({ reason: "state" });
    await expect(completeAdOAuth("META", stateOf(second.url), "meta-code", { config: CONFIG })).resolves.toMatchObject({ shopId: shop.id });
  });

  it("says 'not configured' without the app's credentials", async () => {
    const shop = await makeShop(db);
    await expect(startAdOAuth(shop.id, "META", "/app/settings/ads", { config: UNCONFIGURED })).rejects.toMatchObject({ problem: "NOT_CONFIGURED" });
    await expect(startAdOAuth(shop.id, "GOOGLE", "/app/settings/ads", { config: UNCONFIGURED })).rejects.toThrow(/not configured/);
  });

  it("marks RECONNECT when Meta refuses the token (code 190), and accountFor then says so", async () => {
    const f = meta();
    const shop = await makeShop(db);
    const { url } = await startAdOAuth(shop.id, "META", "/app/settings/ads", { config: CONFIG });
    await completeAdOAuth("META", stateOf(url), "meta-code", { config: CONFIG });
    f.token.current = "a-token-meta-invalidated";
    const waits: number[] = [];
    const e = await withAdAccount(shop.id, "META", (adapter, account) => adapter.minimumDailyBudget(account), { config: CONFIG, sleep: async (ms) => void waits.push(ms) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AdPlatformError);
    expect(waits).toEqual([]);
    const [view] = await listAdConnections(shop.id);
    expect(view).toMatchObject({ platform: "META", status: "RECONNECT" });
    expect(view.statusMessage).toContain("Error validating access token");
    await expect(accountFor(shop.id, "META", { config: CONFIG })).rejects.toMatchObject({ problem: "RECONNECT" });
  });
});

describe("Google OAuth and refresh", () => {
  it("exchanges the code for a refresh token, finds the customer, and seals both tokens", async () => {
    const f = google({ customers: [{ id: "1234567890", currencyCode: "USD", timeZone: "America/New_York", descriptiveName: "Brooklyn Goods" }] });
    const shop = await makeShop(db);
    const { url } = await startAdOAuth(shop.id, "GOOGLE", "/app/settings/ads", { config: CONFIG });
    const u = new URL(url);
    expect(u.searchParams.get("scope")).toBe("https://www.googleapis.com/auth/adwords");
    expect(u.searchParams.get("access_type")).toBe("offline");
    await completeAdOAuth("GOOGLE", stateOf(url), "google-code", { config: CONFIG });
    const tokenCall = f.requests.find((r) => r.url.toString() === GOOGLE_TOKEN)!;
    expect(tokenCall.body).toMatchObject({ grant_type: "authorization_code", code: "google-code", redirect_uri: "http://127.0.0.1:3000/auth/ads/google/callback" });
    const row = await db.adConnection.findUniqueOrThrow({ where: { shopId_platform: { shopId: shop.id, platform: "GOOGLE" } } });
    expect(row).toMatchObject({ accountId: "1234567890", currency: "USD", timezone: "America/New_York", status: "CONNECTED" });
    expect(row.accessToken).not.toContain("ya29");
    expect(row.refreshToken).toMatch(/^nh1\./);
    expect(row.refreshToken).not.toContain("1//google-refresh-token");
  });

  it("reaches a client through its manager account (login-customer-id)", async () => {
    google({ customers: [{ id: "5550001111", manager: true, clients: [{ id: "7770002222", currencyCode: "JPY", timeZone: "Asia/Tokyo", descriptiveName: "Tokyo hub" }] }] });
    const shop = await makeShop(db);
    const { url } = await startAdOAuth(shop.id, "GOOGLE", "/app/settings/ads", { config: CONFIG });
    await completeAdOAuth("GOOGLE", stateOf(url), "google-code", { config: CONFIG });
    expect(await accountFor(shop.id, "GOOGLE", { config: CONFIG })).toMatchObject({ accountId: "7770002222", loginCustomerId: "5550001111", currency: "JPY" });
  });

  it("refreshes an expired access token and stores the new one sealed; a revoked refresh token marks RECONNECT", async () => {
    const f = google();
    const shop = await makeShop(db);
    const { url } = await startAdOAuth(shop.id, "GOOGLE", "/app/settings/ads", { config: CONFIG });
    await completeAdOAuth("GOOGLE", stateOf(url), "google-code", { config: CONFIG });
    // Still fresh: no refresh.
    expect((await accountFor(shop.id, "GOOGLE", { config: CONFIG })).accessToken).toBe("ya29.google-access-token");
    expect(f.tokens.issued).toBe(0);
    const later = Date.now() + 3_600_000;
    const account = await accountFor(shop.id, "GOOGLE", { config: CONFIG, now: () => later });
    expect(account.accessToken).toBe("ya29.refreshed-1");
    const refresh = f.requests.filter((r) => r.url.toString() === GOOGLE_TOKEN).at(-1)!;
    expect(refresh.body).toMatchObject({ grant_type: "refresh_token", refresh_token: "1//google-refresh-token", client_id: CONFIG.google.clientId });
    const row = await db.adConnection.findUniqueOrThrow({ where: { shopId_platform: { shopId: shop.id, platform: "GOOGLE" } } });
    expect(row.accessToken).not.toContain("ya29");
    expect(secrets().open(row.accessToken!, `AdConnection.accessToken:${shop.id}:GOOGLE`)).toBe("ya29.refreshed-1");
    expect(row.tokenExpiresAt!.getTime()).toBe(later + 3599 * 1000);
    // The adapter works with the refreshed token.
    await withAdAccount(shop.id, "GOOGLE", (adapter, a) => adapter.insights(a, { campaignId: "customers/1234567890/campaigns/1", adSetId: "", budgetId: null }, "2026-12-01", "2026-12-01"), { config: CONFIG, now: () => later });

    f.tokens.revoked = true;
    const muchLater = later + 2 * 3_600_000;
    await expect(accountFor(shop.id, "GOOGLE", { config: CONFIG, now: () => muchLater })).rejects.toMatchObject({ opts: { reauth: true } });
    const [view] = await listAdConnections(shop.id);
    expect(view.status).toBe("RECONNECT");
    expect(view.statusMessage).toContain("Token has been expired or revoked.");
  });

  it("retries a token endpoint that is down, then works with the refreshed token", async () => {
    const f = google();
    const shop = await makeShop(db);
    const { url } = await startAdOAuth(shop.id, "GOOGLE", "/app/settings/ads", { config: CONFIG });
    await completeAdOAuth("GOOGLE", stateOf(url), "google-code", { config: CONFIG });
    let down = 1;
    server.use(http.post(GOOGLE_TOKEN, () => (down-- > 0 ? HttpResponse.json({ error: "internal_failure" }, { status: 503 }) : undefined)));
    const waits: number[] = [];
    const later = Date.now() + 3_600_000;
    const days = await withAdAccount(
      shop.id,
      "GOOGLE",
      (adapter, a) => adapter.insights(a, { campaignId: "customers/1234567890/campaigns/1", adSetId: "", budgetId: null }, "2026-12-01", "2026-12-01"),
      { config: CONFIG, now: () => later, sleep: async (ms) => void waits.push(ms) },
    );
    expect(days).toEqual([]);
    expect(waits).toEqual([1_000]);
    expect(f.tokens.issued).toBe(1);
    expect((await listAdConnections(shop.id))[0].status).toBe("CONNECTED");
  });

  it("disconnect forgets the tokens and revokes Google's refresh token", async () => {
    const f = google();
    const shop = await makeShop(db);
    const { url } = await startAdOAuth(shop.id, "GOOGLE", "/app/settings/ads", { config: CONFIG });
    await completeAdOAuth("GOOGLE", stateOf(url), "google-code", { config: CONFIG });
    await disconnectAd(shop.id, "GOOGLE");
    expect(f.tokens.revoked).toBe(true);
    const row = await db.adConnection.findUniqueOrThrow({ where: { shopId_platform: { shopId: shop.id, platform: "GOOGLE" } } });
    expect(row).toMatchObject({ status: "DISCONNECTED", accessToken: null, refreshToken: null });
    await expect(accountFor(shop.id, "GOOGLE", { config: CONFIG })).rejects.toMatchObject({ problem: "NOT_CONNECTED" });
  });
});

describe("markReconnect", () => {
  it("changes only the named shop's connection", async () => {
    const a = await makeShop(db);
    const b = await makeShop(db);
    await connectSandbox(a.id, "USD");
    await connectSandbox(b.id, "USD");
    await markReconnect(a.id, "SANDBOX", "refused");
    expect((await listAdConnections(a.id))[0].status).toBe("RECONNECT");
    expect((await listAdConnections(b.id))[0].status).toBe("CONNECTED");
  });
});

describe("OAuth callback route", () => {
  const call = (path: string, platform: string) => callbackLoader({ request: new Request(`http://127.0.0.1:3000${path}`), params: { platform }, context: {} });

  it("completes the flow and sends the merchant back to the page inside Shopify admin", async () => {
    meta();
    const shop = await makeShop(db, "callback-shop.myshopify.com");
    const { url } = await startAdOAuth(shop.id, "META", "/app/settings/ads", { config: CONFIG });
    const response = (await call(`/auth/ads/meta/callback?state=${encodeURIComponent(stateOf(url))}&code=meta-code`, "meta")) as Response;
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe("https://callback-shop.myshopify.com/admin/apps/test-api-key/app/settings/ads");
    expect(location.searchParams.get("connected")).toBe("META");
    expect((await listAdConnections(shop.id))[0]).toMatchObject({ platform: "META", status: "CONNECTED" });
    // The same link a second time is refused.
    const again = (await call(`/auth/ads/meta/callback?state=${encodeURIComponent(stateOf(url))}&code=meta-code`, "meta")) as Response;
    expect(again.status).toBe(400);
  });

  it("refuses a state it did not issue, and sends a declined flow back with the reason", async () => {
    const refused = (await call("/auth/ads/meta/callback?state=x.y.z&code=c", "meta")) as Response;
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/^state: /);
    expect(((await call("/auth/ads/tiktok/callback?state=x.y.z&code=c", "tiktok")) as Response).status).toBe(404);
    const shop = await makeShop(db);
    const { url } = await startAdOAuth(shop.id, "GOOGLE", "/app/settings/ads", { config: CONFIG });
    const declined = (await call(`/auth/ads/google/callback?state=${encodeURIComponent(stateOf(url))}&error=access_denied`, "google")) as Response;
    expect(declined.status).toBe(302);
    expect(new URL(declined.headers.get("location")!).searchParams.get("error")).toBe("You declined on the platform's page.");
    const row = await db.adConnection.findUniqueOrThrow({ where: { shopId_platform: { shopId: shop.id, platform: "GOOGLE" } } });
    expect(row.oauthState).toBeNull();
  });
});
