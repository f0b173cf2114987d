// On-demand courier quotes fetched ahead of checkout, so the quote path never waits on a courier's API.
//
// The prefetch job (`courier-quotes.prefetch` on the job engine, every 4 minutes): for each shop whose quote configuration has a
// courier with a `quoteProvider`, for each active node with a service area that courier serves and a
// same-day dispatch possible now, it asks the provider for the H3 cells (resolution 8, ~0.7 km²) where
// the node's recent orders concentrate, for each parcel size class, for the node's next two 15-minute
// dispatch windows (the one an order taken now leaves in, and the next), and upserts the answers into
// CourierQuote on its unique key. Work per run is bounded (maxCalls), the freshest keys are not
// fetched again, a 429 pauses the provider for its Retry-After (60 s when unsaid) in every process on the
// database (a RateLimit row "courier-pause:<provider>" whose expiry is the end of the pause: the prefetch
// of another process, or the next slot's, reads it before calling), a 401 or repeated 5xx
// stops it for the run. Running twice or restarting only ever rewrites the same rows,
// and the engine fires each slot once across processes.
//
// The quote path calls `courierQuoteLookup(shopId, now)`: one indexed query for the shop's unexpired
// quotes into an in-memory map, handed to the core as `quotedCourierFees` (QuoteRequest / CostRequest),
// which uses a fresh quote instead of the courier's base + per-km estimate.
//
// What is sent for a prefetched quote: the node's address, and for the dropoff the cell's centre with
// the most common city / postal code of the orders in it. No shopper's street address or phone leaves
// Nearhub before an order exists; the merchant's contact phone stands in (provider args).
import { Prisma } from "@prisma/client";
import { cellToLatLng, latLngToCell } from "h3-js";
import {
  QUOTE_WINDOW_MS,
  SIZE_CLASSES,
  sizeClassOf,
  windowStartOf,
  type QuotedCourierFee,
  type QuotedCourierFees,
  type QuotedFeeKey,
  type SizeClass,
} from "~/core/costing/quotedFees";
import { roadDistanceM, greatCircleM } from "~/core/geo/distance";
import { serviceAreaContains } from "~/core/geo/serviceArea";
import { checkAvailability } from "~/core/network/availability";
import { prepareNetwork, storedQuoteConfigSchema, type QuoteNode } from "~/core/quoting";
import { db } from "~/db.server";
import { env } from "~/env.server";
import {
  courierProviderLabel,
  defaultCourierProviderDeps,
  resolveCourierProvider,
  type CourierProviderDeps,
} from "./couriers/registry";
import { describeFailure, type CourierFailure, type CourierQuoteProvider } from "./couriers/types";
import { defineJob } from "./jobs/index.server";
import { logger } from "./logger.server";
import { nodeOpsById, toNetworkNode } from "./network.server";

export { sizeClassOf, windowStartOf, SIZE_CLASSES, QUOTE_WINDOW_MS, type SizeClass };

/** H3 resolution of the cells quotes are cached under: edge ~530 m, area ~0.74 km². */
export const H3_RESOLUTION = 8;

/** The H3 cell (resolution 8) of a point: the area key of cached courier quotes. */
export function cellOf(lat: number, lng: number): string {
  return latLngToCell(lat, lng, H3_RESOLUTION);
}

// ---------------------------------------------------------------------------------------------
// Lookup: what the quote path reads.

const keyOf = (k: QuotedFeeKey) => `${k.nodeId}|${k.provider}|${k.cell}|${k.sizeClass}|${k.windowStart}`;

export interface CourierQuoteLookup extends QuotedCourierFees {
  /** Quotes held. */
  readonly size: number;
  /** UTC ms the quotes were read (all were unexpired then). */
  readonly loadedAt: number;
}

class QuoteMap implements CourierQuoteLookup {
  private lastPoint: { lat: number; lng: number; cell: string } | null = null;
  constructor(
    private readonly fees: Map<string, QuotedCourierFee>,
    readonly loadedAt: number,
  ) {}
  get size() {
    return this.fees.size;
  }
  cellOf(lat: number, lng: number): string {
    // The engine asks once per node for the same address: keep the last answer.
    const last = this.lastPoint;
    if (last && last.lat === lat && last.lng === lng) return last.cell;
    const cell = cellOf(lat, lng);
    this.lastPoint = { lat, lng, cell };
    return cell;
  }
  get(key: QuotedFeeKey): QuotedCourierFee | undefined {
    return this.fees.get(keyOf(key));
  }
}

