// POST /api/checkout/delivery-promise (the checkout UI extension's backend) with real checkout
// session tokens: HS256 JWTs signed here with the test app secret, carrying the claims Shopify
// documents (iss, dest, aud, sub, exp, nbf, iat, jti, sid). The clock is fixed (Date only) so
// opening hours and cut-offs give the same promise on every run.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { action, loader } from "~/routes/api.checkout.delivery-promise";
import { buildPromise, type DeliveryPromise } from "~/services/delivery-promise.server";
import { invalidateQuoteCache } from "~/services/quotes.server";
import { saveBackupRates, saveQuoteConfig } from "~/services/shipping-settings.server";
import { parsePromise } from "../../extensions/delivery-promise/src/promise-view";
import { bikeCourier, groundCard, hours } from "../core/fixtures";
import { makeNode, makeProduct, makeShop } from "../support/factories";
import { warmQuotes } from "../extensions/support/warm-quotes";
import { TEST_SHOPIFY, sessionToken as signedSessionToken } from "../support/shopify";

// Wednesday 18 Nov 2026, 10:00 in New York: hubs open, before every cut-off.
const NOW = new Date("2026-11-18T15:00:00Z");
const ORIGIN = "https://extensions.shopifycdn.com";
const SHOP = "promise-alpha.myshopify.com";
const OTHER = "promise-bravo.myshopify.com";
const VARIANT = "gid://shopify/ProductVariant/7001";

/** A checkout session token as Shopify mints it for the extension (5-minute TTL). */
function sessionToken(
  over: Record<string, unknown> = {},
  { secret = TEST_SHOPIFY.apiSecret, shop = SHOP }: { secret?: string; shop?: string } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  return signedSessionToken(shop, { sub: "gid://shopify/Customer/1", exp: now + 300, ...over }, secret);
}

const BODY = {
  destination: { country: "US", postalCode: "11211", province: "NY", city: "Brooklyn" },
  lines: [{ variantId: VARIANT, sku: "MUG-01", quantity: 2, unitPriceMinor: 2400 }],
};

