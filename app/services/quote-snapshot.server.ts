// The shop's network as checkout quoting needs it, loaded from the database and prepared by the
// core (prepareNetwork) once, then kept in process memory so a rate request costs no query.
//
// Freshness, per shop:
// - a snapshot lives at most `ttlMs` (30 s): stock and node changes made by any process show up
//   within it. From `ttlMs - refreshAheadMs` on, a request starts a reload in the background and
//   keeps answering from the current snapshot, so a busy shop never waits for one;
// - every `versionCheckMs` (3 s) a request starts a background read of Shop.configVersion, which
//   every save of shipping settings, nodes, node operations, stock or the catalogue moves, in
//   whichever process it is made (config-version.server.ts, ADR 0019); when it moved, the snapshot
//   is dropped and the next request loads a fresh one. The check never makes a request wait;
// - a save made in this process drops the shop's snapshot at once (onConfigChange), and
//   `invalidateQuoteCache(shopId)` does so by hand (tests, the seed).
// A load that fails because the database is unavailable (unreachable, file gone, locked past the
// wait) keeps the last good snapshot, younger than `staleMaxMs` (10 min): checkout goes on quoting
// from it (each quote says so in its reasons), and a background reload is tried every
// `failureTtlMs` (5 s) until one succeeds. Any other failure (a stored config that no longer
// parses: a part of the shipping settings or a node's operations), or an outage with no good snapshot, is remembered for `failureTtlMs` with the shop's
// backup rates, so checkout answers with those instead of hammering the database; the next load
// after that retries. At most 500 shops are kept (the least recently loaded goes first).
//
// The shop itself (by domain) is cached here too, for the checkout routes: checkoutShop().
//
// All of it is one object built by createQuoteSnapshotCache({ clock, timing }): the process builds
// one, `quoteSnapshots`, with the system clock and the timings above, and the functions exported at
// the bottom are its. Every age is read from its clock (not from a quote's own `now`, which the
// simulator sets to any time): a test moves that clock, or builds a cache of its own, instead of
// changing timings in a running process or sleeping.
import { prepareRouting, type RoutingNetwork } from "~/core/routing";
import { DEFAULT_ROUTING, getRoutingSettings } from "./routing-settings.server";
import { countToday } from "~/core/network/today";
import { permitStanding } from "~/core/permits";
import { toPermit } from "./permits/store.server";
import type { NetworkNode, NetworkSnapshot, ProductProfile, StockByNode } from "~/core/network/types";
import { backupCalendar, backupRatesSchema, DEFAULT_BACKUP_RATES, prepareNetwork, type BackupRate, type NodeCalendar, type QuoteNetwork } from "~/core/quoting";
import { databaseProblem, db, isDatabaseUnavailable } from "~/db.server";
import { systemClock, type Clock } from "./clock.server";
import { DeadlineExceeded, withDeadline } from "./deadline.server";
import { warmGeocoder } from "./geocode.server";
import { onConfigChange, readConfigVersion } from "./config-version.server";
import { logger } from "./logger.server";
import { toNetworkNode } from "./network.server";
import { localDemandOf, nodeOrderEvents } from "./node-day.server";
import { getShopShipping, quoteConfigOf } from "./shipping-settings.server";

/** The schema's default for ShippingSettings.quoteBudgetMs, used until a shop's own is known. */
export const DEFAULT_QUOTE_BUDGET_MS = 400;
/** Product id of cart lines whose SKU the shop has not described (priced from the line's grams). */
export const UNKNOWN_PRODUCT_ID = "nh:unknown";

export interface QuoteSnapshot {
  shopId: string;
  currency: string;
  timezone: string;
  /** Shop.configVersion read before the snapshot was loaded: a save since then moves it. */
  version: number;
  net: QuoteNetwork;
  bySku: Map<string, ProductProfile>;
  /** By Shopify variant id, both as the gid and as the bare number Shopify's rate requests send. */
  byVariant: Map<string, ProductProfile>;
  backupRates: BackupRate[];
  budgetMs: number;
  /** Nodes left out because their stored row no longer parses, and why. */
  warnings: string[];
  /** City and kind of each node, for what the shopper is told ("from our Brooklyn hub"). */
  places: ReadonlyMap<string, { city: string | null; kind: string }>;
  /**
   * The network as routing sees it with the shop's routing settings (split penalty, most shipments
   * per order): split quotes are searched with it, so checkout offers the parcels routing will ship.
   */
  routing?: RoutingNetwork;
}

