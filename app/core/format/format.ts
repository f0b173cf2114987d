// The shop's conventions, and every figure a person reads written in them (issue 13 item 1).
//
// The house stores one set of units (money as integer minor units + currency, distances in metres,
// weights in grams, lengths in millimetres, rates per km, timestamps UTC); a merchant reads and types
// them in the shop's: a US shop in dollars, miles, pounds, ounces and inches, a German one in euros,
// kilometres, kilograms and centimetres. `shopConventions(shop)` is built once per request from the Shop
// row (ADR 0040: the unit system follows Shopify's weight unit), and every page, component and core
// sentence formats through the functions here, so one figure reads the same everywhere.
//
// Core (not components) because core's sentences (reasons, cost details) format money and distances too,
// and core may not import components. Pure: Intl and arithmetic only; formatters are cached, so a
// sentence built on the checkout path costs a lookup, not a new Intl object.

export type UnitSystem = "metric" | "imperial";
/** Shopify's `WeightUnit` enum, the values `Shop.weightUnit` holds. */
export type WeightUnit = "GRAMS" | "KILOGRAMS" | "OUNCES" | "POUNDS";

export interface ShopConventions {
  /** ISO 4217. */
  currency: string;
  /** BCP 47 locale for numbers and dates ("en-US"). */
  locale: string;
  unitSystem: UnitSystem;
  /** The unit the shop weighs in (Shopify's shop setting). */
  weightUnit: WeightUnit;
  /** IANA zone of the shop: times that belong to no node are shown in it. */
  timeZone: string;
}

/** Units alone, for a sentence that has no currency or zone to speak of. */
export type Units = Pick<ShopConventions, "unitSystem" | "weightUnit">;

/** The house's own units: what core sentences write when no shop is in the picture (logs, the API). */
export const METRIC: Units = { unitSystem: "metric", weightUnit: "GRAMS" };

const WEIGHT_UNITS: readonly WeightUnit[] = ["GRAMS", "KILOGRAMS", "OUNCES", "POUNDS"];

/** The admin is written in English; numbers and dates follow US English until the shop row carries a locale. */
export const DEFAULT_LOCALE = "en-US";

export function isWeightUnit(value: string): value is WeightUnit {
  return (WEIGHT_UNITS as readonly string[]).includes(value);
}

/** Imperial with Shopify's imperial weight units (POUNDS, OUNCES), metric otherwise (ADR 0040). */
export function unitSystemOf(weightUnit: string): UnitSystem {
  return weightUnit === "POUNDS" || weightUnit === "OUNCES" ? "imperial" : "metric";
}

/** A shop's conventions from its row (`Shop.currency`, `Shop.weightUnit`, `Shop.timezone`). */
export function shopConventions(shop: { currency: string; weightUnit: string; timezone: string; locale?: string | null }): ShopConventions {
  const weightUnit: WeightUnit = isWeightUnit(shop.weightUnit) ? shop.weightUnit : "GRAMS";
  return {
    currency: shop.currency,
    locale: shop.locale || DEFAULT_LOCALE,
    unitSystem: unitSystemOf(weightUnit),
    weightUnit,
    timeZone: shop.timezone,
  };
}

// ---------------------------------------------------------------------------------------------
// Conversions between the house's units and the shop's.

export const METRES_PER_MILE = 1609.344;
export const METRES_PER_FOOT = 0.3048;
export const GRAMS_PER_POUND = 453.59237;
export const GRAMS_PER_OUNCE = GRAMS_PER_POUND / 16;
export const MM_PER_INCH = 25.4;

/** The distance unit a shop reads and types ("mi" or "km"). */
export function distanceUnit(u: Units): "mi" | "km" {
  return u.unitSystem === "imperial" ? "mi" : "km";
}
/** The weight unit a shop types ("lb", "oz", "kg", "g"): its own Shopify setting. */
export function weightUnitLabel(u: Units): "lb" | "oz" | "kg" | "g" {
  return ({ POUNDS: "lb", OUNCES: "oz", KILOGRAMS: "kg", GRAMS: "g" } as const)[u.weightUnit];
}
/** The length unit a shop types parcel sides in ("in" or "cm"). */
export function lengthUnit(u: Units): "in" | "cm" {
  return u.unitSystem === "imperial" ? "in" : "cm";
}

