// The fuzzer of issue 9 (item 7): fast-check generates signed and unsigned mutations of real requests
// for every public endpoint of the built production server (server.mjs in a child process, on this
// file's database), first in demo mode (its admin pages and open API key), then as a connected app
// (production-like: demo off, the test app's Shopify keys, Shopify faked in the server's process).
// Every answer is judged by the same oracles (test/support/fuzz.ts):
//   - no 5xx, and no request left unanswered;
//   - no answer slower than FUZZ_SLOW_MS (5 s, Shopify's limit for webhooks and rate callbacks);
//   - a refused request (4xx, or a signed delivery replayed: Shopify's duplicates answer 200) writes
//     nothing: every table has triggers that count the rows each commit inserts, updates or deletes
//     (two exceptions, by design: quote logs, written in batches a second after the quotes, are not
//     watched; an open API key's "last used" may be stamped when a request with a valid key is refused);
//   - a request without valid credentials (bad HMAC, token, key, or a form from another site) is
//     refused; no answer carries a stack trace or a path of the server.
// The endpoints come from app/routes (a route file no family covers fails the first test) and, for
// the open API, from its OpenAPI document; webhook topics from shopify.app.toml.
//
// It lives in test/routes so `npm test` runs it on PostgreSQL too: PostgreSQL refuses values SQLite
// stores (NUL in text, integers beyond 32 bits), so the two databases fail in different places.
//
//   NEARHUB_FUZZ_RUNS=200 npx vitest run test/routes/fuzz-public-endpoints.test.ts   # more requests per endpoint (default 6)
//   NEARHUB_FUZZ_SEED=12345 ...                                                       # another (or a failing run's) seed
// Each phase prints one line: the seed, requests per endpoint with their statuses, failures by kind.
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { createHmac } from "node:crypto";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createApiKey } from "~/services/api-keys.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { ROOT, ensureBuild, freePort, startAppServer, type RunningServer } from "../e2e/support/app-server";
import { repoRoot, webhookSubscriptions } from "../support/app-toml";
import {
  FUZZ_RUNS,
  FUZZ_SEED,
  Tally,
  bodyFor,
  reportOf,
  contentType,
  hostileString,
  methodFor,
  pathFor,
  recordWrites,
  routeEntries,
  send,
  settle,
  writesBetween,
  writesSoFar,
  type FuzzRequest,
  type RouteEntry,
} from "../support/fuzz";
import { knownDemoOrder } from "../support/returns-load";
import { TEST_SHOPIFY, sessionToken, sign } from "../support/shopify";
import { webhookBodies } from "../support/webhook-bodies";

const SHOP = "nearhub-demo.myshopify.com";
const OTHER_SHOP = "fuzz-stranger.myshopify.com";
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
const RATE_REQUEST = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/carrier-service/rate-request.json"), "utf8")) as unknown;
const CHECKOUT_BODY = {
  destination: { country: "US", postalCode: "11211", province: "NY", city: "Brooklyn" },
  lines: [{ variantId: "gid://shopify/ProductVariant/44120113000", sku: "KK-MUG-SPK-12", quantity: 2, unitPriceMinor: 3800 }],
};
const WILLIAMSBURG = { country: "us", postalCode: "11211", latitude: 40.7181, longitude: -73.9571 };
/** A valid body for each open API operation that takes one (the document names the operations). */
const API_BODIES: Record<string, unknown> = {
  createQuote: { lines: [{ sku: "KK-MUG-SPK-12", quantity: 2, unitPriceMinor: 3800 }, { sku: "PM-PIN-BCT-ENM", quantity: 1 }], destination: WILLIAMSBURG },
  planReturn: { from: { latitude: 40.7128, longitude: -73.9553, country: "us" }, lines: [{ sku: "KK-MUG-SPK-12", reason: "SIZE_TOO_SMALL", condition: "UNOPENED" }] },
  moveReturn: { type: "RECEIVE", hubId: "nyc-bk-hub", inspectionHours: 24 },
  planRouting: { orders: [{ id: "o-1", lines: [{ sku: "KK-MUG-SPK-12", quantity: 1 }], destination: WILLIAMSBURG }] },
};