/** What checkout can still use when the snapshot could not be built. */
export interface SnapshotFailure {
  error: string;
  /** The database itself failed (isDatabaseUnavailable), not the shop's data. */
  databaseUnavailable: boolean;
  backupRates: BackupRate[];
  timezone: string;
  /** The last known calendar of the node backup rates ship from (null when none is known). */
  backupCalendar: NodeCalendar | null;
  budgetMs: number;
}

/** A snapshot served past its TTL because reloading it failed or is taking too long. */
export interface StaleSnapshot {
  /** When the snapshot was loaded (ms). */
  loadedAt: number;
  /** Why it was not reloaded. */
  error: string;
}

export type SnapshotResult = { ok: true; snapshot: QuoteSnapshot; stale?: StaleSnapshot } | { ok: false; failure: SnapshotFailure };

interface ShopRef {
  id: string;
  currency: string;
}

interface Entry {
  shop: ShopRef;
  result: SnapshotResult;
  loadedAt: number;
  checkedAt: number;
  generation: number;
  /** Set while the database fails this shop's reloads: when the last one failed, and why. */
  failing?: { at: number; error: string };
}

type KnownFallback = { backupRates: BackupRate[]; timezone: string; backupCalendar: NodeCalendar | null };
type KnownShop = KnownFallback & { budgetMs: number };

export interface QuoteCacheTiming {
  ttlMs: number;
  refreshAheadMs: number;
  versionCheckMs: number;
  failureTtlMs: number;
  staleMaxMs: number;
}

export const DEFAULT_QUOTE_CACHE_TIMING: Readonly<QuoteCacheTiming> = { ttlMs: 30_000, refreshAheadMs: 5_000, versionCheckMs: 3_000, failureTtlMs: 5_000, staleMaxMs: 10 * 60_000 };

/** Shops kept in memory; past this, the least recently loaded snapshot goes (it reloads on demand). */
const MAX_SHOPS = 500;

export interface QuoteSnapshotCacheOptions {
  /** What time it is, for every age and TTL here (default: the system clock). */
  clock?: Clock;
  /** The defaults above, or some of them changed (a test's cache, a benchmark). */
  timing?: Partial<QuoteCacheTiming>;
}

/** Per shop: its prepared network and the shop by domain, kept in one process's memory (see the top of this file). */
export interface QuoteSnapshotCache {
  readonly clock: Clock;
  readonly timing: Readonly<QuoteCacheTiming>;
  /**
   * The snapshot to quote from right now without waiting, or null when the caller must await
   * `loadSnapshot` (nothing cached, expired, or dropped). Starts background checks and reloads.
   */
  cachedSnapshot(shop: ShopRef): SnapshotResult | null;
  /**
   * The shop's last good snapshot, however old up to staleMaxMs, for a quote whose reload did not
   * finish within its budget; null when there is none.
   */
  staleSnapshot(shop: ShopRef): SnapshotResult | null;
  /** Loads (or joins the load already running for) the shop's snapshot. Never rejects. */
  loadSnapshot(shop: ShopRef): Promise<SnapshotResult>;
  /**
   * Drops the shop's snapshot: the next quote loads a fresh one. With no shop, drops everything this
   * cache holds, the shops by domain too (the seed, a test starting from nothing).
   */
  invalidate(shopId?: string): void;
  /**
   * Compares the shop's stored configuration version with its snapshot's now (cachedSnapshot does it
   * in the background every `versionCheckMs`); true when the snapshot was dropped because it moved.
   */
  checkVersion(shopId: string): Promise<boolean>;
  /** Moves each time the shop's snapshot is dropped (a save, a version that moved, `invalidate`). */
  generation(shopId: string): number;
  knownBudgetMs(shopId: string): number;
  /** The shop's backup rates and time zone as last loaded, else the defaults. */
  knownFallback(shopId: string): KnownFallback;
  /** City and kind of each node in the shop's snapshot in memory (fresh or stale); undefined when none is. */
  knownNodePlaces(shopId: string): QuoteSnapshot["places"] | undefined;
  /** See checkoutShop below. */
  checkoutShop(domain: string, budgetMs?: number): Promise<ShopLookup>;
  /**
   * Resolves once the loads and version checks under way (those started in the background by
   * cachedSnapshot too) have finished: for a caller that must see their effect, without guessing
   * how long they take.
   */
  idle(): Promise<void>;
}