/**
 * The shop's courier quotes still valid at `now`, keyed by node / provider / cell / size class /
 * dispatch window, for the quote path to read without I/O:
 *
 *   const quotedCourierFees = await courierQuoteLookup(shop.id, now);
 *   quotePrepared(net, { cart, destination, now, quotedCourierFees });
 *
 * The core checks each fee again against the quote's own instant, so a lookup may be cached for a
 * few seconds across requests.
 */
export async function courierQuoteLookup(shopId: string, now: Date | number = Date.now()): Promise<CourierQuoteLookup> {
  const at = typeof now === "number" ? now : now.getTime();
  const rows = await db.courierQuote.findMany({
    where: { shopId, expiresAt: { gt: new Date(at) } },
    select: {
      nodeId: true,
      provider: true,
      h3Cell: true,
      sizeClass: true,
      windowStart: true,
      feeMinor: true,
      currency: true,
      externalId: true,
      expiresAt: true,
      fetchedAt: true,
    },
  });
  const fees = new Map<string, QuotedCourierFee>();
  for (const r of rows) {
    if (!(SIZE_CLASSES as readonly string[]).includes(r.sizeClass)) continue;
    const key = keyOf({ nodeId: r.nodeId, provider: r.provider, cell: r.h3Cell, sizeClass: r.sizeClass as SizeClass, windowStart: r.windowStart.getTime() });
    fees.set(key, {
      feeMinor: r.feeMinor,
      currency: r.currency,
      providerLabel: courierProviderLabel(r.provider),
      fetchedAt: r.fetchedAt.getTime(),
      expiresAt: r.expiresAt.getTime(),
      externalId: r.externalId,
    });
  }
  return new QuoteMap(fees, at);
}

// ---------------------------------------------------------------------------------------------
// The prefetch job.

export interface PrefetchOptions {
  now?: Date;
  /** Provider calls per run, across all shops (DoorDash allows about 300 a minute per key). */
  maxCalls?: number;
  /** Orders from this many days back mark where buyers are. */
  lookbackDays?: number;
  /** Cells per node and provider, busiest first. */
  maxCellsPerNode?: number;
  /** A cell needs this many orders in the lookback to be quoted. */
  minOrdersPerCell?: number;
  /** A stored quote with more validity left than this is not fetched again. */
  refreshMarginMs?: number;
  /** Calls in flight at once. */
  concurrency?: number;
  /** Credentials, fetch and clock for the providers (default: the process environment). */
  deps?: CourierProviderDeps;
  /** Back-off state across runs (default: this process's). */
  state?: PrefetchState;
  /** Only these shops (default: every shop with a quote provider configured). */
  shopIds?: string[];
}

export interface PrefetchState {
  /** Provider code → UTC ms until which it must not be called (429). */
  pausedUntil: Map<string, number>;
  /** Pauses are shared with every process on the database (the job's state); false: kept to this state (a test's). */
  shared: boolean;
}

export function createPrefetchState(opts: { shared?: boolean } = {}): PrefetchState {
  return { pausedUntil: new Map(), shared: opts.shared ?? false };
}

const PAUSE_KEY = "courier-pause:";

/** The pauses other processes (or earlier runs) recorded that still hold, merged into `state`. */
async function loadSharedPauses(state: PrefetchState, nowMs: number): Promise<void> {
  const rows = await db.rateLimit.findMany({ where: { key: { startsWith: PAUSE_KEY }, expire: { gt: new Date(nowMs) } }, select: { key: true, expire: true } });
  for (const r of rows) {
    const code = r.key.slice(PAUSE_KEY.length);
    state.pausedUntil.set(code, Math.max(state.pausedUntil.get(code) ?? 0, r.expire!.getTime()));
  }
}

/** Records a provider's pause for every process; a longer pause already recorded is kept. */
async function sharePause(code: string, untilMs: number): Promise<void> {
  const key = PAUSE_KEY + code;
  const expire = new Date(untilMs);
  await db.$transaction(async (tx) => {
    const moved = await tx.rateLimit.updateMany({ where: { key, OR: [{ expire: null }, { expire: { lt: expire } }] }, data: { points: 0, expire } });
    if (moved.count === 0 && !(await tx.rateLimit.findUnique({ where: { key }, select: { key: true } }))) await tx.rateLimit.create({ data: { key, points: 0, expire } });
  }).catch((error: unknown) => {
    // Another process recorded its pause at the same moment: either is as good.
    if ((error as { code?: string }).code !== "P2002") throw error;
  });
}

