// The courier quote prefetch job and the lookup, on a real database with a seeded shop, against the
// DoorDash Drive stand-in (MSW): which quotes it fetches, how it bounds and spreads its calls, that
// running it again or in parallel rewrites the same rows, that it pauses on 429 and stops on 401, and
// that the lookup hands the quote path fresh quotes only, which the core then prices with.
import { cellToLatLng } from "h3-js";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { quoteOptions } from "~/core/quoting";
import type { ProductProfile } from "~/core/network/types";
import {
  cellOf,
  courierQuoteLookup,
  createPrefetchState,
  prefetchCourierQuotes,
  type PrefetchOptions,
} from "~/services/courier-quotes.server";
import { toNetworkNode } from "~/services/network.server";
import { saveQuoteConfig } from "~/services/shipping-settings.server";
import { makeNode, makeOrder, makeProduct, makeShop } from "../support/factories";
import { resetDb, testDb } from "../support/db";
import { CREDENTIALS, DD_URL, doorDashFake, type DoorDashFake } from "./couriers/doordash-fake";

const db = testDb();
const NOW = Date.parse("2026-11-25T16:40:00Z"); // Wednesday 11:40 in New York
const MIN = 60_000;
const W1 = Date.parse("2026-11-25T17:00:00Z"); // 12:00 local: ordered at 11:40, ready 12:10 after 30 min preparation
const W2 = Date.parse("2026-11-25T17:15:00Z");

const HUB = { latitude: 40.7145, longitude: -73.9566 };
const PLACES = {
  A: [40.7181, -73.9571], // Williamsburg, 5 orders
  B: [40.7282, -73.9542], // Greenpoint, 3 orders
  C: [40.704, -73.942], // East Williamsburg, 2 orders
  D: [40.695, -73.96], // 1 order: too few
  E: [40.735, -73.99], // busy, but only 100 days ago
  BOSTON: [42.3493, -71.078], // outside the hub's area
} as const;
const CELL = { A: cellOf(...PLACES.A), B: cellOf(...PLACES.B), C: cellOf(...PLACES.C) };

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let clock = NOW;
let fake: DoorDashFake;
let shopId: string;
let otherShopId: string;
let hubId: string;
let product: { id: string; sku: string; title: string };

/** 975 cents + 75 per km from the hub, like Drive's distance-based fee. */
function feeByDistance(body: { dropoff_location?: { lat: number; lng: number } }): number {
  const p = body.dropoff_location!;
  const km = Math.hypot((p.lat - HUB.latitude) * 111.2, (p.lng - HUB.longitude) * 84.3);
  return 975 + Math.round(km * 75);
}

const EVERY_DAY = JSON.stringify(Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["08:00", "20:00"]]])));

function shopConfig(withProvider = true) {
  return {
    couriers: [
      {
        id: "dd", name: "DoorDash", baseMinor: 975, perKmMinor: 47, maxRoadDistanceM: 24_000,
        ...(withProvider ? { quoteProvider: { code: "DOORDASH_DRIVE", args: { contactPhone: "+12125550100" } } } : {}),
      },
    ],
  };
}

async function seedShop(withProvider: boolean) {
  const shop = await makeShop(db);
  const hub = await makeNode(db, shop.id, { ...HUB, address1: "1 Main St", openingHoursJson: EVERY_DAY, sameDayCutoff: "16:00", serviceRadiusM: 8000 });
  await makeNode(db, shop.id, { status: "DISABLED", openingHoursJson: EVERY_DAY });
  const p = await makeProduct(db, shop.id, { weightGrams: 400, lengthMm: 100, widthMm: 100, heightMm: 100 });
  const order = (place: readonly [number, number], totalMinor: number, placedAt = new Date(NOW - 10 * 86_400_000)) =>
    makeOrder(db, shop.id, p.id, { destLatitude: place[0], destLongitude: place[1], totalMinor, placedAt });
  for (const t of [3000, 3500, 4000, 4500, 9000]) await order(PLACES.A, t);
  for (const t of [2000, 2500, 2600]) await order(PLACES.B, t);
  for (const t of [5000, 7000]) await order(PLACES.C, t);
  await order(PLACES.D, 3000);
  for (let i = 0; i < 6; i++) await order(PLACES.E, 3000, new Date(NOW - 100 * 86_400_000));
  for (let i = 0; i < 6; i++) await order(PLACES.BOSTON, 3000);
  await saveQuoteConfig(shop.id, shopConfig(withProvider));
  return { shop, hub, product: p };
}