function request(method: string, token: string | null, body: unknown = BODY): Request {
  const headers: Record<string, string> = { Origin: ORIGIN };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (method === "OPTIONS") {
    headers["Access-Control-Request-Method"] = "POST";
    headers["Access-Control-Request-Headers"] = "authorization,content-type";
  } else if (method === "POST") headers["Content-Type"] = "application/json";
  return new Request(`${TEST_SHOPIFY.appUrl}/api/checkout/delivery-promise`, {
    method,
    headers,
    ...(method === "POST" ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
}

/** Runs the route as Remix does: POST to the action, anything else (OPTIONS, GET) to the loader. */
async function call(req: Request): Promise<Response> {
  const handler = req.method === "POST" ? action : loader;
  try {
    return await handler({ request: req, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

let hubId: string;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  const shop = await makeShop(db, SHOP);
  const warehouse = await makeNode(db, shop.id, {
    handle: "lic-warehouse", name: "Long Island City warehouse", kind: "CENTRAL_WAREHOUSE", city: "Long Island City",
    postalCode: "11101", latitude: 40.7447, longitude: -73.9485, serviceRadiusM: null,
    openingHoursJson: JSON.stringify(hours("07:00", "19:00", ["mon", "tue", "wed", "thu", "fri", "sat"])),
    sameDayCutoff: "15:00", dailyCapacity: 2000, handlingCostMinor: 150, pickupCostMinor: 40,
  });
  const hub = await makeNode(db, shop.id, {
    handle: "brooklyn", name: "Brooklyn hub", city: "Brooklyn", postalCode: "11211", latitude: 40.7142, longitude: -73.9614,
    serviceRadiusM: 6000, openingHoursJson: JSON.stringify(hours("08:00", "20:00")), sameDayCutoff: "16:00",
    handlingCostMinor: 120, pickupCostMinor: 0,
  });
  hubId = hub.id;
  const mug = await makeProduct(db, shop.id, { sku: "MUG-01", title: "Stoneware mug", shopifyVariantId: VARIANT, weightGrams: 450, valueMinor: 2400 });
  for (const node of [warehouse, hub]) {
    await db.stockLevel.create({ data: { shopId: shop.id, nodeId: node.id, productId: mug.id, available: 40 } });
  }
  await saveQuoteConfig(shop.id, {
    rateCards: [groundCard()],
    couriers: [bikeCourier({ surge: [] })],
    pricingRules: [
      { code: "MARGIN_PERCENT", args: { percent: 10 } },
      { code: "ROUND_CHARM", args: {} },
    ],
  });
  // A generous budget: the first quote loads the network from the database.
  await saveBackupRates(shop.id, null, [], 5000);

  // Another shop with its own hub in the same street: never part of the first shop's promise.
  const other = await makeShop(db, OTHER);
  await makeNode(db, other.id, { handle: "bravo-hub", name: "Bravo secret hub", latitude: 40.715, longitude: -73.957 });
  invalidateQuoteCache();
  await warmQuotes(shop);
});

afterAll(() => {
  vi.useRealTimers();
});

describe("POST /api/checkout/delivery-promise", () => {
  it("answers a valid session token with the promise: where from, when, what the price is made of", async () => {
    const res = await call(request("POST", sessionToken()));
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    const promise = (await res.json()) as DeliveryPromise;
    expect(promise.status).toBe("live");
    // The extension reads exactly this shape.
    expect(parsePromise(promise)).not.toBeNull();

    const sameDay = promise.options.find((o) => o.service === "SAME_DAY");
    expect(sameDay).toBeDefined();
    expect(sameDay!.serviceCode).toBe("NH:brooklyn:SAME_DAY");
    expect(sameDay!.shipsFrom).toEqual({ name: "Brooklyn hub", city: "Brooklyn", kind: "city hub" });
    expect(sameDay!.carriedBy).toBe("Bike courier");
    expect(sameDay!.arrives.timezone).toBe("America/New_York");
    expect(sameDay!.arrives.text).toMatch(/^Today by \d{1,2}(:\d\d)? (am|pm)$/);
    // The hub charges no collection fee: a zero line is left out.
    expect(sameDay!.breakdown.costs.map((c) => c.label)).toEqual(["Packing at Brooklyn hub", "Courier fee", "Distance"]);
    expect(sameDay!.breakdown.costs[2].note).toMatch(/^[\d.]+ k?m by road$/);

    const standard = promise.options.find((o) => o.service === "STANDARD");
    expect(standard?.shipsFrom).toEqual({ name: "Long Island City warehouse", city: "Long Island City", kind: "warehouse" });
    expect(standard?.breakdown.costs.map((c) => c.label)).toContain("Postage");

    for (const o of promise.options) {
      // The costs add up to the cost the price starts from, and the merchant's steps lead to the price.
      const costs = o.breakdown.costs.reduce((s, c) => s + c.amount.amountMinor, 0);
      expect(costs).toBe(o.breakdown.costTotal.amountMinor);
      const steps = o.breakdown.steps.reduce((s, step) => s + step.change.amountMinor, 0);
      expect(o.breakdown.costTotal.amountMinor + steps).toBe(o.price.amountMinor);
      expect(o.breakdown.steps.map((s) => s.label)).toEqual(["Shop margin (+10%)", "Rounded"]);
      expect(o.price.formatted).toMatch(/^\$\d+\.99$/);
      expect(o.breakdown.costs.some((c) => /return/i.test(c.label))).toBe(false);
    }
    // One option per service, as in the shipping list; exactly one cheapest and one fastest.
    expect(new Set(promise.options.map((o) => o.service)).size).toBe(promise.options.length);
    expect(promise.options.filter((o) => o.cheapest)).toHaveLength(1);
    expect(promise.options.filter((o) => o.fastest)).toHaveLength(1);
    const fastest = promise.options.find((o) => o.fastest)!;
    const cheapest = promise.options.find((o) => o.cheapest)!;
    expect(Math.min(...promise.options.map((o) => Date.parse(o.arrives.latest)))).toBe(Date.parse(fastest.arrives.latest));
    expect(Math.min(...promise.options.map((o) => o.price.amountMinor))).toBe(cheapest.price.amountMinor);
    expect(promise.message).toContain(fastest.summary);
    expect(promise.notes).toEqual(["Times are estimated for postal code 11211."]);

    // Only this shop's nodes.
    expect(JSON.stringify(promise)).not.toContain("Bravo");
    expect(promise.options.some((o) => o.shipsFrom.name === "Brooklyn hub")).toBe(true);
    expect(hubId).toBeTruthy();
  });

  it("refuses expired, unsigned, foreign, endless and not-yet-valid tokens with 401, readable by the extension only", async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad: [string, RegExp][] = [
      [sessionToken({ exp: now - 60, iat: now - 400, nbf: now - 400 }), /^session token: missing, malformed, expired/],
      [sessionToken({}, { secret: "not-the-app-secret" }), /^session token: missing, malformed, expired/],
      [sessionToken({ aud: "another-app-api-key" }), /^session token: wrong audience/],
      // JSON leaves an undefined claim out: a token without exp, which would never expire.
      [sessionToken({ exp: undefined }), /^session token: no exp/],
      [sessionToken({ exp: now + 365 * 86400 }), /^session token: expires too far in the future/],
      [sessionToken({ nbf: now + 600, exp: now + 900 }), /^session token: missing, malformed, expired/],
      ["not-a-jwt", /^session token: missing/],
    ];
    for (const [token, message] of bad) {
      const res = await call(request("POST", token));
      expect(res.status, token.slice(0, 30)).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    }
    const missing = await call(request("POST", null));
    expect(missing.status).toBe(401);
    expect(missing.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    // Another origin gets the same refusal, and no header that would let its page read it.
    const foreign = await call(new Request(request("POST", null), { headers: { Origin: "https://evil.example" } }));
    expect(foreign.status).toBe(401);
    expect(foreign.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(foreign.headers.get("Vary")).toContain("Origin");
  });

  it("answers the CORS preflight of the extension's origin, and refuses any other", async () => {
    const res = await call(request("OPTIONS", null));
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    expect(res.headers.get("Access-Control-Allow-Methods")).toBe("POST");
    expect(res.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
    expect(res.headers.get("Access-Control-Allow-Headers")).toContain("Content-Type");
    const foreign = new Request(request("OPTIONS", null), { headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" } });
    const refused = await call(foreign);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("takes JSON only, and at most 64 KiB of it", async () => {
    const asText = new Request(request("POST", sessionToken()), { headers: { Origin: ORIGIN, Authorization: `Bearer ${sessionToken()}`, "Content-Type": "text/plain" } });
    const res = await call(asText);
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([415, "Content-Type: must be application/json"]);
    const huge = { ...BODY, padding: "x".repeat(70 * 1024) };
    const tooLarge = await call(request("POST", sessionToken(), huge));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    expect(((await tooLarge.json()) as { error: string }).error).toBe("body: larger than 65536 bytes, the most /api/checkout/delivery-promise accepts");
  });

  it("gives an unknown shop a clear empty promise, not an error", async () => {
    const res = await call(request("POST", sessionToken({}, { shop: "never-installed.myshopify.com" })));
    expect(res.status).toBe(200);
    const promise = (await res.json()) as DeliveryPromise;
    expect(promise).toMatchObject({ status: "unavailable", options: [], backupRates: [] });
    expect(promise.message).toBe("Delivery estimates are not available for this shop.");
  });

  it("names the field that is wrong", async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...BODY, destination: { postalCode: "11211" } }, /^destination\.country: /],
      [{ ...BODY, lines: [] }, /^lines: at least one line/],
      [{ ...BODY, lines: [{ quantity: 1 }] }, /^lines\.0\.variantId: each line needs a variantId or a sku/],
      [{ ...BODY, lines: [{ variantId: VARIANT, quantity: 0 }] }, /^lines\.0\.quantity: must be at least 1/],
      ["{not json", /^body: not valid JSON/],
    ];
    for (const [body, message] of cases) {
      const res = await call(request("POST", sessionToken(), body));
      expect(res.status).toBe(400);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
  });

  it("offers the backup rates, in plain words, when nothing local can deliver", async () => {
    // More mugs than any node holds: no live option.
    const res = await call(request("POST", sessionToken(), { ...BODY, lines: [{ variantId: VARIANT, quantity: 900 }] }));
    const promise = (await res.json()) as DeliveryPromise;
    expect(promise.status).toBe("backup");
    expect(promise.options).toEqual([]);
    expect(promise.message).toBe("No local delivery reaches this address for these items; our standard rates apply.");
    expect(promise.backupRates).toEqual([
      expect.objectContaining({ name: "Standard shipping", price: { amountMinor: 899, currency: "USD", formatted: "$8.99" }, transit: "3–7 business days" }),
    ]);
    expect(parsePromise(promise)).not.toBeNull();

    // An address that cannot be placed (outside the US, no ZIP centroid) still gets what needs no
    // location: pickup, said as such.
    const abroad = await call(request("POST", sessionToken(), { ...BODY, destination: { country: "CA", postalCode: "M5V 2T6" } }));
    const p2 = (await abroad.json()) as DeliveryPromise;
    expect(p2.placed).toBe("unplaced");
    expect(p2.options.map((o) => [o.service, o.title])).toEqual([["PICKUP", "Pickup at Brooklyn hub"]]);
    expect(p2.options[0].arrives.text).toMatch(/^Ready today from \d{1,2}(:\d\d)? (am|pm)$/);
    expect(p2.options[0].carriedBy).toBeNull();
  });
});

describe("buildPromise without live options", () => {
  const quote = (over: Record<string, unknown>) =>
    buildPromise(
      {
        result: { currency: "USD", quotedAt: NOW.getTime(), options: [], excluded: [], reasons: [] },
        destination: { country: "US", postalCode: "11211", latitude: 40.71, longitude: -73.95 },
        placed: "coordinates",
        fallbackUsed: true,
        fallbackReason: "the live quote took 612.0 ms, over the 400 ms budget",
        backupRates: [
          { serviceName: "Standard shipping", serviceCode: "NH:BACKUP:STANDARD", description: "", priceMinor: 899, freeOverMinor: 5000, transitDaysMin: 3, transitDaysMax: 7 },
          { serviceName: "Express", serviceCode: "NH:BACKUP:EXPRESS", description: "", priceMinor: 1999, freeOverMinor: null, transitDaysMin: 1, transitDaysMax: 1 },
        ],
        durationMs: 612,
        unknownLines: [],
        subtotalMinor: 6000,
        timezone: "America/New_York",
        backupCalendar: null,
        ...over,
      },
      new Map(),
      { now: NOW },
    );

  it("says live times are unavailable when quoting could not answer in time, and prices backup rates as checkout does", () => {
    const p = quote({});
    expect(p.status).toBe("backup");
    expect(p.message).toBe("Live delivery times are not available right now; our standard rates apply.");
    // Free over $50.00 with a $60.00 cart, as the carrier service charges it.
    expect(p.backupRates.map((r) => [r.name, r.price.formatted, r.transit])).toEqual([
      ["Standard shipping", "$0.00", "3–7 business days"],
      ["Express", "$19.99", "1 business day"],
    ]);
    expect(p.notes).toEqual([]);
  });

  it("formats money in the shopper's locale", () => {
    const p = buildPromise(
      {
        result: { currency: "EUR", quotedAt: NOW.getTime(), options: [], excluded: [], reasons: [] },
        destination: { country: "DE", postalCode: "10115" },
        placed: "unplaced",
        fallbackUsed: false,
        fallbackReason: null,
        backupRates: [{ serviceName: "Standard", serviceCode: "S", description: "", priceMinor: 1234, freeOverMinor: null, transitDaysMin: 2, transitDaysMax: 4 }],
        durationMs: 1,
        unknownLines: [],
        subtotalMinor: 0,
        timezone: "Europe/Berlin",
        backupCalendar: null,
      },
      new Map(),
      { now: NOW, locale: "de-DE" },
    );
    expect(p.backupRates[0].price.formatted).toBe("12,34\u00a0€");
    expect(p.message).toMatch(/^We couldn't place this address on the map/);
  });
});