/** Which family fuzzes a route, by its URL pattern; every route file must have one. */
function familyOf(route: RouteEntry): "webhook" | "rates" | "checkout" | "proxy" | "api" | "admin" | "courier" | "open" | undefined {
  const p = route.pattern;
  if (p.startsWith("/webhooks/")) return "webhook";
  if (p === "/api/couriers/doordash") return "courier";
  if (p === "/api/carrier-service/rates") return "rates";
  if (p === "/api/checkout/delivery-promise") return "checkout";
  if (p.startsWith("/apps/")) return "proxy";
  if (p.startsWith("/api/v1/")) return "api";
  if (p === "/app" || p.startsWith("/app/")) return "admin";
  // The permit calendar's secret subscription URL: no session, the token in the path is the credential.
  if (p === "/" || p === "/healthz" || p === "/readyz" || p === "/metrics" || p.startsWith("/auth/") || p.startsWith("/calendar/")) return "open";
  return undefined;
}
const ROUTES = routeEntries();
const routesOf = (family: ReturnType<typeof familyOf>) => ROUTES.filter((r) => familyOf(r) === family);

/** The same seed gives the same requests per endpoint; endpoints differ from each other. */
const seedOf = (endpoint: string) => (FUZZ_SEED + [...endpoint].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 0)) | 0;

/** A header value as node:http sends it: anything outside Latin-1 would be refused by the client. */
const latin1 = (s: string) => s.replace(/[^\u0020-\u00ff]/g, "?");
const headerString = hostileString.map(latin1);
/** encodeURIComponent that also writes a lone surrogate, as the bytes a careless client would send. */
const encodeLoose = (s: string) => s.split(/([\ud800-\udfff])/).map((part) => (/^[\ud800-\udfff]$/.test(part) ? (part < "\udc00" ? "%ED%A0%80" : "%ED%B0%80") : encodeURIComponent(part))).join("");

type Make = (ctx: Ctx) => FuzzRequest | "replay";
interface Ctx {
  base: string;
  apiKey: string;
}

// ---------------------------------------------------------------------------------------------
// Families: what a request to each kind of endpoint looks like, signed or not

const TOPICS = webhookSubscriptions().map((s) => ({ topic: s.topics[0], uri: s.uri! }));

function webhookArb(topic: string, uri: string): fc.Arbitrary<Make> {
  const fits = webhookBodies(SHOP)[topic].fits;
  return fc
    .record({
      replay: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, fc.constant(true)),
      body: bodyFor(fits),
      signature: fc.constantFrom("right", "right", "right", "right", "right", "other secret", "missing", "garbage", "for another body"),
      topic: fc.oneof({ weight: 8, arbitrary: fc.constant(topic) }, fc.constantFrom(...TOPICS.map((t) => t.topic), "", topic.toUpperCase().replace("/", "_"), "x".repeat(300)), headerString),
      shop: fc.oneof({ weight: 8, arbitrary: fc.constant<string | string[]>(SHOP) }, fc.constantFrom<string | string[]>(OTHER_SHOP, "not a shop", `${SHOP}, ${OTHER_SHOP}`, [SHOP, SHOP], "", "evil.example.com", SHOP.toUpperCase(), "\u00e9t\u00e9.myshopify.com")),
      webhookId: fc.oneof({ weight: 6, arbitrary: fc.uuid() }, fc.constantFrom("", "fuzz-fixed-id", "x".repeat(300)), headerString),
      eventId: fc.oneof({ weight: 6, arbitrary: fc.uuid().map<string | undefined>((u) => u) }, fc.constantFrom<string | undefined>(undefined, "", "fuzz-fixed-event", "y".repeat(300))),
      apiVersion: fc.constantFrom("2026-10", "2026-10", "2026-10", "", "unstable", "1999-01"),
      contentType: contentType("application/json"),
      method: methodFor("POST"),
      path: pathFor(uri),
    })
    .map((g) => () => {
      if (g.replay) return "replay";
      const body = g.body.text;
      const hmac = { right: sign(body), "other secret": sign(body, "not-the-app-secret"), missing: undefined, garbage: "AAAA", "for another body": sign(Buffer.concat([body, Buffer.from(" ")])) }[g.signature];
      return {
        method: g.method,
        path: g.path,
        body: g.method === "GET" || g.method === "HEAD" ? undefined : body,
        label: `${g.body.label}; hmac ${g.signature}; topic ${g.topic === topic ? "right" : JSON.stringify(g.topic.slice(0, 40))}; shop ${JSON.stringify(g.shop).slice(0, 60)}`,
        unsigned: g.signature !== "right",
        headers: {
          "Content-Type": g.contentType,
          "X-Shopify-Hmac-Sha256": hmac,
          "X-Shopify-Topic": g.topic,
          "X-Shopify-Shop-Domain": g.shop,
          "X-Shopify-API-Version": g.apiVersion,
          "X-Shopify-Webhook-Id": g.webhookId,
          "X-Shopify-Event-Id": g.eventId,
          "X-Shopify-Triggered-At": new Date().toISOString(),
        },
      };
    });
}

