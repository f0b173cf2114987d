// The demo shop's shipping: how its network is costed, offered and priced, so `npm run demo`
// quotes real options at checkout, in the quote simulator and through the open API.
//
// - Two parcel carriers from the New Jersey warehouse and the print lab, shaped like real US
//   price lists: a ground service zoned by distance (UPS/FedEx Ground style: zones 2–8 by miles
//   between origin and destination, pound rows, fuel and residential surcharges, dimensional
//   weight at 139 in³/lb), which East Austin also ships with; and a postal service zoned by
//   destination ZIP prefix (USPS Ground Advantage style: zones 1–8 by the distance between 3-digit
//   ZIP centroids, ounce and pound rows), which needs no coordinates.
// - A New York bike courier (hubs, print lab, creator studio) and an Austin car courier (hub
//   and store), each with lunch, evening and weekend surges and a surge when the node is busy.
// - A sidewalk-robot corridor around Williamsburg from the Brooklyn hub.
// - Node operations: preparation minutes, the print lab's make-to-order minutes,
//   holidays (New Year, Memorial Day, July 4th, Labor Day, Thanksgiving, Christmas).
// - Return hubs, pricing rules (margin, free pickup, free standard over $75, free fast delivery
//   when the margin survives it, charm prices), pickup at hubs and the store, and backup rates.
//
// Prices approximate what a small shipper pays on negotiated or commercial rates in 2025;
// they are demo data, not a carrier's tariff.
import type { Prisma } from "@prisma/client";
import { greatCircleM } from "../../app/core/geo/distance";
import {
  backupRatesSchema,
  prepareNetwork,
  quoteConfigSchema,
  storedQuoteConfigSchema,
  type BackupRate,
  type QuoteConfigInput,
} from "../../app/core/quoting";
import type { CorridorInput } from "../../app/core/costing/corridor";
import type { CourierConfigInput } from "../../app/core/costing/courier";
import type { RateCardInput } from "../../app/core/costing/rateCard";
import type { RuleRef } from "../../app/core/rules/registry";
import type { OpeningHours, Polygon } from "../../app/core/network/types";
import { allZipRecords } from "./zipcodes";

export interface DemoShipping {
  config: QuoteConfigInput;
  backupRates: BackupRate[];
  quoteBudgetMs: number;
}

const LB = 453.592;
const OZ = 28.3495;
const MILE = 1609.344;

// The warehouse's location (prisma/seed/demo-catalog.ts, nj-secaucus-dc): USPS zones count from here.
const SECAUCUS = { latitude: 40.7935, longitude: -74.0525 };

// ---------------------------------------------------------------------------------------------
// Ground: zones 2–8 by distance, price per pound row.

const GROUND_ZONES = ["2", "3", "4", "5", "6", "7", "8"] as const;
/** [pounds, zone 2 … zone 8] in cents. */
const GROUND_TABLE: readonly (readonly number[])[] = [
  [1, 895, 925, 975, 1010, 1050, 1085, 1130],
  [2, 945, 1005, 1080, 1135, 1215, 1270, 1360],
  [3, 1010, 1085, 1170, 1245, 1345, 1425, 1540],
  [5, 1095, 1195, 1310, 1420, 1560, 1690, 1850],
  [10, 1340, 1470, 1680, 1890, 2150, 2360, 2630],
  [15, 1560, 1750, 2030, 2330, 2700, 3010, 3420],
  [20, 1790, 2000, 2380, 2780, 3280, 3650, 4200],
  [30, 2290, 2600, 3150, 3700, 4400, 4990, 5800],
  [50, 3150, 3650, 4500, 5450, 6500, 7500, 8600],
  [70, 4020, 4700, 5900, 7100, 8500, 9800, 11300],
];