/** A cache of its own: the process builds one (`quoteSnapshots` below); a test may build another with its clock and timings. */
export function createQuoteSnapshotCache(options: QuoteSnapshotCacheOptions = {}): QuoteSnapshotCache {
  const clock = options.clock ?? systemClock;
  const timing: Readonly<QuoteCacheTiming> = { ...DEFAULT_QUOTE_CACHE_TIMING, ...options.timing };
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, { generation: number; promise: Promise<SnapshotResult> }>();
  const checks = new Set<Promise<boolean>>();
  const generations = new Map<string, number>();
  /**
   * What was last known per shop, kept across invalidations: the budget for the deadline of a cold
   * load, and the backup rates and time zone to answer with when that load does not finish in time.
   */
  const known = new Map<string, KnownShop>();
  const shops = new Map<string, { shop: CheckoutShop | null; at: number }>();
  const shopLoads = new Map<string, Promise<CheckoutShop | null>>();

  const generationOf = (shopId: string) => generations.get(shopId) ?? 0;

  function invalidate(shopId?: string): void {
    const ids = shopId === undefined ? [...new Set([...entries.keys(), ...inflight.keys()])] : [shopId];
    if (shopId === undefined) {
      for (const id of generations.keys()) ids.push(id);
      shops.clear();
    }
    for (const id of new Set(ids)) {
      entries.delete(id);
      inflight.delete(id);
      generations.set(id, generationOf(id) + 1);
    }
  }

  const knownBudgetMs = (shopId: string) => known.get(shopId)?.budgetMs ?? DEFAULT_QUOTE_BUDGET_MS;
  const knownFallback = (shopId: string): KnownFallback => known.get(shopId) ?? { backupRates: DEFAULT_BACKUP_RATES, timezone: "UTC", backupCalendar: null };

  function cachedSnapshot(shop: ShopRef): SnapshotResult | null {
    const now = clock.now();
    const entry = entries.get(shop.id);
    if (!entry) return null;
    const age = now - entry.loadedAt;
    if (!entry.result.ok) return age < timing.failureTtlMs ? entry.result : null;
    if (entry.result.snapshot.currency !== shop.currency) return null;
    if (entry.failing) {
      // The database failed the last reload: answer from the last good network meanwhile.
      if (age >= timing.staleMaxMs) return null;
      if (now - entry.failing.at >= timing.failureTtlMs) void loadSnapshot(shop);
      return staleResult(entry, entry.failing.error);
    }
    if (age >= timing.ttlMs) return null;
    // A permit changed status since the snapshot was built (it lapsed, fell due): build it again now.
    const permitsUntil = entry.result.snapshot.net.costing.snapshot.permits?.validUntil;
    if (permitsUntil != null && now >= permitsUntil) return null;
    if (age >= timing.ttlMs - timing.refreshAheadMs) {
      void loadSnapshot(shop);
    } else if (now - entry.checkedAt >= timing.versionCheckMs) {
      entry.checkedAt = now;
      void versionCheck(entry);
    }
    return entry.result;
  }

  function staleSnapshot(shop: ShopRef): SnapshotResult | null {
    const entry = entries.get(shop.id);
    if (!entry?.result.ok || entry.result.snapshot.currency !== shop.currency || clock.now() - entry.loadedAt >= timing.staleMaxMs) return null;
    return staleResult(entry, entry.failing?.error ?? "reloading it is taking longer than the quote's budget");
  }

  function versionCheck(entry: Entry): Promise<boolean> {
    const check = compareVersion(entry).finally(() => checks.delete(check));
    checks.add(check);
    return check;
  }

  async function compareVersion(entry: Entry): Promise<boolean> {
    if (!entry.result.ok) return false;
    try {
      const version = await readConfigVersion(entry.shop.id);
      if (version !== entry.result.snapshot.version && entries.get(entry.shop.id) === entry) {
        logger.debug({ shopId: entry.shop.id, from: entry.result.snapshot.version, to: version }, "quote cache: configuration changed");
        invalidate(entry.shop.id);
        return true;
      }
    } catch (error) {
      logger.warn({ shopId: entry.shop.id, err: (error as Error).message }, "quote cache: version check failed");
    }
    return false;
  }

  function loadSnapshot(shop: ShopRef): Promise<SnapshotResult> {
    const generation = generationOf(shop.id);
    const running = inflight.get(shop.id);
    if (running && running.generation === generation) return running.promise;
    const promise = buildSnapshot(shop, clock.now()).then(
      (snapshot): SnapshotResult => ({ ok: true, snapshot }),
      async (error: unknown): Promise<SnapshotResult> => {
        const failure = await failureFor(shop.id, error, knownBudgetMs(shop.id), knownFallback(shop.id));
        logger.error({ shopId: shop.id, err: failure.error }, "quote cache: could not load the network snapshot");
        return { ok: false, failure };
      },
    );
    const settled = promise.then((loaded) => {
      let result = loaded;
      // The ZIP index (tens of ms, once): loaded now, off the request, not by the first ZIP-only address.
      setImmediate(warmGeocoder);
      if (generationOf(shop.id) === generation) {
        const now = clock.now();
        const previous = entries.get(shop.id);
        if (!loaded.ok && loaded.failure.databaseUnavailable && previous?.result.ok && now - previous.loadedAt < timing.staleMaxMs) {
          // Keep the last good network while the database is away (cachedSnapshot serves it, marked stale).
          previous.failing = { at: now, error: loaded.failure.error };
          result = staleResult(previous, loaded.failure.error);
        } else {
          entries.delete(shop.id); // re-inserted last: Map order is load order
          entries.set(shop.id, { shop, result, loadedAt: now, checkedAt: now, generation });
          if (entries.size > MAX_SHOPS) entries.delete(entries.keys().next().value!);
          const { budgetMs, backupRates, timezone } = result.ok ? result.snapshot : result.failure;
          const calendar = result.ok ? backupCalendar(result.snapshot.net) : result.failure.backupCalendar;
          known.set(shop.id, { budgetMs, backupRates, timezone, backupCalendar: calendar });
        }
      }
      if (inflight.get(shop.id)?.promise === settled) inflight.delete(shop.id);
      return result;
    });
    inflight.set(shop.id, { generation, promise: settled });
    return settled;
  }

  async function checkoutShop(domain: string, budgetMs = DEFAULT_QUOTE_BUDGET_MS): Promise<ShopLookup> {
    const hit = shops.get(domain);
    const age = hit ? clock.now() - hit.at : Infinity;
    if (hit && age < (hit.shop ? SHOP_TTL_MS : UNKNOWN_SHOP_TTL_MS)) return hit.shop ? { status: "found", shop: hit.shop } : { status: "unknown" };
    try {
      const shop = await withDeadline(readShop(domain), budgetMs, "reading the shop");
      return shop ? { status: "found", shop } : { status: "unknown" };
    } catch (error) {
      if (hit?.shop && age < timing.staleMaxMs) return { status: "found", shop: hit.shop };
      return { status: "unavailable", error: error instanceof DeadlineExceeded ? error.message : databaseProblem(error) };
    }
  }

  /** One read per domain at a time; its result is cached whenever it arrives. */
  function readShop(domain: string): Promise<CheckoutShop | null> {
    let load = shopLoads.get(domain);
    if (!load) {
      load = db.shop
        .findUnique({ where: { domain }, select: { id: true, currency: true, uninstalledAt: true } })
        .then((row) => {
          const shop = row && row.uninstalledAt === null ? { id: row.id, currency: row.currency } : null;
          if (shops.size > 10_000) shops.clear();
          shops.set(domain, { shop, at: clock.now() });
          return shop;
        })
        .finally(() => shopLoads.delete(domain));
      shopLoads.set(domain, load);
    }
    return load;
  }

  return {
    clock,
    timing,
    cachedSnapshot,
    staleSnapshot,
    loadSnapshot,
    invalidate,
    checkVersion: async (shopId) => {
      const entry = entries.get(shopId);
      return entry ? versionCheck(entry) : false;
    },
    generation: generationOf,
    knownBudgetMs,
    knownFallback,
    knownNodePlaces: (shopId) => {
      const result = entries.get(shopId)?.result;
      return result?.ok ? result.snapshot.places : undefined;
    },
    checkoutShop,
    idle: async () => {
      for (;;) {
        const pending = [...[...inflight.values()].map((i) => i.promise), ...checks];
        if (pending.length === 0) return;
        await Promise.allSettled(pending);
      }
    },
  };
}

