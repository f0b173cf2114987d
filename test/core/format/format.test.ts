import { describe, expect, it } from "vitest";
import {
  currencyAffix,
  dimDivisorInShopUnits,
  formatBasisPoints,
  formatArea,
  formatDate,
  formatDateTime,
  formatDayRange,
  formatDimDivisor,
  formatDimensions,
  formatDistance,
  formatDuration,
  formatLength,
  formatMoney,
  formatMoneyRange,
  formatPercent,
  formatRatePerDistance,
  formatRatePerWeight,
  formatRadius,
  formatSpeed,
  formatTime,
  formatTimeWindow,
  formatVolume,
  formatWeight,
  gramsToShopWeight,
  metresToShopDistance,
  perKmToShopRate,
  shopConventions,
  shopDistanceToMetres,
  shopLengthToMm,
  shopRateToPerKm,
  shopWeightToGrams,
  unitSystemOf,
  zoneLabel,
} from "~/core/format/format";
import { formatMinor } from "~/core/money/money";
import { formatDistance as geoFormatDistance } from "~/core/geo/distance";

const US = shopConventions({ currency: "USD", weightUnit: "POUNDS", timezone: "America/New_York" });
const DE = shopConventions({ currency: "EUR", weightUnit: "KILOGRAMS", timezone: "Europe/Berlin" });
const GRAMS = shopConventions({ currency: "EUR", weightUnit: "GRAMS", timezone: "Europe/Berlin" });
const OUNCES = shopConventions({ currency: "USD", weightUnit: "OUNCES", timezone: "America/Chicago" });
// 2026-12-04 18:30 UTC: winter in both hemispheres' northern zones.
const WINTER = Date.UTC(2026, 11, 4, 18, 30);
const SUMMER = Date.UTC(2026, 6, 4, 18, 30);

describe("a shop's conventions", () => {
  it("follows Shopify's weight unit for the unit system, the shop's currency and zone (ADR 0040)", () => {
    expect(US).toEqual({ currency: "USD", locale: "en-US", unitSystem: "imperial", weightUnit: "POUNDS", timeZone: "America/New_York" });
    expect(OUNCES.unitSystem).toBe("imperial");
    expect(DE.unitSystem).toBe("metric");
    expect(unitSystemOf("GRAMS")).toBe("metric");
  });

  it("reads an unknown weight unit as grams, metric", () => {
    expect(shopConventions({ currency: "USD", weightUnit: "STONES", timezone: "UTC" })).toMatchObject({ weightUnit: "GRAMS", unitSystem: "metric" });
  });
});

describe("money", () => {
  it("is written with Intl in the shop's currency, one style on every page and in core's sentences", () => {
    expect(formatMoney(880, US)).toBe("$8.80");
    expect(formatMoney(123_456, US)).toBe("$1,234.56");
    expect(formatMoney(-250, DE)).toBe("-€2.50");
    expect(formatMoney(900, { currency: "JPY" })).toBe("¥900");
    expect(formatMinor(880, "USD")).toBe(formatMoney(880, US));
    expect(formatMoneyRange(410, 980, US)).toBe("$4.10–$9.80");
    expect(formatMoneyRange(410, 410, US)).toBe("$4.10");
    expect(currencyAffix("USD")).toEqual({ prefix: "$" });
    expect(currencyAffix("EUR")).toEqual({ prefix: "€" });
    expect(currencyAffix("EUR", "de-DE")).toEqual({ suffix: "€" });
  });

  it("gives a per-km rate per the shop's distance unit, with its currency", () => {
    // 160 (minor units) per km is 1.60 USD per km, 2.575 USD per mile.
    expect(formatRatePerDistance(160, US)).toBe("$2.575 per mile");
    expect(formatRatePerDistance(160, DE)).toBe("€1.60 per km");
    expect(perKmToShopRate(160, US)).toBeCloseTo(257.495, 3);
    expect(shopRateToPerKm(257.5, US)).toBe(160);
    expect(shopRateToPerKm(160, DE)).toBe(160);
  });

  it("gives a per-kg rate per the shop's weight unit", () => {
    expect(formatRatePerWeight(100, US)).toBe("$0.454 per lb");
    expect(formatRatePerWeight(100, DE)).toBe("€1.00 per kg");
    expect(formatRatePerWeight(100, GRAMS)).toBe("€1.00 per kg");
  });
});

describe("distances", () => {
  it("are miles (feet when short) in an imperial shop, kilometres (metres when short) in a metric one", () => {
    expect(formatDistance(965_606, US)).toBe("600 mi");
    expect(formatDistance(965_606, DE)).toBe("966 km");
    expect(formatDistance(2_414, US)).toBe("1.5 mi");
    expect(formatDistance(120, US)).toBe("394 ft");
    expect(formatDistance(6_000, DE)).toBe("6.0 km");
    expect(formatDistance(850, DE)).toBe("850 m");
  });

  it("default to the house's metric units, under geo's old name too", () => {
    expect(formatDistance(2_400)).toBe("2.4 km");
    expect(geoFormatDistance(2_400)).toBe("2.4 km");
    expect(geoFormatDistance(2_414, US)).toBe("1.5 mi");
  });

  it("give a service radius as set, without a trailing .0", () => {
    expect(formatRadius(10_000, DE)).toBe("10 km");
    expect(formatRadius(2_500, DE)).toBe("2.5 km");
    expect(formatRadius(shopDistanceToMetres(6, US), US)).toBe("6 mi");
  });

  it("give areas in km² or mi²", () => {
    expect(formatArea(5.16e6, DE)).toBe("5.2 km²");
    expect(formatArea(5.16e6, US)).toBe("2 mi²");
  });

  it("give speeds in mph or km/h", () => {
    expect(formatSpeed(24, US)).toBe("14.9 mph");
    expect(formatSpeed(24, DE)).toBe("24 km/h");
  });

  it("convert typed miles and kilometres to metres and back", () => {
    expect(shopDistanceToMetres(600, US)).toBe(965_606);
    expect(shopDistanceToMetres(5, DE)).toBe(5_000);
    expect(metresToShopDistance(965_606, US)).toBeCloseTo(600, 3);
  });
});

