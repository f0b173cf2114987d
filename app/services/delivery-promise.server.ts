// The shopper's delivery promise: what the checkout UI extension and the storefront app block
// show next to the shipping options. It turns a shop quote (quoteForShop) into plain words:
// per option, where it ships from, when it arrives (in the node's time zone) and what the price
// is made of (the cost components the price starts from, then the merchant's pricing steps),
// with the cheapest and the fastest flagged; a plain message when only backup rates apply.
//
// One request schema serves both callers (the extension's JSON body, the app proxy's query
// string), so a bad field gets the same 400 message either way.
import type { Shop } from "@prisma/client";
import { z } from "zod";
import type { CostComponent, ServiceKind } from "~/core/costing/types";
import { formatDayRange } from "~/core/format/format";
import { formatDistance } from "~/core/geo/distance";
import { clockFor } from "~/core/geo/localTime";
import { currencyDigits } from "~/core/money/money";
import { NODE_KINDS, type NodeKind } from "~/core/network/types";
import {
  backupPriceMinor,
  formatClock,
  formatDay,
  offeredOptions,
  type BackupRate,
  type DeliveryWindow,
  type PricingStep,
  type QuoteOption,
  type QuoteResult,
} from "~/core/quoting";
import { logger } from "./logger.server";
import { checkoutSeconds } from "./metrics.server";
import { checkoutShop, knownNodePlaces, type ShopLookup } from "./quote-snapshot.server";
import { quoteForShop, type ShopQuote } from "./quotes.server";
import { getShopShipping } from "./shipping-settings.server";

// ---------------------------------------------------------------------------------------------
// Request

const trimmedOrNull = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

export const promiseDestinationSchema = z.object({
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "must be a two-letter country code such as US"),
  postalCode: trimmedOrNull(16),
  province: trimmedOrNull(64),
  city: trimmedOrNull(120),
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
});

export const promiseLineSchema = z
  .object({
    /** gid://shopify/ProductVariant/123 or the bare number 123 (Liquid's variant.id). */
    variantId: z
      .union([z.string().trim().min(1).max(100), z.number().int().positive()])
      .optional()
      .transform((v) => (v === undefined ? undefined : toVariantGid(v))),
    sku: z.string().trim().min(1).max(100).optional(),
    quantity: z.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000"),
    unitPriceMinor: z.number().int().nonnegative().optional(),
  })
  .refine((l) => l.variantId !== undefined || l.sku !== undefined, {
    message: "each line needs a variantId or a sku",
    path: ["variantId"],
  });

export const promiseRequestSchema = z.object({
  destination: promiseDestinationSchema,
  lines: z.array(promiseLineSchema).min(1, "at least one line is needed").max(250, "at most 250 lines"),
  /** BCP 47 language tag for money formatting, e.g. "en-US"; defaults to "en". */
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a language tag such as en-US")
    .optional(),
});
export type PromiseRequest = z.output<typeof promiseRequestSchema>;

export function toVariantGid(v: string | number): string {
  const s = String(v);
  return /^\d+$/.test(s) ? `gid://shopify/ProductVariant/${s}` : s;
}

export type { ShopQuote };
export type Placement = ShopQuote["placed"];

/** Where a node is, for "ships from": loaded per quote, shop-scoped. */
export interface NodePlace {
  city: string | null;
  kind: NodeKind | null;
}

// ---------------------------------------------------------------------------------------------
// The promise (the JSON both shopper surfaces read)

export interface PromiseMoney {
  amountMinor: number;
  currency: string;
  /** "$12.99" in the request's locale. */
  formatted: string;
}

export interface PromiseCost {
  /** Plain words: "Courier fee", "Distance", "Packing at Brooklyn hub". */
  label: string;
  /** A short why: "3.4 km by road"; null when the label says it all. */
  note: string | null;
  amount: PromiseMoney;
}

