// Network insights on the demo marketplace's year of orders, in this file's database: the analysis
// runs in the background, reports progress, is cached per shop, names two pilot clusters with the
// figures behind them, and recommends per seller and per cluster. The pure analysis is checked on
// a small hand-made input where the right answer is known.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { analyseDensity, insightsFor, invalidateInsights, RULES, type DensityOrder } from "~/services/insights.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { makeShop } from "../support/factories";

const NOW = new Date("2026-11-20T12:00:00Z");
let shop: { id: string; currency: string };
let seedMs = 0;

beforeAll(async () => {
  const t = Date.now();
  await seedDemoMarketplace(db, { now: NOW });
  seedMs = Date.now() - t;
  const row = await db.shop.findFirstOrThrow({ where: { domain: "nearhub-demo.myshopify.com" } });
  shop = { id: row.id, currency: row.currency };
}, 240_000);

describe("insights on the demo's year of orders", () => {
  it("computes in the background with progress, then serves the cached result", async () => {
    invalidateInsights();
    const first = await insightsFor(shop, { now: NOW.getTime(), waitMs: 0 });
    expect(first.state).toBe("computing");
    let state = first;
    const started = Date.now();
    while (state.state === "computing" && Date.now() - started < 120_000) state = await insightsFor(shop, { now: NOW.getTime(), waitMs: 500 });
    expect(state.state).toBe("ready");
    if (state.state !== "ready") return;
    const { result, tookMs } = state.view;
    console.log(`insights: ${result.orders} orders, ${result.cells.length} hexagons, ${result.clusters.length} clusters in ${tookMs} ms (seed ${seedMs} ms)`);
    expect(result.orders).toBeGreaterThan(10_000);
    expect(result.days).toBeGreaterThanOrEqual(360);

    const again = await insightsFor(shop, { now: NOW.getTime(), waitMs: 0 });
    expect(again.state).toBe("ready");
    if (again.state === "ready") expect(again.view.computedAt).toBe(state.view.computedAt);
  });

  it("suggests two pilot clusters with orders a day, same-city share and the expected saving", async () => {
    const state = await insightsFor(shop, { now: NOW.getTime(), waitMs: 60_000 });
    if (state.state !== "ready") throw new Error(state.state);
    const { result } = state.view;
    expect(result.pilots).toHaveLength(2);
    for (const p of result.pilots) {
      const c = result.clusters.find((x) => x.cell === p.cell)!;
      expect(c.recommendation).not.toBe("CENTRAL");
      expect(c.ordersPerDay).toBeGreaterThanOrEqual(RULES.factoryMinOrdersPerDay);
      expect(p.why.join(" ")).toMatch(/orders a day/);
      expect(p.why.join(" ")).toMatch(/in the city/);
      expect(p.why.join(" ")).toMatch(/saving/);
    }
    // The pilots are the best-scoring clusters that are not left to the warehouse.
    const scores = result.clusters.filter((c) => c.recommendation !== "CENTRAL").map((c) => c.score).sort((a, b) => b - a);
    expect(result.pilots.map((p) => result.clusters.find((c) => c.cell === p.cell)!.score)).toEqual(scores.slice(0, 2));
    // New York is the demo's densest market: it is the first pilot, and its local hubs save money.
    const first = result.clusters.find((c) => c.cell === result.pilots[0].cell)!;
    expect(first.localNodes.length).toBeGreaterThan(0);
    expect(first.savingPerOrderMinor).not.toBeNull();
    // A long tail of clusters is left to the central warehouse.
    expect(result.clusters.some((c) => c.recommendation === "CENTRAL")).toBe(true);
    // Every seller gets a recommendation with its figures.
    expect(result.sellers.length).toBeGreaterThan(0);
    for (const s of result.sellers) expect(s.reasons.length).toBeGreaterThan(0);
  });

  it("a shop without orders gets no pilot and is not mixed with the demo shop", async () => {
    const other = await makeShop(db);
    const state = await insightsFor({ id: other.id, currency: "USD" }, { now: NOW.getTime(), waitMs: 30_000 });
    if (state.state !== "ready") throw new Error(state.state);
    expect(state.view.result.orders).toBe(0);
    expect(state.view.result.pilots).toEqual([]);
  });
});

