// Shopify's CarrierService callback, driven the way Shopify drives it: real signed requests (raw
// body, X-Shopify-Hmac-Sha256, X-Shopify-Shop-Domain, X-Shopify-Timeout) to the real route
// action, against the demo marketplace seeded into this file's own database.
//
// The clock: Tuesday 10 June 2025, 11:00 in New York (15:00Z), before the Brooklyn hub's 14:00
// same-day cut-off. Only Date is faked; timers and performance.now stay real, so time budgets do too.
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { action } from "~/routes/api.carrier-service.rates";
import { setNodeStatus } from "~/services/network.server";
import { flushQuoteLogs, invalidateQuoteCache } from "~/services/quotes.server";
import { seedDemoMarketplace, DEMO_SHOP_DOMAIN } from "../../prisma/seed/demo";
import { makeShop } from "../support/factories";
import { freshQuoteState, restoreQuoteState } from "../support/quote-state";
import { sign } from "../support/shopify";

const NOW = new Date("2025-06-10T15:00:00Z");
const PATH = "/api/carrier-service/rates";

type Action = (args: { request: Request; params: object; context: object }) => Promise<Response>;

interface ShopifyRate {
  service_name: string;
  service_code: string;
  total_price: string;
  currency: string;
  description: string;
  min_delivery_date: string;
  max_delivery_date: string;
  phone_required?: boolean;
}

function fixtureText(name: string): string {
  return readFileSync(path.join(__dirname, "../fixtures/carrier-service", name), "utf8");
}

function rateRequest(
  body: unknown,
  opts: { shop?: string; hmac?: string | null; timeout?: string | null; secret?: string } = {},
): Request {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": "Ruby",
    "X-Shopify-Shop-Domain": opts.shop ?? DEMO_SHOP_DOMAIN,
  };
  const hmac = opts.hmac === undefined ? sign(raw, opts.secret) : opts.hmac;
  if (hmac !== null) headers["X-Shopify-Hmac-Sha256"] = hmac;
  const timeout = opts.timeout === undefined ? "10000" : opts.timeout;
  if (timeout !== null) headers["X-Shopify-Timeout"] = timeout;
  return new Request(`http://127.0.0.1:3000${PATH}`, { method: "POST", body: raw, headers });
}

async function post(body: unknown, opts: Parameters<typeof rateRequest>[1] = {}) {
  const res = await (action as unknown as Action)({ request: rateRequest(body, opts), params: {}, context: {} });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as { rates?: ShopifyRate[]; error?: string } };
}

const codes = (rates: ShopifyRate[] | undefined) => (rates ?? []).map((r) => r.service_code);
const SHOPIFY_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [-+]\d{4}$/;

/** "2013-04-12 14:48:45 -0400" → UTC ms. */
function instant(shopifyDate: string): number {
  const [date, time, zone] = shopifyDate.split(" ");
  return Date.parse(`${date}T${time}${zone.slice(0, 3)}:${zone.slice(3)}`);
}

function expectWellFormed(rates: ShopifyRate[]) {
  for (const r of rates) {
    expect(r.total_price).toMatch(/^\d+$/);
    expect(r.currency).toBe("USD");
    expect(r.service_name.length).toBeGreaterThan(0);
    expect(r.service_code.length).toBeGreaterThan(0);
    expect(r.min_delivery_date).toMatch(SHOPIFY_DATE);
    expect(r.max_delivery_date).toMatch(SHOPIFY_DATE);
    expect(instant(r.min_delivery_date)).toBeLessThanOrEqual(instant(r.max_delivery_date));
  }
}

let shopId: string;
let bkHubId: string;

async function setStock(handle: string, sku: string, available: number) {
  const node = await db.node.findFirstOrThrow({ where: { shopId, handle } });
  const product = await db.product.findFirstOrThrow({ where: { shopId, sku } });
  await db.stockLevel.upsert({
    where: { nodeId_productId: { nodeId: node.id, productId: product.id } },
    create: { shopId, nodeId: node.id, productId: product.id, available },
    update: { available },
  });
}

beforeAll(async () => {
  ({ shopId } = await seedDemoMarketplace(db, { now: NOW, orderDays: 30 }));
  bkHubId = (await db.node.findFirstOrThrow({ where: { shopId, handle: "nyc-bk-hub" } })).id;
  // The fixtures' cart, stocked where the test needs it (whatever the generated demand was).
  for (const sku of ["KK-MUG-SPK-12", "PM-PIN-BCT-ENM"]) {
    await setStock("nyc-bk-hub", sku, 20);
    await setStock("nj-secaucus-dc", sku, 200);
  }
}, 60_000);