const ratesArb: fc.Arbitrary<Make> = fc
  .record({
    body: bodyFor(RATE_REQUEST),
    signature: fc.constantFrom("right", "right", "right", "right", "other secret", "missing", "garbage"),
    shop: fc.oneof({ weight: 6, arbitrary: fc.constant<string | string[]>(SHOP) }, fc.constantFrom<string | string[]>(OTHER_SHOP, "not a shop", [SHOP, OTHER_SHOP], "", "\u00e9.myshopify.com")),
    timeout: fc.constantFrom<string | undefined>(undefined, "10000", "0", "-5", "abc", "99999999999"),
    contentType: contentType("application/json"),
    method: methodFor("POST"),
    path: pathFor("/api/carrier-service/rates"),
  })
  .map((g) => () => ({
    method: g.method,
    path: g.path,
    body: g.method === "GET" || g.method === "HEAD" ? undefined : g.body.text,
    label: `${g.body.label}; hmac ${g.signature}; shop ${JSON.stringify(g.shop)}`,
    unsigned: g.signature !== "right",
    headers: {
      "Content-Type": g.contentType,
      "X-Shopify-Hmac-Sha256": { right: sign(g.body.text), "other secret": sign(g.body.text, "not-the-app-secret"), missing: undefined, garbage: "%%%" }[g.signature],
      "X-Shopify-Shop-Domain": g.shop,
      "X-Shopify-Timeout": g.timeout,
    },
  }));

/** DoorDash Drive's webhook: the Authorization header its developer portal sends (DOORDASH_WEBHOOK_AUTHORIZATION). */
const DOORDASH_AUTHORIZATION = `Basic ${Buffer.from("nearhub-fuzz:doordash-webhook-password").toString("base64")}`;
const DOORDASH_WEBHOOK = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/doordash/webhook-dasher-dropped-off.json"), "utf8")) as unknown;

const courierArb: fc.Arbitrary<Make> = fc
  .record({
    replay: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, fc.constant(true)),
    body: bodyFor(DOORDASH_WEBHOOK),
    auth: fc.constantFrom("right", "right", "right", "right", "wrong", "missing", "lower case", "bearer"),
    contentType: contentType("application/json"),
    method: methodFor("POST"),
    path: pathFor("/api/couriers/doordash"),
  })
  .map((g) => () => {
    if (g.replay) return "replay";
    const authorization = {
      right: DOORDASH_AUTHORIZATION,
      wrong: `Basic ${Buffer.from("nearhub-fuzz:guess").toString("base64")}`,
      missing: undefined,
      "lower case": DOORDASH_AUTHORIZATION.toLowerCase(),
      bearer: `Bearer ${DOORDASH_AUTHORIZATION.slice(6)}`,
    }[g.auth];
    return {
      method: g.method,
      path: g.path,
      body: g.method === "GET" || g.method === "HEAD" ? undefined : g.body.text,
      label: `${g.body.label}; authorization ${g.auth}`,
      unsigned: g.auth !== "right",
      headers: { "Content-Type": g.contentType, Authorization: authorization },
    };
  });

/** A checkout session token (the extension's JWT), right or wrong in one way. */
function checkoutToken(kind: string): string | undefined {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: "gid://shopify/Customer/1", exp: now + 300 };
  switch (kind) {
    case "right":
      return sessionToken(SHOP, claims);
    case "unknown shop":
      return sessionToken(OTHER_SHOP, claims);
    case "no exp":
      return sessionToken(SHOP, { ...claims, exp: undefined });
    case "expired":
      return sessionToken(SHOP, { ...claims, exp: now - 60, nbf: now - 120, iat: now - 120 });
    case "not yet":
      return sessionToken(SHOP, { ...claims, nbf: now + 120 });
    case "wrong audience":
      return sessionToken(SHOP, { ...claims, aud: "someone-elses-app" });
    case "other secret":
      return sessionToken(SHOP, claims, "not-the-app-secret");
    case "bad dest":
      return sessionToken(SHOP, { ...claims, dest: "https://\ud800.example" });
    case "garbage":
      return "abc.def.ghi";
    default:
      return undefined;
  }
}
const TOKEN_KINDS = ["right", "right", "right", "right", "unknown shop", "no exp", "expired", "not yet", "wrong audience", "other secret", "bad dest", "garbage", "missing"];
const signedToken = (kind: string) => kind === "right" || kind === "unknown shop";

