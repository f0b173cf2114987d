// Hostile input and security headers against the built production server (server.mjs) over real
// HTTP, in demo mode and as a connected app (Shopify stood in for by test/support/fake-shopify-fetch.mjs
// in the server's own process). Each case reproduces a red-team finding of issue 9: TRACE answered
// with a stack trace, JSON or cross-origin posts to admin actions answered 500, pages without
// frame-ancestors, demo pages without a CSP, no nosniff, `Access-Control-Allow-Origin: *` on the
// checkout endpoint's 401s, session tokens without exp accepted, access tokens stored in clear text.
import { readFileSync, rmSync, existsSync, mkdtempSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import { ROOT, ensureBuild, freePort, startAppServer, startDemoServer, type RunningServer } from "../e2e/support/app-server";
import { testDbKind } from "../support/db";
import { TEST_SHOPIFY, sessionToken } from "../support/shopify";

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request through node:http, which (unlike fetch) sends any method and Host header, and a body
 * without Content-Length when `chunked`.
 */
function send(
  base: string,
  method: string,
  pathname: string,
  { headers = {}, body, chunked = false }: { headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string | number> = { "User-Agent": BROWSER, ...headers };
    if (body !== undefined && !chunked) all["Content-Length"] = Buffer.byteLength(body);
    const req = http.request(`${base}${pathname}`, { method, headers: all }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    if (body !== undefined && chunked) {
      // Several writes: a stream whose size nobody declared.
      const bytes = Buffer.from(body);
      for (let i = 0; i < bytes.length; i += 256 * 1024) req.write(bytes.subarray(i, i + 256 * 1024));
    } else if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Nothing of the server's inside reaches the client: no stack frames, no file paths. */
function expectNoLeak(answer: Answer) {
  expect(answer.body).not.toContain(ROOT);
  expect(answer.body).not.toContain("node_modules");
  expect(answer.body).not.toMatch(/\n\s+at [^\n]+:\d+:\d+/);
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

beforeAll(async () => {
  await ensureBuild();
}, 600_000);

describe("demo mode", () => {
  let server: RunningServer;
  let base: string;
  beforeAll(async () => {
    server = await startDemoServer(process.env.DATABASE_URL!);
    base = server.url;
  }, 60_000);
  afterAll(() => server?.stop());

  it("sends a nonce CSP that frames nothing, X-Frame-Options and nosniff on /, /auth/login and the admin", async () => {
    for (const pathname of ["/", "/auth/login", "/app", "/app/settings"]) {
      const page = await send(base, "GET", pathname);
      expect(page.status, `${pathname}\n${server.output().slice(-2000)}`).toBe(200);
      const csp = String(page.headers["content-security-policy"]);
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce, csp).toBeDefined();
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(page.headers["x-frame-options"]).toBe("DENY");
      expect(page.headers["x-content-type-options"]).toBe("nosniff");
      // Every inline script carries this response's nonce, so the policy lets Remix hydrate.
      const inline = [...page.body.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
      expect(inline.length).toBeGreaterThan(0);
      for (const [, attributes] of inline) expect(attributes).toContain(`nonce="${nonce}"`);
    }
    const again = await send(base, "GET", "/");
    expect(again.headers["content-security-policy"]).not.toBe((await send(base, "GET", "/")).headers["content-security-policy"]);
  });

  it("answers TRACE and other methods it does not serve with 405 and Allow, never with a stack trace", async () => {
    const trace = await send(base, "TRACE", "/app");
    expect(trace.status).toBe(405);
    expect(trace.headers.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    expect(trace.body).toBe("TRACE is not a method Nearhub answers\n");
    expectNoLeak(trace);
    const propfind = await send(base, "PROPFIND", "/api/v1/nodes");
    expect([propfind.status, JSON.parse(propfind.body)]).toEqual([405, { error: "PROPFIND is not a method Nearhub answers" }]);
    expect(propfind.headers["x-content-type-options"]).toBe("nosniff");
    // A method Node's HTTP parser does not know never reaches the app: Node answers 400 itself.
    const madeUp = await send(base, "FROB", "/");
    expect(madeUp.status).toBe(400);
    expectNoLeak(madeUp);
  });

  it("refuses JSON, text and garbage sent to an admin action with 415 or 400 and a sentence, not a 500", async () => {
    const json = await send(base, "POST", "/app/settings", { headers: { "Content-Type": "application/json" }, body: '{"intent":"settings"}' });
    expect(json.status).toBe(415);
    expect(json.body).toContain("Content-Type: this page accepts form posts (application/x-www-form-urlencoded or multipart/form-data), not application/json");
    const text = await send(base, "POST", "/app/settings", { headers: { "Content-Type": "text/plain" }, body: "intent=settings" });
    expect(text.status).toBe(415);
    const garbage = await send(base, "POST", "/app/settings", { headers: { "Content-Type": "multipart/form-data; boundary=zzz" }, body: "not a multipart body" });
    expect(garbage.status).toBe(400);
    expect(garbage.body).toContain("body: not a valid multipart/form-data form");
    for (const res of [json, text, garbage]) expectNoLeak(res);
  });

  it("refuses a form posted from another site with 403 and changes nothing; the same form from the app is taken", async () => {
    const fields = form({ intent: "settings", name: "Taken over", currency: "USD", timezone: "America/New_York", contactEmail: "" });
    const foreign = await send(base, "POST", "/app/settings", { headers: { ...FORM, Origin: "https://evil.example" }, body: fields });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain("Refused: a form posted from https://evil.example may not change anything here");
    // Browsers without Origin on the request still say where it came from.
    const crossSite = await send(base, "POST", "/app/settings", { headers: { ...FORM, "Sec-Fetch-Site": "cross-site" }, body: fields });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body).toContain("Refused: a cross-site request may not post here");
    // A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) is not the demo.
    const rebound = await send(base, "GET", "/app", { headers: { Host: `evil.example:${new URL(base).port}` } });
    expect(rebound.status).toBe(403);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } })).name).not.toBe("Taken over");

    const own = await send(base, "POST", "/app/settings", { headers: { ...FORM, Origin: base }, body: fields });
    expect(own.status).toBe(200);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } })).name).toBe("Taken over");
  });

  it("refuses a post from another site to a path under /api/ or /webhooks/ that no route serves with 403, not Remix's empty 500", async () => {
    // Found by the fuzzer (issue 9): such a path is a document request to Remix, whose CSRF check threw.
    for (const pathname of ["/api/checkout/delivery-promise%2F..%2F", "/api/v1/nothing-here", "/webhooks/not/a-topic"]) {
      const res = await send(base, "POST", pathname, { headers: { "Content-Type": "application/json", Origin: "https://evil.example" }, body: "{}" });
      expect([res.status, JSON.parse(res.body)], pathname).toEqual([403, { error: "Refused: a form posted from https://evil.example may not change anything here; Nearhub's forms are posted from its own pages" }]);
    }
    // The endpoints themselves answer any origin: they authenticate the caller instead.
    const checkout = await send(base, "POST", "/api/checkout/delivery-promise/", { headers: { "Content-Type": "application/json", Origin: "https://evil.example" }, body: "{}" });
    expect(checkout.status).toBe(401);
  });

  it("refuses a path holding NUL with 400, on every database", async () => {
    // Found by the fuzzer (issue 9): on PostgreSQL, /app/network/%00a and the like answered 500 (an id
    // with NUL reached the query, which PostgreSQL refuses).
    for (const pathname of ["/app/network/%00a", "/app/returns/a%00", "/app/routing/%00", "/api/v1/returns/%00/events"]) {
      const res = await send(base, "GET", pathname);
      expect(res.status, pathname).toBe(400);
      expect(res.body).toContain("path: holds NUL (%00), which no Nearhub path does");
    }
  });

  it("answers 413 with the limit to a body over its path's maximum, declared or streamed", async () => {
    const tooBig = "a=" + "x".repeat(1024 * 1024);
    const declared = await send(base, "POST", "/app/settings", { headers: { ...FORM, Origin: base }, body: tooBig });
    expect([declared.status, declared.body]).toEqual([413, "body: larger than 1048576 bytes, the most /app/settings accepts\n"]);
    const streamed = await send(base, "POST", "/app/settings", { headers: { ...FORM, Origin: base }, body: tooBig, chunked: true });
    expect([streamed.status, streamed.body]).toEqual([413, "body: larger than 1048576 bytes, the most /app/settings accepts\n"]);
    const checkout = await send(base, "POST", "/api/checkout/delivery-promise", {
      headers: { "Content-Type": "application/json", Origin: EXTENSION_ORIGIN },
      body: JSON.stringify({ padding: "x".repeat(65 * 1024) }),
    });
    expect([checkout.status, JSON.parse(checkout.body)]).toEqual([413, { error: "body: larger than 65536 bytes, the most /api/checkout/delivery-promise accepts" }]);
    // Within the limit, streamed without a length: read as usual.
    const small = await send(base, "POST", "/app/settings", {
      headers: { ...FORM, Origin: base },
      body: form({ intent: "settings", name: "Nearhub Demo Market", currency: "USD", timezone: "America/New_York", contactEmail: "" }),
      chunked: true,
    });
    expect(small.status).toBe(200);
  });

  it("renders an unexpected server error as a plain page without its message or stack", async () => {
    const table = testDbKind() === "postgresql" ? '"Shop"' : "Shop";
    await db.$executeRawUnsafe(`ALTER TABLE ${table} RENAME TO "ShopGone"`);
    try {
      const broken = await send(base, "GET", "/app/settings");
      expect(broken.status).toBe(500);
      expect(broken.body).toContain("This page could not be loaded"); // in the app frame (routes/app.tsx), in words
      expect(broken.body).not.toMatch(/ShopGone|no such table|does not exist|prisma/i);
      expectNoLeak(broken);
      const data = await send(base, "GET", "/app/settings.data");
      expect(data.status).toBe(500);
      expect(data.body).not.toMatch(/no such table|does not exist|prisma/i);
      expectNoLeak(data);
    } finally {
      await db.$executeRawUnsafe(`ALTER TABLE "ShopGone" RENAME TO ${table}`);
    }
    expect((await send(base, "GET", "/app/settings")).status).toBe(200);
  });
});

