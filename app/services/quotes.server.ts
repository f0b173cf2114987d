// Checkout quotes for a shop: the one service behind the CarrierService callback, the open API,
// the admin quote simulator, the checkout-extension backend and the app proxy.
//
//   quoteForShop(shop, { lines, destination }, { source }) → ShopQuote
//
// It matches cart lines to the shop's products, places the address (coordinates, else the ZIP's
// centroid, else nowhere), and asks the core for every option from the shop's cached, prepared
// network (quote-snapshot.server.ts). It answers within a time budget whatever fails behind it:
// a snapshot that cannot be loaded in time, a stored configuration that no longer parses, a core
// error, a quote that took too long, or no option at all all give the merchant's backup rates,
// with `fallbackUsed` and the reason.
//
// Quote logs (QuoteLog, read in admin) are written in batches, off the hot path, never awaited:
// - OPEN_API and SIMULATOR quotes: every one (a person or a script asked; volumes are small);
// - checkout quotes (CARRIER_SERVICE, CHECKOUT_EXTENSION, APP_PROXY): a sample of at most one
//   answered quote per shop per second, plus every fallback up to ten per shop per second, so
//   the log explains what shoppers saw without writing on every rate request; the first quote
//   after the shop's network was dropped (a save) is always in the sample;
// - `opts.log` true logs this quote whatever the sampling, false never.
// The queue holds at most 2,000 rows; beyond that, rows are dropped and counted in the warning (and
// in /healthz). One write runs at a time; while the database is unavailable the rows wait in the
// queue and are tried again every 5 s, so nothing on the hot path ever waits for a write.
import type { Prisma } from "@prisma/client";
import type { CartLine, Destination } from "~/core/costing/types";
import { clockFor, MINUTE_MS } from "~/core/geo/localTime";
import type { ProductProfile } from "~/core/network/types";
import { backupCalendar, quotePrepared, type BackupRate, type NodeCalendar, type QuoteResult } from "~/core/quoting";
import type { QuotedCourierFees } from "~/core/costing/quotedFees";
import { db, isDatabaseUnavailable } from "~/db.server";
import { courierQuoteLookup } from "./courier-quotes.server";
import { withDeadline } from "./deadline.server";
import { geocode, type Placement } from "./geocode.server";
import { logger } from "./logger.server";
import { quoteSnapshots, UNKNOWN_PRODUCT_ID, variantKey, type QuoteSnapshot, type QuoteSnapshotCache, type SnapshotResult } from "./quote-snapshot.server";

export { checkQuoteCacheVersion, invalidateQuoteCache } from "./quote-snapshot.server";

export type QuoteSource = "CARRIER_SERVICE" | "OPEN_API" | "SIMULATOR" | "CHECKOUT_EXTENSION" | "APP_PROXY";

export interface QuoteCartLineInput {
  sku?: string;
  variantId?: string;
  quantity: number;
  unitPriceMinor?: number;
  /** Weight of one unit, used when the shop does not know the SKU. */
  grams?: number;
  requiresShipping?: boolean;
}

