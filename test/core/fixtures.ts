// Reusable fixtures for core tests and benchmarks: a New York network with real coordinates
// and postal codes (a central warehouse in Long Island City, hubs in Williamsburg and Chelsea,
// a micro-factory at the Brooklyn Navy Yard, a creator studio in Bushwick), rate cards shaped
// like a carrier's zone × weight table, a bike courier, a sidewalk-robot corridor.
// Every builder returns fresh objects, so a test can change what it needs.
import { DateTime } from "luxon";
import type { CartLine, Destination } from "../../app/core/costing/types";
import type { QuoteConfigInput } from "../../app/core/quoting/config";
import type { RateCardInput } from "../../app/core/costing/rateCard";
import type { CourierConfigInput } from "../../app/core/costing/courier";
import type { CorridorInput } from "../../app/core/costing/corridor";
import type { NetworkNode, NetworkSnapshot, OpeningHours, ProductProfile, Weekday } from "../../app/core/network/types";

export const NY = "America/New_York";

/** UTC ms of a local wall time, e.g. local("2025-06-10T15:59", NY). */
export function local(isoLocal: string, zone = NY): number {
  const dt = DateTime.fromISO(isoLocal, { zone });
  if (!dt.isValid) throw new Error(`bad local time ${isoLocal}`);
  return dt.toMillis();
}

/** The same opening interval on the given days (default every day); other days closed. */
export function hours(open: string, close: string, days: Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]): OpeningHours {
  const h: OpeningHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  for (const d of days) h[d] = [[open, close]];
  return h;
}

export function makeNode(over: Partial<NetworkNode> & Pick<NetworkNode, "id">): NetworkNode {
  return {
    handle: over.id,
    name: over.id,
    kind: "MICRO_HUB",
    status: "ACTIVE",
    latitude: 40.7142,
    longitude: -73.9614,
    timezone: NY,
    postalCode: "11211",
    country: "US",
    shopifyLocationId: null,
    serviceArea: { radiusM: null, polygon: null },
    openingHours: hours("08:00", "20:00"),
    sameDayCutoff: null,
    dailyCapacity: 100,
    handlingCostMinor: 0,
    pickupCostMinor: 0,
    sellerId: null,
    acceptsReturns: true,
    inspectionHours: null,
    ...over,
  };
}

export function makeProduct(over: Partial<ProductProfile> & Pick<ProductProfile, "id">): ProductProfile {
  return {
    sku: over.id.toUpperCase(),
    title: over.id,
    sellerId: null,
    category: "general",
    weightGrams: 500,
    lengthMm: 100,
    widthMm: 100,
    heightMm: 100,
    valueMinor: 2000,
    returnRateBps: 0,
    madeToOrder: false,
    ...over,
  };
}

export function line(product: ProductProfile, quantity = 1, unitPriceMinor?: number): CartLine {
  return unitPriceMinor === undefined ? { product, quantity } : { product, quantity, unitPriceMinor };
}

export const products = {
  mug: () => makeProduct({ id: "mug", sku: "MUG-01", title: "Stoneware mug", weightGrams: 450, lengthMm: 120, widthMm: 100, heightMm: 100, valueMinor: 2400, returnRateBps: 400 }),
  print: () => makeProduct({ id: "print", sku: "PRINT-A2", title: "A2 print in a tube", weightGrams: 300, lengthMm: 650, widthMm: 80, heightMm: 80, valueMinor: 4500, returnRateBps: 800 }),
  hoodie: () => makeProduct({ id: "hoodie", sku: "HOOD-M", title: "Hoodie", weightGrams: 700, lengthMm: 350, widthMm: 300, heightMm: 80, valueMinor: 6800, returnRateBps: 1500 }),
  lamp: () => makeProduct({ id: "lamp", sku: "LAMP-3D", title: "Printed lamp", weightGrams: 2000, lengthMm: 400, widthMm: 300, heightMm: 250, valueMinor: 14000, returnRateBps: 500, madeToOrder: true }),
  vase: () => makeProduct({ id: "vase", sku: "VASE-ANA", title: "Ana's vase", sellerId: "ana", weightGrams: 1200, lengthMm: 250, widthMm: 150, heightMm: 150, valueMinor: 9500, returnRateBps: 300 }),
};