function groundCard(originNodeIds: string[]): RateCardInput {
  const miles = [150, 300, 600, 1000, 1400, 1800, 6000];
  return {
    id: "ups-ground",
    carrier: "UPS",
    service: "Ground",
    currency: "USD",
    originNodeIds,
    destinationCountries: ["US"],
    zoning: { by: "distance", bands: GROUND_ZONES.map((zone, i) => ({ upToM: Math.round(miles[i] * MILE), zone })) },
    zones: [
      { zone: "2", transitDaysMin: 1, transitDaysMax: 1 },
      { zone: "3", transitDaysMin: 1, transitDaysMax: 2 },
      { zone: "4", transitDaysMin: 2, transitDaysMax: 3 },
      { zone: "5", transitDaysMin: 3, transitDaysMax: 3 },
      { zone: "6", transitDaysMin: 3, transitDaysMax: 4 },
      { zone: "7", transitDaysMin: 4, transitDaysMax: 5 },
      { zone: "8", transitDaysMin: 4, transitDaysMax: 5 },
    ],
    weightBands: GROUND_TABLE.map(([lb, ...prices]) => ({
      upToGrams: Math.round(lb * LB),
      pricesMinor: Object.fromEntries(GROUND_ZONES.map((zone, i) => [zone, prices[i]])),
    })),
    extraPerKgMinor: null, // over 70 lb goes freight, not parcel
    dimDivisor: 5000, // 139 in³/lb
    surcharges: [
      { code: "FUEL_PERCENT", args: { percent: 16.5 } },
      { code: "RESIDENTIAL_FLAT", args: { amountMinor: 495 } },
    ],
    deliversOn: ["mon", "tue", "wed", "thu", "fri"],
    deliveryHours: ["09:00", "20:00"],
  };
}

// ---------------------------------------------------------------------------------------------
// Postal: zones by destination ZIP prefix, computed like USPS zone charts: the distance from the
// origin's 3-digit ZIP area to the destination's (here: from the warehouse to each prefix's
// centroid over the `zipcodes` package).

const POSTAL_ZONES = ["1", "2", "3", "4", "5", "6", "7", "8"] as const;
/** [upper weight in ounces, zone 1 … zone 8] in cents; zones 1 and 2 share prices. */
const POSTAL_TABLE: readonly (readonly number[])[] = [
  [4, 462, 462, 470, 480, 495, 520, 545, 600],
  [8, 520, 520, 532, 548, 565, 600, 635, 710],
  [12, 588, 588, 605, 628, 658, 705, 750, 850],
  [15.99, 668, 668, 690, 725, 770, 830, 895, 1030],
  [32, 795, 795, 845, 930, 1050, 1220, 1350, 1580],
  [48, 880, 880, 960, 1080, 1260, 1490, 1690, 2010],
  [80, 985, 985, 1110, 1300, 1590, 1950, 2240, 2710],
  [160, 1260, 1260, 1480, 1840, 2400, 3050, 3560, 4380],
  [320, 1790, 1790, 2210, 2890, 3900, 5080, 6000, 7450],
  [1120, 4550, 4550, 5800, 7800, 10600, 13900, 16500, 20500],
];

function uspsZone(distanceM: number): (typeof POSTAL_ZONES)[number] {
  const miles = distanceM / MILE;
  if (miles <= 50) return "1";
  if (miles <= 150) return "2";
  if (miles <= 300) return "3";
  if (miles <= 600) return "4";
  if (miles <= 1000) return "5";
  if (miles <= 1400) return "6";
  if (miles <= 1800) return "7";
  return "8";
}

/**
 * Zone per destination ZIP prefix, kept short (the table is scanned on every quote): each 2-digit
 * prefix takes the zone most of its 3-digit areas have, and only the areas that differ are listed;
 * zone 8, the default, is left to `otherwise`. The longest matching prefix wins.
 */
export function postalPrefixes(): { prefix: string; zone: string }[] {
  const areas = new Map<string, { lat: number; lng: number; n: number }>();
  for (const r of allZipRecords()) {
    if (r.country !== "US" || !/^\d{5}$/.test(r.zip)) continue;
    const key = r.zip.slice(0, 3);
    const a = areas.get(key) ?? { lat: 0, lng: 0, n: 0 };
    a.lat += r.latitude;
    a.lng += r.longitude;
    a.n += 1;
    areas.set(key, a);
  }
  const groups = new Map<string, [string, string][]>();
  for (const [key, a] of [...areas].sort(([x], [y]) => x.localeCompare(y))) {
    const zone = uspsZone(greatCircleM(SECAUCUS.latitude, SECAUCUS.longitude, a.lat / a.n, a.lng / a.n));
    const group = groups.get(key.slice(0, 2)) ?? [];
    group.push([key, zone]);
    groups.set(key.slice(0, 2), group);
  }
  const out: { prefix: string; zone: string }[] = [];
  for (const [two, members] of groups) {
    const counts = new Map<string, number>();
    for (const [, zone] of members) counts.set(zone, (counts.get(zone) ?? 0) + 1);
    const majority = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
    if (majority !== "8") out.push({ prefix: two, zone: majority });
    for (const [key, zone] of members) if (zone !== majority) out.push({ prefix: key, zone });
  }
  return out;
}