beforeEach(async () => {
  await resetDb();
  clock = NOW;
  fake = doorDashFake({ now: () => clock, fee: feeByDistance });
  server.use(...fake.handlers);
  const a = await seedShop(true);
  shopId = a.shop.id;
  hubId = a.hub.id;
  product = a.product;
  otherShopId = (await seedShop(false)).shop.id;
});

/** A run at `clock`, with test credentials and its own back-off state unless given. */
function run(over: PrefetchOptions = {}) {
  return prefetchCourierQuotes({ now: new Date(clock), deps: { doordash: CREDENTIALS, now: () => clock, timeoutMs: 2000 }, state: createPrefetchState(), ...over });
}

const rowsOf = (id: string) => db.courierQuote.findMany({ where: { shopId: id }, orderBy: [{ h3Cell: "asc" }, { sizeClass: "asc" }, { windowStart: "asc" }] });

describe("the prefetch job", () => {
  it("fetches the busiest cells × size classes × the next two dispatch windows, and stores them", async () => {
    const report = await run();
    expect(report).toMatchObject({ shops: 1, nodes: 1, cells: 3, planned: 18, skippedFresh: 0, calls: 18, stored: 18, deferred: 0, capped: false, failures: {} });
    expect(fake.requests.every((r) => r.jwt.ok)).toBe(true);

    const rows = await rowsOf(shopId);
    const keys = rows.map((r) => `${r.h3Cell} ${r.sizeClass} ${r.windowStart.toISOString()}`).sort();
    const expected = Object.values(CELL).flatMap((cell) =>
      ["SMALL", "MEDIUM", "LARGE"].flatMap((size) => [W1, W2].map((w) => `${cell} ${size} ${new Date(w).toISOString()}`)),
    );
    expect(keys).toEqual(expected.sort());
    for (const r of rows) {
      expect(r).toMatchObject({ nodeId: hubId, provider: "DOORDASH_DRIVE", currency: "USD", fetchedAt: new Date(NOW), expiresAt: new Date(NOW + 5 * MIN) });
      expect(r.externalId).toMatch(/^nh-/);
    }
    expect(await rowsOf(otherShopId)).toEqual([]);

    // What DoorDash was asked for cell A: from the hub, to the cell's centre at postal-code level, at the median order value.
    const [lat, lng] = cellToLatLng(CELL.A);
    const forA = fake.quotes.filter((q) => q.dropoff_location!.lat === lat && q.dropoff_location!.lng === lng);
    expect(forA).toHaveLength(6);
    for (const q of forA) {
      expect(q).toMatchObject({
        pickup_address: "1 Main St, Brooklyn, NY 11211, US",
        dropoff_address: "Brooklyn, NY 11211, US",
        dropoff_phone_number: "+12125550100",
        order_value: 4000,
      });
    }
    expect(new Set(forA.map((q) => q.pickup_time))).toEqual(new Set(["2026-11-25T17:10:00.000Z", "2026-11-25T17:15:00.000Z"]));
    expect(rows.find((r) => r.h3Cell === CELL.A)!.feeMinor).toBe(feeByDistance({ dropoff_location: { lat, lng } }));
  });

  it("caps the calls per run, busiest cells first, and takes up the rest on the next runs", async () => {
    const first = await run({ maxCalls: 7 });
    expect(first).toMatchObject({ planned: 18, calls: 7, stored: 7, deferred: 11, capped: true });
    const rows = await rowsOf(shopId);
    expect(rows.filter((r) => r.h3Cell === CELL.A)).toHaveLength(6);
    expect(rows.filter((r) => r.h3Cell === CELL.B)).toHaveLength(1);

    expect(await run({ maxCalls: 7 })).toMatchObject({ skippedFresh: 7, calls: 7, capped: true });
    expect(await run({ maxCalls: 7 })).toMatchObject({ skippedFresh: 14, calls: 4, deferred: 0, capped: false });
    expect(await run({ maxCalls: 7 })).toMatchObject({ skippedFresh: 18, calls: 0 });
    expect(await db.courierQuote.count({ where: { shopId } })).toBe(18);
  });

  it("rewrites the same rows: a second run calls nothing, parallel runs duplicate nothing, a run near expiry refreshes", async () => {
    await run();
    expect(await run()).toMatchObject({ calls: 0, skippedFresh: 18 });

    // Two processes at once (PostgreSQL with several app servers): each stores every key or finds it
    // already fresh from the other, without errors, and there is one row per key.
    await db.courierQuote.deleteMany({ where: { shopId } });
    const both = await Promise.all([run(), run()]);
    expect(both.map((r) => r.stored + r.skippedFresh)).toEqual([18, 18]);
    expect(both.every((r) => Object.keys(r.failures).length === 0)).toBe(true);
    expect(await db.courierQuote.count({ where: { shopId } })).toBe(18);

    // Four minutes on, a minute of validity is left (< 90 s): the same keys are fetched again, at new prices.
    clock = NOW + 4 * MIN;
    fake = doorDashFake({ now: () => clock, fee: (b) => feeByDistance(b) + 100 });
    server.use(...fake.handlers);
    const refresh = await run();
    expect(refresh).toMatchObject({ calls: 18, stored: 18 });
    const rows = await rowsOf(shopId);
    expect(rows).toHaveLength(18);
    expect(rows.every((r) => r.fetchedAt.getTime() === NOW + 4 * MIN && r.expiresAt.getTime() === NOW + 9 * MIN)).toBe(true);
    const [lat, lng] = cellToLatLng(CELL.A);
    expect(rows.find((r) => r.h3Cell === CELL.A)!.feeMinor).toBe(feeByDistance({ dropoff_location: { lat, lng } }) + 100);
  });

  it("fetches again what expired and prunes rows expired for an hour", async () => {
    await run();
    clock = NOW + 2 * 60 * MIN; // 13:40: ready 14:10, windows 14:00 and 14:15
    const later = await run();
    expect(later).toMatchObject({ calls: 18, stored: 18, pruned: 18, skippedFresh: 0 });
    const windows = new Set((await rowsOf(shopId)).map((r) => r.windowStart.toISOString()));
    expect(windows).toEqual(new Set(["2026-11-25T19:00:00.000Z", "2026-11-25T19:15:00.000Z"]));
  });

  it("pauses a provider for its Retry-After on 429, in this run and the next ones", async () => {
    const state = createPrefetchState();
    server.use(
      http.post(`${DD_URL}/drive/v2/quotes`, () =>
        HttpResponse.json({ code: "request_rate_limited", message: "Too many requests" }, { status: 429, headers: { "Retry-After": "30" } }),
      ),
    );
    const limited = await run({ state, concurrency: 1 });
    expect(limited).toMatchObject({ calls: 1, stored: 0, deferred: 17, failures: { rate_limited: 1 } });

    server.resetHandlers(...fake.handlers);
    clock = NOW + 10_000;
    expect(await run({ state, concurrency: 1 })).toMatchObject({ calls: 0, deferred: 18 });
    clock = NOW + 31_000;
    expect(await run({ state, concurrency: 1 })).toMatchObject({ calls: 18, stored: 18 });
  });

  it("shares a 429's pause with every process on the database: another prefetch does not call until it ends", async () => {
    // Two processes' states: each keeps its own map, and both read and write the shared pause.
    const first = createPrefetchState({ shared: true });
    const second = createPrefetchState({ shared: true });
    server.use(
      http.post(`${DD_URL}/drive/v2/quotes`, () =>
        HttpResponse.json({ code: "request_rate_limited", message: "Too many requests" }, { status: 429, headers: { "Retry-After": "30" } }),
      ),
    );
    expect(await run({ state: first, concurrency: 1 })).toMatchObject({ calls: 1, failures: { rate_limited: 1 } });
    expect(second.pausedUntil.size).toBe(0);

    server.resetHandlers(...fake.handlers);
    clock = NOW + 10_000;
    expect(await run({ state: second, concurrency: 1 })).toMatchObject({ calls: 0, deferred: 18 });
    expect(second.pausedUntil.get("DOORDASH_DRIVE")).toBe(NOW + 30_000);
    clock = NOW + 31_000;
    expect(await run({ state: createPrefetchState({ shared: true }), concurrency: 1 })).toMatchObject({ calls: 18, stored: 18 });
    await db.rateLimit.deleteMany({ where: { key: { startsWith: "courier-pause:" } } });
  });

  it("stops calling on 401 and after repeated 5xx, and skips only the cell DoorDash rejects", async () => {
    const wrongKey = await run({ deps: { doordash: { ...CREDENTIALS, keyId: "revoked" }, now: () => clock } });
    expect(wrongKey.failures).toEqual({ unauthorized: expect.any(Number) });
    expect(wrongKey.calls).toBeLessThanOrEqual(4); // the calls already in flight
    expect(await db.courierQuote.count()).toBe(0);

    server.use(http.post(`${DD_URL}/drive/v2/quotes`, () => new HttpResponse("upstream timeout", { status: 503 })));
    expect(await run({ concurrency: 1 })).toMatchObject({ calls: 3, failures: { unavailable: 3 }, stored: 0 });

    server.resetHandlers();
    fake = doorDashFake({
      now: () => clock,
      fee: feeByDistance,
      override: (n) => (n === 2 ? HttpResponse.json({ code: "validation_error", message: "Validation Failed", field_errors: [{ field: "dropoff_address", error: "Could not resolve to a valid address" }] }, { status: 400 }) : undefined),
    });
    server.use(...fake.handlers);
    expect(await run({ concurrency: 1 })).toMatchObject({ calls: 18, stored: 17, failures: { rejected: 1 } });
  });

  it("leaves out nodes that cannot dispatch same-day now, and providers without credentials, saying why", async () => {
    clock = Date.parse("2026-11-25T21:30:00Z"); // 16:30, after the 16:00 cut-off
    const late = await run();
    expect(late).toMatchObject({ calls: 0, nodes: 0 });
    expect(late.skipped).toEqual([
      { shopId, nodeId: hubId, reason: "past today's same-day cut-off: nothing to quote until tomorrow" },
      // The availability gate, as checkout asks it: a disabled node gets no quotes either.
      { shopId, nodeId: expect.any(String), reason: expect.stringMatching(/^Node \d+ is disabled: no courier quotes to fetch$/) },
    ]);

    clock = NOW;
    const noCredentials = await run({ deps: { doordash: null } });
    expect(noCredentials.calls).toBe(0);
    expect(noCredentials.skipped[0].reason).toContain("DOORDASH_DEVELOPER_ID");
  });
});