/** Addresses in and around New York (postal code centroids), plus farther cities and one without coordinates. */
export const addresses = {
  williamsburg: { latitude: 40.7181, longitude: -73.9571, postalCode: "11211", country: "US" },
  parkSlope: { latitude: 40.671, longitude: -73.9814, postalCode: "11215", country: "US" },
  upperWestSide: { latitude: 40.787, longitude: -73.9754, postalCode: "10024", country: "US" },
  astoria: { latitude: 40.7644, longitude: -73.9235, postalCode: "11102", country: "US" },
  harlem: { latitude: 40.8116, longitude: -73.9465, postalCode: "10027", country: "US" },
  jerseyCity: { latitude: 40.7178, longitude: -74.0431, postalCode: "07302", country: "US" },
  philadelphia: { latitude: 39.9526, longitude: -75.1652, postalCode: "19103", country: "US" },
  boston: { latitude: 42.3493, longitude: -71.078, postalCode: "02116", country: "US" },
  chicago: { latitude: 41.8781, longitude: -87.6298, postalCode: "60606", country: "US" },
  brooklynNoCoordinates: { postalCode: "11215", country: "US" },
} satisfies Record<string, Destination>;

/** Chelsea hub's drawn area: Manhattan from the Battery to about 110th Street. */
const manhattanPolygon = {
  type: "Polygon" as const,
  coordinates: [[
    [-74.017, 40.7033], [-73.971, 40.728], [-73.94, 40.785], [-73.968, 40.806], [-74.005, 40.762], [-74.017, 40.7033],
  ] as [number, number][]],
};

/** Williamsburg and Greenpoint, served by sidewalk robots from the Brooklyn hub. */
export const robotPolygon = {
  type: "Polygon" as const,
  coordinates: [[[-73.975, 40.7], [-73.935, 40.7], [-73.935, 40.735], [-73.975, 40.735], [-73.975, 40.7]] as [number, number][]],
};

export function nycNodes() {
  return {
    warehouse: makeNode({
      id: "wh", handle: "lic-warehouse", name: "Long Island City warehouse", kind: "CENTRAL_WAREHOUSE",
      latitude: 40.7447, longitude: -73.9485, postalCode: "11101",
      openingHours: hours("07:00", "19:00", ["mon", "tue", "wed", "thu", "fri", "sat"]),
      sameDayCutoff: "15:00", dailyCapacity: 2000, handlingCostMinor: 150, pickupCostMinor: 40,
    }),
    brooklyn: makeNode({
      id: "bk", handle: "brooklyn", name: "Brooklyn hub",
      latitude: 40.7142, longitude: -73.9614, postalCode: "11211",
      serviceArea: { radiusM: 6000, polygon: null },
      openingHours: hours("08:00", "20:00"), sameDayCutoff: "16:00", dailyCapacity: 150,
      handlingCostMinor: 120, pickupCostMinor: 0,
    }),
    manhattan: makeNode({
      id: "mh", handle: "manhattan", name: "Chelsea hub",
      latitude: 40.7465, longitude: -74.0014, postalCode: "10001",
      serviceArea: { radiusM: null, polygon: manhattanPolygon },
      openingHours: hours("08:00", "20:00"), sameDayCutoff: "16:00", dailyCapacity: 150,
      handlingCostMinor: 130, pickupCostMinor: 0,
    }),
    factory: makeNode({
      id: "mf", handle: "navy-yard", name: "Navy Yard micro-factory", kind: "MICRO_FACTORY",
      latitude: 40.7003, longitude: -73.9717, postalCode: "11205",
      serviceArea: { radiusM: 8000, polygon: null },
      openingHours: hours("09:00", "18:00", ["mon", "tue", "wed", "thu", "fri"]), sameDayCutoff: "14:00", dailyCapacity: 40,
      handlingCostMinor: 200, pickupCostMinor: 0,
    }),
    studio: makeNode({
      id: "st", handle: "ana-studio", name: "Ana's studio", kind: "SELLER_STUDIO", sellerId: "ana",
      latitude: 40.6958, longitude: -73.9171, postalCode: "11237",
      serviceArea: { radiusM: 3000, polygon: null },
      openingHours: hours("11:00", "17:00", ["tue", "wed", "thu", "fri", "sat"]), sameDayCutoff: null, dailyCapacity: 10,
      handlingCostMinor: 100, pickupCostMinor: 0,
    }),
  };
}