/** Metres in the shop's distance unit (miles or kilometres). */
export function metresToShopDistance(metres: number, u: Units): number {
  return metres / (u.unitSystem === "imperial" ? METRES_PER_MILE : 1000);
}
/** A distance typed in the shop's unit → whole metres. */
export function shopDistanceToMetres(value: number, u: Units): number {
  return Math.round(value * (u.unitSystem === "imperial" ? METRES_PER_MILE : 1000));
}
const GRAMS_PER: Record<WeightUnit, number> = { GRAMS: 1, KILOGRAMS: 1000, OUNCES: GRAMS_PER_OUNCE, POUNDS: GRAMS_PER_POUND };
/** Grams in the shop's weight unit. */
export function gramsToShopWeight(grams: number, u: Units): number {
  return grams / GRAMS_PER[u.weightUnit];
}
/** A weight typed in the shop's unit → whole grams. */
export function shopWeightToGrams(value: number, u: Units): number {
  return Math.round(value * GRAMS_PER[u.weightUnit]);
}
/** Millimetres in the shop's length unit (inches or centimetres). */
export function mmToShopLength(mm: number, u: Units): number {
  return mm / (u.unitSystem === "imperial" ? MM_PER_INCH : 10);
}
/** A length typed in the shop's unit → whole millimetres. */
export function shopLengthToMm(value: number, u: Units): number {
  return Math.round(value * (u.unitSystem === "imperial" ? MM_PER_INCH : 10));
}
/** A price per km (minor units) as a price per the shop's distance unit (minor units, unrounded). */
export function perKmToShopRate(minorPerKm: number, u: Units): number {
  return u.unitSystem === "imperial" ? (minorPerKm * METRES_PER_MILE) / 1000 : minorPerKm;
}
/** A price typed per the shop's distance unit (minor units) → whole minor units per km. */
export function shopRateToPerKm(minorPerUnit: number, u: Units): number {
  return u.unitSystem === "imperial" ? Math.round((minorPerUnit * 1000) / METRES_PER_MILE) : Math.round(minorPerUnit);
}

// ---------------------------------------------------------------------------------------------
// Numbers.

const numberCache = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const k = `${locale}|${key}`;
  let f = numberCache.get(k);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    numberCache.set(k, f);
  }
  return f;
}

/** A number with grouping and at most `maxDecimals` decimals, trailing zeros dropped ("1,234.5"). */
export function formatNumber(value: number, maxDecimals = 0, locale = DEFAULT_LOCALE): string {
  return numberFormat(locale, `n${maxDecimals}`, { maximumFractionDigits: maxDecimals }).format(value);
}