const checkoutArb: fc.Arbitrary<Make> = fc
  .record({
    body: bodyFor(CHECKOUT_BODY),
    token: fc.constantFrom(...TOKEN_KINDS),
    scheme: fc.constantFrom("Bearer ", "Bearer ", "Bearer ", "bearer ", "Basic ", ""),
    origin: fc.constantFrom<string | undefined>(EXTENSION_ORIGIN, EXTENSION_ORIGIN, "https://evil.example", "null", undefined),
    preflight: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, fc.constant(true)),
    requestHeaders: headerString,
    contentType: contentType("application/json"),
    method: methodFor("POST"),
    path: pathFor("/api/checkout/delivery-promise"),
  })
  .map((g) => () => {
    if (g.preflight) {
      return {
        method: "OPTIONS",
        path: g.path,
        label: `preflight from ${g.origin}`,
        headers: { Origin: g.origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": g.requestHeaders },
      };
    }
    const token = checkoutToken(g.token);
    return {
      method: g.method,
      path: g.path,
      body: g.method === "GET" || g.method === "HEAD" ? undefined : g.body.text,
      label: `${g.body.label}; token ${g.token}; scheme ${JSON.stringify(g.scheme)}; origin ${g.origin}`,
      unsigned: !(signedToken(g.token) && g.scheme.toLowerCase() === "bearer "),
      headers: { "Content-Type": g.contentType, Origin: g.origin, Authorization: token === undefined ? undefined : `${g.scheme}${token}` },
    };
  });

/** Shopify's app proxy signature: sorted key=value pairs joined with nothing, HMAC-SHA256 hex. */
function proxySignature(params: [string, string][], secret: string = TEST_SHOPIFY.apiSecret): string {
  const merged = new Map<string, string[]>();
  for (const [k, v] of params) merged.set(k, [...(merged.get(k) ?? []), v]);
  const message = [...merged.keys()]
    .sort((a, b) => a.localeCompare(b))
    .map((k) => `${k}=${merged.get(k)!.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

const proxyArb: fc.Arbitrary<Make> = fc
  .record({
    query: fc.record(
      {
        country: fc.oneof({ weight: 4, arbitrary: fc.constant("US") }, hostileString),
        postal_code: fc.oneof({ weight: 4, arbitrary: fc.constant("11211") }, hostileString),
        province: fc.oneof(fc.constant("NY"), hostileString),
        city: hostileString,
        lines: fc.oneof({ weight: 4, arbitrary: fc.constant("44120113000:2:3800") }, fc.constantFrom("1:0", "gid://shopify/ProductVariant/1:9999", Array.from({ length: 600 }, (_, i) => `${i + 1}:1`).join(","), "::,,:"), hostileString),
        locale: hostileString,
      },
      { requiredKeys: ["country", "postal_code", "lines"] },
    ),
    extra: fc.array(fc.tuple(fc.oneof(hostileString, fc.constantFrom("shop", "signature", "timestamp")), hostileString), { maxLength: 2 }),
    shop: fc.oneof({ weight: 6, arbitrary: fc.constant(SHOP) }, fc.constantFrom(OTHER_SHOP, "not a shop", `${SHOP},${OTHER_SHOP}`, "")),
    timestamp: fc.constantFrom("now", "now", "now", "an hour ago", "garbage"),
    signature: fc.constantFrom("right", "right", "right", "right", "other secret", "missing", "garbage", "upper case"),
    method: methodFor("GET"),
  })
  .map((g) => () => {
    const ts = { now: String(Math.floor(Date.now() / 1000)), "an hour ago": String(Math.floor(Date.now() / 1000) - 3600), garbage: "yesterday" }[g.timestamp]!;
    const params: [string, string][] = [
      ...Object.entries(g.query).filter((e): e is [string, string] => e[1] !== undefined),
      ...g.extra,
      ["shop", g.shop],
      ["logged_in_customer_id", ""],
      ["path_prefix", "/apps/nearhub"],
      ["timestamp", ts],
    ];
    const right = proxySignature(params);
    const signature = { right, "other secret": proxySignature(params, "not-the-app-secret"), missing: undefined, garbage: "zz", "upper case": right.toUpperCase() }[g.signature];
    // A lone surrogate cannot be percent-encoded as UTF-8 (URLSearchParams would make it U+FFFD): %ED%A0%80 is its bytes.
    const query = params.map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`).join("&");
    return {
      method: g.method,
      path: `/apps/nearhub/promise?${query}${signature === undefined ? "" : `&signature=${signature}`}`,
      label: `signature ${g.signature}; shop ${g.shop}; timestamp ${g.timestamp}; ${g.extra.length} extra`,
      unsigned: g.signature !== "right" || g.timestamp !== "now",
      headers: {},
    };
  });