export interface PrefetchReport {
  at: string;
  shops: number;
  nodes: number;
  cells: number;
  /** Quotes wanted this run (cells × size classes × windows). */
  planned: number;
  /** Wanted but already fresh in the cache. */
  skippedFresh: number;
  calls: number;
  stored: number;
  /** Planned calls left for a later run by maxCalls, a pause or a stopped provider. */
  deferred: number;
  capped: boolean;
  failures: Partial<Record<CourierFailure["kind"], number>>;
  /** Nodes or shops left out, and why. */
  skipped: { shopId: string; nodeId: string | null; reason: string }[];
  pruned: number;
}

const DEFAULTS = {
  maxCalls: 120,
  lookbackDays: 60,
  maxCellsPerNode: 12,
  minOrdersPerCell: 2,
  refreshMarginMs: 90_000,
  concurrency: 4,
};
const MAX_ORDERS_PER_SHOP = 20_000;
const DEFAULT_PAUSE_MS = 60_000;
/** Consecutive 5xx / timeouts / network errors before a provider is left alone for the run. */
const MAX_CONSECUTIVE_FAILURES = 3;
/** Rows expired longer ago than this are deleted. */
const PRUNE_AFTER_MS = 60 * 60_000;

const processState = createPrefetchState({ shared: true });

interface Task {
  shopId: string;
  nodeId: string;
  provider: CourierQuoteProvider;
  cell: string;
  sizeClass: SizeClass;
  windowStart: number;
  pickupAt: number;
  pickup: { lat: number; lng: number; address: string };
  dropoff: { lat: number; lng: number; address: string };
  orderValueMinor: number;
}

interface CellStats {
  cell: string;
  orders: number;
  totals: number[];
  places: Map<string, number>;
}

interface OrderPoint {
  lat: number;
  lng: number;
  totalMinor: number;
  place: string;
}

export async function prefetchCourierQuotes(options: PrefetchOptions = {}): Promise<PrefetchReport> {
  const o = { ...DEFAULTS, ...options };
  const nowMs = (options.now ?? new Date()).getTime();
  const fixedClock = options.now !== undefined;
  const deps: CourierProviderDeps = {
    ...(options.deps ?? defaultCourierProviderDeps()),
    ...(fixedClock && !options.deps?.now ? { now: () => nowMs } : {}),
  };
  const state = options.state ?? processState;
  const report: PrefetchReport = {
    at: new Date(nowMs).toISOString(),
    shops: 0,
    nodes: 0,
    cells: 0,
    planned: 0,
    skippedFresh: 0,
    calls: 0,
    stored: 0,
    deferred: 0,
    capped: false,
    failures: {},
    skipped: [],
    pruned: 0,
  };

  const settings = await db.shippingSettings.findMany({
    where: {
      configJson: { contains: "quoteProvider" },
      shop: { uninstalledAt: null },
      ...(options.shopIds ? { shopId: { in: options.shopIds } } : {}),
    },
    select: { shopId: true, configJson: true, shop: { select: { currency: true } } },
    orderBy: { shopId: "asc" },
  });

  const perShop: Task[][] = [];
  for (const s of settings) {
    const tasks = await planShop(s.shopId, s.configJson, s.shop.currency, nowMs, o, deps, report);
    if (tasks === null) continue;
    report.shops++;
    const pruned = await db.courierQuote.deleteMany({ where: { shopId: s.shopId, expiresAt: { lt: new Date(nowMs - PRUNE_AFTER_MS) } } });
    report.pruned += pruned.count;
    perShop.push(tasks);
  }

  // Shops take turns, so one big shop cannot use a run's whole budget.
  const queue: Task[] = [];
  for (let i = 0; perShop.some((t) => i < t.length); i++) for (const t of perShop) if (i < t.length) queue.push(t[i]);

  await runTasks(queue, o, nowMs, state, report);
  const level = Object.keys(report.failures).length > 0 || report.skipped.some((s) => s.nodeId === null) ? "warn" : "info";
  logger[level]({ courierQuotes: { ...report, skipped: report.skipped.slice(0, 20) } }, "courier quote prefetch");
  return report;
}

type Resolved = typeof DEFAULTS;