export interface QuoteDestinationInput {
  country: string;
  postalCode?: string | null;
  province?: string | null;
  city?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

export interface ShopQuote {
  /**
   * The core's answer. When `fallbackUsed`, `options` is empty (show `backupRates`); the
   * exclusions and reasons found before the fallback are kept.
   */
  result: QuoteResult;
  /** The address as quoted: geocoded when it came without coordinates. */
  destination: Destination;
  placed: Placement;
  fallbackUsed: boolean;
  fallbackReason: string | null;
  /** The merchant's backup rates (always filled, so a caller can show them). */
  backupRates: BackupRate[];
  durationMs: number;
  /** Lines whose SKU or variant the shop does not know: priced from their grams with a default profile. */
  unknownLines: string[];
  /** Goods subtotal of the shipped lines, minor units (backup rates' "free over" reads it). */
  subtotalMinor: number;
  /** The shop's time zone (backup rates' delivery dates are counted in it). */
  timezone: string;
  /** The calendar of the node backup rates ship from: their windows skip its holidays (core/quoting/offers). */
  backupCalendar: NodeCalendar | null;
}

export interface QuoteOptions {
  source: QuoteSource;
  now?: Date;
  /**
   * At most this long. Checkout sources (CARRIER_SERVICE, CHECKOUT_EXTENSION, APP_PROXY) are also
   * capped by the shop's quoteBudgetMs; the open API and the simulator by 10 s, so a slow first
   * load does not turn a person's or a script's question into backup rates.
   */
  budgetMs?: number;
  log?: boolean;
  /** The cache to quote from, whose clock the log sampling reads too (default: the process's, `quoteSnapshots`). */
  snapshots?: QuoteSnapshotCache;
}

/** The logistics profile of an item the shop has not described: a small parcel of its weight. */
const UNKNOWN_PROFILE: Omit<ProductProfile, "sku" | "title" | "weightGrams" | "valueMinor"> = {
  id: UNKNOWN_PRODUCT_ID,
  sellerId: null,
  category: "unknown",
  lengthMm: 250,
  widthMm: 200,
  heightMm: 100,
  returnRateBps: 1000,
  madeToOrder: false,
};
/** Budget of quotes nobody is waiting on at a checkout: the open API and the simulator. */
const INTERACTIVE_BUDGET_MS = 10_000;
/** Weight assumed for an unknown item that came without grams. */
const UNKNOWN_DEFAULT_GRAMS = 500;

interface CartMatch {
  lines: CartLine[];
  unknownLines: string[];
  subtotalMinor: number;
}

function safeInt(n: number | undefined, fallback: number): number {
  return n !== undefined && Number.isFinite(n) && n >= 0 ? Math.round(n) : fallback;
}

/** Cart lines as the core's CartLines: matched by variant id, then SKU; one line per known product. */
export function matchCartLines(snapshot: Pick<QuoteSnapshot, "bySku" | "byVariant">, input: readonly QuoteCartLineInput[]): CartMatch {
  const known = new Map<string, { product: ProductProfile; quantity: number; totalMinor: number }>();
  const lines: CartLine[] = [];
  const unknownLines: string[] = [];
  let subtotalMinor = 0;
  for (const l of input) {
    if (l.requiresShipping === false) continue;
    const quantity = safeInt(l.quantity, 0);
    if (quantity === 0) continue;
    const sku = l.sku?.trim() || undefined;
    const product =
      (l.variantId ? snapshot.byVariant.get(variantKey(l.variantId)) : undefined) ??
      (sku ? snapshot.bySku.get(sku) : undefined);
    const unitPrice = l.unitPriceMinor === undefined ? undefined : safeInt(l.unitPriceMinor, 0);
    if (product) {
      const unit = unitPrice ?? product.valueMinor;
      subtotalMinor += unit * quantity;
      const seen = known.get(product.id);
      if (seen) {
        seen.quantity += quantity;
        seen.totalMinor += unit * quantity;
      } else {
        known.set(product.id, { product, quantity, totalMinor: unit * quantity });
      }
      continue;
    }
    const label = sku ?? (l.variantId ? `variant ${variantKey(l.variantId)}` : "an item without SKU");
    unknownLines.push(label);
    const unit = unitPrice ?? 0;
    subtotalMinor += unit * quantity;
    lines.push({
      product: { ...UNKNOWN_PROFILE, sku: label, title: label, weightGrams: safeInt(l.grams, UNKNOWN_DEFAULT_GRAMS), valueMinor: unit },
      quantity,
      unitPriceMinor: unit,
    });
  }
  for (const k of known.values()) {
    lines.push({ product: k.product, quantity: k.quantity, unitPriceMinor: Math.round(k.totalMinor / k.quantity) });
  }
  return { lines, unknownLines, subtotalMinor };
}

function inputSubtotal(lines: readonly QuoteCartLineInput[]): number {
  let sum = 0;
  for (const l of lines) {
    if (l.requiresShipping === false) continue;
    sum += safeInt(l.unitPriceMinor, 0) * safeInt(l.quantity, 0);
  }
  return sum;
}

/**
 * A quote for the shop's cart and address. Never throws for anything behind it (database,
 * configuration, core): those give the backup rates with the reason.
 */
export async function quoteForShop(
  shop: { id: string; currency: string },
  input: { lines: QuoteCartLineInput[]; destination: QuoteDestinationInput },
  opts: QuoteOptions,
): Promise<ShopQuote> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const nowMs = now.getTime();
  const requested = opts.budgetMs ?? Infinity;
  const checkout = CHECKOUT_SOURCES.has(opts.source);
  const capOf = (shopBudgetMs: number) => Math.min(requested, checkout ? shopBudgetMs : INTERACTIVE_BUDGET_MS);
  const snapshots = opts.snapshots ?? quoteSnapshots;
  let budgetMs = capOf(snapshots.knownBudgetMs(shop.id));
  const geo = geocode(input.destination);
  const base = {
    destination: geo.destination,
    placed: geo.placed,
    unknownLines: [] as string[],
    // Until lines are matched (the snapshot may never load), the prices the caller sent.
    subtotalMinor: inputSubtotal(input.lines),
  };
  const emptyResult = (reasons: string[]): QuoteResult => ({ currency: shop.currency, quotedAt: nowMs, options: [], excluded: [], reasons });
  const finish = (q: Omit<ShopQuote, "durationMs">): ShopQuote => {
    const quote = { ...q, durationMs: performance.now() - started };
    maybeLog(shop.id, opts, input, quote);
    return quote;
  };