describe("the lookup", () => {
  it("returns the shop's unexpired quotes only", async () => {
    await run();
    const key = { nodeId: hubId, provider: "DOORDASH_DRIVE", cell: CELL.B, sizeClass: "SMALL" as const, windowStart: W1 };
    const fresh = await courierQuoteLookup(shopId, NOW + MIN);
    expect(fresh.size).toBe(18);
    expect(fresh.get(key)).toMatchObject({ currency: "USD", providerLabel: "DoorDash Drive", fetchedAt: NOW, expiresAt: NOW + 5 * MIN });
    expect(fresh.cellOf(...PLACES.B)).toBe(CELL.B);
    expect((await courierQuoteLookup(shopId, new Date(NOW + 5 * MIN))).size).toBe(0);
    expect((await courierQuoteLookup(otherShopId, NOW + MIN)).size).toBe(0);
  });

  it("lets the quote path price same-day delivery from a prefetched quote, without I/O", async () => {
    await run();
    const nodes = (await db.node.findMany({ where: { shopId }, orderBy: { id: "asc" } })).map(toNetworkNode);
    const profile: ProductProfile = {
      id: product.id, sku: product.sku, title: product.title, sellerId: null, category: "apparel",
      weightGrams: 400, lengthMm: 100, widthMm: 100, heightMm: 100, valueMinor: 3500, returnRateBps: 0, madeToOrder: false,
    };
    const input = {
      snapshot: { shopId, currency: "USD", nodes, products: [profile], stock: { [hubId]: { [product.id]: 10 } } },
      config: { ...shopConfig(), nodes: { [hubId]: { prepMinutes: 30 } } },
      cart: { lines: [{ product: profile, quantity: 1 }] },
      destination: { latitude: PLACES.A[0], longitude: PLACES.A[1], postalCode: "11211", country: "US" },
    };
    const checkout = NOW + MIN; // 11:41: ready 12:11, in the 12:00 window
    const quotedCourierFees = await courierQuoteLookup(shopId, checkout);
    const sameDay = quoteOptions({ ...input, now: checkout, quotedCourierFees }).options.find((o) => o.service === "SAME_DAY")!;
    const stored = await db.courierQuote.findFirstOrThrow({ where: { shopId, h3Cell: CELL.A, sizeClass: "SMALL", windowStart: new Date(W1) } });
    expect(sameDay.cost.components.find((c) => c.code === "courier_quote")).toEqual({
      code: "courier_quote",
      label: "DoorDash delivery fee",
      amountMinor: stored.feeMinor,
      detail: "DoorDash Drive quote (fetched 11:40, valid until 11:45)",
    });

    const estimated = quoteOptions({ ...input, now: checkout }).options.find((o) => o.service === "SAME_DAY")!;
    expect(estimated.cost.components.find((c) => c.code === "courier_base")!.detail).toBe("per delivery, estimated from rate: no fresh quote");
  });
});