export interface PromiseStep {
  /** Plain words: "Shop margin (+10%)", "Rounded", "Free delivery: your order qualifies". */
  label: string;
  /** Signed change the step made to the price. */
  change: PromiseMoney;
  /** The price after the step. */
  after: PromiseMoney;
}

export interface PromiseOption {
  serviceCode: string;
  service: ServiceKind;
  /** "Same-day delivery", "Standard shipping", "Pickup". */
  title: string;
  shipsFrom: { name: string; city: string | null; kind: string | null };
  /** Who carries it: courier, "carrier / service", corridor; null for pickup. */
  carriedBy: string | null;
  arrives: {
    /** "Today by 8 pm", "Thu, Dec 4 – Mon, Dec 8", "Ready today from 2 pm". */
    text: string;
    earliest: string;
    latest: string;
    /** The node's IANA zone, in which `text` is written. */
    timezone: string;
  };
  /** The quote's own one-liner: "Today by 8 pm from the Brooklyn hub". */
  summary: string;
  price: PromiseMoney;
  /** Costs sum to `costTotal`; the steps take `costTotal` to `price`. */
  breakdown: { costs: PromiseCost[]; costTotal: PromiseMoney; steps: PromiseStep[] };
  cheapest: boolean;
  fastest: boolean;
  /**
   * A split option's parcels (no single node ships the whole cart), soonest first; empty for an
   * option shipped whole from one node.
   */
  parcels: PromiseParcel[];
}

/** One parcel of a split option: where it ships from, when it arrives, its part of the price. */
export interface PromiseParcel {
  /** "Same-day delivery", "Standard shipping". */
  title: string;
  shipsFrom: { name: string; city: string | null; kind: string | null };
  carriedBy: string | null;
  arrives: { text: string; earliest: string; latest: string; timezone: string };
  /** "Today by 8 pm from the Brooklyn hub". */
  summary: string;
  /** Units of the cart in this parcel. */
  items: number;
  price: PromiseMoney;
}

export interface PromiseBackupRate {
  name: string;
  description: string;
  price: PromiseMoney;
  freeOver: PromiseMoney | null;
  /** "3–7 business days". */
  transit: string;
}

export type PromiseStatus =
  /** Live options from the shop's own network. */
  | "live"
  /** No live option (time budget, nothing reaches the address, no network): the backup rates. */
  | "backup"
  /** Nothing to promise for this shop (not installed, or unknown). */
  | "unavailable";

export interface DeliveryPromise {
  status: PromiseStatus;
  /** One sentence for the shopper. */
  message: string;
  currency: string | null;
  quotedAt: string;
  placed: Placement | null;
  options: PromiseOption[];
  backupRates: PromiseBackupRate[];
  /** Extra plain remarks, e.g. items the estimate does not cover. */
  notes: string[];
}

// ---------------------------------------------------------------------------------------------
// Building it (pure: the clock and node places come in)

const SERVICE_TITLES: Record<ServiceKind, string> = {
  SAME_DAY: "Same-day delivery",
  NEXT_DAY: "Next-day delivery",
  STANDARD: "Standard shipping",
  AUTONOMOUS: "Robot delivery",
  PICKUP: "Pickup",
};

const SHOPPER_KIND_LABELS: Record<NodeKind, string> = {
  CENTRAL_WAREHOUSE: "warehouse",
  MICRO_HUB: "city hub",
  MICRO_FACTORY: "made to order at our micro-factory",
  STORE: "store",
  SELLER_STUDIO: "the maker's own studio",
};

type CostWords = (c: CostComponent, o: QuoteOption) => { label: string; note: string | null } | null;

/**
 * Cost components in plain words, by component code. `null` leaves a component out of the
 * shopper's breakdown: expected returns are part of what an order costs the merchant, not of
 * the forward cost the shopper's price starts from.
 */
