// What the shopper is offered at checkout, from a quote: one rate per service (the cheapest node
// for it) and pickup per node; or, when live quoting could not answer, the merchant's backup rates
// with delivery windows counted in business days that skip weekends and the holidays of the node
// they ship from. The carrier-service callback and the checkout extension both read these.
import { clockFor, weekdayIndexOfDay } from "../geo/localTime";
import type { ServiceKind } from "../costing/types";
import type { BackupRate } from "./backup";
import type { NodeCalendar } from "./calendar";
import type { QuoteNetwork } from "./prepare";
import type { QuoteOption, QuoteResult } from "./types";

export interface CheckoutOffer {
  serviceName: string;
  /** NH:<node>:<SERVICE> for live options (routing reads it back), the backup rate's code otherwise. */
  serviceCode: string;
  service: ServiceKind | "BACKUP";
  nodeHandle: string | null;
  description: string;
  priceMinor: number;
  currency: string;
  earliestMs: number;
  latestMs: number;
  /** IANA zone the dates are shown in. */
  timezone: string;
  /** A courier or robot has to be able to call the shopper. */
  phoneRequired: boolean;
}

/** What checkoutOffers reads of a quote (the quote service's ShopQuote has all of it). */
export interface OfferableQuote {
  result: QuoteResult;
  /** Live quoting did not answer: offer the backup rates. */
  fallbackUsed: boolean;
  backupRates: readonly BackupRate[];
  /** Goods subtotal, minor units (a backup rate's "free over" reads it). */
  subtotalMinor: number;
  /** The shop's time zone: backup rates' windows are counted and shown in it. */
  timezone: string;
  /** The calendar of the node backup rates ship from (backupCalendar); null: weekends only. */
  backupCalendar: NodeCalendar | null;
}

const SERVICE_NAMES: Record<Exclude<ServiceKind, "PICKUP">, string> = {
  SAME_DAY: "Same-day delivery",
  NEXT_DAY: "Next-day delivery",
  STANDARD: "Standard shipping",
  AUTONOMOUS: "Robot delivery",
};

/**
 * The options offered in the shipping list: one per service, its cheapest node, and pickup per
 * node. Options come cheapest first (quote's sort), so the first of each kind is the one offered.
 */
export function offeredOptions(options: readonly QuoteOption[]): QuoteOption[] {
  const seen = new Set<string>();
  return options.filter((o) => {
    const key = o.service === "PICKUP" ? `PICKUP:${o.nodeId}` : o.service;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The rates offered for a quote: live options, or the backup rates when live quoting did not answer. */
export function checkoutOffers(quote: OfferableQuote, nowMs: number = quote.result.quotedAt): CheckoutOffer[] {
  if (quote.fallbackUsed) return backupOffers(quote, nowMs);
  return offeredOptions(quote.result.options).map((o) => ({
    serviceName: o.service === "PICKUP" ? `Pickup at ${o.nodeName}` : SERVICE_NAMES[o.service],
    serviceCode: o.serviceCode,
    service: o.service,
    nodeHandle: o.nodeHandle,
    description: o.description,
    priceMinor: o.priceMinor,
    currency: o.currency,
    earliestMs: o.window.earliestMs,
    latestMs: o.window.latestMs,
    timezone: o.window.timezone,
    phoneRequired: o.service === "SAME_DAY" || o.service === "NEXT_DAY" || o.service === "AUTONOMOUS",
  }));
}

/** What a backup rate costs this cart: free once the subtotal reaches its threshold. */
export function backupPriceMinor(rate: BackupRate, subtotalMinor: number): number {
  return rate.freeOverMinor !== null && subtotalMinor >= rate.freeOverMinor ? 0 : rate.priceMinor;
}

/**
 * The calendar of the node backup rates ship from: the first active central warehouse (the
 * merchant's default location, "ships from our warehouse"); null when the network has none.
 */
export function backupCalendar(network: QuoteNetwork): NodeCalendar | null {
  const warehouse = network.nodes.find((n) => n.prepared.node.kind === "CENTRAL_WAREHOUSE" && n.prepared.node.status === "ACTIVE");
  return warehouse?.calendar ?? null;
}

/** The local day `n` business days after `day`: Monday to Friday, and not a holiday in `calendar`. */
export function addBusinessDays(day: number, n: number, calendar: NodeCalendar | null): number {
  let d = day;
  for (let counted = 0; counted < n; ) {
    d++;
    if (weekdayIndexOfDay(d) < 5 && !calendar?.plan(d).holiday) counted++;
  }
  return d;
}

/** The backup rates as offers: between 09:00 on the first and 20:00 on the last business day of the rate's transit, in the shop's zone. */
export function backupOffers(quote: Omit<OfferableQuote, "fallbackUsed">, nowMs: number): CheckoutOffer[] {
  const clock = clockFor(quote.timezone);
  const today = clock.local(nowMs).day;
  return quote.backupRates.map((r) => ({
    serviceName: r.serviceName,
    serviceCode: r.serviceCode,
    service: "BACKUP" as const,
    nodeHandle: null,
    description: r.description || `${r.transitDaysMin}–${r.transitDaysMax} business days`,
    priceMinor: backupPriceMinor(r, quote.subtotalMinor),
    currency: quote.result.currency,
    earliestMs: clock.instant(addBusinessDays(today, r.transitDaysMin, quote.backupCalendar), 9 * 60),
    latestMs: clock.instant(addBusinessDays(today, Math.max(r.transitDaysMin, r.transitDaysMax), quote.backupCalendar), 20 * 60),
    timezone: quote.timezone,
    phoneRequired: false,
  }));
}