/** The quotes one shop wants this run, busiest cells first, minus those still fresh; null when the shop is left out. */
async function planShop(
  shopId: string,
  configJson: string,
  currency: string,
  nowMs: number,
  o: Resolved,
  deps: CourierProviderDeps,
  report: PrefetchReport,
): Promise<Task[] | null> {
  const skip = (reason: string, nodeId: string | null = null) => report.skipped.push({ shopId, nodeId, reason });
  let config;
  try {
    config = storedQuoteConfigSchema.parse(JSON.parse(configJson));
  } catch (error) {
    skip(`stored quote configuration is not valid: ${(error as Error).message.slice(0, 200)}`);
    return null;
  }
  if (!config.couriers.some((c) => c.quoteProvider)) return null;

  const rows = await db.node.findMany({ where: { shopId }, orderBy: { id: "asc" } });
  let net;
  try {
    // Each node's own operations (its preparation time decides the dispatch windows asked for).
    net = prepareNetwork({ shopId, currency, nodes: rows.map(toNetworkNode), products: [], stock: {} }, { ...config, nodes: nodeOpsById(rows) });
  } catch (error) {
    skip(`quote configuration cannot be prepared: ${(error as Error).message.slice(0, 200)}`);
    return null;
  }

  const providers = new Map<string, CourierQuoteProvider | null>();
  const providerFor = (ref: { code: string; args?: unknown }, where: string, nodeId: string) => {
    const id = `${ref.code}|${JSON.stringify(ref.args ?? {})}`;
    if (!providers.has(id)) {
      const r = resolveCourierProvider(ref, deps, where);
      providers.set(id, r.ok ? r.provider : null);
      if (!r.ok) skip(r.reason, nodeId);
    }
    return providers.get(id) ?? null;
  };

  const nodeRows = new Map(rows.map((r) => [r.id, r]));
  const wanted: { qn: QuoteNode; windows: { start: number; pickupAt: number }[]; couriers: { provider: CourierQuoteProvider; maxRoadM: number | null; circuity: number }[] }[] = [];
  for (const qn of net.nodes) {
    const node = qn.prepared.node;
    const quoted = qn.prepared.couriers.filter((c) => c.config.quoteProvider);
    if (quoted.length === 0 || qn.prepared.area === null) continue;
    // The availability gate, as checkout asks it (nothing of today's orders or stock: quotes are fetched ahead).
    const gate = checkAvailability(qn.prepared.gate, qn.purpose, {});
    if (!gate.available) {
      skip(`${gate.reasons.map((r) => r.message).join("; ")}: no courier quotes to fetch`, node.id);
      continue;
    }
    const windows = dispatchWindows(qn, nowMs);
    if (typeof windows === "string") {
      skip(windows, node.id);
      continue;
    }
    const couriers: (typeof wanted)[number]["couriers"] = [];
    const seen = new Set<string>();
    quoted.forEach((c) => {
      const ref = c.config.quoteProvider!;
      const provider = providerFor(ref, `courier ${c.config.id}: quoteProvider`, node.id);
      if (!provider || seen.has(provider.code)) return;
      seen.add(provider.code);
      couriers.push({ provider, maxRoadM: c.config.maxRoadDistanceM, circuity: c.config.circuityFactor });
    });
    if (couriers.length > 0) wanted.push({ qn, windows, couriers });
  }
  if (wanted.length === 0) return [];

  const orders = await recentOrders(shopId, nowMs, o.lookbackDays);
  const fresh = new Set(
    (
      await db.courierQuote.findMany({
        where: { shopId, expiresAt: { gt: new Date(nowMs + o.refreshMarginMs) } },
        select: { nodeId: true, provider: true, h3Cell: true, sizeClass: true, windowStart: true },
      })
    ).map((r) => keyOf({ nodeId: r.nodeId, provider: r.provider, cell: r.h3Cell, sizeClass: r.sizeClass as SizeClass, windowStart: r.windowStart.getTime() })),
  );

  const tasks: Task[] = [];
  for (const { qn, windows, couriers } of wanted) {
    const node = qn.prepared.node;
    const row = nodeRows.get(node.id)!;
    report.nodes++;
    const pickup = {
      lat: node.latitude,
      lng: node.longitude,
      address: [row.address1, row.city, [row.province, row.postalCode].filter(Boolean).join(" "), row.country].join(", "),
    };
    for (const courier of couriers) {
      const cells = busiestCells(qn, orders, courier.maxRoadM, courier.circuity, o);
      report.cells += cells.length;
      for (const cell of cells) {
        const [lat, lng] = cellToLatLng(cell.cell);
        const dropoff = { lat, lng, address: mostCommon(cell.places) };
        const orderValueMinor = median(cell.totals);
        for (const w of windows) {
          for (const sizeClass of SIZE_CLASSES) {
            report.planned++;
            const key = { nodeId: node.id, provider: courier.provider.code, cell: cell.cell, sizeClass, windowStart: w.start };
            if (fresh.has(keyOf(key))) {
              report.skippedFresh++;
              continue;
            }
            tasks.push({ shopId, ...key, provider: courier.provider, pickupAt: w.pickupAt, pickup, dropoff, orderValueMinor });
          }
        }
      }
    }
  }
  return tasks;
}

