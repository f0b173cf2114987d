// Density analysis on synthetic order history: two dense cities (Chicago, busier and buying a
// Chicago seller's mugs; Denver, smaller and buying a Denver maker's made-to-order prints), a small
// town under the cluster floor, and a long tail spread over the country that buys mostly candles
// from a seller in Atlanta.
import { describe, expect, it } from "vitest";
import { latLngToCell } from "h3-js";
import { mulberry32, type Rng } from "../../../prisma/seed/random";
import { analyseDensity, costingSavingEstimator, type DensityOrder, type DensitySeller } from "../../../app/core/density";
import type { NetworkSnapshot } from "../../../app/core/network/types";
import { bikeCourier, groundCard, hours, makeNode, makeProduct } from "../fixtures";

const DAY = 86_400_000;
const NOW = Date.parse("2025-09-30T12:00:00Z");

const products = [
  makeProduct({ id: "mug", sku: "MUG", sellerId: "s1", weightGrams: 450, returnRateBps: 300 }),
  makeProduct({ id: "print", sku: "PRINT", sellerId: "s2", weightGrams: 300, madeToOrder: true, returnRateBps: 500 }),
  makeProduct({ id: "candle", sku: "CANDLE", sellerId: "s3", weightGrams: 600, returnRateBps: 200 }),
];
const sellers: DensitySeller[] = [
  { id: "s1", name: "Lakeside Mugs", latitude: 41.9, longitude: -87.65, city: "Chicago" },
  { id: "s2", name: "Mile High Prints", latitude: 39.75, longitude: -104.98, city: "Denver" },
  { id: "s3", name: "Peach Candles", latitude: 33.75, longitude: -84.39, city: "Atlanta" },
];

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** Orders a day per place over 90 days, each around its centre (spread in km), with its product mix. */
function history(seed = 1): DensityOrder[] {
  const rng = mulberry32(seed);
  const places: { city: string; lat: number; lng: number; perDay: number; spreadKm: number; mix: Record<string, number> }[] = [
    { city: "Chicago", lat: 41.88, lng: -87.65, perDay: 40, spreadKm: 5, mix: { mug: 0.9, candle: 0.1 } },
    { city: "Denver", lat: 39.74, lng: -104.99, perDay: 15, spreadKm: 4, mix: { print: 0.75, candle: 0.25 } },
    { city: "Boise", lat: 43.6, lng: -116.2, perDay: 1, spreadKm: 3, mix: { mug: 0.5, candle: 0.5 } },
  ];
  const orders: DensityOrder[] = [];
  let id = 0;
  const pickProduct = (mix: Record<string, number>) => {
    let x = rng.next();
    for (const [p, w] of Object.entries(mix)) if ((x -= w) < 0) return p;
    return Object.keys(mix)[0];
  };
  for (let day = 0; day < 90; day++) {
    for (const p of places) {
      for (let k = 0; k < p.perDay; k++) {
        orders.push({
          id: `o${id++}`,
          placedAt: NOW - (day + rng.next()) * DAY,
          latitude: p.lat + (gaussian(rng) * p.spreadKm) / 111,
          longitude: p.lng + (gaussian(rng) * p.spreadKm) / (111 * Math.cos((p.lat * Math.PI) / 180)),
          country: "US",
          city: p.city,
          lines: [{ productId: pickProduct(p.mix), quantity: rng.next() < 0.85 ? 1 : 2 }],
        });
      }
    }
    // The long tail: ten orders a day anywhere between the coasts.
    for (let k = 0; k < 10; k++) {
      orders.push({
        id: `o${id++}`,
        placedAt: NOW - (day + rng.next()) * DAY,
        latitude: 30 + rng.next() * 17,
        longitude: -120 + rng.next() * 45,
        country: "US",
        city: null,
        lines: [{ productId: pickProduct({ mug: 0.05, print: 0.05, candle: 0.9 }), quantity: 1 }],
      });
    }
  }
  return orders;
}