function postalCard(originNodeIds: string[]): RateCardInput {
  return {
    id: "usps-ground-advantage",
    carrier: "USPS",
    service: "Ground Advantage",
    currency: "USD",
    originNodeIds,
    destinationCountries: ["US"],
    zoning: { by: "postalPrefix", prefixes: postalPrefixes(), otherwise: "8" },
    zones: [
      { zone: "1", transitDaysMin: 2, transitDaysMax: 3 },
      { zone: "2", transitDaysMin: 2, transitDaysMax: 3 },
      { zone: "3", transitDaysMin: 2, transitDaysMax: 4 },
      { zone: "4", transitDaysMin: 3, transitDaysMax: 4 },
      { zone: "5", transitDaysMin: 3, transitDaysMax: 5 },
      { zone: "6", transitDaysMin: 4, transitDaysMax: 5 },
      { zone: "7", transitDaysMin: 4, transitDaysMax: 5 },
      { zone: "8", transitDaysMin: 4, transitDaysMax: 5 },
    ],
    weightBands: POSTAL_TABLE.map(([oz, ...prices]) => ({
      upToGrams: Math.round(oz * OZ),
      pricesMinor: Object.fromEntries(POSTAL_ZONES.map((zone, i) => [zone, prices[i]])),
    })),
    extraPerKgMinor: null, // 70 lb is the postal limit
    dimDivisor: 6000, // 166 in³/lb
    surcharges: [],
    deliversOn: ["mon", "tue", "wed", "thu", "fri", "sat"],
    deliveryHours: ["09:00", "20:00"],
  };
}

// ---------------------------------------------------------------------------------------------
// Couriers and the robot corridor

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"] as const;

function surges(s: {
  lunch: [string, string, number];
  evening: [string, string, number];
  weekend: [string, string, number];
  load: { atLeast: number; multiplier: number }[];
}): RuleRef[] {
  return [
    { code: "HOUR_WEEKDAY", args: { days: [...WEEKDAYS], from: s.lunch[0], to: s.lunch[1], multiplier: s.lunch[2] } },
    { code: "HOUR_WEEKDAY", args: { days: [...WEEKDAYS], from: s.evening[0], to: s.evening[1], multiplier: s.evening[2] } },
    { code: "HOUR_WEEKDAY", args: { days: ["sat", "sun"], from: s.weekend[0], to: s.weekend[1], multiplier: s.weekend[2] } },
    { code: "LOAD_RATIO", args: { steps: s.load } },
  ];
}

function nycBikeCourier(nodeIds: string[]): CourierConfigInput {
  return {
    id: "nyc-bike",
    name: "Five Boroughs Bike Courier",
    nodeIds,
    baseMinor: 650,
    perKmMinor: 160,
    circuityFactor: 1.35,
    maxRoadDistanceM: 16_000,
    maxWeightGrams: 18_000,
    speedKmh: 16,
    pickupMinutes: 20,
    surge: surges({
      lunch: ["11:30", "13:30", 1.2],
      evening: ["17:00", "20:00", 1.35],
      weekend: ["10:00", "18:00", 1.15],
      load: [
        { atLeast: 0.7, multiplier: 1.1 },
        { atLeast: 0.85, multiplier: 1.25 },
        { atLeast: 0.95, multiplier: 1.5 },
      ],
    }),
  };
}

function austinCourier(nodeIds: string[]): CourierConfigInput {
  return {
    id: "atx-courier",
    name: "Lone Star Same-Day (Austin)",
    nodeIds,
    baseMinor: 750,
    perKmMinor: 120,
    circuityFactor: 1.25,
    maxRoadDistanceM: 30_000,
    maxWeightGrams: 25_000,
    speedKmh: 32,
    pickupMinutes: 25,
    surge: surges({
      lunch: ["11:00", "13:00", 1.15],
      evening: ["16:30", "19:00", 1.3],
      weekend: ["11:00", "20:00", 1.2],
      load: [
        { atLeast: 0.8, multiplier: 1.2 },
        { atLeast: 0.95, multiplier: 1.5 },
      ],
    }),
  };
}