/** The windows a same-day order taken now leaves in: the first dispatch window and the next, while open. */
function dispatchWindows(qn: QuoteNode, nowMs: number): { start: number; pickupAt: number }[] | string {
  const calendar = qn.calendar;
  const today = calendar.clock.local(nowMs).day;
  const plan = calendar.plan(today);
  if (plan.intervals.length === 0) return plan.holiday ? "closed today (holiday): no same-day dispatch to quote" : "closed today: no same-day dispatch to quote";
  if (plan.cutoffAt !== null && nowMs >= plan.cutoffAt) return "past today's same-day cut-off: nothing to quote until tomorrow";
  const open = calendar.nextOpening(nowMs + qn.prepared.ops.prepMinutes * 60_000, 0);
  if (open === null || open.day !== today) return "an order taken now would not leave today: nothing to quote";
  const first = windowStartOf(open.at);
  const windows = [{ start: first, pickupAt: open.at }];
  const next = first + QUOTE_WINDOW_MS;
  if (next < open.closesAt) windows.push({ start: next, pickupAt: next });
  return windows;
}

async function recentOrders(shopId: string, nowMs: number, lookbackDays: number): Promise<OrderPoint[]> {
  const rows = await db.order.findMany({
    where: { shopId, placedAt: { gte: new Date(nowMs - lookbackDays * 86_400_000), lte: new Date(nowMs) } },
    select: { destLatitude: true, destLongitude: true, totalMinor: true, destCity: true, destProvince: true, destPostalCode: true, destCountry: true },
    orderBy: { placedAt: "desc" },
    take: MAX_ORDERS_PER_SHOP,
  });
  // Orders without coordinates (Shopify had none for the address) have no cell.
  return rows.flatMap((r) =>
    r.destLatitude !== null && r.destLongitude !== null && Number.isFinite(r.destLatitude) && Number.isFinite(r.destLongitude)
      ? [{
          lat: r.destLatitude,
          lng: r.destLongitude,
          totalMinor: r.totalMinor,
          place: [r.destCity, [r.destProvince, r.destPostalCode].filter(Boolean).join(" "), r.destCountry].filter(Boolean).join(", "),
        }]
      : [],
  );
}

/** Cells of the node's orders within its service area and the courier's reach, busiest first. */
function busiestCells(qn: QuoteNode, orders: OrderPoint[], maxRoadM: number | null, circuity: number, o: Resolved): CellStats[] {
  const node = qn.prepared.node;
  const area = qn.prepared.area!;
  const byCell = new Map<string, CellStats>();
  for (const p of orders) {
    const d = greatCircleM(node.latitude, node.longitude, p.lat, p.lng);
    if (!serviceAreaContains(area, d, p.lat, p.lng)) continue;
    if (maxRoadM !== null && roadDistanceM(d, circuity) > maxRoadM) continue;
    const cell = cellOf(p.lat, p.lng);
    let s = byCell.get(cell);
    if (!s) byCell.set(cell, (s = { cell, orders: 0, totals: [], places: new Map() }));
    s.orders++;
    s.totals.push(p.totalMinor);
    s.places.set(p.place, (s.places.get(p.place) ?? 0) + 1);
  }
  return [...byCell.values()]
    .filter((s) => s.orders >= o.minOrdersPerCell)
    .sort((a, b) => b.orders - a.orders || (a.cell < b.cell ? -1 : 1))
    .slice(0, o.maxCellsPerNode);
}

function mostCommon(counts: Map<string, number>): string {
  let best = "";
  let n = -1;
  for (const [k, v] of counts) if (v > n || (v === n && k < best)) [best, n] = [k, v];
  return best;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
}