const COST_WORDS: Record<string, CostWords> = {
  handling: (_c, o) => ({ label: `Packing at ${o.nodeName}`, note: null }),
  node_pickup: (_c, o) => ({ label: `Collection from ${o.nodeName}`, note: null }),
  courier_base: () => ({ label: "Courier fee", note: null }),
  courier_distance: (_c, o) => ({ label: "Distance", note: roadNote(o) }),
  courier_quote: (_c, o) => ({ label: "Courier fee", note: `quoted by the courier for ${roadNote(o) ?? "this address"}` }),
  courier_surge: () => ({ label: "Busy-time surcharge", note: "couriers charge more at busy times" }),
  carrier_freight: (_c, o) => ({ label: "Postage", note: carrierNote(o) }),
  "surcharge:FUEL_PERCENT": () => ({ label: "Fuel surcharge", note: null }),
  "surcharge:RESIDENTIAL_FLAT": () => ({ label: "Home-delivery surcharge", note: null }),
  autonomous_base: () => ({ label: "Robot dispatch", note: null }),
  autonomous_distance: (_c, o) => ({ label: "Robot distance", note: roadNote(o) }),
  expected_returns: () => null,
};

function roadNote(o: QuoteOption): string | null {
  const m = o.cost.transit.distanceM;
  return m == null ? null : `${formatDistance(m)} by road`;
}

function carrierNote(o: QuoteOption): string | null {
  const t = o.cost.transit;
  const parts = [t.provider, t.zone ? `zone ${t.zone}` : null].filter(Boolean);
  return parts.length ? parts.join(", ") : null;
}

function costWords(c: CostComponent, o: QuoteOption) {
  const words = COST_WORDS[c.code];
  if (words) return words(c, o);
  return { label: c.label, note: null };
}

/** Pricing steps in plain words, by rule code; the merchant's internal arithmetic stays private. */
const STEP_WORDS: Record<string, (s: PricingStep) => string> = {
  MARGIN_PERCENT: (s) => `Shop margin (${s.detail})`,
  ROUND_CHARM: () => "Rounded",
  ROUND_WHOLE: () => "Rounded",
  FREE_OVER_SUBTOTAL: () => "Free delivery: your order qualifies",
  FREE_OVER_DYNAMIC_THRESHOLD: () => "Free delivery: your order qualifies",
};

export class MoneyFormat {
  private readonly formats = new Map<string, Intl.NumberFormat>();
  constructor(private readonly locale: string = "en") {}

  money(amountMinor: number, currency: string): PromiseMoney {
    let f = this.formats.get(currency);
    if (!f) {
      try {
        f = new Intl.NumberFormat(this.locale, { style: "currency", currency });
      } catch {
        f = new Intl.NumberFormat("en", { style: "currency", currency });
      }
      this.formats.set(currency, f);
    }
    return { amountMinor, currency, formatted: f.format(amountMinor / 10 ** currencyDigits(currency)) };
  }
}

/** When it arrives, in the node's zone: "Today by 8 pm", "Thu, Dec 4 – Mon, Dec 8", "Ready today from 2 pm". */
export function arrivalText(service: ServiceKind, window: DeliveryWindow, nowMs: number): string {
  const clock = clockFor(window.timezone);
  const today = clock.local(nowMs).day;
  const from = clock.local(window.earliestMs);
  const by = clock.local(window.latestMs);
  const midnight = by.minuteOfDay === 0 && by.day > from.day;
  const byDay = midnight ? by.day - 1 : by.day;
  const byTime = midnight ? "midnight" : formatClock(by.minuteOfDay);
  if (service === "PICKUP") return `Ready ${formatDay(from.day, today).toLowerCase()} from ${formatClock(from.minuteOfDay)}`;
  if (service === "STANDARD" && from.day !== byDay) return `${formatDay(from.day, today)} – ${formatDay(byDay, today)}`;
  return `${formatDay(byDay, today)} by ${byTime}`;
}

function transitText(rate: BackupRate): string {
  return formatDayRange(rate.transitDaysMin, rate.transitDaysMax);
}