beforeEach(() => freshQuoteState(NOW));
afterEach(restoreQuoteState);

afterAll(() => vi.useRealTimers());

describe("authentication and shop", () => {
  it("answers 401 to a missing, forged or differently-signed HMAC, and logs nothing", async () => {
    const body = fixtureText("rate-request.json");
    for (const opts of [{ hmac: null }, { hmac: "bm90IHRoZSBzaWduYXR1cmU=" }, { secret: "another-apps-secret" }, { hmac: "" }]) {
      const res = await post(body, opts);
      expect(res.status).toBe(401);
      expect(res.json.rates).toBeUndefined();
    }
    // Signed over other bytes than those sent (a re-serialised body does not verify).
    const reserialised = JSON.stringify(JSON.parse(body));
    const res = await (action as unknown as Action)({
      request: rateRequest(body, { hmac: sign(reserialised + " ") }),
      params: {},
      context: {},
    });
    expect(res.status).toBe(401);
    await flushQuoteLogs();
    expect(await db.quoteLog.count()).toBe(0);
  });

  it("answers an unknown or uninstalled shop 200 with no rates", async () => {
    const body = fixtureText("rate-request.json");
    const unknown = await post(body, { shop: "never-installed.myshopify.com" });
    expect(unknown).toMatchObject({ status: 200, json: { rates: [] } });

    const gone = await makeShop(db, "gone-shop.myshopify.com");
    await db.shop.update({ where: { id: gone.id }, data: { uninstalledAt: new Date() } });
    expect((await post(body, { shop: gone.domain })).json).toEqual({ rates: [] });
  });
});

describe("bodies that are not rate requests", () => {
  it("answers 400 naming the problem", async () => {
    const notJson = await post("rate=1&items=2");
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toBe("body: not valid JSON");

    const notRate = await post({ order: { id: 1 } });
    expect(notRate.status).toBe(400);
    expect(notRate.json.error).toMatch(/^rate: /);

    const request = JSON.parse(fixtureText("rate-request.json"));
    request.rate.items[0].quantity = "two";
    const badItem = await post(request);
    expect(badItem.status).toBe(400);
    expect(badItem.json.error).toMatch(/^rate\.items\.0\.quantity: /);

    const noCountry = JSON.parse(fixtureText("rate-request.json"));
    delete noCountry.rate.destination.country;
    expect((await post(noCountry)).json.error).toMatch(/^rate\.destination\.country: /);

    const badPrice = JSON.parse(fixtureText("rate-request.json"));
    badPrice.rate.items[1].price = "twelve dollars";
    expect((await post(badPrice)).json.error).toMatch(/^rate\.items\.1\.price: /);
  });
});