export function nycSnapshot(): NetworkSnapshot {
  const n = nycNodes();
  return {
    shopId: "shop_nyc",
    currency: "USD",
    nodes: [n.warehouse, n.brooklyn, n.manhattan, n.factory, n.studio],
    products: Object.values(products).map((p) => p()),
    stock: {
      wh: { mug: 400, print: 120, hoodie: 300, lamp: 10, vase: 5 },
      bk: { mug: 40, print: 12, hoodie: 25 },
      mh: { mug: 30, hoodie: 20 },
      mf: { lamp: 0 },
      st: { vase: 6 },
    },
    // Orders the nodes have taken today (counted by the service for checkout and routing alike).
    today: {
      countedAt: Date.UTC(2025, 0, 1),
      byNode: { wh: { orders: 800, madeUnits: 0 }, bk: { orders: 60, madeUnits: 0 }, mh: { orders: 90, madeUnits: 0 }, mf: { orders: 12, madeUnits: 0 }, st: { orders: 2, madeUnits: 0 } },
    },
  };
}

/** A distance-zoned ground service: zones 2–8 by distance, weight bands up to 30 kg. */
export function groundCard(over: Partial<RateCardInput> = {}): RateCardInput {
  const zones = ["2", "3", "4", "5", "6", "7", "8"];
  const row = (upToGrams: number, base: number) => ({
    upToGrams,
    pricesMinor: Object.fromEntries(zones.map((z, i) => [z, base + i * Math.round(base * 0.12)])),
  });
  return {
    id: "metro-ground",
    carrier: "Metro Parcel",
    service: "Ground",
    currency: "USD",
    destinationCountries: ["US"],
    zoning: {
      by: "distance",
      bands: [
        { upToM: 80_000, zone: "2" }, { upToM: 240_000, zone: "3" }, { upToM: 480_000, zone: "4" },
        { upToM: 950_000, zone: "5" }, { upToM: 1_450_000, zone: "6" }, { upToM: 2_400_000, zone: "7" },
        { upToM: 6_000_000, zone: "8" },
      ],
    },
    zones: zones.map((zone, i) => ({ zone, transitDaysMin: Math.max(1, i), transitDaysMax: i + 2 })),
    weightBands: [row(500, 895), row(1000, 985), row(2000, 1120), row(3000, 1240), row(5000, 1460), row(10000, 1980), row(20000, 2890), row(30000, 3750)],
    extraPerKgMinor: 150,
    dimDivisor: 5000,
    surcharges: [{ code: "FUEL_PERCENT", args: { percent: 15 } }, { code: "RESIDENTIAL_FLAT", args: { amountMinor: 550 } }],
    ...over,
  };
}

