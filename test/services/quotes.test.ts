// The quote service (quoteForShop) on the demo marketplace in this file's own database: cart
// matching, geocoding, the time budget and backup rates, the cached network and its freshness,
// quote logs, and the offers checkout shows.
//
// Date is faked at Tuesday 10 June 2025, 11:00 New York time; timers and performance.now are real.
// The quote cache's clock is that Date: a test moves it with vi.setSystemTime, and waits for the
// cache's background work with quoteSnapshots.idle(), never a sleep.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { saveQuoteConfig } from "~/services/shipping-settings.server";
import { checkoutOffers } from "~/core/quoting";
import {
  flushQuoteLogs,
  invalidateQuoteCache,
  quoteForShop,
  shopifyDate,
  type QuoteCartLineInput,
  type QuoteDestinationInput,
  type QuoteSource,
} from "~/services/quotes.server";
import { cellOf, sizeClassOf, windowStartOf } from "~/services/courier-quotes.server";
import { geocode, usZip5 } from "~/services/geocode.server";
import { createQuoteSnapshotCache, quoteSnapshots, type SnapshotResult } from "~/services/quote-snapshot.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { manualClock } from "../support/clock";
import { freshQuoteState, restoreQuoteState } from "../support/quote-state";

const NOW = new Date("2025-06-10T15:00:00Z");
const WILLIAMSBURG: QuoteDestinationInput = { country: "US", postalCode: "11211", latitude: 40.7181, longitude: -73.9571 };
const MUG = "KK-MUG-SPK-12";

let shop: { id: string; currency: string };

const quote = (
  lines: QuoteCartLineInput[],
  destination: QuoteDestinationInput = WILLIAMSBURG,
  opts: { source?: QuoteSource; budgetMs?: number; log?: boolean } = {},
) => quoteForShop(shop, { lines, destination }, { source: opts.source ?? "SIMULATOR", now: NOW, budgetMs: opts.budgetMs, log: "log" in opts ? opts.log : false });

const nodesOf = (q: Awaited<ReturnType<typeof quote>>) => [...new Set(q.result.options.map((o) => o.nodeHandle))].sort();

beforeAll(async () => {
  const seeded = await seedDemoMarketplace(db, { now: NOW, orderDays: 30 });
  shop = { id: seeded.shopId, currency: "USD" };
  const bk = await db.node.findFirstOrThrow({ where: { shopId: shop.id, handle: "nyc-bk-hub" } });
  const mug = await db.product.findFirstOrThrow({ where: { shopId: shop.id, sku: MUG } });
  await db.stockLevel.upsert({
    where: { nodeId_productId: { nodeId: bk.id, productId: mug.id } },
    create: { shopId: shop.id, nodeId: bk.id, productId: mug.id, available: 20 },
    update: { available: 20 },
  });
}, 60_000);

beforeEach(() => freshQuoteState(NOW));
afterEach(restoreQuoteState);