describe("analyseDensity (pure)", () => {
  const day = 86_400_000;
  const t0 = Date.UTC(2026, 0, 1);
  function ordersAt(n: number, lat: number, lng: number, city: string, productId: string): DensityOrder[] {
    return Array.from({ length: n }, (_, i) => ({ placedAt: t0 + (i % 10) * day, latitude: lat + (i % 7) * 0.003, longitude: lng + (i % 5) * 0.003, city, lines: [{ productId, quantity: 1 }] }));
  }
  const input = {
    products: [
      { id: "tee", sellerId: "bk-seller", madeToOrder: false },
      { id: "print", sellerId: "pod", madeToOrder: true },
      { id: "mug", sellerId: "far", madeToOrder: false },
    ],
    sellers: [
      { id: "bk-seller", name: "Brooklyn tees", city: "Brooklyn", latitude: 40.71, longitude: -73.96 },
      { id: "pod", name: "Print lab", city: "Chicago", latitude: 41.88, longitude: -87.63 },
      { id: "far", name: "Far mugs", city: "Denver", latitude: 39.74, longitude: -104.99 },
    ],
    nodes: [{ id: "hub", name: "Brooklyn hub", kind: "MICRO_HUB", status: "ACTIVE", latitude: 40.714, longitude: -73.961 }],
    stock: { hub: { tee: 10 } },
  };

  it("recommends a micro-hub where orders are dense and local, a micro-factory for made-to-order demand, the warehouse elsewhere", () => {
    const orders = [
      ...ordersAt(60, 40.7, -73.95, "Brooklyn", "tee"), // 6 a day over 10 days, all from a local seller
      ...ordersAt(20, 41.88, -87.63, "Chicago", "print"), // 2 a day, made to order
      ...ordersAt(5, 33.45, -112.07, "Phoenix", "mug"), // thin tail
    ];
    const r = analyseDensity({ ...input, orders, savingPerOrderMinor: (c) => (c.topProductIds[0] === "tee" ? 250 : null) });
    expect(r.days).toBe(10);
    const by = Object.fromEntries(r.clusters.map((c) => [c.name, c]));
    expect(by.Brooklyn.recommendation).toBe("LOCAL");
    expect(by.Brooklyn.ordersPerDay).toBe(6);
    expect(by.Brooklyn.sameCityShare).toBe(1);
    expect(by.Brooklyn.savingPerMonthMinor).toBe(250 * 6 * 30);
    expect(by.Brooklyn.localNodes).toEqual(["Brooklyn hub"]);
    expect(by.Chicago.recommendation).toBe("MICRO_FACTORY"); // 2 a day (< 3 for a hub), all made to order
    expect(by.Phoenix.recommendation).toBe("CENTRAL");
    expect(r.pilots.map((p) => p.name)).toEqual(["Brooklyn", "Chicago"]);
    const sellers = Object.fromEntries(r.sellers.map((s) => [s.id, s]));
    expect(sellers["bk-seller"].recommendation).toBe("LOCAL");
    expect(sellers.pod.recommendation).toBe("MICRO_FACTORY");
    expect(sellers.far.recommendation).toBe("CENTRAL");
    expect(r.cells.reduce((a, c) => a + c.orders, 0)).toBe(85);
  });

  it("made-to-order demand far from its maker calls for a micro-factory in that cluster", () => {
    const orders = ordersAt(20, 40.7, -73.95, "Brooklyn", "print"); // 2 a day, made to order, maker in Chicago
    const r = analyseDensity({ ...input, orders });
    expect(r.clusters[0].recommendation).toBe("MICRO_FACTORY");
    expect(r.clusters[0].reasons[0]).toMatch(/made to order/);
  });

  it("no orders: nothing to recommend", () => {
    const r = analyseDensity({ ...input, orders: [] });
    expect(r.clusters).toEqual([]);
    expect(r.pilots).toEqual([]);
  });
});