/** Williamsburg, from the Williamsburg Bridge to McCarren Park and east to Bushwick Avenue ([lng, lat]). */
export const WILLIAMSBURG_ROBOT_AREA: Polygon = {
  type: "Polygon",
  coordinates: [
    [
      [-73.9695, 40.705],
      [-73.9655, 40.713],
      [-73.962, 40.719],
      [-73.959, 40.7235],
      [-73.951, 40.7245],
      [-73.944, 40.7205],
      [-73.937, 40.715],
      [-73.9365, 40.704],
      [-73.95, 40.7],
      [-73.962, 40.7005],
      [-73.9695, 40.705],
    ],
  ],
};

const everyDay = (open: string, close: string): OpeningHours => ({
  mon: [[open, close]],
  tue: [[open, close]],
  wed: [[open, close]],
  thu: [[open, close]],
  fri: [[open, close]],
  sat: [[open, close]],
  sun: [[open, close]],
});

function robotCorridor(nodeId: string): CorridorInput {
  return {
    id: "williamsburg-robots",
    name: "Williamsburg sidewalk robots",
    nodeId,
    polygon: WILLIAMSBURG_ROBOT_AREA,
    status: "OPEN",
    closedReason: null,
    operatingHours: everyDay("09:00", "19:00"),
    maxPayloadGrams: 9_000,
    maxItemSideMm: 500,
    maxVolumeMm3: 25_000_000, // 25 litres of cargo bay
    baseMinor: 299,
    perKmMinor: 60,
    circuityFactor: 1.25,
    speedKmh: 5.5,
  };
}

// ---------------------------------------------------------------------------------------------
// Node operations

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** The n-th (1-based; -1 = last) given weekday (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    return iso(year, month, 1 + ((weekday - first + 7) % 7) + (n - 1) * 7);
  }
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = new Date(Date.UTC(year, month - 1, lastDay)).getUTCDay();
  return iso(year, month, lastDay - ((last - weekday + 7) % 7));
}

