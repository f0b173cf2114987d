// Network insights: where the shop's orders cluster, what each city cluster and each seller should
// be fulfilled from (a local micro-hub, a micro-factory or the central warehouse) with the figures
// behind it, and the two clusters worth a 90-day pilot.
//
// This service loads a year of orders with their lines, sellers, products and nodes for the shop,
// hands them to the pure core analysis (`~/core/density`: `analyseDensity`, with the saving priced
// by `costingSavingEstimator` on the shop's own costing network), and maps the core's report onto
// the view the page renders. No analysis lives here. A year of the demo's orders (~21,000) takes a
// moment, so it is the `insights.compute` job (ADR 0022, keyed by shop: one computation per shop at
// a time, in whichever process runs insights jobs), and its progress and result are the shop's
// InsightsRun row: any process reads them. The page shows coarse progress (queued / loading /
// analysing) and polls until it is ready (`insightsFor`); a result is served for CACHE_TTL_MS.
import { cellToBoundary, latLngToCell } from "h3-js";
import { db } from "~/db.server";
import { analyseDensity, costingSavingEstimator, type DensityConfig, type DensityOrder, type DensityReport, type SavingEstimator } from "~/core/density";
import type { NetworkNode, ProductProfile } from "~/core/network/types";
import { WINDOW_DAYS, type Recommendation } from "~/core/density/insights";
import { defineJob, enqueue } from "./jobs/index.server";
import { logger } from "./logger.server";
import { localDemandOf } from "./node-day.server";
import { toNetworkNode } from "./network.server";
import { getShopShipping, quoteConfigOf } from "./shipping-settings.server";

export { WINDOW_DAYS, type Recommendation };

// ---------------------------------------------------------------------------------------------
// The view the page renders (mapped from the core's DensityReport)

export interface CellFigure {
  cell: string;
  /** The cluster (its id) this hexagon belongs to. */
  cluster: string;
  orders: number;
  /** [lat, lng] ring of the hexagon. */
  boundary: [number, number][];
}

export interface ClusterFigure {
  /** The core's cluster id (c1, c2, …). */
  cell: string;
  name: string;
  latitude: number;
  longitude: number;
  orders: number;
  ordersPerDay: number;
  /** Share of the shop's orders. */
  share: number;
  /** Share of the cluster's units sold by sellers based in it. */
  sameCityShare: number;
  /** Share of the cluster's units that are made to order. */
  madeShare: number;
  localNodes: string[];
  savingPerOrderMinor: number | null;
  /** savingPerOrderMinor × orders per day × 30. */
  savingPerMonthMinor: number | null;
  recommendation: Recommendation;
  reasons: string[];
}

export interface SellerFigure {
  id: string;
  name: string;
  city: string;
  orders: number;
  ordersPerDay: number;
  /** Share of the seller's units delivered in the seller's own cluster. */
  sameCityShare: number;
  madeShare: number;
  /** The cluster most of the seller's units go to. */
  topCluster: string | null;
  recommendation: Recommendation;
  reasons: string[];
}

export interface DensityResult {
  days: number;
  orders: number;
  from: string | null;
  to: string | null;
  cells: CellFigure[];
  /** City clusters, busiest first. */
  clusters: ClusterFigure[];
  /** Orders outside every cluster: served from the central warehouse. */
  longTail: { orders: number; ordersPerDay: number; share: number };
  sellers: SellerFigure[];
  /** The clusters recommended for a pilot, best first, with why. */
  pilots: { cell: string; name: string; why: string[] }[];
  /** Why these pilots (or why fewer than asked for). */
  pilotReasons: string[];
  /** The thresholds the core applied. */
  config: DensityConfig;
  warnings: string[];
}

const REC: Record<DensityReport["clusters"][number]["recommendation"], Recommendation> = {
  LOCAL_MICRO_FULFILMENT: "LOCAL",
  MICRO_FACTORY: "MICRO_FACTORY",
  CENTRAL: "CENTRAL",
};