function staleResult(entry: Entry, error: string): SnapshotResult {
  if (!entry.result.ok) throw new Error("only a good snapshot can be served stale");
  return { ok: true, snapshot: entry.result.snapshot, stale: { loadedAt: entry.loadedAt, error } };
}

/** The process's cache: every quote, the checkout routes and routing read it. */
export const quoteSnapshots: QuoteSnapshotCache = createQuoteSnapshotCache();

// A save in this process: its own snapshot goes at once (other processes see Shop.configVersion move).
onConfigChange((shopId) => quoteSnapshots.invalidate(shopId));

/** Drops the shop's snapshot in this process (or everything the cache holds): the next quote loads a fresh one (the seed, tests). */
export const invalidateQuoteCache = (shopId?: string): void => quoteSnapshots.invalidate(shopId);
/** Loads (or joins the load already running for) the shop's snapshot in this process's cache. Never rejects. */
export const loadSnapshot = (shop: ShopRef): Promise<SnapshotResult> => quoteSnapshots.loadSnapshot(shop);
/** The version check of this process's cache, now (see QuoteSnapshotCache.checkVersion). */
export const checkQuoteCacheVersion = (shopId: string): Promise<boolean> => quoteSnapshots.checkVersion(shopId);
export const knownNodePlaces = (shopId: string): QuoteSnapshot["places"] | undefined => quoteSnapshots.knownNodePlaces(shopId);