interface ApiOperation {
  method: string;
  pattern: string;
  operationId: string;
}

function apiArb(op: ApiOperation, returnIds: string[]): fc.Arbitrary<Make> {
  const seedBody = API_BODIES[op.operationId];
  return fc
    .record({
      body: seedBody === undefined ? fc.constant(undefined) : bodyFor(seedBody).map((b) => b as { text: Buffer; label: string } | undefined),
      key: fc.constantFrom("right", "right", "right", "right", "demo", "unknown", "missing", "malformed", "basic"),
      id: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(returnIds.length ? returnIds : ["none"])) }, hostileString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "\u00ff")) || "x")),
      query: fc.array(fc.tuple(fc.constantFrom("limit", "cursor", "status", "since", "updatedSince", "q"), fc.oneof(fc.constantFrom("1", "0", "-1", "100", "1000000", "abc", "1e3", ""), hostileString)), { maxLength: 3 }),
      idempotencyKey: fc.oneof(fc.constant<string | undefined>(undefined), fc.uuid().map<string | undefined>((u) => u), headerString.map<string | undefined>((s) => s)),
      contentType: contentType("application/json"),
      method: methodFor(op.method),
    })
    .map((g) => (ctx: Ctx) => {
      const key = { right: ctx.apiKey, demo: "nh_demo_0123456789abcdef0123456789abcdef", unknown: `nh_live_${"0".repeat(64)}`, missing: undefined, malformed: "nh_live_\u00ff\u00ff", basic: ctx.apiKey }[g.key];
      const scheme = g.key === "basic" ? "Basic " : "Bearer ";
      const query = g.query.length ? `?${new URLSearchParams(g.query.map(([k, v]) => [k, v.replace(/[\ud800-\udfff]/g, "?")]))}` : "";
      return {
        method: g.method,
        path: `/api/v1${op.pattern.replace("{id}", g.id)}${query}`,
        body: g.body && g.method !== "GET" && g.method !== "HEAD" ? g.body.text : undefined,
        label: `${g.body?.label ?? "no body"}; key ${g.key}; ${g.query.length} query parameters`,
        // The demo key is valid in demo mode only: judged by the answer, not refused by rule.
        unsigned: g.key !== "right" && g.key !== "demo",
        // A valid key's last use is recorded (at most once a minute) before the request is judged.
        bookkeeping: ["ApiKey update"],
        headers: { "Content-Type": g.body ? g.contentType : undefined, Authorization: key === undefined ? undefined : `${scheme}${key}`, "Idempotency-Key": g.idempotencyKey },
      };
    });
}