function optionOf(o: QuoteOption, places: ReadonlyMap<string, NodePlace>, nowMs: number, fmt: MoneyFormat): PromiseOption {
  const currency = o.currency;
  const place = places.get(o.nodeId);
  const costs: PromiseCost[] = [];
  // A split option's costs are worded per parcel (its own node and transit), not as the sum's.
  const parts: QuoteOption[] = o.shipments ? o.shipments.map((p) => ({ ...o, nodeId: p.nodeId, nodeName: p.nodeName, cost: p.cost })) : [o];
  for (const part of parts) {
    for (const c of part.cost.components) {
      // A zero line ("Collection: $0.00") tells the shopper nothing.
      if (c.amountMinor === 0) continue;
      const words = costWords(c, part);
      if (words) costs.push({ ...words, amount: fmt.money(c.amountMinor, currency) });
    }
  }
  const parcels: PromiseParcel[] = (o.shipments ?? [])
    .slice()
    .sort((a, b) => a.window.latestMs - b.window.latestMs)
    .map((p) => {
      const at = places.get(p.nodeId);
      return {
        title: SERVICE_TITLES[p.service],
        shipsFrom: { name: p.nodeName, city: at?.city ?? null, kind: at?.kind ? SHOPPER_KIND_LABELS[at.kind] : null },
        carriedBy: p.service === "PICKUP" ? null : p.cost.transit.provider,
        arrives: {
          text: arrivalText(p.service, p.window, nowMs),
          earliest: new Date(p.window.earliestMs).toISOString(),
          latest: new Date(p.window.latestMs).toISOString(),
          timezone: p.window.timezone,
        },
        summary: p.description,
        items: p.lines.reduce((n, l) => n + l.quantity, 0),
        price: fmt.money(p.priceMinor, currency),
      };
    });
  const steps: PromiseStep[] = o.pricing.map((s) => {
    const change = s.afterMinor - s.beforeMinor;
    const signed = fmt.money(Math.abs(change), currency);
    return {
      label: (STEP_WORDS[s.code] ?? ((x: PricingStep) => x.label))(s),
      change: { ...signed, amountMinor: change, formatted: `${change < 0 ? "−" : "+"}${signed.formatted}` },
      after: fmt.money(s.afterMinor, currency),
    };
  });
  return {
    serviceCode: o.serviceCode,
    service: o.service,
    title: o.service === "PICKUP" ? `Pickup at ${o.nodeName}` : SERVICE_TITLES[o.service],
    shipsFrom: {
      name: o.nodeName,
      city: place?.city ?? null,
      kind: place?.kind ? SHOPPER_KIND_LABELS[place.kind] : null,
    },
    carriedBy: o.service === "PICKUP" ? null : o.cost.transit.provider,
    arrives: {
      text: arrivalText(o.service, o.window, nowMs),
      earliest: new Date(o.window.earliestMs).toISOString(),
      latest: new Date(o.window.latestMs).toISOString(),
      timezone: o.window.timezone,
    },
    summary: o.description,
    price: fmt.money(o.priceMinor, currency),
    breakdown: { costs, costTotal: fmt.money(o.cost.forwardMinor, currency), steps },
    cheapest: false,
    fastest: false,
    parcels,
  };
}

/** Cheapest: lowest price, then earliest latest-arrival. Fastest: earliest latest-arrival, then lowest price. */
function flag(options: PromiseOption[], raw: QuoteOption[]): void {
  if (raw.length === 0) return;
  const by = (cmp: (a: QuoteOption, b: QuoteOption) => number) =>
    raw.reduce((best, o, i) => (cmp(o, raw[best]) < 0 ? i : best), 0);
  const tie = (a: QuoteOption, b: QuoteOption) => (a.serviceCode < b.serviceCode ? -1 : a.serviceCode > b.serviceCode ? 1 : 0);
  options[by((a, b) => a.priceMinor - b.priceMinor || a.window.latestMs - b.window.latestMs || tie(a, b))].cheapest = true;
  options[by((a, b) => a.window.latestMs - b.window.latestMs || a.priceMinor - b.priceMinor || tie(a, b))].fastest = true;
}