describe("a Shopify rate request for a Williamsburg address before the cut-off", () => {
  it("offers same day from the Brooklyn hub and standard from the warehouse, in Shopify's format", async () => {
    const res = await post(fixtureText("rate-request.json"));
    expect(res.status).toBe(200);
    const rates = res.json.rates!;
    expectWellFormed(rates);
    const byCode = new Map(rates.map((r) => [r.service_code, r]));

    const sameDay = byCode.get("NH:nyc-bk-hub:SAME_DAY")!;
    expect(sameDay).toBeDefined();
    expect(sameDay.service_name).toBe("Same-day delivery");
    expect(sameDay.description).toMatch(/^Today by .* from the Williamsburg Micro-hub$/);
    // Delivered today, New York time (EDT in June).
    expect(sameDay.max_delivery_date).toMatch(/^2025-06-10 \d\d:\d\d:\d\d -0400$/);
    expect(sameDay.phone_required).toBe(true);

    const standard = byCode.get("NH:nj-secaucus-dc:STANDARD")!;
    expect(standard).toBeDefined();
    expect(standard.service_name).toBe("Standard shipping");
    expect(standard.total_price).toBe("0"); // 2 × $38 + $12 = $88 of goods: over the demo's $75 free-standard threshold
    expect(instant(standard.min_delivery_date)).toBeGreaterThan(NOW.getTime());
    // One rate per service name (Shopify merges equal names), pickup per node.
    const names = rates.map((r) => r.service_name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("quotes the same prices when item prices come as decimal strings, placing the address by its ZIP", async () => {
    const cents = (await post(fixtureText("rate-request.json"))).json.rates!;
    const decimals = await post(fixtureText("rate-request-decimal-prices.json"));
    expect(decimals.status).toBe(200);
    expectWellFormed(decimals.json.rates!);
    const price = (rates: ShopifyRate[], code: string) => rates.find((r) => r.service_code === code)?.total_price;
    // Same-day needs coordinates: it is offered because the ZIP's centroid placed the address.
    expect(price(decimals.json.rates!, "NH:nyc-bk-hub:SAME_DAY")).toBeDefined();
    // "38.00" is $38 (not 38 cents): the same $88 subtotal, so standard is free here too.
    expect(price(cents, "NH:nj-secaucus-dc:STANDARD")).toBe("0");
    expect(price(decimals.json.rates!, "NH:nj-secaucus-dc:STANDARD")).toBe("0");
  });

  it("writes a quote log off the hot path, with the placement and the options", async () => {
    await post(fixtureText("rate-request-decimal-prices.json"));
    await flushQuoteLogs();
    const logs = await db.quoteLog.findMany({ where: { shopId } });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ source: "CARRIER_SERVICE", fallbackUsed: false });
    expect(JSON.parse(logs[0].destinationJson)).toMatchObject({ postalCode: "11211", placed: "postal_code" });
    const result = JSON.parse(logs[0].resultJson);
    expect(result.options.map((o: { serviceCode: string }) => o.serviceCode)).toContain("NH:nyc-bk-hub:SAME_DAY");
    expect(result.options[0].cost.components.length).toBeGreaterThan(0);
  });
});

describe("addresses and carts at the edges", () => {
  it("gives an address it cannot place the options that need no location, with 200", async () => {
    const res = await post(fixtureText("rate-request-changelog-example.json"));
    expect(res.status).toBe(200);
    const rates = res.json.rates!;
    expect(rates.length).toBeGreaterThan(0);
    expectWellFormed(rates);
    // Ottawa: no coordinates, no US ZIP, an unknown SKU. Couriers and robots need a location.
    for (const code of codes(rates)) expect(code).not.toMatch(/:(SAME_DAY|NEXT_DAY|AUTONOMOUS)$/);
  });

  it("answers a cart of 120 lines", async () => {
    const request = JSON.parse(fixtureText("rate-request.json"));
    const skus = (await db.product.findMany({ where: { shopId }, select: { sku: true }, orderBy: { sku: "asc" } })).map((p) => p.sku);
    request.rate.items = Array.from({ length: 120 }, (_, i) => ({
      ...request.rate.items[0],
      sku: i % 10 === 9 ? `MARKETPLACE-EXTRA-${i}` : skus[i % skus.length],
      quantity: 1 + (i % 3),
      price: 500 + i * 10,
      grams: 100 + i,
    }));
    const res = await post(request);
    expect(res.status).toBe(200);
    expect(res.json.rates!.length).toBeGreaterThan(0);
    expectWellFormed(res.json.rates!);
  });

  it("drops lines that need no shipping: a gift card alone gets no rates", async () => {
    const request = JSON.parse(fixtureText("rate-request.json"));
    request.rate.items = [request.rate.items[2]];
    expect((await post(request)).json).toEqual({ rates: [] });
  });
});

describe("failure behind the quote", () => {
  it("answers the merchant's backup rates when the stored configuration is broken", async () => {
    const before = await db.shippingSettings.findUniqueOrThrow({ where: { shopId } });
    await db.shippingSettings.update({ where: { shopId }, data: { configJson: '{"rateCards":"not a list"}', version: { increment: 1 } } });
    try {
      invalidateQuoteCache(shopId);
      const res = await post(fixtureText("rate-request.json"));
      expect(res.status).toBe(200);
      expect(codes(res.json.rates)).toEqual(["NH:BACKUP:STANDARD", "NH:BACKUP:EXPRESS"]);
      expectWellFormed(res.json.rates!);
      // $88 of goods: over the demo's $75 free-standard threshold.
      expect(res.json.rates![0].total_price).toBe("0");
      await flushQuoteLogs();
      const log = await db.quoteLog.findFirstOrThrow({ where: { shopId } });
      expect(log.fallbackUsed).toBe(true);
      expect(JSON.parse(log.resultJson).fallbackReason).toMatch(/rateCards/);
    } finally {
      await db.shippingSettings.update({ where: { shopId }, data: { configJson: before.configJson, version: { increment: 1 } } });
      invalidateQuoteCache(shopId);
    }
  });

  it("answers backup rates when Shopify's timeout leaves no time to quote", async () => {
    const res = await post(fixtureText("rate-request.json"), { timeout: "1" });
    expect(res.status).toBe(200);
    expect(codes(res.json.rates)).toEqual(["NH:BACKUP:STANDARD", "NH:BACKUP:EXPRESS"]);
    // With time to answer, the next request quotes live (the load that timed out filled the cache).
    expect(codes((await post(fixtureText("rate-request.json"))).json.rates)).toContain("NH:nyc-bk-hub:SAME_DAY");
  });
});

describe("the cached network", () => {
  it("stops offering a node as soon as it is disabled", async () => {
    expect(codes((await post(fixtureText("rate-request.json"))).json.rates)).toContain("NH:nyc-bk-hub:SAME_DAY");
    await setNodeStatus(shopId, bkHubId, "DISABLED");
    try {
      const after = codes((await post(fixtureText("rate-request.json"))).json.rates);
      expect(after.filter((c) => c.startsWith("NH:nyc-bk-hub:"))).toEqual([]);
      expect(after).toContain("NH:nj-secaucus-dc:STANDARD");
    } finally {
      await setNodeStatus(shopId, bkHubId, "ACTIVE");
    }
  });

  it("serves from memory, and sees a stock change made elsewhere once the snapshot's TTL has passed", async () => {
    expect(codes((await post(fixtureText("rate-request.json"))).json.rates)).toContain("NH:nyc-bk-hub:SAME_DAY");
    await setStock("nyc-bk-hub", "KK-MUG-SPK-12", 0); // straight to the database, as another process would
    try {
      // Still the cached snapshot: no query per rate request.
      expect(codes((await post(fixtureText("rate-request.json"))).json.rates)).toContain("NH:nyc-bk-hub:SAME_DAY");
      vi.setSystemTime(NOW.getTime() + 31_000);
      const after = codes((await post(fixtureText("rate-request.json"))).json.rates);
      expect(after).not.toContain("NH:nyc-bk-hub:SAME_DAY");
      expect(after).toContain("NH:nj-secaucus-dc:STANDARD");
    } finally {
      await setStock("nyc-bk-hub", "KK-MUG-SPK-12", 20);
    }
  });
});

describe("property: random carts and addresses through parse and quote", () => {
  it("never gives a negative, NaN or missing total_price, nor a non-200", async () => {
    const skus = (await db.product.findMany({ where: { shopId }, select: { sku: true, shopifyVariantId: true } }));
    const item = fc.record({
      pick: fc.nat({ max: skus.length + 3 }),
      quantity: fc.integer({ min: 0, max: 40 }),
      cents: fc.integer({ min: 0, max: 500_000 }),
      asString: fc.boolean(),
      grams: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40_000 })),
      requiresShipping: fc.boolean(),
      byVariant: fc.boolean(),
    });
    const address = fc.record({
      country: fc.constantFrom("US", "US", "US", "CA", "GB"),
      zip: fc.constantFrom("11211", "10001", "78702", "94110", "99501", "00000", "K2P0V6", "", "11211-4321"),
      coords: fc.option(fc.record({ lat: fc.double({ min: 24, max: 49, noNaN: true }), lng: fc.double({ min: -125, max: -66, noNaN: true }) })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 12 }), address, async (items, dest) => {
        const body = {
          rate: {
            origin: { country: "US", postal_code: "07094" },
            destination: {
              country: dest.country,
              postal_code: dest.zip || null,
              latitude: dest.coords?.lat ?? null,
              longitude: dest.coords?.lng ?? null,
            },
            items: items.map((i) => {
              const p = skus[i.pick];
              return {
                name: "item",
                sku: p ? (i.byVariant ? null : p.sku) : `UNKNOWN-${i.pick}`,
                variant_id: p && i.byVariant ? Number(p.shopifyVariantId!.split("/").pop()) : null,
                quantity: i.quantity,
                grams: i.grams,
                price: i.asString ? (i.cents / 100).toFixed(2) : i.cents,
                requires_shipping: i.requiresShipping,
              };
            }),
            currency: "USD",
            locale: "en",
          },
        };
        const res = await post(body);
        expect(res.status).toBe(200);
        for (const r of res.json.rates!) {
          expect(r.total_price).toMatch(/^\d+$/);
          expect(Number.isSafeInteger(Number(r.total_price))).toBe(true);
          expect(r.min_delivery_date).toMatch(SHOPIFY_DATE);
          expect(r.max_delivery_date).toMatch(SHOPIFY_DATE);
        }
      }),
      { numRuns: 150, seed: 20250610 },
    );
  }, 60_000);
});