function toProfile(p: {
  id: string;
  sku: string;
  title: string;
  sellerId: string | null;
  category: string;
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  valueMinor: number;
  returnRateBps: number;
  madeToOrder: boolean;
}): ProductProfile {
  return {
    id: p.id,
    sku: p.sku,
    title: p.title,
    sellerId: p.sellerId,
    category: p.category,
    weightGrams: p.weightGrams,
    lengthMm: p.lengthMm,
    widthMm: p.widthMm,
    heightMm: p.heightMm,
    valueMinor: p.valueMinor,
    returnRateBps: p.returnRateBps,
    madeToOrder: p.madeToOrder,
  };
}

/** "gid://shopify/ProductVariant/43729076" and "43729076" both → "43729076". */
export function variantKey(id: string | number): string {
  const s = String(id).trim();
  const slash = s.lastIndexOf("/");
  return slash >= 0 ? s.slice(slash + 1) : s;
}

async function buildSnapshot(shop: ShopRef, now: number): Promise<QuoteSnapshot> {
  const where = { shopId: shop.id };
  // The version first: a save that lands while the rest is read moves it past this snapshot's.
  const shopRow = await db.shop.findUnique({ where: { id: shop.id }, select: { timezone: true, configVersion: true } });
  if (!shopRow) throw new Error(`shop ${shop.id} does not exist`);
  const [nodeRows, productRows, stockRows, shipping, dayEvents, routingSettings, permitRows, sellerRows] = await Promise.all([
    db.node.findMany({ where, orderBy: { handle: "asc" } }),
    db.product.findMany({
      where,
      select: {
        id: true, sku: true, title: true, shopifyVariantId: true, sellerId: true, category: true, weightGrams: true,
        lengthMm: true, widthMm: true, heightMm: true, valueMinor: true, returnRateBps: true, madeToOrder: true,
      },
    }),
    db.stockLevel.findMany({ where, select: { nodeId: true, productId: true, available: true } }),
    getShopShipping(shop.id),
    // Orders taken today at each node: the one figure checkout, routing and admin read.
    nodeOrderEvents(shop.id, now),
    // Stored routing settings that no longer read leave split quotes on routing's defaults.
    getRoutingSettings(shop.id).catch(() => DEFAULT_ROUTING),
    // Permits, read with the rest: a lapsed one takes away what it gates (core/permits, the PERMITS gate).
    db.permit.findMany({ where }),
    db.seller.findMany({ where, select: { id: true, name: true } }),
  ]);
  // Throws when a part of the settings or a node's operations no longer reads: backup rates then.
  const config = quoteConfigOf(shipping, nodeRows);

  const warnings: string[] = [];
  const nodes: NetworkNode[] = [];
  const places = new Map(nodeRows.map((r) => [r.id, { city: r.city || null, kind: r.kind }]));
  for (const row of nodeRows) {
    try {
      nodes.push(toNetworkNode(row));
    } catch (error) {
      warnings.push(`node ${row.handle} left out: ${(error as Error).message}`);
    }
  }
  const bySku = new Map<string, ProductProfile>();
  const byVariant = new Map<string, ProductProfile>();
  const products: ProductProfile[] = [];
  for (const row of productRows) {
    const profile = toProfile(row);
    products.push(profile);
    bySku.set(row.sku, profile);
    if (row.shopifyVariantId) byVariant.set(variantKey(row.shopifyVariantId), profile);
  }
  const stock: StockByNode = {};
  for (const s of stockRows) (stock[s.nodeId] ??= {})[s.productId] = Math.max(0, s.available);
  // Items the shop has not described are assumed to ship from its central warehouses, the
  // merchant's default location: nowhere else is known to hold them.
  for (const n of nodes) if (n.kind === "CENTRAL_WAREHOUSE") (stock[n.id] ??= {})[UNKNOWN_PRODUCT_ID] = Number.MAX_SAFE_INTEGER;

  const today = countToday(nodes, dayEvents, now);
  const corridors = (config.corridors ?? []).map((c) => ({ id: c.id, name: c.name, nodeId: c.nodeId }));
  const permits = permitStanding(permitRows.map(toPermit), { nodes, corridors, sellers: sellerRows, shopTimezone: shopRow.timezone }, now);
  // Hubs with their own delivery rounds are priced on the local orders they delivered lately.
  const roundsNodes = new Set((config.rounds ?? []).map((r) => r.nodeId));
  const localDemand = roundsNodes.size ? await localDemandOf(shop.id, nodes.filter((n) => roundsNodes.has(n.id)), now) : undefined;
  const snapshot: NetworkSnapshot = { shopId: shop.id, currency: shop.currency, nodes, products, stock, today, permits, localDemand };
  const net = prepareNetwork(snapshot, config);
  let routing: RoutingNetwork;
  try {
    routing = prepareRouting(net, routingSettings.config);
  } catch (error) {
    warnings.push(`routing settings not used for split quotes (${(error as Error).message}): routing's defaults instead`);
    routing = prepareRouting(net, DEFAULT_ROUTING.config);
  }
  if (warnings.length) logger.warn({ shopId: shop.id, warnings }, "quote cache: nodes left out of the snapshot");
  return {
    shopId: shop.id,
    currency: shop.currency,
    timezone: shopRow.timezone,
    version: shopRow.configVersion,
    net,
    bySku,
    byVariant,
    backupRates: shipping.backupRates,
    budgetMs: shipping.quoteBudgetMs,
    warnings: [...warnings, ...net.warnings],
    places,
    routing,
  };
}