/** A postal service zoned by ZIP prefix: works without coordinates. */
export function postalCard(over: Partial<RateCardInput> = {}): RateCardInput {
  return {
    id: "postal-ground",
    carrier: "Postal",
    service: "Ground Advantage",
    currency: "USD",
    destinationCountries: ["US"],
    zoning: {
      by: "postalPrefix",
      prefixes: [
        ...["100", "101", "102", "103", "104", "110", "111", "112", "113", "114", "116"].map((prefix) => ({ prefix, zone: "1" })),
        { prefix: "07", zone: "2" }, { prefix: "08", zone: "2" }, { prefix: "19", zone: "3" }, { prefix: "02", zone: "3" },
      ],
      otherwise: "8",
    },
    zones: [
      { zone: "1", transitDaysMin: 1, transitDaysMax: 2 }, { zone: "2", transitDaysMin: 2, transitDaysMax: 3 },
      { zone: "3", transitDaysMin: 2, transitDaysMax: 4 }, { zone: "8", transitDaysMin: 3, transitDaysMax: 6 },
    ],
    weightBands: [
      { upToGrams: 450, pricesMinor: { "1": 650, "2": 690, "3": 740, "8": 990 } },
      { upToGrams: 1000, pricesMinor: { "1": 780, "2": 840, "3": 910, "8": 1290 } },
      { upToGrams: 5000, pricesMinor: { "1": 1190, "2": 1290, "3": 1450, "8": 2350 } },
      { upToGrams: 31_700, pricesMinor: { "1": 2900, "2": 3200, "3": 3900, "8": 7400 } },
    ],
    extraPerKgMinor: null,
    dimDivisor: 5000,
    ...over,
  };
}

export function bikeCourier(over: Partial<CourierConfigInput> = {}): CourierConfigInput {
  return {
    id: "bike",
    name: "Bike courier",
    baseMinor: 600,
    perKmMinor: 150,
    circuityFactor: 1.3,
    maxRoadDistanceM: 15_000,
    maxWeightGrams: 20_000,
    speedKmh: 18,
    pickupMinutes: 15,
    surge: [
      { code: "HOUR_WEEKDAY", args: { days: ["mon", "tue", "wed", "thu", "fri"], from: "17:00", to: "19:00", multiplier: 1.25 } },
      { code: "LOAD_RATIO", args: { steps: [{ atLeast: 0.8, multiplier: 1.2 }, { atLeast: 0.95, multiplier: 1.5 }] } },
    ],
    ...over,
  };
}

export function robotCorridor(over: Partial<CorridorInput> = {}): CorridorInput {
  return {
    id: "wb-robots",
    name: "Williamsburg robots",
    nodeId: "bk",
    polygon: robotPolygon,
    operatingHours: hours("08:00", "20:00"),
    maxPayloadGrams: 10_000,
    maxItemSideMm: 600,
    baseMinor: 300,
    perKmMinor: 50,
    ...over,
  };
}

export function nycConfig(over: Partial<QuoteConfigInput> = {}): QuoteConfigInput {
  return {
    rateCards: [groundCard(), postalCard()],
    couriers: [bikeCourier()],
    corridors: [robotCorridor()],
    nodes: {
      wh: { prepMinutes: 120 },
      bk: { prepMinutes: 30, holidays: ["2025-12-25"] },
      mh: { prepMinutes: 30, holidays: ["2025-12-25"] },
      mf: { prepMinutes: 30, makeSetupMinutes: 45, makeMinutesPerUnit: 30 },
      st: { prepMinutes: 60 },
    },
    returns: { hubNodeIds: null, fallbackUnitCostMinor: 900 },
    pricingRules: [
      { code: "MARGIN_PERCENT", args: { percent: 10 } },
      { code: "ROUND_CHARM", args: {} },
      { code: "FREE_OVER_SUBTOTAL", args: { minSubtotalMinor: 15000, services: ["STANDARD"] } },
    ],
    ...over,
  };
}

/** The three-line cart of the benchmark. */
export function threeLineCart(): CartLine[] {
  return [line(products.mug(), 2), line(products.print(), 1), line(products.hoodie(), 1)];
}