/** The form fields and intents a page's source names, so fuzzed posts reach past its intent dispatch. */
function formVocabulary(file: string): { names: string[]; intents: string[] } {
  const source = readFileSync(path.join(repoRoot, "app/routes", file), "utf8");
  const names = [...new Set([...source.matchAll(/name="([\w[\].-]+)"/g)].map((m) => m[1]))];
  const intents = [...new Set([...source.matchAll(/name="intent" value="([\w-]+)"/g), ...source.matchAll(/intent"?\)? ?===? ?"([\w-]+)"/g)].map((m) => m[1]))];
  return { names: names.length ? names : ["name"], intents: intents.length ? intents : ["save"] };
}

function adminArb(route: RouteEntry, nodeIds: string[], demo: boolean): fc.Arbitrary<Make> {
  const vocab = formVocabulary(route.file);
  return fc
    .record({
      post: fc.boolean(),
      id: fc.oneof(fc.constantFrom(...(nodeIds.length ? nodeIds : ["none"])), hostileString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "\u00ff")) || "x")),
      intent: fc.constantFrom(...vocab.intents),
      fields: fc.array(fc.tuple(fc.constantFrom(...vocab.names), fc.oneof(fc.constantFrom("", "0", "1", "on", "USD", "America/New_York", "11211"), hostileString)), { maxLength: 6 }),
      encoding: fc.constantFrom("form", "form", "form", "json", "multipart", "text"),
      origin: fc.constantFrom("own", "own", "own", "none", "evil", "cross-site"),
      query: fc.constantFrom("", "", "?shop=" + SHOP, `?shop=${OTHER_SHOP}&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUveA&embedded=1`, "?id_token=abc.def.ghi", "?index", "?_data=routes%2Fapp", "?shop=%ED%A0%80"),
      bearer: fc.constantFrom<string | undefined>(undefined, undefined, undefined, "garbage", "no exp", "other secret"),
    })
    .map((g) => (ctx: Ctx) => {
      const pathname = route.pattern.replace(/:\w+/, g.id);
      const fields = new URLSearchParams([["intent", g.intent], ...g.fields.map(([k, v]): [string, string] => [k, v.replace(/[\ud800-\udfff]/g, "?")])]);
      const body = !g.post
        ? undefined
        : g.encoding === "json"
          ? Buffer.from(JSON.stringify(Object.fromEntries(fields)))
          : g.encoding === "multipart"
            ? Buffer.from([...fields].map(([k, v]) => `--b\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("") + "--b--\r\n")
            : Buffer.from(fields.toString());
      const type = { form: "application/x-www-form-urlencoded", json: "application/json", multipart: "multipart/form-data; boundary=b", text: "text/plain" }[g.encoding];
      const origin = { own: ctx.base, none: undefined, evil: "https://evil.example", "cross-site": undefined }[g.origin];
      const token = g.bearer === undefined ? undefined : g.bearer === "garbage" ? "abc.def" : g.bearer === "no exp" ? sessionToken(SHOP, { exp: undefined }) : sessionToken(SHOP, {}, "not-the-app-secret");
      const foreign = g.origin === "evil" || g.origin === "cross-site";
      return {
        method: g.post ? "POST" : "GET",
        path: `${pathname}${g.query}`,
        body,
        label: `${g.post ? `${g.encoding} post, intent ${g.intent}, ${g.fields.length} fields` : "get"}; origin ${g.origin}; bearer ${g.bearer ?? "none"}`,
        // Without a session (a connected app) nothing may happen; a post from another site never.
        unsigned: g.post && (foreign || !demo),
        headers: {
          "Content-Type": g.post ? type : undefined,
          Origin: origin,
          "Sec-Fetch-Site": g.origin === "cross-site" ? "cross-site" : undefined,
          Authorization: token ? `Bearer ${token}` : undefined,
        },
      };
    });
}

function openArb(route: RouteEntry): fc.Arbitrary<Make> {
  const pathname = route.pattern.replace("*", "");
  return fc
    .record({
      post: fc.boolean(),
      sub: fc.constantFrom("", "login", "callback", "session-token", "exit-iframe", "x/../../etc"),
      query: fc.array(fc.tuple(fc.constantFrom("shop", "host", "embedded", "id_token", "code", "hmac", "state", "timestamp", "exitIframe", "shopify-reload"), fc.oneof(fc.constantFrom(SHOP, OTHER_SHOP, "1", "", "abc.def.ghi", "https://evil.example"), hostileString)), { maxLength: 4 }),
      shop: fc.oneof(fc.constantFrom(SHOP, OTHER_SHOP, "", "evil.example.com"), hostileString),
      origin: fc.constantFrom("own", "own", "none", "evil"),
      method: methodFor("GET"),
    })
    .map((g) => (ctx: Ctx) => {
      const query = g.query.length ? `?${new URLSearchParams(g.query.map(([k, v]) => [k, v.replace(/[\ud800-\udfff]/g, "?")]))}` : "";
      const where = route.pattern.endsWith("*") ? `${pathname}${g.sub}` : pathname;
      const origin = { own: ctx.base, none: undefined, evil: "https://evil.example" }[g.origin];
      if (g.post) {
        return {
          method: "POST",
          path: `${where}${query}`,
          body: Buffer.from(new URLSearchParams({ shop: g.shop.replace(/[\ud800-\udfff]/g, "?") }).toString()),
          label: `form post; origin ${g.origin}; ${g.query.length} query parameters`,
          unsigned: g.origin === "evil",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
        };
      }
      return { method: g.method, path: `${where}${query}`, label: `${g.query.length} query parameters`, headers: { Origin: origin } };
    });
}

// ---------------------------------------------------------------------------------------------
// The run

/**
 * Sends FUZZ_RUNS requests drawn from `arb` to `endpoint`, judging each. Before a request, the
 * database must be quiet if the last one was accepted (its work may go on after its answer); a
 * "replay" resends the last accepted signed request as it was (Shopify's retry: must write nothing).
 */
async function fuzz(tally: Tally, endpoint: string, arb: fc.Arbitrary<Make>, ctx: Ctx, runs = FUZZ_RUNS): Promise<void> {
  let lastAccepted: FuzzRequest | undefined;
  let before = await settle();
  for (const make of fc.sample(arb, { numRuns: runs, seed: seedOf(endpoint) })) {
    const made = make(ctx);
    const req = made === "replay" ? (lastAccepted ? { ...lastAccepted, label: `replay of ${lastAccepted.label}`, noEffect: true } : undefined) : made;
    if (!req) continue;
    const answer = await send(ctx.base, req);
    const after = await writesSoFar();
    tally.judge(endpoint, req, answer, writesBetween(before, after));
    const accepted = answer.status >= 200 && answer.status < 400 && !req.unsigned && !req.noEffect;
    if (accepted && made !== "replay") lastAccepted = req;
    before = accepted ? await settle() : after;
  }
}

let tmp: string;
let shopId: string;
let apiKey: string;
let returnIds: string[];
let nodeIds: string[];
/** Each endpoint's requests may each wait up to 30 s for an answer (test/support/fuzz.ts gives up then). */
const PER_ENDPOINT_MS = Math.max(120_000, FUZZ_RUNS * 31_000);
// No job worker: a scheduled job's own bookkeeping (Job, JobSchedule) written while a refused request is
// watched would read as that request's write. A job a request enqueues is still an insert it made.
const serverEnv = { NEARHUB_JOBS: "0", HOST: "127.0.0.1", DOORDASH_WEBHOOK_AUTHORIZATION: DOORDASH_AUTHORIZATION };

beforeAll(async () => {
  await ensureBuild();
  tmp = mkdtempSync(path.join(os.tmpdir(), "nearhub-fuzz-"));
  shopId = (await seedDemoMarketplace(db, { now: new Date(), orderDays: 14 })).shopId;
  await knownDemoOrder(db, "gid://shopify/Order/450789469");
  apiKey = (await createApiKey(shopId, "fuzz")).key;
  returnIds = (await db.returnCase.findMany({ where: { shopId }, select: { id: true }, take: 5 })).map((r) => r.id);
  nodeIds = (await db.node.findMany({ where: { shopId }, select: { id: true }, take: 3 })).map((n) => n.id);
  // A DoorDash delivery the fuzzed callbacks name (the fixture's external_delivery_id), so well-signed ones record events.
  const carried = await db.fulfillment.findFirst({ where: { shopId, deliveredAt: null }, select: { id: true } });
  if (carried) await db.fulfillment.update({ where: { id: carried.id }, data: { courierProvider: "DOORDASH_DRIVE", courierDeliveryId: "nh-demo-1" } });
  // Quote logs are written in batches a second after the quotes that made them (by design): a
  // refused request cannot be told from the batch of an accepted one, so that table is not watched.
  await recordWrites(["QuoteLog"]);
}, 600_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the endpoints fuzzed", () => {
  it("cover every route file, every webhook topic and every operation of the OpenAPI document", () => {
    expect(ROUTES.filter((r) => familyOf(r) === undefined).map((r) => r.file)).toEqual([]);
    expect(routesOf("webhook").map((r) => r.pattern).sort()).toEqual(TOPICS.map((t) => t.uri).sort());
    expect(TOPICS).toHaveLength(19);
  });
});

/** The open API's operations, read from the running server's OpenAPI document. */
async function apiOperations(base: string): Promise<ApiOperation[]> {
  const doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
  const ops = Object.entries(doc.paths).flatMap(([pattern, methods]) => Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), pattern, operationId: op.operationId })));
  // Every api.v1 route but the document itself is in it (an undocumented route would go unfuzzed).
  const documented = new Set(ops.map((o) => `/api/v1${o.pattern.replace("{id}", ":id")}`));
  expect(routesOf("api").map((r) => r.pattern).filter((p) => p !== "/api/v1/openapi.json" && !documented.has(p))).toEqual([]);
  return ops;
}

describe.each([
  { mode: "demo mode", demo: true },
  { mode: "a connected app", demo: false },
])("fuzzing $mode", ({ mode, demo }) => {
  const tally = new Tally();
  let server: RunningServer;
  const ctx: Ctx = { base: "", apiKey: "" };
  let operations: ApiOperation[] = [];

  beforeAll(async () => {
    const port = await freePort();
    server = await startAppServer({
      databaseUrl: process.env.DATABASE_URL!,
      demo,
      port,
      preload: demo ? undefined : path.join(ROOT, "test/support/fake-shopify-fetch.mjs"),
      env: demo
        ? serverEnv
        : {
            ...serverEnv,
            SHOPIFY_API_KEY: TEST_SHOPIFY.apiKey,
            SHOPIFY_API_SECRET: TEST_SHOPIFY.apiSecret,
            SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
            NEARHUB_ENCRYPTION_KEY: TEST_SHOPIFY.encryptionKey,
            SCOPES: "read_products,write_shipping",
            NEARHUB_FAKE_SHOPIFY_LOG: path.join(tmp, "shopify.jsonl"),
            NEARHUB_FAKE_ACCESS_TOKEN: "shpat_fuzz_access_0123456789",
            NEARHUB_FAKE_REFRESH_TOKEN: "shprt_fuzz_refresh_0123456789",
          },
    });
    Object.assign(ctx, { base: server.url, apiKey });
    operations = await apiOperations(server.url);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    console.log(tally.summary(mode));
    if (tally.failures.length) console.log(`[fuzz] ${mode}, failures by endpoint and kind:\n${reportOf(tally.failures, 0)}`);
  });

  const check = (endpoint: string) => {
    const mine = tally.failures.filter((f) => f.endpoint === endpoint);
    expect(mine, `${endpoint}:\n${reportOf(mine)}\n${server.output().slice(-1500)}`).toEqual([]);
  };

  it.each(["/", "/healthz", "/readyz", "/metrics", "/auth/login", "/auth/*", "/calendar/permits/:file"])(`%s`, async (pattern) => {
    const route = ROUTES.find((r) => r.pattern === pattern)!;
    await fuzz(tally, pattern, openArb(route), ctx);
    check(pattern);
  }, PER_ENDPOINT_MS);

  it.each(routesOf("admin").map((r) => r.pattern))("admin %s without a session", async (pattern) => {
    await fuzz(tally, pattern, adminArb(ROUTES.find((r) => r.pattern === pattern)!, nodeIds, demo), ctx);
    check(pattern);
  }, PER_ENDPOINT_MS);

  it("the open API, every operation of its document", async () => {
    for (const op of operations) await fuzz(tally, `${op.method} /api/v1${op.pattern}`, apiArb(op, returnIds), ctx);
    await fuzz(tally, "GET /api/v1/openapi.json", openArb({ file: "", pattern: "/api/v1/openapi.json" }), ctx);
    for (const op of operations) check(`${op.method} /api/v1${op.pattern}`);
  }, 8 * PER_ENDPOINT_MS);

  if (demo) return; // Below: the endpoints Shopify calls, production-like only.

  it("/api/carrier-service/rates (HMAC-signed)", async () => {
    await fuzz(tally, "/api/carrier-service/rates", ratesArb, ctx);
    check("/api/carrier-service/rates");
  }, PER_ENDPOINT_MS);

  it("/api/checkout/delivery-promise (session token, CORS)", async () => {
    await fuzz(tally, "/api/checkout/delivery-promise", checkoutArb, ctx);
    check("/api/checkout/delivery-promise");
  }, PER_ENDPOINT_MS);

  it("/api/couriers/doordash (DoorDash's Authorization header)", async () => {
    await fuzz(tally, "/api/couriers/doordash", courierArb, ctx);
    check("/api/couriers/doordash");
  }, PER_ENDPOINT_MS);

  it("/apps/nearhub/promise (app proxy, signed query)", async () => {
    await fuzz(tally, "/apps/nearhub/promise", proxyArb, ctx);
    check("/apps/nearhub/promise");
  }, PER_ENDPOINT_MS);

  // The topics that end a shop's data (app/uninstalled, shop/redact) go last, so the others reach it.
  const LAST = ["app/uninstalled", "shop/redact"];
  const ordered = [...TOPICS].sort((a, b) => LAST.indexOf(a.topic) - LAST.indexOf(b.topic));
  it.each(ordered.map((t) => [t.uri, t.topic]))("%s (HMAC-signed)", async (uri, topic) => {
    await fuzz(tally, uri, webhookArb(topic, uri), ctx);
    check(uri);
  }, PER_ENDPOINT_MS);
});