describe("a connected app (Shopify faked in the server's process)", () => {
  const SHOP = "secure-install.myshopify.com";
  const ACCESS = "shpat_secure_install_access_0123456789abcdef";
  const REFRESH = "shprt_secure_install_refresh_fedcba9876543210";
  // base64 of "admin.shopify.com/store/secure-install": the host parameter Shopify admin adds.
  const HOST = Buffer.from("admin.shopify.com/store/secure-install").toString("base64url");
  let server: RunningServer;
  let base: string;
  let tmp: string;
  let logFile: string;
  const shopifyCalls = () =>
    existsSync(logFile)
      ? readFileSync(logFile, "utf8")
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as { kind: string; shop: string; operation?: string; accessToken?: string })
      : [];

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "nearhub-security-"));
    logFile = path.join(tmp, "shopify.jsonl");
    const port = await freePort();
    server = await startAppServer({
      databaseUrl: process.env.DATABASE_URL!,
      demo: false,
      port,
      preload: path.join(ROOT, "test/support/fake-shopify-fetch.mjs"),
      env: {
        SHOPIFY_API_KEY: TEST_SHOPIFY.apiKey,
        SHOPIFY_API_SECRET: TEST_SHOPIFY.apiSecret,
        SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
        NEARHUB_ENCRYPTION_KEY: TEST_SHOPIFY.encryptionKey,
        SCOPES: "read_products,write_shipping",
        HOST: "127.0.0.1",
        NEARHUB_COURIER_QUOTES: "0",
        NEARHUB_RETURNS_JOB: "0",
        NEARHUB_ROUTING_JOB: "0",
        NEARHUB_FAKE_SHOPIFY_LOG: logFile,
        NEARHUB_FAKE_ACCESS_TOKEN: ACCESS,
        NEARHUB_FAKE_REFRESH_TOKEN: REFRESH,
      },
    });
    base = server.url;
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("frames / and /auth/login by nobody, and by the shop's admin only when the request names the shop", async () => {
    for (const pathname of ["/", "/auth/login"]) {
      const page = await send(base, "GET", pathname);
      expect(page.status).toBe(200);
      expect(page.headers["content-security-policy"]).toBe("frame-ancestors 'none'");
      expect(page.headers["x-frame-options"]).toBe("DENY");
      expect(page.headers["x-content-type-options"]).toBe("nosniff");
    }
    const fromAdmin = await send(base, "GET", `/?shop=${SHOP}&host=${HOST}`);
    expect(fromAdmin.status).toBe(302);
    expect(fromAdmin.headers["content-security-policy"]).toContain(`frame-ancestors https://${SHOP} https://admin.shopify.com`);
  });

  it("installs through token exchange and keeps the tokens encrypted in the sessions table", async () => {
    const page = await send(base, "GET", `/app?shop=${SHOP}&host=${HOST}&embedded=1&id_token=${sessionToken(SHOP)}`);
    expect(page.status, server.output().slice(-3000)).toBe(200);
    // An embedded page may be framed by this shop's admin, and nothing else.
    expect(page.headers["content-security-policy"]).toContain(`frame-ancestors https://${SHOP} https://admin.shopify.com`);
    expect(page.headers["x-frame-options"]).toBeUndefined();
    // (The layout's and the page's loaders authenticate at once, so the first visit may exchange twice.)
    const exchanges = shopifyCalls().filter((c) => c.kind === "token-exchange");
    expect(exchanges.length).toBeGreaterThan(0);
    for (const exchange of exchanges) {
      expect(exchange).toEqual({ kind: "token-exchange", shop: SHOP, grantType: "urn:ietf:params:oauth:grant-type:token-exchange", expiring: "1" });
    }

    const rows = await db.$queryRawUnsafe<{ accessToken: string; refreshToken: string | null }[]>(
      `SELECT "accessToken", "refreshToken" FROM "Session" WHERE "shop" = '${SHOP}'`,
    );
    expect(rows).toHaveLength(1);
    for (const value of [rows[0].accessToken, rows[0].refreshToken!]) {
      expect(value).toMatch(/^nh1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
      expect(value).not.toContain("shpat_");
      expect(value).not.toContain("shprt_");
    }
    if (testDbKind() === "sqlite") {
      // Not in the file either, nor in its write-ahead log.
      const file = process.env.DATABASE_URL!.replace(/^file:/, "");
      for (const part of [file, `${file}-wal`].filter(existsSync)) {
        const bytes = readFileSync(part);
        expect(bytes.includes(Buffer.from(ACCESS)), part).toBe(false);
        expect(bytes.includes(Buffer.from(REFRESH)), part).toBe(false);
      }
    }

    // The stored session opens again: a later request calls Shopify with the real token, no new exchange.
    const before = shopifyCalls().length;
    const register = await send(base, "POST", "/app/shipping?index", {
      headers: { ...FORM, Origin: base, Authorization: `Bearer ${sessionToken(SHOP)}` },
      body: form({ intent: "register" }),
    });
    expect(register.status, server.output().slice(-3000)).toBe(200);
    const later = shopifyCalls().slice(before);
    expect(later.map((c) => c.kind)).not.toContain("token-exchange");
    expect(later.filter((c) => c.kind === "graphql").length).toBeGreaterThan(0);
    for (const call of later) expect(call.accessToken).toBe(ACCESS);
  });

  it("refuses an admin session token without exp before exchanging it for an access token", async () => {
    const shop = "no-expiry.myshopify.com";
    const res = await send(base, "GET", `/app?shop=${shop}&host=${HOST}&embedded=1&id_token=${sessionToken(shop, { exp: undefined })}`);
    expect(res.status).toBe(401);
    expect(res.body).toContain("session token: no exp (expiry) claim");
    expect(shopifyCalls().filter((c) => c.shop === shop)).toEqual([]);
    expect(await db.session.count({ where: { shop } })).toBe(0);
  });

  it("refuses a cross-origin admin post with 403 before anything else", async () => {
    const res = await send(base, "POST", "/app/shipping?index", {
      headers: { ...FORM, Origin: "https://evil.example", Authorization: `Bearer ${sessionToken(SHOP)}` },
      body: form({ intent: "register" }),
    });
    expect(res.status).toBe(403);
    expectNoLeak(res);
  });

  describe("the checkout endpoint's CORS", () => {
    const post = (headers: Record<string, string>, body = JSON.stringify({ destination: { country: "US", postalCode: "11211" }, lines: [{ sku: "MUG", quantity: 1 }] })) =>
      send(base, "POST", "/api/checkout/delivery-promise", { headers: { "Content-Type": "application/json", ...headers }, body });
    const checkoutToken = (claims: Record<string, unknown> = {}) => sessionToken(SHOP, { exp: Math.floor(Date.now() / 1000) + 300, ...claims });

    it("answers the extension's preflight for its own origin, and refuses any other", async () => {
      const ok = await send(base, "OPTIONS", "/api/checkout/delivery-promise", {
        headers: { Origin: EXTENSION_ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type" },
      });
      expect(ok.status).toBe(204);
      expect(ok.headers).toMatchObject({
        "access-control-allow-origin": EXTENSION_ORIGIN,
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": "Authorization, Content-Type",
        "access-control-max-age": "7200",
        vary: "Origin",
      });
      const foreign = await send(base, "OPTIONS", "/api/checkout/delivery-promise", {
        headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
      });
      expect(foreign.status).toBe(403);
      expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();
    });

    it("never answers *: a 401 names the extension's origin, and another origin gets no CORS header", async () => {
      const missing = await post({ Origin: EXTENSION_ORIGIN });
      expect(missing.status).toBe(401);
      expect(missing.headers["access-control-allow-origin"]).toBe(EXTENSION_ORIGIN);
      expect(JSON.parse(missing.body).error).toMatch(/^session token: missing/);
      const foreign = await post({ Origin: "https://evil.example", Authorization: `Bearer ${checkoutToken()}` });
      expect(foreign.status).toBe(200);
      expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();
      expect(foreign.headers.vary).toContain("Origin");
    });

    it("refuses a token without exp, one not valid yet and one for another app; takes Shopify's", async () => {
      const now = Math.floor(Date.now() / 1000);
      const cases: [string, RegExp][] = [
        [checkoutToken({ exp: undefined }), /^session token: no exp/],
        [checkoutToken({ nbf: now + 120, exp: now + 300 }), /^session token: missing, malformed, expired/],
        [checkoutToken({ aud: "someone-elses-app" }), /^session token: wrong audience/],
      ];
      for (const [token, message] of cases) {
        const res = await post({ Origin: EXTENSION_ORIGIN, Authorization: `Bearer ${token}` });
        expect(res.status).toBe(401);
        expect(JSON.parse(res.body).error).toMatch(message);
        expect(res.headers["access-control-allow-origin"]).toBe(EXTENSION_ORIGIN);
      }
      const ok = await post({ Origin: EXTENSION_ORIGIN, Authorization: `Bearer ${checkoutToken()}` });
      expect(ok.status).toBe(200);
      expect(ok.headers["access-control-allow-origin"]).toBe(EXTENSION_ORIGIN);
      expect(JSON.parse(ok.body)).toHaveProperty("status");
    });
  });
});