  let loaded: SnapshotResult | null = snapshots.cachedSnapshot(shop);
  if (loaded === null) {
    try {
      loaded = await withDeadline(snapshots.loadSnapshot(shop), budgetMs - (performance.now() - started), "loading the shop's network");
    } catch (error) {
      // Nothing loaded in time: quote from the last good network if there is one; else answer with
      // what this process last knew of the shop, else the defaults.
      loaded = snapshots.staleSnapshot(shop);
      if (loaded === null) {
        const reason = `live quoting unavailable: ${(error as Error).message}`;
        return finish({ ...base, ...snapshots.knownFallback(shop.id), result: emptyResult([reason]), fallbackUsed: true, fallbackReason: reason });
      }
    }
  }
  if (!loaded.ok) {
    const f = loaded.failure;
    const reason = `live quoting unavailable: ${f.error}`;
    return finish({ ...base, result: emptyResult([reason]), fallbackUsed: true, fallbackReason: reason, backupRates: f.backupRates, timezone: f.timezone, backupCalendar: f.backupCalendar });
  }

  const snap = loaded.snapshot;
  budgetMs = capOf(snap.budgetMs);
  const common = { backupRates: snap.backupRates, timezone: snap.timezone, backupCalendar: backupCalendar(snap.net) };
  let result: QuoteResult;
  let match: CartMatch;
  try {
    match = matchCartLines(snap, input.lines);
    base.unknownLines = match.unknownLines;
    base.subtotalMinor = match.subtotalMinor;
    if (match.lines.length === 0) {
      return finish({ ...base, ...common, result: emptyResult(["no line of the cart needs shipping"]), fallbackUsed: false, fallbackReason: null });
    }
    const quotedCourierFees = await courierFees(snap, nowMs, budgetMs - (performance.now() - started));
    result = quotePrepared(snap.net, { cart: { lines: match.lines }, destination: geo.destination, now: nowMs, quotedCourierFees }, snap.routing);
  } catch (error) {
    const reason = `the quote failed: ${(error as Error).message}`;
    logger.error({ shopId: shop.id, err: (error as Error).message }, "quote failed");
    return finish({ ...base, ...common, result: emptyResult([reason]), fallbackUsed: true, fallbackReason: reason });
  }
  if (geo.placed === "postal_code") result.reasons.unshift(`address placed at the centroid of ZIP ${geo.destination.postalCode}`);
  if (loaded.stale) {
    const age = Math.max(0, Math.round((snapshots.clock.now() - loaded.stale.loadedAt) / 1000));
    result.reasons.unshift(`quoted from the network as loaded ${age} s ago, not reloaded: ${loaded.stale.error}`);
  }
  if (match.unknownLines.length > 0) {
    result.reasons.push(
      `${match.unknownLines.length} item${match.unknownLines.length === 1 ? "" : "s"} not in the catalogue (${match.unknownLines.slice(0, 3).join(", ")}${match.unknownLines.length > 3 ? ", …" : ""}): priced from their weight, shipped from the central warehouse`,
    );
  }