describe("cart lines", () => {
  it("matches by SKU and by Shopify variant id (gid or bare number), merging lines of one product", async () => {
    const mug = await db.product.findFirstOrThrow({ where: { shopId: shop.id, sku: MUG } });
    const bare = mug.shopifyVariantId!.split("/").pop()!;
    const q = await quote([
      { sku: MUG, quantity: 1, unitPriceMinor: 3800 },
      { variantId: bare, quantity: 1, unitPriceMinor: 3800 },
      { variantId: mug.shopifyVariantId!, sku: "SOMETHING-ELSE", quantity: 1, unitPriceMinor: 3800 },
    ]);
    expect(q.unknownLines).toEqual([]);
    expect(q.subtotalMinor).toBe(11_400);
    const sameDay = q.result.options.find((o) => o.serviceCode === "NH:nyc-bk-hub:SAME_DAY")!;
    // One line of three mugs: the expected-returns detail names the SKU once, with its quantity and return rate.
    expect(sameDay.cost.components.find((c) => c.code === "expected_returns")!.detail).toMatch(/^KK-MUG-SPK-12: 3 × 6% × \$\d+\.\d\d \(/);
  });

  it("drops lines that need no shipping or have no quantity", async () => {
    const q = await quote([
      { sku: "GIFT-CARD", quantity: 1, unitPriceMinor: 2500, requiresShipping: false },
      { sku: MUG, quantity: 0 },
    ]);
    expect(q.fallbackUsed).toBe(false);
    expect(q.result.options).toEqual([]);
    expect(q.result.reasons).toEqual(["no line of the cart needs shipping"]);
    expect(q.unknownLines).toEqual([]);
  });

  it("prices an unknown SKU from its grams, lists it, and ships it from the central warehouse only", async () => {
    const light = await quote([{ sku: "CONSIGNMENT-1", quantity: 1, unitPriceMinor: 1000, grams: 400 }]);
    const heavy = await quote([{ sku: "CONSIGNMENT-1", quantity: 1, unitPriceMinor: 1000, grams: 20_000 }]);
    expect(light.unknownLines).toEqual(["CONSIGNMENT-1"]);
    expect(nodesOf(light)).toEqual(["nj-secaucus-dc"]);
    expect(light.result.reasons.join(" ")).toMatch(/1 item not in the catalogue \(CONSIGNMENT-1\)/);
    const freight = (q: typeof light) =>
      q.result.options.find((o) => o.service === "STANDARD")!.cost.components.find((c) => c.code === "carrier_freight")!.amountMinor;
    expect(freight(heavy)).toBeGreaterThan(freight(light));
    // A known mug with it: only the warehouse holds both.
    const mixed = await quote([{ sku: MUG, quantity: 1 }, { sku: "CONSIGNMENT-1", quantity: 1, grams: 400 }]);
    expect(nodesOf(mixed)).toEqual(["nj-secaucus-dc"]);
    expect(mixed.result.excluded.find((e) => e.nodeHandle === "nyc-bk-hub")!.reasons[0]).toMatchObject({ code: "NO_STOCK" });
  });
});

describe("placing the address", () => {
  it("uses coordinates, else a US ZIP's centroid (ZIP+4 too), else nothing", () => {
    expect(geocode(WILLIAMSBURG).placed).toBe("coordinates");
    const byZip = geocode({ country: "us", postalCode: "11211-4321" });
    expect(byZip.placed).toBe("postal_code");
    expect(byZip.destination).toMatchObject({ country: "US", latitude: 40.7095, longitude: -73.9563 });
    expect(geocode({ country: "US", postalCode: "00000" }).placed).toBe("unplaced");
    expect(geocode({ country: "CA", postalCode: "K2P0V6" }).placed).toBe("unplaced");
    expect(geocode({ country: "US", postalCode: null, latitude: 0, longitude: 0 }).placed).toBe("unplaced");
    expect([usZip5(" 78702 "), usZip5("787"), usZip5("78702 1234")]).toEqual(["78702", null, "78702"]);
  });

  it("quotes same day to a ZIP-only address and location-free options to one it cannot place", async () => {
    const zipOnly = await quote([{ sku: MUG, quantity: 1 }], { country: "US", postalCode: "11211" });
    expect(zipOnly.placed).toBe("postal_code");
    expect(zipOnly.result.reasons[0]).toBe("address placed at the centroid of ZIP 11211");
    expect(zipOnly.result.options.map((o) => o.serviceCode)).toContain("NH:nyc-bk-hub:SAME_DAY");

    const nowhere = await quote([{ sku: MUG, quantity: 1 }], { country: "US", postalCode: "00000", city: "Nowhere" });
    expect(nowhere.placed).toBe("unplaced");
    expect(nowhere.fallbackUsed).toBe(false);
    const services = new Set(nowhere.result.options.map((o) => o.service));
    expect(services.has("SAME_DAY") || services.has("NEXT_DAY") || services.has("AUTONOMOUS")).toBe(false);
    // The postal-prefix card needs no coordinates: standard is still offered.
    expect(nowhere.result.options.some((o) => o.serviceCode === "NH:nj-secaucus-dc:STANDARD")).toBe(true);
  });
});

describe("budget and backup rates", () => {
  it("answers the shop's backup rates when the budget is exceeded", async () => {
    await quote([{ sku: MUG, quantity: 1 }]); // warm: the budget below is not spent loading
    const q = await quote([{ sku: MUG, quantity: 1, unitPriceMinor: 3800 }], WILLIAMSBURG, { budgetMs: 0 });
    expect(q.fallbackUsed).toBe(true);
    expect(q.fallbackReason).toMatch(/over the 0 ms budget/);
    expect(q.result.options).toEqual([]);
    expect(q.backupRates.map((r) => r.serviceCode)).toEqual(["NH:BACKUP:STANDARD", "NH:BACKUP:EXPRESS"]);
    const offers = checkoutOffers(q, NOW.getTime());
    expect(offers.map((o) => [o.serviceCode, o.priceMinor])).toEqual([
      ["NH:BACKUP:STANDARD", 899],
      ["NH:BACKUP:EXPRESS", 2499],
    ]);
  });

  it("answers backup rates when the network cannot be loaded in time, then quotes live once it is", async () => {
    const cold = await quote([{ sku: MUG, quantity: 1 }], WILLIAMSBURG, { budgetMs: 0 });
    expect(cold.fallbackUsed).toBe(true);
    expect(cold.fallbackReason).toMatch(/^live quoting unavailable: no time left for loading the shop's network/);
    await quoteSnapshots.idle(); // the load it started finishes in the background…
    expect(quoteSnapshots.cachedSnapshot(shop)).toMatchObject({ ok: true }); // …and fills the cache
    const warm = await quote([{ sku: MUG, quantity: 1 }]);
    expect(warm.fallbackUsed).toBe(false);
  });

  it("answers backup rates with the reason when the stored configuration no longer parses, and recovers on save", async () => {
    const { configJson } = await db.shippingSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    await db.shippingSettings.update({
      where: { shopId: shop.id },
      data: { configJson: JSON.stringify({ pricingRules: [{ code: "NO_SUCH_RULE" }] }), version: { increment: 1 } },
    });
    invalidateQuoteCache(shop.id);
    const broken = await quote([{ sku: MUG, quantity: 1 }]);
    expect(broken.fallbackUsed).toBe(true);
    expect(broken.fallbackReason).toMatch(/unknown pricing rule "NO_SUCH_RULE"/);
    expect(broken.backupRates[0].serviceCode).toBe("NH:BACKUP:STANDARD"); // the shop's, read without the config
    await saveQuoteConfig(shop.id, JSON.parse(configJson));
    expect((await quote([{ sku: MUG, quantity: 1 }])).fallbackUsed).toBe(false);
  });

  it("answers backup rates when no node can serve the address", async () => {
    const london = await quote([{ sku: MUG, quantity: 1 }], { country: "GB", postalCode: "E1 6AN", latitude: 51.52, longitude: -0.07 });
    expect(london.fallbackUsed).toBe(true);
    expect(london.fallbackReason).toMatch(/^no live option for this cart and address \(excluded: /);
    expect(london.result.excluded.length).toBeGreaterThan(0);
  });
});

describe("the cached network", () => {
  it("picks up a settings change saved by another process at its next version check", async () => {
    const price = async () => (await quote([{ sku: MUG, quantity: 1 }])).result.options.find((o) => o.service === "STANDARD")!.priceMinor;
    const before = await price();
    const row = await db.shippingSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    const config = JSON.parse(row.configJson);
    config.pricingRules = [{ code: "MARGIN_PERCENT", args: { percent: 200 } }];
    // Straight to the database, as another app process would save it (moving the shop's configuration version).
    await db.shippingSettings.update({ where: { shopId: shop.id }, data: { configJson: JSON.stringify(config), version: { increment: 1 } } });
    await db.shop.update({ where: { id: shop.id }, data: { configVersion: { increment: 1 } } });
    try {
      expect(await price()).toBe(before); // not re-read per quote
      await quoteSnapshots.idle();
      expect(await price()).toBe(before); // nor checked before its 3 s
      vi.setSystemTime(NOW.getTime() + quoteSnapshots.timing.versionCheckMs);
      expect(await price()).toBe(before); // answered from memory; starts the background version check
      await quoteSnapshots.idle();
      expect(await price()).toBeGreaterThan(before * 2);
    } finally {
      await db.shippingSettings.update({ where: { shopId: shop.id }, data: { configJson: row.configJson, version: { increment: 1 } } });
    }
  });
});

describe("a quote cache of its own (its clock, its timings)", () => {
  it("answers from memory, reloads in the background within refreshAheadMs of its TTL, and not before; nothing at the TTL", async () => {
    const clock = manualClock(NOW.getTime());
    const cache = createQuoteSnapshotCache({ clock, timing: { ttlMs: 10_000, refreshAheadMs: 2_000, versionCheckMs: 60_000 } });
    const snapshotOf = (r: SnapshotResult | null) => (r?.ok ? r.snapshot : null);
    expect(cache.cachedSnapshot(shop)).toBeNull();
    const first = snapshotOf(await cache.loadSnapshot(shop));
    expect(first).not.toBeNull();
    clock.advance(7_999);
    expect(snapshotOf(cache.cachedSnapshot(shop))).toBe(first);
    await cache.idle();
    expect(snapshotOf(cache.cachedSnapshot(shop))).toBe(first); // no reload was started
    clock.advance(1); // 8 s: within 2 s of the TTL
    expect(snapshotOf(cache.cachedSnapshot(shop))).toBe(first); // still answered from memory, a reload started
    await cache.idle();
    const reloaded = snapshotOf(cache.cachedSnapshot(shop));
    expect(reloaded).not.toBeNull();
    expect(reloaded).not.toBe(first);
    clock.advance(10_000); // the TTL, counted from the reload
    expect(cache.cachedSnapshot(shop)).toBeNull();
  });

  it("is what a quote reads when it is given one, leaving the process's cache alone", async () => {
    const cache = createQuoteSnapshotCache({ clock: manualClock(NOW.getTime()) });
    const q = await quoteForShop(shop, { lines: [{ sku: MUG, quantity: 1 }], destination: WILLIAMSBURG }, { source: "SIMULATOR", now: NOW, log: false, snapshots: cache });
    expect(q.fallbackUsed).toBe(false);
    expect(cache.cachedSnapshot(shop)).toMatchObject({ ok: true });
    expect(quoteSnapshots.cachedSnapshot(shop)).toBeNull();
  });
});

describe("courier fees quoted ahead", () => {
  it("prices a courier with a quote provider from its fresh prefetched quote", async () => {
    const row = await db.shippingSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    const config = JSON.parse(row.configJson);
    config.couriers[0].quoteProvider = { code: "DOORDASH_DRIVE" };
    await saveQuoteConfig(shop.id, config);
    try {
      const estimated = (await quote([{ sku: MUG, quantity: 1 }])).result.options.find((o) => o.serviceCode === "NH:nyc-bk-hub:SAME_DAY")!;
      expect(estimated.cost.components.map((c) => c.code)).toContain("courier_base");
      // The hub's same-day order leaves at 11:25 New York time (10 June, 25 min preparation).
      const bk = await db.node.findFirstOrThrow({ where: { shopId: shop.id, handle: "nyc-bk-hub" } });
      await db.courierQuote.create({
        data: {
          shopId: shop.id,
          nodeId: bk.id,
          provider: "DOORDASH_DRIVE",
          h3Cell: cellOf(WILLIAMSBURG.latitude!, WILLIAMSBURG.longitude!),
          sizeClass: sizeClassOf({ weightGrams: 520, volumeMm3: 150 * 130 * 130, longestSideMm: 150 }),
          windowStart: new Date(windowStartOf(Date.parse("2025-06-10T15:25:00Z"))),
          feeMinor: 777,
          currency: "USD",
          expiresAt: new Date("2025-06-10T15:20:00Z"),
          fetchedAt: new Date("2025-06-10T14:58:00Z"),
        },
      });
      invalidateQuoteCache(shop.id); // as a node or settings save would: courier quotes are read again with the network
      const quoted = (await quote([{ sku: MUG, quantity: 1 }])).result.options.find((o) => o.serviceCode === "NH:nyc-bk-hub:SAME_DAY")!;
      expect(quoted.cost.components.find((c) => c.code === "courier_quote")).toMatchObject({ amountMinor: 777 });
    } finally {
      await db.courierQuote.deleteMany({ where: { shopId: shop.id } });
      await saveQuoteConfig(shop.id, JSON.parse(row.configJson));
    }
  });
});

describe("quote logs", () => {
  it("logs every open API quote, samples checkout quotes, and honours log: false / true", async () => {
    await quote([{ sku: MUG, quantity: 1 }], WILLIAMSBURG, { source: "OPEN_API", log: undefined });
    await quote([{ sku: MUG, quantity: 2 }], WILLIAMSBURG, { source: "OPEN_API", log: undefined });
    for (let i = 0; i < 3; i++) await quote([{ sku: MUG, quantity: 1 }], WILLIAMSBURG, { source: "CARRIER_SERVICE", log: undefined });
    await quote([{ sku: MUG, quantity: 1 }], WILLIAMSBURG, { source: "CARRIER_SERVICE", log: true });
    await quote([{ sku: MUG, quantity: 1 }], WILLIAMSBURG, { source: "OPEN_API", log: false });
    expect(await db.quoteLog.count()).toBe(0); // nothing written on the quote's path
    await flushQuoteLogs();
    const logs = await db.quoteLog.findMany({ where: { shopId: shop.id }, orderBy: { createdAt: "asc" } });
    expect(logs.map((l) => l.source).sort()).toEqual(["CARRIER_SERVICE", "CARRIER_SERVICE", "OPEN_API", "OPEN_API"]);
    const destination = JSON.parse(logs[0].destinationJson);
    expect(destination).toEqual({ country: "US", postalCode: "11211", province: null, city: null, latitude: 40.718, longitude: -73.957, placed: "coordinates" });
    expect(JSON.parse(logs[0].cartJson).lines[0]).toMatchObject({ sku: MUG });
    expect(logs.every((l) => l.durationMs >= 0 && !l.fallbackUsed)).toBe(true);
  });
});

describe("what checkout shows", () => {
  it("offers one rate per service (the cheapest node) and pickup per node", async () => {
    const q = await quote([{ sku: MUG, quantity: 1, unitPriceMinor: 3800 }]);
    const offers = checkoutOffers(q, NOW.getTime());
    const keys = offers.map((o) => (o.service === "PICKUP" ? `PICKUP ${o.nodeHandle}` : o.service));
    expect(new Set(keys).size).toBe(keys.length);
    for (const o of offers) {
      const cheapest = Math.min(...q.result.options.filter((x) => x.service === o.service && (o.service !== "PICKUP" || x.nodeHandle === o.nodeHandle)).map((x) => x.priceMinor));
      expect(o.priceMinor).toBe(cheapest);
    }
    expect(offers.find((o) => o.service === "PICKUP")!.priceMinor).toBe(0); // the demo's pickup is free
  });

  it("formats dates as Shopify's example does, in the zone, with seconds and the offset", () => {
    expect(shopifyDate(Date.parse("2013-04-12T18:48:45Z"), "America/New_York")).toBe("2013-04-12 14:48:45 -0400");
    expect(shopifyDate(Date.parse("2025-01-15T17:05:09Z"), "America/Chicago")).toBe("2025-01-15 11:05:09 -0600");
    expect(shopifyDate(Date.parse("2025-01-15T17:05:09Z"), "Asia/Kolkata")).toBe("2025-01-15 22:35:09 +0530");
    expect(shopifyDate(Date.parse("2025-01-15T17:05:09Z"), "UTC")).toBe("2025-01-15 17:05:09 +0000");
  });
});