/**
 * The backup rates and budget stored for the shop, read without the (possibly broken) config; when
 * the database itself failed, what this process last knew of them (nothing is read).
 */
async function failureFor(shopId: string, error: unknown, budgetMs: number, last: KnownFallback): Promise<SnapshotFailure> {
  if (isDatabaseUnavailable(error)) {
    return { error: databaseProblem(error), databaseUnavailable: true, budgetMs, ...last };
  }
  const message = error instanceof Error ? error.message : String(error);
  const failure: SnapshotFailure = {
    error: message,
    databaseUnavailable: false,
    backupRates: DEFAULT_BACKUP_RATES,
    timezone: "UTC",
    backupCalendar: last.backupCalendar,
    budgetMs,
  };
  try {
    const [row, shop] = await Promise.all([
      db.shippingSettings.findUnique({ where: { shopId }, select: { quoteBudgetMs: true, backupRatesJson: true } }),
      db.shop.findUnique({ where: { id: shopId }, select: { timezone: true } }),
    ]);
    if (shop) failure.timezone = shop.timezone;
    if (row) {
      failure.budgetMs = row.quoteBudgetMs;
      const parsed = backupRatesSchema.safeParse(JSON.parse(row.backupRatesJson));
      if (parsed.success && parsed.data.length > 0) failure.backupRates = parsed.data;
    }
  } catch {
    // The database itself is what failed: the default backup rates stand.
  }
  return failure;
}

// ---------------------------------------------------------------------------------------------
// Shops by domain, for the checkout routes (rates callback, extension backend, app proxy): a
// request must not cost a query once the shop is known, nor wait on a database that is away.

export interface CheckoutShop {
  id: string;
  currency: string;
}

export type ShopLookup =
  | { status: "found"; shop: CheckoutShop }
  /** No such shop, or it uninstalled the app. */
  | { status: "unknown" }
  /** The database did not say in time, and this process has not seen the shop lately. */
  | { status: "unavailable"; error: string };

const SHOP_TTL_MS = 30_000;
const UNKNOWN_SHOP_TTL_MS = 5_000;

/**
 * The installed shop behind a (verified) domain, from memory when this process read it in the last
 * 30 s (5 s for an unknown one). Otherwise read, within `budgetMs`; if the database fails or takes
 * longer, a shop seen in the last `staleMaxMs` goes on as it was, and one never seen is "unavailable".
 */
export const checkoutShop = (domain: string, budgetMs?: number): Promise<ShopLookup> => quoteSnapshots.checkoutShop(domain, budgetMs);