  const elapsed = performance.now() - started;
  let fallbackReason: string | null = null;
  if (elapsed > budgetMs) {
    fallbackReason = `the live quote took ${elapsed.toFixed(1)} ms, over the ${budgetMs} ms budget`;
  } else if (result.options.length === 0) {
    fallbackReason = `no live option for this cart and address${summariseExclusions(result)}`;
  }
  if (fallbackReason !== null) {
    result.options = [];
    result.reasons.push(`${fallbackReason}: backup rates answered`);
  }
  return finish({ ...base, ...common, result, fallbackUsed: fallbackReason !== null, fallbackReason });
}

// Courier fees quoted ahead (courier-quotes.server.ts), for shops with a courier that has a
// quoteProvider: read into memory with each snapshot of the shop's network (so a reload or an
// invalidation reads them again), then every 10 s in the background. Only the first quote on a
// snapshot waits for them, within its budget; a failed read leaves the rate estimates.
const COURIER_FEES_TTL_MS = 10_000;
const courierFeeCache = new WeakMap<QuoteSnapshot, { fees: QuotedCourierFees | null; at: number; loading: Promise<void> | null }>();

async function courierFees(snap: QuoteSnapshot, nowMs: number, remainingMs: number): Promise<QuotedCourierFees | undefined> {
  if (!snap.net.config.couriers.some((c) => c.quoteProvider)) return undefined;
  let e = courierFeeCache.get(snap);
  if (!e) {
    e = { fees: null, at: -Infinity, loading: null };
    courierFeeCache.set(snap, e);
  }
  const entry = e;
  if (performance.now() - entry.at >= COURIER_FEES_TTL_MS && entry.loading === null) {
    entry.loading = courierQuoteLookup(snap.shopId, nowMs)
      .then(
        (fees) => {
          entry.fees = fees;
        },
        (error: Error) => logger.warn({ shopId: snap.shopId, err: error.message }, "courier quotes could not be read: rate estimates apply"),
      )
      .finally(() => {
        entry.at = performance.now();
        entry.loading = null;
      });
  }
  if (entry.fees === null && entry.loading !== null) {
    await withDeadline(entry.loading, remainingMs, "reading courier quotes").catch(() => undefined);
  }
  return entry.fees ?? undefined;
}

function summariseExclusions(result: QuoteResult): string {
  const codes = new Map<string, number>();
  for (const e of result.excluded) for (const r of e.reasons) codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
  if (codes.size === 0) return result.reasons.length ? ` (${result.reasons[0]})` : "";
  return ` (excluded: ${[...codes].map(([c, n]) => `${c} ×${n}`).join(", ")})`;
}

const formattedDates = new Map<string, Map<number, string>>();

/**
 * "2013-04-12 14:48:45 -0400": Shopify's rate date format, in the given zone. Memoised per zone
 * (a few thousand instants at most): most promises fall on the same rounded times, and formatting
 * is a good share of what a rate response allocates.
 */