/** US holidays a small fulfilment operation closes for, this year and next. */
export function demoHolidays(now: Date): string[] {
  const out: string[] = [];
  for (const y of [now.getUTCFullYear(), now.getUTCFullYear() + 1]) {
    out.push(
      iso(y, 1, 1), // New Year's Day
      nthWeekday(y, 5, 1, -1), // Memorial Day
      iso(y, 7, 4), // Independence Day
      nthWeekday(y, 9, 1, 1), // Labor Day
      nthWeekday(y, 11, 4, 4), // Thanksgiving
      iso(y, 12, 25), // Christmas
    );
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------

/** The demo shop's shipping configuration, for its nodes (handle → id). */
export function buildDemoShipping(nodeIds: ReadonlyMap<string, string>, now: Date): DemoShipping {
  const id = (handle: string) => {
    const found = nodeIds.get(handle);
    if (!found) throw new Error(`demo shipping names node ${handle}, which the demo network does not have`);
    return found;
  };
  const holidays = demoHolidays(now);
  const studioBreak = [...holidays, ...[26, 27, 28, 29, 30, 31].map((d) => iso(now.getUTCFullYear(), 12, d))].sort();

  const config: QuoteConfigInput = {
    // The print lab ships what it prints nationwide too; its Queens ZIP area is in the same USPS
    // zones as Secaucus's for all but a handful of nearby prefixes.
    rateCards: [
      groundCard([id("nj-secaucus-dc"), id("nyc-lic-print"), id("atx-east-hub")]),
      postalCard([id("nj-secaucus-dc"), id("nyc-lic-print")]),
    ],
    couriers: [
      nycBikeCourier([id("nyc-bk-hub"), id("nyc-mn-hub"), id("nyc-lic-print"), id("nyc-kk-studio")]),
      austinCourier([id("atx-east-hub"), id("atx-soco-store")]),
    ],
    corridors: [robotCorridor(id("nyc-bk-hub"))],
    // Williamsburg's own riders: three cargo bikes drive each wave of the day's local orders in
    // rounds (core/costing/rounds.ts), so a stop there costs what its density says, not a bike trip.
    rounds: [
      {
        id: "bk-cargo-bikes",
        nodeId: id("nyc-bk-hub"),
        fleet: {
          currency: "USD",
          vehicles: [
            { id: "bk-bikes", name: "Williamsburg cargo bikes", kind: "cargo_bike", count: 3, speedKmh: 15, circuityFactor: 1.35, capacityStops: 25, capacityGrams: 90_000, costPerHourMinor: 2400, costPerKmMinor: 10, shiftStart: "09:00", shiftEnd: "21:00" },
          ],
        },
        forecastOrdersPerDay: 25,
      },
    ],
    nodes: {
      [id("nj-secaucus-dc")]: { prepMinutes: 90, holidays },
      [id("nyc-bk-hub")]: { prepMinutes: 25, holidays },
      [id("nyc-mn-hub")]: { prepMinutes: 25, holidays },
      [id("atx-east-hub")]: { prepMinutes: 25, holidays },
      [id("nyc-lic-print")]: { prepMinutes: 20, makeSetupMinutes: 35, makeMinutesPerUnit: 12, holidays },
      [id("nyc-kk-studio")]: { prepMinutes: 45, holidays: studioBreak },
      [id("atx-soco-store")]: { prepMinutes: 15, holidays },
    },
    returns: {
      hubNodeIds: [id("nj-secaucus-dc"), id("nyc-bk-hub"), id("nyc-mn-hub"), id("atx-east-hub")],
      fallbackUnitCostMinor: 850,
    },
    pricingRules: [
      { code: "MARGIN_PERCENT", args: { percent: 10 } },
      { code: "FREE_OVER_SUBTOTAL", args: { minSubtotalMinor: 0, services: ["PICKUP"] } },
      { code: "FREE_OVER_SUBTOTAL", args: { minSubtotalMinor: 7500, services: ["STANDARD"] } },
      {
        code: "FREE_OVER_DYNAMIC_THRESHOLD",
        args: { productMarginPercent: 55, targetMarginPercent: 40, services: ["SAME_DAY", "NEXT_DAY", "AUTONOMOUS"] },
      },
      { code: "ROUND_CHARM", args: { unitMinor: 100, endingMinor: 99 } },
    ],
    pickup: { nodeKinds: ["MICRO_HUB", "STORE"], maxDistanceM: 25_000 },
    promise: { windowMinutes: 60, roundUpToMinutes: 30, horizonDays: 14 },
  };

  const backupRates: BackupRate[] = [
    {
      serviceName: "Standard shipping",
      serviceCode: "NH:BACKUP:STANDARD",
      description: "3–7 business days from our New Jersey warehouse",
      priceMinor: 899,
      freeOverMinor: 7500,
      transitDaysMin: 3,
      transitDaysMax: 7,
    },
    {
      serviceName: "Express shipping",
      serviceCode: "NH:BACKUP:EXPRESS",
      description: "1–2 business days",
      priceMinor: 2499,
      freeOverMinor: null,
      transitDaysMin: 1,
      transitDaysMax: 2,
    },
  ];
  return { config, backupRates, quoteBudgetMs: 400 };
}

/**
 * Validates the demo shipping exactly as saving it in admin would (quoteConfigSchema, every rule
 * compiled through its registry; backupRatesSchema) and writes the shop's ShippingSettings row.
 */
export async function seedDemoShipping(tx: Prisma.TransactionClient, shopId: string, shipping: DemoShipping): Promise<void> {
  const config = quoteConfigSchema.parse(shipping.config);
  prepareNetwork({ shopId, currency: "USD", nodes: [], products: [], stock: {} }, config);
  const backupRates = backupRatesSchema.parse(shipping.backupRates);
  // Node operations live with each node (ADR 0019); the settings store the rest, as parsed.
  const { nodes, ...stored } = config;
  for (const [id, ops] of Object.entries(nodes)) {
    await tx.node.update({
      where: { id, shopId },
      data: { holidaysJson: JSON.stringify(ops.holidays), prepMinutes: ops.prepMinutes, makeSetupMinutes: ops.makeSetupMinutes, makeMinutesPerUnit: ops.makeMinutesPerUnit },
    });
  }
  await tx.shippingSettings.create({
    data: {
      shopId,
      configJson: JSON.stringify(storedQuoteConfigSchema.parse(stored)),
      backupRatesJson: JSON.stringify(backupRates),
      quoteBudgetMs: shipping.quoteBudgetMs,
    },
  });
}