describe("clusters from order history", () => {
  const report = analyseDensity({ orders: history(), sellers, products, now: NOW });

  it("finds the two dense cities and leaves the small town and the tail out", () => {
    expect(report.clusters.map((c) => c.name)).toEqual(["Chicago", "Denver"]);
    const [chicago, denver] = report.clusters;
    expect(chicago.ordersPerDay).toBeGreaterThan(38);
    expect(chicago.ordersPerDay).toBeLessThan(41);
    expect(denver.ordersPerDay).toBeGreaterThan(14);
    expect(denver.ordersPerDay).toBeLessThan(15.5);
    // Boise (1 a day) and the tail (10 a day) are the long tail.
    expect(report.longTail.ordersPerDay).toBeGreaterThan(10);
    expect(report.longTail.ordersPerDay).toBeLessThan(12.5);
    expect(report.totals.ordersPerDay).toBeCloseTo(66, 0);
    expect(chicago.centroid.latitude).toBeCloseTo(41.88, 1);
    expect(chicago.centroid.longitude).toBeCloseTo(-87.65, 1);
    expect(chicago.radiusM).toBeGreaterThan(5_000);
    expect(chicago.radiusM).toBeLessThan(15_000);
    expect(chicago.cells).toContain(latLngToCell(41.88, -87.65, 6));
  });

  it("measures where each city's units come from and how made-to-order its demand is", () => {
    const [chicago, denver] = report.clusters;
    // Chicago buys mugs from a Chicago seller (about 90% of units); Denver prints from a Denver seller.
    expect(chicago.sameCitySellerShare).toBeGreaterThan(0.85);
    expect(chicago.sameCitySellerShare).toBeLessThan(0.95);
    expect(chicago.madeToOrderShare).toBe(0);
    expect(denver.madeToOrderShare).toBeGreaterThan(0.5);
    expect(denver.madeToOrderUnitsPerDay).toBeGreaterThan(8);
    expect(chicago.topSkus[0].sku).toBe("MUG");
    expect(chicago.topSkus[0].unitsPerDay).toBeGreaterThan(28);
    expect(chicago.sellers[0]).toMatchObject({ sellerId: "s1" });
  });

  it("recommends local micro-fulfilment for the busy city, a micro-factory for the made-to-order one", () => {
    const [chicago, denver] = report.clusters;
    expect(chicago.recommendation).toBe("LOCAL_MICRO_FULFILMENT");
    expect(chicago.reasons.at(-1)).toBe("local micro-fulfilment: at least 10 orders a day");
    expect(denver.recommendation).toBe("MICRO_FACTORY");
    expect(denver.reasons.at(-1)).toMatch(/^micro-factory: \d+(\.\d)? made-to-order units a day \(\d+% of its units\), at least 5 a day and 30%$/);
  });

  it("recommends per seller: local for the Chicago seller, micro-factory for the print maker, central for the spread-out one", () => {
    const bySeller = Object.fromEntries(report.sellers.map((s) => [s.sellerId, s]));
    expect(bySeller.s1.recommendation).toBe("LOCAL_MICRO_FULFILMENT");
    expect(bySeller.s1.homeClusterId).toBe("c1");
    expect(bySeller.s1.localShare).toBeGreaterThan(0.8);
    expect(bySeller.s1.clusters[0]).toMatchObject({ clusterId: "c1", skusToStock: ["MUG"] });
    expect(bySeller.s1.reasons.at(-1)).toMatch(/^local micro-fulfilment: \d+% of its units go to clusters served locally \(Chicago\); stock MUG in Chicago$/);
    expect(bySeller.s2.recommendation).toBe("MICRO_FACTORY");
    expect(bySeller.s3.recommendation).toBe("CENTRAL");
    expect(bySeller.s3.reasons.at(-1)).toMatch(/^central: only \d+% of its units go to clusters served locally \(needs 50%\)$/);
  });

  it("measures SKU velocity overall and recently", () => {
    const mug = report.skus.find((s) => s.sku === "MUG")!;
    expect(mug.unitsPerDay).toBeGreaterThan(30);
    expect(mug.recentUnitsPerDay).toBeGreaterThan(25);
    expect(report.skus.map((s) => s.sku)).toEqual(["MUG", "CANDLE", "PRINT"]);
    expect(report.skus[1].unitsPerDay).toBeGreaterThan(15);
  });

  it("names the two pilot clusters, busiest first, with orders a day and same-city share", () => {
    expect(report.pilot.clusters.map((p) => p.name)).toEqual(["Chicago", "Denver"]);
    const [first, second] = report.pilot.clusters;
    expect(first.reasons[0]).toMatch(/^first: \d\d orders a day, 6\d% of all orders$/);
    expect(first.reasons[1]).toMatch(/^\d+% of its units come from sellers in the same city$/);
    expect(first.reasons.at(-1)).toBe("start with a micro-hub");
    expect(second.reasons.at(-1)).toBe("start with a micro-factory");
    expect(first.savingPerOrderMinor).toBeNull();
  });

  it("is deterministic", () => {
    expect(analyseDensity({ orders: history(), sellers, products, now: NOW })).toEqual(report);
  });
});