export function shopifyDate(ms: number, timezone: string): string {
  let byMs = formattedDates.get(timezone);
  if (!byMs) formattedDates.set(timezone, (byMs = new Map()));
  let text = byMs.get(ms);
  if (text === undefined) {
    if (byMs.size >= 4096) byMs.clear();
    text = formatShopifyDate(ms, timezone);
    byMs.set(ms, text);
  }
  return text;
}

function formatShopifyDate(ms: number, timezone: string): string {
  const offset = clockFor(timezone).offsetMinutesAt(ms);
  const local = new Date(ms + offset * MINUTE_MS);
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  const abs = Math.abs(offset);
  return (
    `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())} ` +
    `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())} ` +
    `${offset < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}${two(abs % 60)}`
  );
}

// ---------------------------------------------------------------------------------------------
// Quote logs: batched, off the hot path.

const CHECKOUT_SOURCES: ReadonlySet<QuoteSource> = new Set(["CARRIER_SERVICE", "CHECKOUT_EXTENSION", "APP_PROXY"]);
const SAMPLE_ANSWERED_MS = 1_000;
const SAMPLE_FALLBACK_MS = 100;
const MAX_QUEUED = 2_000;
const FLUSH_AFTER_MS = 1_000;
const FLUSH_AT = 200;
const RETRY_AFTER_MS = 5_000;

interface QueuedLog {
  shopId: string;
  source: QuoteSource;
  input: { lines: QuoteCartLineInput[]; destination: QuoteDestinationInput };
  quote: ShopQuote;
  at: Date;
}

const queue: QueuedLog[] = [];
const lastLogged = new Map<string, { at: number; generation: number }>();
/** Rows dropped since the last flush (for its warning), and since the process started (for /healthz). */
let dropped = 0;
let droppedTotal = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
/** The write under way, and the one flush waiting for it (any number of callers share it). */
let writing: Promise<void> | null = null;
let next: Promise<void> | null = null;
/** After a write found the database unavailable, a full queue waits for the retry instead of writing at once. */
let pausedUntil = 0;

/** Quote logs waiting to be written, and rows dropped because the queue was full (since start). */
export function quoteLogQueue(): { queued: number; dropped: number } {
  return { queued: queue.length, dropped: droppedTotal };
}

function drop(n: number): void {
  dropped += n;
  droppedTotal += n;
}

/**
 * One answered quote per shop per second (a fallback per 100 ms), by the quote cache's clock; the
 * first quote after the shop's network was dropped (a save, `invalidateQuoteCache`) is logged
 * whatever the last one's time, so the log shows what the new configuration answered.
 */
function sampled(snapshots: QuoteSnapshotCache, shopId: string, fallback: boolean): boolean {
  const key = `${shopId}:${fallback ? "F" : "A"}`;
  const now = snapshots.clock.now();
  const generation = snapshots.generation(shopId);
  const last = lastLogged.get(key);
  if (last !== undefined && last.generation === generation && now - last.at < (fallback ? SAMPLE_FALLBACK_MS : SAMPLE_ANSWERED_MS)) return false;
  lastLogged.set(key, { at: now, generation });
  return true;
}

function maybeLog(shopId: string, opts: QuoteOptions, input: QueuedLog["input"], quote: ShopQuote): void {
  if (opts.log === false) return;
  if (opts.log !== true && CHECKOUT_SOURCES.has(opts.source) && !sampled(opts.snapshots ?? quoteSnapshots, shopId, quote.fallbackUsed)) return;
  if (queue.length >= MAX_QUEUED) {
    drop(1);
    return;
  }
  queue.push({ shopId, source: opts.source, input, quote, at: new Date() });
  if (queue.length >= FLUSH_AT && writing === null && performance.now() >= pausedUntil) void flushQuoteLogs();
  else scheduleFlush(FLUSH_AFTER_MS);
}