/** "1 order", "3 orders", "1,204 orders". */
export function formatCount(n: number, one: string, many = `${one}s`, locale = DEFAULT_LOCALE): string {
  return `${formatNumber(n, 0, locale)} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------
// Money.

type MoneyConventions = Pick<ShopConventions, "currency"> & { locale?: string };

function currencyFormat(currency: string, locale: string, extraDigits = 0): Intl.NumberFormat {
  return numberFormat(locale, `c${currency}+${extraDigits}`, {
    style: "currency",
    currency,
    ...(extraDigits ? { maximumFractionDigits: minorDigits(currency) + extraDigits } : {}),
  });
}

/** Minor-unit digits of a currency (USD 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  return currencyFormat(currency, DEFAULT_LOCALE).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Integer minor units as money in the shop's style: "$8.80", "-$1,234.50", "¥900", "€8.80". The one
 * way money is written for people, in pages and in core's sentences alike.
 */
export function formatMoney(amountMinor: number, c: MoneyConventions): string {
  const f = currencyFormat(c.currency, c.locale ?? DEFAULT_LOCALE);
  return f.format(amountMinor / 10 ** minorDigits(c.currency));
}

/**
 * Where a money field puts the currency, as the shop writes it: `{ prefix: "$" }` for USD, `{ prefix: "€" }`
 * for EUR in English; a currency written after the amount gets a suffix. For Polaris TextField's prefix/suffix.
 */
export function currencyAffix(currency: string, locale = DEFAULT_LOCALE): { prefix?: string; suffix?: string } {
  const parts = currencyFormat(currency, locale).formatToParts(1);
  const at = parts.findIndex((p) => p.type === "currency");
  const symbol = parts[at]?.value ?? currency;
  return at <= parts.findIndex((p) => p.type === "integer") ? { prefix: symbol } : { suffix: symbol };
}

/** A range of money: "$4.10–$9.80" (one amount when both ends are equal). */
export function formatMoneyRange(minMinor: number, maxMinor: number, c: MoneyConventions): string {
  return minMinor === maxMinor ? formatMoney(minMinor, c) : `${formatMoney(minMinor, c)}–${formatMoney(maxMinor, c)}`;
}

/**
 * A price per km (integer minor units, the house's rate) per the shop's distance unit: "$2.57 per mile"
 * for 160/km in a US shop, "€1.60 per km" in a metric one. A converted rate keeps up to one extra decimal
 * so that a round rate per km does not read as a rounded one per mile.
 */
export function formatRatePerDistance(minorPerKm: number, c: MoneyConventions & Units): string {
  const perUnit = perKmToShopRate(minorPerKm, c);
  const f = currencyFormat(c.currency, c.locale ?? DEFAULT_LOCALE, Number.isInteger(perUnit) ? 0 : 1);
  return `${f.format(perUnit / 10 ** minorDigits(c.currency))} per ${c.unitSystem === "imperial" ? "mile" : "km"}`;
}

/** A price per kg (integer minor units) per the shop's weight unit: "$0.45 per lb", "€1.00 per kg". */
export function formatRatePerWeight(minorPerKg: number, c: MoneyConventions & Units): string {
  const unit = weightUnitLabel(c) === "g" ? "kg" : weightUnitLabel(c);
  const perUnit = unit === "kg" ? minorPerKg : (minorPerKg * (unit === "lb" ? GRAMS_PER_POUND : GRAMS_PER_OUNCE)) / 1000;
  const f = currencyFormat(c.currency, c.locale ?? DEFAULT_LOCALE, Number.isInteger(perUnit) ? 0 : 1);
  return `${f.format(perUnit / 10 ** minorDigits(c.currency))} per ${unit}`;
}

// ---------------------------------------------------------------------------------------------
// Distances, weights, lengths, volumes.

/**
 * Metres in the shop's units, for people: "850 m", "2.4 km", "966 km"; "500 ft", "0.4 mi", "600 mi".
 * One decimal under 100 units (so "6.0 km" and "6.1 km" line up), whole units from 100.
 */
export function formatDistance(metres: number, u: Units = METRIC, locale = DEFAULT_LOCALE): string {
  const d = (value: number, unit: string) =>
    `${value < 100 ? numberFormat(locale, "d1", { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value) : formatNumber(value, 0, locale)} ${unit}`;
  if (u.unitSystem === "imperial") {
    const miles = metres / METRES_PER_MILE;
    return miles < 0.1 ? `${formatNumber(metres / METRES_PER_FOOT, 0, locale)} ft` : d(miles, "mi");
  }
  return metres < 1000 ? `${formatNumber(metres, 0, locale)} m` : d(metres / 1000, "km");
}

/** A service radius as a merchant sets it: "10 km", "2.5 km", "6 mi", "0.5 mi" (no ".0" on whole numbers). */
export function formatRadius(metres: number, u: Units = METRIC, locale = DEFAULT_LOCALE): string {
  return `${formatNumber(metresToShopDistance(metres, u), 1, locale)} ${distanceUnit(u)}`;
}

/** An area in square metres: "5.2 km²" / "2 mi²" (one decimal under 100 units). */
export function formatArea(m2: number, u: Units = METRIC, locale = DEFAULT_LOCALE): string {
  const value = u.unitSystem === "imperial" ? m2 / METRES_PER_MILE ** 2 : m2 / 1e6;
  return `${formatNumber(value, value < 100 ? 1 : 0, locale)} ${u.unitSystem === "imperial" ? "mi²" : "km²"}`;
}

/** A speed (the house keeps km/h) in the shop's units: "15 mph", "24 km/h". */
export function formatSpeed(kmh: number, u: Units = METRIC, locale = DEFAULT_LOCALE): string {
  return u.unitSystem === "imperial" ? `${formatNumber((kmh * 1000) / METRES_PER_MILE, 1, locale)} mph` : `${formatNumber(kmh, 1, locale)} km/h`;
}

/**
 * Grams in the shop's weight unit: POUNDS "10 lb" (ounces under a pound, "8 oz"), OUNCES "12 oz",
 * KILOGRAMS "0.5 kg", GRAMS "850 g" (kilograms from 1 kg, "4.5 kg").
 */
export function formatWeight(grams: number, u: Units = METRIC, locale = DEFAULT_LOCALE): string {
  // Whole grams hold a typed "8 oz" as 227 g (8.007 oz): ounces and grams take one decimal, pounds and kilograms two.
  const w = (value: number, unit: string) => `${formatNumber(value, unit === "oz" || unit === "g" ? 1 : 2, locale)} ${unit}`;
  switch (u.weightUnit) {
    case "POUNDS":
      return grams < GRAMS_PER_POUND ? w(grams / GRAMS_PER_OUNCE, "oz") : w(grams / GRAMS_PER_POUND, "lb");
    case "OUNCES":
      return w(grams / GRAMS_PER_OUNCE, "oz");
    case "KILOGRAMS":
      return w(grams / 1000, "kg");
    default:
      return grams < 1000 ? w(grams, "g") : w(grams / 1000, "kg");
  }
}

/** Millimetres as a parcel side: "11.8 in", "30 cm". */
export function formatLength(mm: number, u: Units = METRIC, locale = DEFAULT_LOCALE): string {
  return `${formatNumber(mmToShopLength(mm, u), 1, locale)} ${lengthUnit(u)}`;
}

/** Parcel sides "12 × 8 × 4 in" / "30 × 20 × 10 cm". */
export function formatDimensions(sidesMm: readonly number[], u: Units = METRIC, locale = DEFAULT_LOCALE): string {
  return `${sidesMm.map((s) => formatNumber(mmToShopLength(s, u), 1, locale)).join(" × ")} ${lengthUnit(u)}`;
}

const MM3_PER_LITRE = 1e6;
const MM3_PER_CUBIC_FOOT = (12 * MM_PER_INCH) ** 3;
/** Cubic millimetres as a parcel's volume: "40 L"; "1.41 ft³" (cubic inches under a cubic foot, "610 in³"). */
export function formatVolume(mm3: number, u: Units = METRIC, locale = DEFAULT_LOCALE): string {
  if (u.unitSystem === "imperial") {
    return mm3 < MM3_PER_CUBIC_FOOT
      ? `${formatNumber(mm3 / MM_PER_INCH ** 3, 0, locale)} in³`
      : `${formatNumber(mm3 / MM3_PER_CUBIC_FOOT, 2, locale)} ft³`;
  }
  return `${formatNumber(mm3 / MM3_PER_LITRE, 1, locale)} L`;
}

/**
 * A dimensional-weight divisor (the house stores cm³ per kg, 5000 the common one) in the shop's units:
 * "5,000 cm³/kg", or "138 in³/lb" (5000 cm³/kg is 138.4 in³/lb).
 */
export function dimDivisorInShopUnits(cm3PerKg: number, u: Units): number {
  return u.unitSystem === "imperial" ? (cm3PerKg / (MM_PER_INCH / 10) ** 3) * (GRAMS_PER_POUND / 1000) : cm3PerKg;
}
export function formatDimDivisor(cm3PerKg: number, u: Units = METRIC, locale = DEFAULT_LOCALE): string {
  return u.unitSystem === "imperial"
    ? `${formatNumber(dimDivisorInShopUnits(cm3PerKg, u), 0, locale)} in³/lb`
    : `${formatNumber(cm3PerKg, 0, locale)} cm³/kg`;
}

// ---------------------------------------------------------------------------------------------
// Percentages and day ranges.

/** A fraction as a percentage, at most `maxDecimals` decimals: 0.065 → "6.5%", 1 → "100%". */
export function formatPercent(fraction: number, maxDecimals = 1, locale = DEFAULT_LOCALE): string {
  return numberFormat(locale, `p${maxDecimals}`, { style: "percent", maximumFractionDigits: maxDecimals }).format(fraction);
}

/** Basis points as a percentage: 650 → "6.5%", 25 → "0.25%". */
export function formatBasisPoints(bp: number, locale = DEFAULT_LOCALE): string {
  return formatPercent(bp / 10_000, 2, locale);
}

/** "1 business day", "1–3 business days", "same day" for 0–0. */
export function formatDayRange(min: number, max: number, kind = "business day"): string {
  if (max === 0) return "same day";
  if (min === max) return `${min} ${min === 1 ? kind : `${kind}s`}`;
  return `${min}–${max} ${kind}s`;
}

/** Minutes as a duration: "45 min", "2 h", "2 h 15 min", "3 days 4 h" (from 48 h). */
export function formatDuration(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  if (m >= 48 * 60) {
    const d = Math.floor(m / 1440);
    const h = Math.round((m - d * 1440) / 60);
    return `${d} days${h ? ` ${h} h` : ""}`;
  }
  const h = Math.floor(m / 60);
  const rest = m - h * 60;
  return `${h} h${rest ? ` ${rest} min` : ""}`;
}

// ---------------------------------------------------------------------------------------------
// Times: UTC instants shown in the zone they belong to (the node's, else the shop's), labelled.

const dateCache = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, timeZone: string, key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = `${locale}|${timeZone}|${key}`;
  let f = dateCache.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, ...options });
    dateCache.set(k, f);
  }
  return f;
}
type ZoneConventions = { timeZone: string; locale?: string };
const at = (instant: number | Date | string) => (instant instanceof Date ? instant : new Date(instant));

/** Date and time with the zone: "Dec 4, 2026, 1:29 PM EST" (zones without a short name read "GMT+1"). */
export function formatDateTime(instant: number | Date | string, c: ZoneConventions): string {
  return dateFormat(c.locale ?? DEFAULT_LOCALE, c.timeZone, "dt", {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(at(instant));
}

/** Time of day with the zone: "1:29 PM EST". */
export function formatTime(instant: number | Date | string, c: ZoneConventions): string {
  return dateFormat(c.locale ?? DEFAULT_LOCALE, c.timeZone, "t", { hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(at(instant));
}

/** The calendar date in the zone: "Dec 4, 2026". */
export function formatDate(instant: number | Date | string, c: ZoneConventions): string {
  return dateFormat(c.locale ?? DEFAULT_LOCALE, c.timeZone, "d", { year: "numeric", month: "short", day: "numeric" }).format(at(instant));
}

/** The zone's short name at an instant ("EST", "EDT", "GMT+1"), to label a figure such as a cut-off "14:00 EST". */
export function zoneLabel(timeZone: string, instant: number | Date, locale = DEFAULT_LOCALE): string {
  const parts = dateFormat(locale, timeZone, "z", { timeZoneName: "short" }).formatToParts(at(instant));
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

/**
 * A delivery window in its zone, labelled once: "Thu, Nov 26, 2:15 PM – 3:00 PM EST", or across days
 * "Thu, Nov 26, 2:15 PM – Tue, Dec 1, 6:00 PM EST".
 */
export function formatTimeWindow(earliest: number, latest: number, c: ZoneConventions): string {
  const locale = c.locale ?? DEFAULT_LOCALE;
  const day = dateFormat(locale, c.timeZone, "wd", { weekday: "short", month: "short", day: "numeric" });
  const time = dateFormat(locale, c.timeZone, "hm", { hour: "numeric", minute: "2-digit" });
  const zone = zoneLabel(c.timeZone, latest, locale);
  const a = day.format(earliest);
  const b = day.format(latest);
  if (a === b) return `${a}, ${time.format(earliest)} – ${time.format(latest)} ${zone}`;
  return `${a}, ${time.format(earliest)} – ${b}, ${time.format(latest)} ${zone}`;
}