/** The core's report as the page's view; `orders` (the analysed ones) give the hexagons of the map. */
export function toView(
  report: DensityReport,
  orders: readonly DensityOrder[],
  nodeNames: ReadonlyMap<string, string>,
  sellerCities: ReadonlyMap<string, string>,
): DensityResult {
  const { days } = report.window;
  const res = report.config.h3Resolution;
  const clusterOfCell = new Map<string, string>();
  for (const c of report.clusters) for (const cell of c.cells) clusterOfCell.set(cell, c.id);
  const perCell = new Map<string, number>();
  for (const o of orders) {
    if (o.placedAt < report.window.from || o.placedAt > report.window.to) continue;
    if (!Number.isFinite(o.latitude) || !Number.isFinite(o.longitude)) continue;
    const cell = latLngToCell(o.latitude, o.longitude, res);
    if (clusterOfCell.has(cell)) perCell.set(cell, (perCell.get(cell) ?? 0) + 1);
  }
  const nameOf = new Map(report.clusters.map((c) => [c.id, c.name]));
  const hasOrders = report.totals.orders > 0;
  return {
    days,
    orders: report.totals.orders,
    from: hasOrders ? new Date(report.window.from).toISOString() : null,
    to: hasOrders ? new Date(report.window.to).toISOString() : null,
    cells: [...perCell.entries()].map(([cell, n]) => ({ cell, cluster: clusterOfCell.get(cell)!, orders: n, boundary: cellToBoundary(cell) as [number, number][] })),
    clusters: report.clusters.map((c) => {
      const saving = c.saving && c.saving.priced > 0 ? c.saving.perOrderMinor : null;
      return {
        cell: c.id,
        name: c.name,
        latitude: c.centroid.latitude,
        longitude: c.centroid.longitude,
        orders: c.orders,
        ordersPerDay: c.ordersPerDay,
        share: c.shareOfOrders,
        sameCityShare: c.sameCitySellerShare,
        madeShare: c.madeToOrderShare,
        localNodes: c.nodes.map((n) => nodeNames.get(n.id) ?? n.handle),
        savingPerOrderMinor: saving,
        savingPerMonthMinor: saving === null ? null : Math.round(saving * c.ordersPerDay * 30),
        recommendation: REC[c.recommendation],
        reasons: c.reasons,
      };
    }),
    longTail: { orders: report.longTail.orders, ordersPerDay: report.longTail.ordersPerDay, share: report.longTail.shareOfOrders },
    sellers: report.sellers
      .map((s) => {
        const top = [...s.clusters].sort((a, b) => b.unitsPerDay - a.unitsPerDay)[0];
        return {
          id: s.sellerId,
          name: s.name,
          city: sellerCities.get(s.sellerId) ?? "",
          orders: Math.round(s.ordersPerDay * days),
          ordersPerDay: s.ordersPerDay,
          sameCityShare: s.clusters.find((c) => c.clusterId === s.homeClusterId)?.share ?? 0,
          madeShare: s.madeToOrderShare,
          topCluster: top ? (nameOf.get(top.clusterId) ?? top.clusterId) : null,
          recommendation: REC[s.recommendation],
          reasons: s.reasons,
        };
      })
      .sort((a, b) => b.orders - a.orders),
    pilots: report.pilot.clusters.map((p) => ({ cell: p.clusterId, name: p.name, why: p.reasons })),
    pilotReasons: report.pilot.reasons,
    config: report.config,
    warnings: report.warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Loading, the core analysis, caching and background work

/** How long a result is served before it is computed again. */
export const CACHE_TTL_MS = 5 * 60_000;

export interface InsightsView {
  currency: string;
  result: DensityResult;
  computedAt: string;
  tookMs: number;
  nodes: { id: string; name: string; kind: string; status: string; latitude: number; longitude: number }[];
}

export type InsightsState =
  | { state: "ready"; view: InsightsView }
  | { state: "computing"; progress: number; stage: string; startedAt: string }
  | { state: "failed"; error: string };

/** A computation not finished this long after it started is taken for lost (its process died) and queued again. */
export const STALE_RUN_MS = 10 * 60_000;

/** How long a failed analysis is shown before the next request tries again. */
const FAILED_SHOWN_MS = 10_000;

type Report = (progress: number, stage: string) => Promise<void>;

/** The parsed view of each shop's last result, as stored (a cache of the row, not of the analysis). */
const parsed = new Map<string, { finishedAt: number; view: InsightsView }>();

/** Drops a shop's stored insights (every shop's without one): the next request computes them again. */
export async function invalidateInsights(shopId?: string): Promise<void> {
  if (shopId) parsed.delete(shopId);
  else parsed.clear();
  await db.insightsRun.deleteMany({ where: shopId ? { shopId } : {} });
}

/** Lets the event loop answer polls between loading and the (synchronous) analysis. */
const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

async function compute(shop: { id: string; currency: string }, progress: Report, now: number): Promise<InsightsView> {
  const started = Date.now();
  await progress(0.05, "loading orders");
  const since = new Date(now - WINDOW_DAYS * 86_400_000);
  const where = { shopId: shop.id };
  const [orderRows, productRows, sellerRows, nodeRows, shipping] = await Promise.all([
    db.order.findMany({
      // An order without coordinates or country (no shipping address, or Shopify could not place it)
      // has no cell; a cancelled one was never shipped.
      where: { shopId: shop.id, placedAt: { gte: since, lte: new Date(now) }, cancelledAt: null, destLatitude: { not: null }, destLongitude: { not: null }, destCountry: { not: null } },
      select: {
        id: true, placedAt: true, destLatitude: true, destLongitude: true, destCountry: true, destPostalCode: true, destCity: true,
        lines: { select: { productId: true, quantity: true } },
      },
    }),
    db.product.findMany({ where }),
    db.seller.findMany({ where, select: { id: true, name: true, city: true, latitude: true, longitude: true } }),
    db.node.findMany({ where, orderBy: { handle: "asc" } }),
    getShopShipping(shop.id),
  ]);
  await progress(0.3, "analysing orders");
  await yieldToLoop();
  const nodes: NetworkNode[] = nodeRows.flatMap((r) => {
    try {
      return [toNetworkNode(r)];
    } catch {
      return [];
    }
  });
  const products: ProductProfile[] = productRows.map((p) => ({
    id: p.id, sku: p.sku, title: p.title, sellerId: p.sellerId, category: p.category, weightGrams: p.weightGrams, lengthMm: p.lengthMm,
    widthMm: p.widthMm, heightMm: p.heightMm, valueMinor: p.valueMinor, returnRateBps: p.returnRateBps, madeToOrder: p.madeToOrder,
  }));
  const orders: DensityOrder[] = orderRows.map((o) => ({
    id: o.id, placedAt: o.placedAt.getTime(), latitude: o.destLatitude!, longitude: o.destLongitude!,
    country: o.destCountry!, postalCode: o.destPostalCode, city: o.destCity,
    // A line whose SKU Nearhub does not know (yet) has no product profile to analyse.
    lines: o.lines.flatMap((l) => (l.productId ? [{ productId: l.productId, quantity: l.quantity }] : [])),
  }));
  // The expected saving, priced by the landed-cost engine on the shop's own costing network (its
  // nodes, products, rate cards and couriers), as the core's tests do.
  let saving: SavingEstimator | undefined;
  try {
    const config = quoteConfigOf(shipping, nodeRows);
    // Hubs with their own delivery rounds are priced on the local orders they delivered lately, as checkout prices them.
    const roundsNodes = new Set((config.rounds ?? []).map((r) => r.nodeId));
    const localDemand = roundsNodes.size ? await localDemandOf(shop.id, nodes.filter((n) => roundsNodes.has(n.id)), now) : undefined;
    saving = costingSavingEstimator({ snapshot: { shopId: shop.id, currency: shop.currency, nodes, products, stock: {}, localDemand }, config });
  } catch (error) {
    logger.warn({ shopId: shop.id, error: (error as Error).message }, "insights: shipping config does not prepare; savings left out");
  }
  // A year of orders, or the shop's whole history when it is shorter, so that the rates a day
  // (which the core's thresholds are in) are not diluted by days before the shop had orders.
  const oldest = orders.reduce((m, o) => Math.min(m, o.placedAt), now);
  const windowDays = Math.min(WINDOW_DAYS, Math.max(7, Math.ceil((now - oldest) / 86_400_000)));
  const report = analyseDensity({ orders, sellers: sellerRows, products, nodes, now, config: { windowDays }, saving });
  await progress(0.9, "preparing the view");
  const result = toView(report, orders, new Map(nodeRows.map((n) => [n.id, n.name])), new Map(sellerRows.map((s) => [s.id, s.city])));
  return {
    currency: shop.currency,
    result,
    computedAt: new Date(now).toISOString(),
    tookMs: Date.now() - started,
    nodes: nodeRows.map((n) => ({ id: n.id, name: n.name, kind: n.kind, status: n.status, latitude: n.latitude, longitude: n.longitude })),
  };
}

/** The analysis of one shop's orders as of `asOf`, its progress and result written to its InsightsRun row. */
export const insightsJob = defineJob<{ shopId: string; asOf: number }>({
  name: "insights.compute",
  switch: "insights",
  retries: 2,
  backoff: { type: "exponential", delayMs: 10_000, maxMs: 60_000 },
  timeout: 5 * 60_000,
  run: async ({ shopId, asOf }, ctx) => {
    const shop = await db.shop.findUnique({ where: { id: shopId }, select: { id: true, currency: true } });
    if (!shop) return { computed: false, why: "no such shop" };
    const report: Report = async (progress, stage) => {
      await db.insightsRun.updateMany({ where: { shopId }, data: { state: "computing", progress, stage } });
    };
    try {
      const view = await compute(shop, report, asOf);
      await db.insightsRun.upsert({
        where: { shopId },
        create: { shopId, asOf: new Date(asOf), state: "ready", progress: 1, stage: "ready", finishedAt: new Date(ctx.now()), viewJson: JSON.stringify(view) },
        update: { state: "ready", progress: 1, stage: "ready", finishedAt: new Date(ctx.now()), viewJson: JSON.stringify(view), error: null },
      });
      return { computed: true, orders: view.result.orders };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error({ shopId, error: message }, "insights: analysis failed");
      // The last attempt's failure is what the page shows; earlier ones are retried.
      if (ctx.attempt >= ctx.maxAttempts) await db.insightsRun.updateMany({ where: { shopId }, data: { state: "failed", error: message.slice(0, 1_000), finishedAt: new Date(ctx.now()) } });
      else await report(0, `retrying after: ${message.slice(0, 200)}`);
      throw error;
    }
  },
});

function stateOf(row: { state: string; progress: number; stage: string; startedAt: Date; error: string | null }): InsightsState {
  if (row.state === "failed") return { state: "failed", error: row.error ?? "the analysis failed" };
  return { state: "computing", progress: row.progress, stage: row.stage, startedAt: row.startedAt.toISOString() };
}

async function readyView(shopId: string, finishedAt: Date, json: string): Promise<InsightsView> {
  const hit = parsed.get(shopId);
  if (hit && hit.finishedAt === finishedAt.getTime()) return hit.view;
  const view = JSON.parse(json) as InsightsView;
  parsed.set(shopId, { finishedAt: finishedAt.getTime(), view });
  return view;
}

/**
 * The shop's insights: the stored result while fresh (CACHE_TTL_MS), else a computation queued (the
 * insights job, in whichever process runs it) and its progress. Waits up to `waitMs` for it, so a
 * fast one is answered at once; a slow one answers "computing" with its progress and the page polls.
 */
export async function insightsFor(shop: { id: string; currency: string }, opts: { now?: number; waitMs?: number; refresh?: boolean } = {}): Promise<InsightsState> {
  const asOf = opts.now ?? Date.now();
  const row = await db.insightsRun.findUnique({ where: { shopId: shop.id } });
  const fresh = row?.state === "ready" && row.viewJson && row.finishedAt && Date.now() - row.finishedAt.getTime() < CACHE_TTL_MS;
  if (row && fresh && !opts.refresh) return { state: "ready", view: await readyView(shop.id, row.finishedAt!, row.viewJson!) };
  // A failure is shown for a while before a request queues the analysis again.
  if (row?.state === "failed" && !opts.refresh && row.finishedAt && Date.now() - row.finishedAt.getTime() < FAILED_SHOWN_MS) return stateOf(row);
  const running = row?.state === "computing" && Date.now() - row.startedAt.getTime() < STALE_RUN_MS;
  if (!running) {
    await db.$transaction(async (tx) => {
      const data = { state: "computing", progress: 0, stage: "queued", startedAt: new Date(), finishedAt: null, asOf: new Date(asOf), error: null };
      await tx.insightsRun.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, ...data }, update: data });
      await enqueue(tx, insightsJob, { shopId: shop.id, asOf }, { key: shop.id });
    });
  }
  // Waits for the job (here or in another process), reading its row, up to waitMs.
  const until = Date.now() + (opts.waitMs ?? 1_500);
  for (;;) {
    const now = await db.insightsRun.findUnique({ where: { shopId: shop.id } });
    if (!now) return { state: "computing", progress: 0, stage: "queued", startedAt: new Date().toISOString() };
    if (now.state === "ready" && now.viewJson && now.finishedAt) return { state: "ready", view: await readyView(shop.id, now.finishedAt, now.viewJson) };
    if (now.state === "failed" || Date.now() >= until) return stateOf(now);
    await new Promise((r) => setTimeout(r, Math.min(200, Math.max(1, until - Date.now()))));
  }
}