function scheduleFlush(ms: number): void {
  if (timer !== null) return;
  timer = setTimeout(() => void flushQuoteLogs(), ms);
  timer.unref?.();
}

const round3 = (v: number | null | undefined) => (v == null ? null : Math.round(v * 1000) / 1000);

function toRow(q: QueuedLog): Prisma.QuoteLogCreateManyInput {
  const { quote } = q;
  return {
    shopId: q.shopId,
    source: q.source,
    // Coordinates rounded to ~100 m: enough to read the decision, not to find the door.
    destinationJson: JSON.stringify({
      country: quote.destination.country,
      postalCode: quote.destination.postalCode ?? null,
      province: q.input.destination.province ?? null,
      city: q.input.destination.city ?? null,
      latitude: round3(quote.destination.latitude),
      longitude: round3(quote.destination.longitude),
      placed: quote.placed,
    }),
    cartJson: JSON.stringify({ lines: q.input.lines.slice(0, 250), lineCount: q.input.lines.length, unknownLines: quote.unknownLines }),
    resultJson: JSON.stringify({
      currency: quote.result.currency,
      quotedAt: quote.result.quotedAt,
      options: quote.result.options,
      excluded: quote.result.excluded,
      reasons: quote.result.reasons,
      fallbackReason: quote.fallbackReason,
      backupRates: quote.fallbackUsed ? quote.backupRates : undefined,
    }),
    fallbackUsed: quote.fallbackUsed,
    durationMs: Math.max(0, Math.round(quote.durationMs)),
    createdAt: q.at,
  };
}

/**
 * Writes the queued quote logs now (after the write under way, if any). Failures are logged, never
 * thrown. While the database is unavailable (or locked past the wait) nothing is lost that the queue
 * can hold: the rows go back to the head of the queue and are tried again in 5 s.
 */
export function flushQuoteLogs(): Promise<void> {
  if (timer !== null) {
    clearTimeout(timer);
    timer = null;
  }
  if (next) return next;
  if (writing) {
    next = writing.then(() => {
      next = null;
      return flushQuoteLogs();
    });
    return next;
  }
  writing = writeQueued().finally(() => (writing = null));
  return writing;
}

async function writeQueued(): Promise<void> {
  const lost = dropped;
  dropped = 0;
  if (lost > 0) logger.warn({ dropped: lost }, "quote log queue full: rows dropped");
  // In batches of FLUSH_AT, so one write never holds the (synchronous) SQLite driver for long.
  while (queue.length > 0) {
    const batch = queue.splice(0, FLUSH_AT);
    const rows = batch.map(toRow);
    try {
      await db.quoteLog.createMany({ data: rows });
    } catch (error) {
      if (isDatabaseUnavailable(error)) return putBack(batch, error);
      // One bad row (a shop deleted meanwhile) must not lose the others.
      logger.warn({ err: (error as Error).message, rows: rows.length }, "quote log batch failed; writing rows one by one");
      for (let i = 0; i < rows.length; i++) {
        try {
          await db.quoteLog.create({ data: rows[i] });
        } catch (e) {
          if (isDatabaseUnavailable(e)) return putBack(batch.slice(i), e);
          logger.warn({ err: (e as Error).message, shopId: rows[i].shopId }, "quote log row failed");
        }
      }
    }
  }
}

/** Rows not written because the database is unavailable: back to the head of the queue, as many as it holds. */
function putBack(rows: QueuedLog[], error: unknown): void {
  const kept = rows.slice(0, Math.max(0, MAX_QUEUED - queue.length));
  queue.unshift(...kept);
  drop(rows.length - kept.length);
  pausedUntil = performance.now() + RETRY_AFTER_MS;
  logger.warn({ err: (error as Error).message, queued: queue.length }, "quote logs not written: the database is unavailable or locked past the wait; trying again in 5 s");
  if (timer !== null) clearTimeout(timer);
  timer = null;
  scheduleFlush(RETRY_AFTER_MS);
}