function backupOf(rates: BackupRate[], currency: string, subtotalMinor: number, fmt: MoneyFormat): PromiseBackupRate[] {
  return rates.map((r) => ({
    name: r.serviceName,
    description: r.description,
    // As the carrier service charges it: free once the cart reaches the rate's threshold.
    price: fmt.money(backupPriceMinor(r, subtotalMinor), currency),
    freeOver: r.freeOverMinor === null ? null : fmt.money(r.freeOverMinor, currency),
    transit: transitText(r),
  }));
}

export interface BuildOptions {
  now: Date;
  locale?: string;
}

/** The promise for one quote. Pure: node places and the clock come in. */
export function buildPromise(quote: ShopQuote, places: ReadonlyMap<string, NodePlace>, opts: BuildOptions): DeliveryPromise {
  const fmt = new MoneyFormat(opts.locale);
  const nowMs = opts.now.getTime();
  const currency = quote.result.currency;
  const notes: string[] = [];
  if (quote.placed === "postal_code" && quote.destination.postalCode) {
    notes.push(`Times are estimated for postal code ${quote.destination.postalCode}.`);
  }
  const base = {
    currency,
    quotedAt: new Date(quote.result.quotedAt || nowMs).toISOString(),
    placed: quote.placed,
    backupRates: backupOf(quote.backupRates, currency, quote.subtotalMinor, fmt),
    notes,
  };
  const raw = quote.fallbackUsed ? [] : quote.result.options;
  if (raw.length === 0) {
    return { ...base, status: "backup", options: [], message: backupMessage(quote) };
  }
  const offered = offeredOptions(raw);
  const options = offered.map((o) => optionOf(o, places, nowMs, fmt));
  flag(options, offered);
  return { ...base, status: "live", options, message: liveMessage(options) };
}

function liveMessage(options: PromiseOption[]): string {
  const fastest = options.find((o) => o.fastest)!;
  const cheapest = options.find((o) => o.cheapest)!;
  if (fastest === cheapest) return `${fastest.summary}, ${fastest.price.formatted}.`;
  return `Fastest: ${fastest.summary}, ${fastest.price.formatted}. Lowest price: ${cheapest.summary}, ${cheapest.price.formatted}.`;
}

/** The sentence for a promise without live options; the backup rates themselves are listed beside it. */
function backupMessage(quote: ShopQuote): string {
  if (quote.placed === "unplaced") {
    return "We couldn't place this address on the map, so we can't promise a local delivery time; our standard rates apply.";
  }
  // quoteForShop falls back for two kinds of reasons: nothing in the network reaches this cart
  // and address ("no live option ..."), or quoting itself could not answer (time budget, load).
  if (!quote.fallbackUsed || /^no live option/.test(quote.fallbackReason ?? "")) {
    return "No local delivery reaches this address for these items; our standard rates apply.";
  }
  return "Live delivery times are not available right now; our standard rates apply.";
}

