// Settings → Ad platforms with real requests and session tokens: each platform's state, the sandbox
// connected at once, Meta's connect answering its authorize URL (not cached), a platform without
// credentials "not configured", disconnect; and the configuration the adapters read from env.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { parseEnv } from "~/env.server";
import { action, loader } from "~/routes/app.settings_.ads";
import { makeSession, makeShop } from "../../support/factories";
import { sessionToken, TEST_SHOPIFY } from "../../support/shopify";

vi.hoisted(() => {
  process.env.META_APP_ID = "1122334455";
  process.env.META_APP_SECRET = "meta-app-secret-0123456789";
  delete process.env.GOOGLE_ADS_CLIENT_ID;
  delete process.env.GOOGLE_ADS_CLIENT_SECRET;
});

let shop: Awaited<ReturnType<typeof makeShop>>;
let n = 0;
beforeEach(async () => {
  shop = await makeShop(db, `ads-settings-${++n}.myshopify.com`);
  await makeSession(db, shop.domain);
});

const call = (shopDomain: string, form?: Record<string, string>) => {
  const body = form ? new URLSearchParams(form) : undefined;
  const request = new Request(`${TEST_SHOPIFY.appUrl}/app/settings/ads`, {
    method: form ? "POST" : "GET",
    body,
    headers: { Authorization: `Bearer ${sessionToken(shopDomain)}`, ...(body ? { "Content-Type": "application/x-www-form-urlencoded", Origin: TEST_SHOPIFY.appUrl } : {}) },
  });
  return form ? action({ request, params: {}, context: {} }) : loader({ request, params: {}, context: {} });
};
const json = async (r: unknown) => (r instanceof Response ? r.json() : ((r as { data: unknown }).data ?? r));
const status = (r: unknown) => (r instanceof Response ? r.status : ((r as { init?: { status?: number } }).init?.status ?? 200));
const headers = (r: unknown) => new Headers((r as { init?: { headers?: HeadersInit } }).init?.headers);

describe("Ad platforms page", () => {
  it("shows each platform's state; connects the sandbox; Google without credentials is 'not configured'", async () => {
    const first = (await json(await call(shop.domain))) as { platforms: Array<{ platform: string; configured: boolean; connection: unknown }> };
    expect(first.platforms.map((p) => [p.platform, p.configured, p.connection])).toEqual([
      ["META", true, null],
      ["GOOGLE", false, null],
      ["SANDBOX", true, null],
    ]);
    expect(await json(await call(shop.domain, { intent: "connect-sandbox", platform: "SANDBOX" }))).toMatchObject({ ok: true, platform: "SANDBOX" });
    const after = (await json(await call(shop.domain))) as { platforms: Array<{ platform: string; connection: { status: string; currency: string } | null }> };
    expect(after.platforms.find((p) => p.platform === "SANDBOX")?.connection).toMatchObject({ status: "CONNECTED", currency: shop.currency });
    const google = await call(shop.domain, { intent: "connect", platform: "GOOGLE" });
    expect(status(google)).toBe(400);
    expect(await json(google)).toMatchObject({ ok: false, error: expect.stringMatching(/not configured/) });
    // Another shop sees none of it.
    const other = await makeShop(db, `ads-settings-other-${n}.myshopify.com`);
    await makeSession(db, other.domain);
    const theirs = (await json(await call(other.domain))) as { platforms: Array<{ connection: unknown }> };
    expect(theirs.platforms.every((p) => p.connection === null)).toBe(true);
  });

  it("answers Meta's authorize URL uncached, and disconnects", async () => {
    const connect = await call(shop.domain, { intent: "connect", platform: "META" });
    const body = (await json(connect)) as { ok: boolean; authorizeUrl: string };
    expect(body.ok).toBe(true);
    expect(body.authorizeUrl).toMatch(/^https:\/\/www\.facebook\.com\/v26\.0\/dialog\/oauth\?/);
    expect(headers(connect).get("Cache-Control")).toBe("no-store");
    await call(shop.domain, { intent: "connect-sandbox", platform: "SANDBOX" });
    expect(await json(await call(shop.domain, { intent: "disconnect", platform: "SANDBOX" }))).toMatchObject({ ok: true });
    expect(await db.adConnection.findUniqueOrThrow({ where: { shopId_platform: { shopId: shop.id, platform: "SANDBOX" } } })).toMatchObject({ status: "DISCONNECTED" });
  });

  it("refuses an unknown intent or platform, naming it", async () => {
    const bad = await call(shop.domain, { intent: "connect", platform: "TIKTOK" });
    expect(status(bad)).toBe(400);
    expect(await json(bad)).toMatchObject({ ok: false, error: expect.stringMatching(/^platform: /) });
  });
});

describe("ad platform configuration", () => {
  const base = { SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://app.example", NEARHUB_ENCRYPTION_KEY: "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy0wMTI=" };

  it("defaults to Meta v26.0 and Google Ads v26 with no credentials", () => {
    const ads = parseEnv(base).ads;
    expect(ads.meta).toEqual({ appId: null, appSecret: null, apiVersion: "v26.0", graphUrl: "https://graph.facebook.com", oauthUrl: "https://www.facebook.com" });
    expect(ads.google).toMatchObject({ clientId: null, apiVersion: "v26", adsUrl: "https://googleads.googleapis.com", tokenUrl: "https://oauth2.googleapis.com/token", defaultMinDailyBudgetMicros: 1_000_000 });
  });

  it("takes versions and URLs from the environment and wants both halves of a credential", () => {
    const ads = parseEnv({ ...base, META_API_VERSION: "v27.0", META_GRAPH_URL: "http://127.0.0.1:9999/", GOOGLE_ADS_API_VERSION: "v27" }).ads;
    expect(ads.meta).toMatchObject({ apiVersion: "v27.0", graphUrl: "http://127.0.0.1:9999" });
    expect(ads.google.apiVersion).toBe("v27");
    expect(() => parseEnv({ ...base, META_APP_ID: "123" })).toThrow(/META_APP_SECRET: META_APP_SECRET is needed with META_APP_ID/);
    expect(() => parseEnv({ ...base, GOOGLE_ADS_CLIENT_SECRET: "secret-secret" })).toThrow(/GOOGLE_ADS_CLIENT_ID/);
    expect(() => parseEnv({ ...base, META_API_VERSION: "26" })).toThrow(/META_API_VERSION: must look like v26.0/);
  });
});