describe("thresholds are configuration", () => {
  it("a higher bar for local leaves only the made-to-order city, and the pilot says why there is no second", () => {
    const r = analyseDensity({ orders: history(), sellers, products, now: NOW, config: { local: { minOrdersPerDay: 50 } } });
    expect(r.clusters.map((c) => c.recommendation)).toEqual(["CENTRAL", "MICRO_FACTORY"]);
    expect(r.clusters[0].reasons.at(-1)).toBe("central: under the 50 orders a day local micro-fulfilment needs");
    expect(r.pilot.clusters.map((p) => p.name)).toEqual(["Denver"]);
    expect(r.pilot.reasons.at(-1)).toMatch(/^only 1 cluster qualifies .*; next: Chicago at \d+ a day \(central\)$/);
  });

  it("a cluster floor above Denver's volume folds it into the long tail", () => {
    const r = analyseDensity({ orders: history(), sellers, products, now: NOW, config: { cluster: { minOrdersPerDay: 20 } } });
    expect(r.clusters.map((c) => c.name)).toEqual(["Chicago"]);
    expect(r.longTail.ordersPerDay).toBeGreaterThan(25);
  });

  it("rejects a bad config with the field named", () => {
    expect(() => analyseDensity({ orders: [], sellers, products, now: NOW, config: { pilot: { clusters: 0 } } })).toThrow(/pilot.*clusters|clusters/);
  });

  it("leaves out orders outside the window and says so", () => {
    const orders = history().slice(0, 100);
    orders.push({ ...orders[0], id: "old", placedAt: NOW - 200 * DAY });
    const r = analyseDensity({ orders, sellers, products, now: NOW });
    expect(r.warnings).toContain("1 orders outside the 90-day window were left out");
  });
});

describe("expected saving priced by the cost engine", () => {
  // A central warehouse in Kansas City shipping ground; a bike courier any node can use.
  const warehouse = makeNode({
    id: "kc", handle: "kc-dc", name: "Kansas City warehouse", kind: "CENTRAL_WAREHOUSE", latitude: 39.1, longitude: -94.58,
    timezone: "America/Chicago", postalCode: "64105", openingHours: hours("07:00", "19:00"), handlingCostMinor: 150, pickupCostMinor: 40, dailyCapacity: 5000,
  });
  const snapshot: NetworkSnapshot = { shopId: "shop_density", currency: "USD", nodes: [warehouse], products, stock: {} };
  const saving = costingSavingEstimator({ snapshot, config: { rateCards: [groundCard()], couriers: [bikeCourier({ surge: [] })] } });
  const report = analyseDensity({ orders: history(), sellers, products, nodes: [warehouse], now: NOW, saving });

  it("prices a sample of each cluster's orders central vs from a new hub at its centre", () => {
    const chicago = report.clusters[0];
    expect(chicago.saving).not.toBeNull();
    const s = chicago.saving!;
    expect(s.sampled).toBe(40);
    expect(s.priced).toBeGreaterThan(30);
    expect(s.localFrom).toMatch(/^from a new hub at the centre \(\d+\.\d km radius, \$1\.50 handling\)$/);
    // Ground from Kansas City (zone 5, fuel and residential surcharges) costs more than a bike across town.
    expect(s.centralMinor / s.priced).toBeGreaterThan(s.localMinor / s.priced);
    expect(s.perOrderMinor).toBe(Math.round((s.centralMinor - s.localMinor) / s.priced));
    expect(chicago.reasons).toContainEqual(expect.stringMatching(/^serving it locally saves \$[\d,]+\.\d\d an order \(\d+ sampled orders: /));
  });

  it("gives the pilot picks their expected saving a day", () => {
    const first = report.pilot.clusters[0];
    expect(first.name).toBe("Chicago");
    expect(first.savingPerOrderMinor).toBeGreaterThan(0);
    expect(first.savingPerDayMinor).toBe(Math.round(first.savingPerOrderMinor! * report.clusters[0].ordersPerDay));
    expect(first.reasons).toContainEqual(expect.stringMatching(/^expected saving \$[\d,]+\.\d\d an order, \$[\d,]+\.\d\d a day, about \$[\d,]+\.\d\d over 90 days$/));
  });

  it("uses a node already in the cluster when there is one", () => {
    const hub = makeNode({ id: "chi", handle: "chi-hub", name: "Chicago hub", latitude: 41.885, longitude: -87.645, timezone: "America/Chicago", serviceArea: { radiusM: 12_000, polygon: null }, handlingCostMinor: 120 });
    const withHub: NetworkSnapshot = { ...snapshot, nodes: [warehouse, hub] };
    const est = costingSavingEstimator({ snapshot: withHub, config: { rateCards: [groundCard()], couriers: [bikeCourier({ surge: [] })] } });
    const r = analyseDensity({ orders: history(), sellers, products, nodes: withHub.nodes, now: NOW, saving: est });
    expect(r.clusters[0].nodes).toEqual([{ id: "chi", handle: "chi-hub", name: "Chicago hub", kind: "MICRO_HUB" }]);
    expect(r.clusters[0].saving!.localFrom).toBe("from Chicago hub");
    expect(r.clusters[0].reasons).toContain("already served by Chicago hub");
  });
});