/** Runs the queue with bounded concurrency and calls, pausing or stopping providers that fail. */
async function runTasks(queue: Task[], o: Resolved, nowMs: number, state: PrefetchState, report: PrefetchReport) {
  const stopped = new Set<string>();
  const consecutive = new Map<string, number>();
  let next = 0;
  if (state.shared) await loadSharedPauses(state, nowMs);
  const blocked = (code: string) => stopped.has(code) || (state.pausedUntil.get(code) ?? 0) > nowMs;

  const worker = async () => {
    for (;;) {
      if (report.calls >= o.maxCalls) return;
      // The next task whose provider may still be called.
      while (next < queue.length && blocked(queue[next].provider.code)) next++;
      if (next >= queue.length) return;
      const t = queue[next++];
      report.calls++;
      const result = await t.provider.quote({
        pickup: t.pickup,
        dropoff: t.dropoff,
        orderValueMinor: t.orderValueMinor,
        sizeClass: t.sizeClass,
        pickupAt: new Date(t.pickupAt),
        reference: `${t.cell}-${t.sizeClass[0]}`,
      });
      const code = t.provider.code;
      if (!result.ok) {
        const f = result.failure;
        report.failures[f.kind] = (report.failures[f.kind] ?? 0) + 1;
        if (f.kind === "rate_limited") {
          const until = nowMs + (f.retryAfterMs ?? DEFAULT_PAUSE_MS);
          state.pausedUntil.set(code, until);
          if (state.shared) await sharePause(code, until).catch((error) => logger.warn({ provider: code, err: (error as Error).message }, "courier quote: could not share the pause"));
        } else if (f.kind === "unauthorized") {
          stopped.add(code);
        } else if (f.kind === "unavailable" || f.kind === "timeout" || f.kind === "network") {
          const n = (consecutive.get(code) ?? 0) + 1;
          consecutive.set(code, n);
          if (n >= MAX_CONSECUTIVE_FAILURES) stopped.add(code);
        }
        if (f.kind !== "rejected") logger.warn({ provider: code, shopId: t.shopId, nodeId: t.nodeId }, `courier quote: ${describeFailure(f)}`);
        continue;
      }
      consecutive.set(code, 0);
      const q = result.value;
      if (q.expiresAt.getTime() <= nowMs) continue;
      await storeQuote(t, q, nowMs);
      report.stored++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  report.deferred = queue.length - report.calls;
  report.capped = report.calls >= o.maxCalls && report.deferred > 0;
}

async function storeQuote(t: Task, q: { externalId: string; feeMinor: number; currency: string; expiresAt: Date }, nowMs: number) {
  const where = {
    shopId_nodeId_provider_h3Cell_sizeClass_windowStart: {
      shopId: t.shopId,
      nodeId: t.nodeId,
      provider: t.provider.code,
      h3Cell: t.cell,
      sizeClass: t.sizeClass,
      windowStart: new Date(t.windowStart),
    },
  };
  const data = { feeMinor: q.feeMinor, currency: q.currency, externalId: q.externalId, expiresAt: q.expiresAt, fetchedAt: new Date(nowMs) };
  const key = where.shopId_nodeId_provider_h3Cell_sizeClass_windowStart;
  try {
    await db.courierQuote.upsert({ where, create: { ...key, ...data }, update: data });
  } catch (error) {
    // Another process inserted the same key between our read and write: its row is as good; update it.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
    await db.courierQuote.update({ where, data });
  }
}

// ---------------------------------------------------------------------------------------------
// The job (ADR 0022): every 4 minutes, so a quote fetched at t (valid to t+5) is renewed at t+4
// with a minute to spare (refreshMarginMs 90 s). Fired once per slot whatever the number of
// processes; off in a process with NEARHUB_COURIER_QUOTES=0, and a no-op without courier credentials.

/** The prefetch's schedule (UTC cron). */
export const PREFETCH_SCHEDULE = "*/4 * * * *";

export const courierQuotePrefetchJob = defineJob({
  name: "courier-quotes.prefetch",
  schedule: PREFETCH_SCHEDULE,
  switch: "courierQuotes",
  retries: 0, // the next slot is the retry; a slot's quotes are worth nothing later
  backoff: { type: "fixed", delayMs: 0 },
  timeout: 3 * 60_000,
  run: async () => {
    if (!env().doordash) return { skipped: "no courier credentials configured" };
    return prefetchCourierQuotes();
  },
});
