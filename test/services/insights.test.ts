// Network insights on the demo marketplace's year of orders, in this file's database: the service
// loads the shop's orders and network, runs the core density analysis (app/core/density, tested on
// its own in test/core/density) as the `insights.compute` job with its progress and result in the
// shop's InsightsRun row (what every process reads), and maps the core's report onto the page's view: two pilot clusters (New York, then Austin) with the figures
// behind them, a recommendation per cluster and per seller, and the map's hexagons.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createPrismaClient, databaseUrl } from "~/db.server";
import { drainJobs, listJobs } from "~/services/jobs/index.server";
import { insightsFor, invalidateInsights } from "~/services/insights.server";
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
  it("queues the analysis as a job whose progress and result any process reads, then serves the stored result", async () => {
    await invalidateInsights();
    const first = await insightsFor(shop, { now: NOW.getTime(), waitMs: 0 });
    expect(first).toMatchObject({ state: "computing", progress: 0, stage: "queued" });
    // Asking again while it waits queues nothing more: one computation per shop.
    await insightsFor(shop, { now: NOW.getTime(), waitMs: 0 });
    expect((await listJobs()).filter((j) => j.name === "insights.compute").map((j) => [j.key, j.state])).toEqual([[shop.id, "waiting"]]);
    // Another process (another client on the same database) sees the same state.
    const other = createPrismaClient(databaseUrl());
    try {
      expect(await other.insightsRun.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ state: "computing", stage: "queued" });
      // The job runs (here, as a worker would), writing its progress and result to the row.
      expect(await drainJobs({ names: ["insights.compute"] })).toMatchObject({ ran: 1, completed: 1 });
      const stored = await other.insightsRun.findUniqueOrThrow({ where: { shopId: shop.id } });
      expect(stored).toMatchObject({ state: "ready", progress: 1 });
      expect(JSON.parse(stored.viewJson!).result.orders).toBeGreaterThan(10_000);
    } finally {
      await other.$disconnect();
    }
    const state = await insightsFor(shop, { now: NOW.getTime(), waitMs: 0 });
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

  it("suggests New York then Austin as the pilot, with orders a day, same-city share and the expected saving", async () => {
    const state = await insightsFor(shop, { now: NOW.getTime(), waitMs: 0 });
    if (state.state !== "ready") throw new Error(state.state);
    const { result } = state.view;
    // The demo's two markets (45% New York, 22% Austin) are its clusters; the rest is the long tail.
    expect(result.clusters.map((c) => c.latitude.toFixed(0))).toEqual(["41", "30"]);
    expect(result.clusters[0].share).toBeGreaterThan(0.4);
    expect(result.clusters[1].share).toBeGreaterThan(0.18);
    expect(result.longTail.share).toBeGreaterThan(0.25);
    expect(result.pilots).toHaveLength(2);
    expect(result.pilots.map((p) => p.cell)).toEqual(result.clusters.map((c) => c.cell));
    for (const p of result.pilots) {
      const c = result.clusters.find((x) => x.cell === p.cell)!;
      expect(c.recommendation).not.toBe("CENTRAL");
      expect(c.ordersPerDay).toBeGreaterThanOrEqual(result.config.pilot.minOrdersPerDay);
      expect(c.localNodes.length).toBeGreaterThan(0);
      // Priced by the shop's own costing network (the demo's rate cards and couriers).
      expect(c.savingPerOrderMinor).not.toBeNull();
      expect(c.savingPerMonthMinor).toBe(Math.round(c.savingPerOrderMinor! * c.ordersPerDay * 30));
      expect(c.reasons.length).toBeGreaterThan(0);
      expect(p.why.join(" ")).toMatch(/orders a day/);
      expect(p.why.join(" ")).toMatch(/same city/);
      expect(p.why.join(" ")).toMatch(/expected (saving|extra cost)/);
    }
    expect(result.pilots[0].name).toMatch(/New York|Brooklyn|Manhattan|Queens/);
    expect(result.pilots[1].name).toMatch(/Austin/);
    expect(result.clusters[0].localNodes).toEqual(expect.arrayContaining(["Williamsburg Micro-hub", "Chelsea Micro-hub"]));
    // The map's hexagons belong to the clusters and count their orders.
    const inClusters = result.clusters.reduce((a, c) => a + c.orders, 0);
    const onMap = result.cells.reduce((a, c) => a + c.orders, 0);
    expect(onMap).toBeGreaterThan(0.9 * inClusters);
    expect(onMap).toBeLessThanOrEqual(inClusters);
    for (const cell of result.cells) expect(result.clusters.some((c) => c.cell === cell.cluster)).toBe(true);
    // Every seller (the demo's five creators, in those two cities) gets a recommendation with its figures.
    expect(result.sellers).toHaveLength(5);
    for (const s of result.sellers) {
      expect(s.reasons.length).toBeGreaterThan(0);
      expect(s.orders).toBeGreaterThan(0);
      expect(s.recommendation).not.toBe("CENTRAL");
      expect(s.topCluster).not.toBeNull();
    }
  });

  it("a shop without orders gets no pilot and is not mixed with the demo shop", async () => {
    const other = await makeShop(db);
    await insightsFor({ id: other.id, currency: "USD" }, { now: NOW.getTime(), waitMs: 0 });
    await drainJobs({ names: ["insights.compute"] });
    const state = await insightsFor({ id: other.id, currency: "USD" }, { now: NOW.getTime(), waitMs: 0 });
    if (state.state !== "ready") throw new Error(state.state);
    expect(state.view.result.orders).toBe(0);
    expect(state.view.result.clusters).toEqual([]);
    expect(state.view.result.cells).toEqual([]);
    expect(state.view.result.pilots).toEqual([]);
    // The demo shop's cached insights are untouched.
    const demo = await insightsFor(shop, { now: NOW.getTime(), waitMs: 0 });
    expect(demo.state === "ready" && demo.view.result.orders).toBeGreaterThan(10_000);
  });
});