describe("weights", () => {
  it("are pounds (ounces under a pound) in a POUNDS shop: a 10 lb card reads 10 lb, not 4.535 kg", () => {
    expect(formatWeight(shopWeightToGrams(10, US), US)).toBe("10 lb");
    expect(formatWeight(4_536, US)).toBe("10 lb");
    expect(formatWeight(250, US)).toBe("8.8 oz");
    expect(formatWeight(shopWeightToGrams(0.5, US), US)).toBe("8 oz");
  });

  it("are ounces in an OUNCES shop, kilograms in a KILOGRAMS one, grams then kilograms in a GRAMS one", () => {
    expect(formatWeight(shopWeightToGrams(12, OUNCES), OUNCES)).toBe("12 oz");
    expect(formatWeight(500, DE)).toBe("0.5 kg");
    expect(formatWeight(850, GRAMS)).toBe("850 g");
    expect(formatWeight(4_535, GRAMS)).toBe("4.54 kg");
  });

  it("convert typed weights to grams and back", () => {
    expect(shopWeightToGrams(10, US)).toBe(4_536);
    expect(shopWeightToGrams(16, OUNCES)).toBe(454);
    expect(shopWeightToGrams(2.5, DE)).toBe(2_500);
    expect(gramsToShopWeight(4_536, US)).toBeCloseTo(10, 3);
  });
});

describe("lengths, dimensions and volumes", () => {
  it("are inches in an imperial shop, centimetres in a metric one", () => {
    expect(formatLength(300, US)).toBe("11.8 in");
    expect(formatLength(300, DE)).toBe("30 cm");
    expect(formatDimensions([305, 203, 102], US)).toBe("12 × 8 × 4 in");
    expect(formatDimensions([300, 200, 100], DE)).toBe("30 × 20 × 10 cm");
    expect(shopLengthToMm(12, US)).toBe(305);
    expect(shopLengthToMm(30, DE)).toBe(300);
  });

  it("give volumes in litres, or cubic inches and feet", () => {
    expect(formatVolume(40e6, DE)).toBe("40 L");
    expect(formatVolume(40e6, US)).toBe("1.41 ft³");
    expect(formatVolume(1e7, US)).toBe("610 in³");
  });

  it("give the dimensional-weight divisor in the shop's units: 5000 cm³/kg is 138 in³/lb", () => {
    expect(formatDimDivisor(5000, DE)).toBe("5,000 cm³/kg");
    expect(formatDimDivisor(5000, US)).toBe("138 in³/lb");
    expect(dimDivisorInShopUnits(6000, US)).toBeCloseTo(166.1, 1);
  });
});

describe("percentages, day ranges and durations", () => {
  it("writes fractions and basis points as percentages", () => {
    expect(formatPercent(0.065)).toBe("6.5%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(0.12345, 2)).toBe("12.35%");
    expect(formatBasisPoints(650)).toBe("6.5%");
    expect(formatBasisPoints(25)).toBe("0.25%");
  });

  it("writes one number for a range whose ends are equal", () => {
    expect(formatDayRange(1, 1)).toBe("1 business day");
    expect(formatDayRange(3, 3)).toBe("3 business days");
    expect(formatDayRange(1, 3)).toBe("1–3 business days");
    expect(formatDayRange(0, 0)).toBe("same day");
    expect(formatDayRange(2, 4, "day")).toBe("2–4 days");
  });

  it("writes durations in minutes, hours and days", () => {
    expect(formatDuration(45)).toBe("45 min");
    expect(formatDuration(120)).toBe("2 h");
    expect(formatDuration(135)).toBe("2 h 15 min");
    expect(formatDuration(76 * 60)).toBe("3 days 4 h");
  });
});

describe("times", () => {
  it("are shown in the zone they belong to, with the zone's name", () => {
    expect(formatDateTime(WINTER, US)).toBe("Dec 4, 2026, 1:30 PM EST");
    expect(formatDateTime(SUMMER, US)).toBe("Jul 4, 2026, 2:30 PM EDT");
    expect(formatTime(WINTER, DE)).toBe("7:30 PM GMT+1");
    expect(formatTime(new Date(WINTER), { timeZone: "UTC" })).toBe("6:30 PM UTC");
    expect(formatDate(Date.UTC(2026, 11, 5, 3), US)).toBe("Dec 4, 2026");
    expect(zoneLabel("America/New_York", WINTER)).toBe("EST");
    expect(zoneLabel("America/Chicago", SUMMER)).toBe("CDT");
    expect(formatTimeWindow(WINTER, WINTER + 45 * 60_000, US)).toBe("Fri, Dec 4, 1:30 PM – 2:15 PM EST");
    expect(formatTimeWindow(WINTER, WINTER + 4 * 86_400_000, US)).toBe("Fri, Dec 4, 1:30 PM – Tue, Dec 8, 1:30 PM EST");
  });
});