export function unavailablePromise(now: Date, message = "Delivery estimates are not available for this shop."): DeliveryPromise {
  return {
    status: "unavailable",
    message,
    currency: null,
    quotedAt: now.toISOString(),
    placed: null,
    options: [],
    backupRates: [],
    notes: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Loading around it

/**
 * The installed shop behind a verified domain, from the checkout's in-memory cache
 * (quote-snapshot.server.ts): found, unknown (or uninstalled), or unavailable (the database is away
 * and this process has not seen the shop lately).
 */
export function findInstalledShop(domain: string): Promise<ShopLookup> {
  return checkoutShop(domain);
}

/** The answer for a shop that was not found: empty for one we do not know, "not right now" while the database is away. */
export function noShopPromise(lookup: Exclude<ShopLookup, { status: "found" }>, now: Date): DeliveryPromise {
  return lookup.status === "unavailable" ? unavailablePromise(now, NOT_RIGHT_NOW) : unavailablePromise(now);
}

const NOT_RIGHT_NOW = "Delivery estimates are not available right now.";

/** City and kind of the nodes a quote offers, from the shop's network in memory (no query). */
export function nodePlaces(shopId: string, nodeIds: string[]): Map<string, NodePlace> {
  const known = knownNodePlaces(shopId);
  const places = new Map<string, NodePlace>();
  for (const id of nodeIds) {
    const p = known?.get(id);
    if (p) places.set(id, { city: p.city, kind: (NODE_KINDS as readonly string[]).includes(p.kind) ? (p.kind as NodeKind) : null });
  }
  return places;
}

/** The input quoteForShop takes, from a parsed promise request. */
export function quoteInputOf(req: PromiseRequest) {
  return {
    lines: req.lines.map((l) => ({
      ...(l.variantId !== undefined ? { variantId: l.variantId } : {}),
      ...(l.sku !== undefined ? { sku: l.sku } : {}),
      quantity: l.quantity,
      ...(l.unitPriceMinor !== undefined ? { unitPriceMinor: l.unitPriceMinor } : {}),
    })),
    destination: {
      country: req.destination.country,
      postalCode: req.destination.postalCode,
      province: req.destination.province,
      city: req.destination.city,
      latitude: req.destination.latitude ?? null,
      longitude: req.destination.longitude ?? null,
    },
  };
}

/** Who asked, for the quote log. */
export type PromiseSource = "CHECKOUT_EXTENSION" | "APP_PROXY";

/**
 * The promise for a shop and a parsed request. Never throws for the shopper's sake: if quoting
 * fails outright, the shop's backup rates are offered; if even those cannot be read, an
 * "unavailable" promise. Either way the checkout or product page goes on.
 */
/** The shopper's delivery promise for the cart and address, timed for /metrics by whether it was live. */
export async function promiseForShop(
  shop: Pick<Shop, "id" | "currency">,
  req: PromiseRequest,
  source: PromiseSource,
  now: Date = new Date(),
): Promise<DeliveryPromise> {
  const stop = checkoutSeconds.startTimer({ route: source === "APP_PROXY" ? "app_proxy_promise" : "checkout_promise" });
  const promise = await buildShopPromise(shop, req, source, now);
  stop({ answer: promise.status === "live" ? "live" : "backup" });
  return promise;
}

async function buildShopPromise(shop: Pick<Shop, "id" | "currency">, req: PromiseRequest, source: PromiseSource, now: Date): Promise<DeliveryPromise> {
  const opts: BuildOptions = { now, locale: req.locale };
  try {
    const quote = await quoteForShop(shop, quoteInputOf(req), { source, now });
    const places = nodePlaces(shop.id, quote.result.options.map((o) => o.nodeId));
    return buildPromise(quote, places, opts);
  } catch (error) {
    logger.error({ err: error, shopId: shop.id, source }, "delivery promise: quoting failed, offering backup rates");
    try {
      const { backupRates } = await getShopShipping(shop.id);
      const empty: QuoteResult = { currency: shop.currency, quotedAt: now.getTime(), options: [], excluded: [], reasons: [] };
      return buildPromise(
        {
          result: empty,
          destination: { country: req.destination.country, postalCode: req.destination.postalCode },
          placed: "unplaced",
          fallbackUsed: true,
          fallbackReason: "quoting failed",
          backupRates,
          durationMs: 0,
          unknownLines: [],
          subtotalMinor: 0,
          timezone: "UTC",
          backupCalendar: null,
        },
        new Map(),
        opts,
      );
    } catch {
      return unavailablePromise(now, NOT_RIGHT_NOW);
    }
  }
}
