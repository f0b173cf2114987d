// The demo marketplace's fixed content: five creators, their SKUs, and the node network.
// Addresses are real streets in real ZIP codes; coordinates are the building's approximate
// position (each within 2 km of its ZIP centroid in the `zipcodes` package, checked by the test).
import type { OpeningHours, Polygon } from "../../app/core/network/types";
import type { Region } from "./demo-geo";

export interface SellerSpec {
  handle: string;
  name: string;
  vendor: string;
  city: string;
  latitude: number;
  longitude: number;
  /** The pilot city the creator works in: its shoppers favour the creator's SKUs. */
  region: Exclude<Region, "US">;
}

export const SELLERS: readonly SellerSpec[] = [
  {
    handle: "kiln-and-kettle",
    name: "Kiln & Kettle Ceramics",
    vendor: "Kiln & Kettle",
    city: "Brooklyn",
    latitude: 40.7373,
    region: "NYC",
    longitude: -73.9556,
  },
  {
    handle: "ludlow-standard",
    name: "Ludlow Standard",
    vendor: "Ludlow Standard",
    city: "New York",
    latitude: 40.719,
    region: "NYC",
    longitude: -73.988,
  },
  {
    handle: "paper-moth-press",
    name: "Paper Moth Press",
    vendor: "Paper Moth Press",
    city: "Ridgewood",
    latitude: 40.704,
    region: "NYC",
    longitude: -73.905,
  },
  {
    handle: "eastside-ink",
    name: "Eastside Ink Co.",
    vendor: "Eastside Ink Co.",
    city: "Austin",
    latitude: 30.262,
    region: "ATX",
    longitude: -97.718,
  },
  {
    handle: "hollow-oak-candle",
    name: "Hollow Oak Candle Co.",
    vendor: "Hollow Oak Candle Co.",
    city: "Austin",
    latitude: 30.207,
    region: "ATX",
    longitude: -97.793,
  },
];

/** How demand for a SKU moves through the year (see SEASON_CURVES in demo.ts). */
export type SeasonProfile = "gift" | "candle" | "warm" | "tee" | "paper" | "flat";

export interface ProductSpec {
  sku: string;
  title: string;
  seller: string; // seller handle
  category: string;
  weightGrams: number; // shipped weight, packaging included
  lengthMm: number; // packed dimensions
  widthMm: number;
  heightMm: number;
  valueMinor: number; // USD cents
  returnRateBps: number;
  madeToOrder: boolean;
  /** Relative demand among all SKUs (before locality and season). */
  popularity: number;
  season: SeasonProfile;
  /** Small goods are often bought two or three at a time. */
  multiples?: boolean;
}

export const PRODUCTS: readonly ProductSpec[] = [
  // Kiln & Kettle Ceramics: wheel-thrown stoneware, Greenpoint. Breakage drives returns (~6%).
  { sku: "KK-MUG-SPK-12", title: "Speckled Stoneware Mug, 12 oz", seller: "kiln-and-kettle", category: "Ceramics", weightGrams: 520, lengthMm: 150, widthMm: 130, heightMm: 130, valueMinor: 3800, returnRateBps: 600, madeToOrder: false, popularity: 11, season: "gift" },
  { sku: "KK-MUG-CBT-12", title: "Cobalt Drip Mug, 12 oz", seller: "kiln-and-kettle", category: "Ceramics", weightGrams: 530, lengthMm: 150, widthMm: 130, heightMm: 130, valueMinor: 3800, returnRateBps: 620, madeToOrder: false, popularity: 8, season: "gift" },
  { sku: "KK-BWL-RMN-7", title: "Ramen Bowl, 7 in", seller: "kiln-and-kettle", category: "Ceramics", weightGrams: 940, lengthMm: 230, widthMm: 230, heightMm: 140, valueMinor: 5400, returnRateBps: 650, madeToOrder: false, popularity: 5, season: "gift" },
  { sku: "KK-PLT-DIN-10", title: "Dinner Plate, 10.5 in", seller: "kiln-and-kettle", category: "Ceramics", weightGrams: 1050, lengthMm: 310, widthMm: 310, heightMm: 70, valueMinor: 4600, returnRateBps: 700, madeToOrder: false, popularity: 4, season: "gift" },
  { sku: "KK-VAS-BUD-3", title: "Bud Vase Trio", seller: "kiln-and-kettle", category: "Ceramics", weightGrams: 760, lengthMm: 260, widthMm: 140, heightMm: 160, valueMinor: 6200, returnRateBps: 550, madeToOrder: false, popularity: 5, season: "gift" },
  { sku: "KK-PLN-FTD-6", title: "Footed Planter, 6 in", seller: "kiln-and-kettle", category: "Ceramics", weightGrams: 1450, lengthMm: 220, widthMm: 220, heightMm: 200, valueMinor: 7200, returnRateBps: 600, madeToOrder: false, popularity: 4, season: "flat" },
  { sku: "KK-SET-EVD-4", title: "Everyday Stack, 4-piece place setting", seller: "kiln-and-kettle", category: "Ceramics", weightGrams: 3300, lengthMm: 350, widthMm: 350, heightMm: 230, valueMinor: 16800, returnRateBps: 680, madeToOrder: false, popularity: 2, season: "gift" },

  // Ludlow Standard: indie apparel label, Lower East Side. Fit drives returns (15-25%).
  { sku: "LS-TEE-PKT-BLK-M", title: "Heavyweight Pocket Tee, Black, M", seller: "ludlow-standard", category: "Apparel", weightGrams: 290, lengthMm: 300, widthMm: 250, heightMm: 30, valueMinor: 4200, returnRateBps: 1800, madeToOrder: false, popularity: 9, season: "tee" },
  { sku: "LS-TEE-PKT-NAT-M", title: "Heavyweight Pocket Tee, Natural, M", seller: "ludlow-standard", category: "Apparel", weightGrams: 290, lengthMm: 300, widthMm: 250, heightMm: 30, valueMinor: 4200, returnRateBps: 1850, madeToOrder: false, popularity: 7, season: "tee" },
  { sku: "LS-TEE-GFX-DLN-L", title: "Delancey Graphic Tee, L (printed to order)", seller: "ludlow-standard", category: "Apparel", weightGrams: 270, lengthMm: 300, widthMm: 250, heightMm: 30, valueMinor: 3600, returnRateBps: 1500, madeToOrder: true, popularity: 6, season: "tee" },
  { sku: "LS-CRW-LBF-GRY-M", title: "Loopback Fleece Crewneck, Heather Grey, M", seller: "ludlow-standard", category: "Apparel", weightGrams: 650, lengthMm: 330, widthMm: 270, heightMm: 60, valueMinor: 9800, returnRateBps: 2100, madeToOrder: false, popularity: 6, season: "warm" },
  { sku: "LS-PNT-CRP-OLV-32", title: "Cropped Work Pant, Olive, 32", seller: "ludlow-standard", category: "Apparel", weightGrams: 720, lengthMm: 350, widthMm: 280, heightMm: 50, valueMinor: 12800, returnRateBps: 2400, madeToOrder: false, popularity: 4, season: "flat" },
  { sku: "LS-CAP-6PN-NVY", title: "Six-Panel Cap, Navy", seller: "ludlow-standard", category: "Accessories", weightGrams: 160, lengthMm: 260, widthMm: 200, heightMm: 130, valueMinor: 3400, returnRateBps: 900, madeToOrder: false, popularity: 4, season: "tee" },
  { sku: "LS-JKT-CHR-ECR-M", title: "Canvas Chore Coat, Ecru, M", seller: "ludlow-standard", category: "Apparel", weightGrams: 1150, lengthMm: 380, widthMm: 300, heightMm: 80, valueMinor: 19800, returnRateBps: 2300, madeToOrder: false, popularity: 3, season: "warm" },

  // Paper Moth Press: sticker, riso and zine artist, Ridgewood. Almost nothing comes back.
  { sku: "PM-STK-SUB-10", title: "Subway Critters Sticker Pack (10)", seller: "paper-moth-press", category: "Stickers", weightGrams: 45, lengthMm: 165, widthMm: 115, heightMm: 5, valueMinor: 1200, returnRateBps: 200, madeToOrder: true, popularity: 12, season: "paper", multiples: true },
  { sku: "PM-STK-BCT-HOLO", title: "Holographic Bodega Cat Sticker", seller: "paper-moth-press", category: "Stickers", weightGrams: 15, lengthMm: 165, widthMm: 115, heightMm: 3, valueMinor: 500, returnRateBps: 150, madeToOrder: true, popularity: 10, season: "paper", multiples: true },
  { sku: "PM-ZIN-RAD-07", title: "Ridgewood After Dark, Zine No. 7", seller: "paper-moth-press", category: "Zines & Books", weightGrams: 95, lengthMm: 220, widthMm: 145, heightMm: 6, valueMinor: 1000, returnRateBps: 250, madeToOrder: false, popularity: 6, season: "paper", multiples: true },
  { sku: "PM-ZIN-BDL-3", title: "Risograph Zine Bundle (3)", seller: "paper-moth-press", category: "Zines & Books", weightGrams: 270, lengthMm: 230, widthMm: 160, heightMm: 15, valueMinor: 2600, returnRateBps: 300, madeToOrder: false, popularity: 3, season: "paper" },
  { sku: "PM-PRT-MYR-A3", title: "Myrtle Avenue Risograph Print, A3", seller: "paper-moth-press", category: "Art Prints", weightGrams: 180, lengthMm: 450, widthMm: 80, heightMm: 80, valueMinor: 3000, returnRateBps: 400, madeToOrder: false, popularity: 3, season: "gift" },
  { sku: "PM-PIN-BCT-ENM", title: "Bodega Cat Enamel Pin", seller: "paper-moth-press", category: "Accessories", weightGrams: 30, lengthMm: 120, widthMm: 90, heightMm: 10, valueMinor: 1200, returnRateBps: 250, madeToOrder: false, popularity: 6, season: "gift", multiples: true },

  // Eastside Ink Co.: screen-printed merch, East Austin. Posters and custom tees printed to order.
  { sku: "EI-TEE-SKY-BLK-M", title: "ATX Skyline Tee, Black, M", seller: "eastside-ink", category: "Apparel", weightGrams: 240, lengthMm: 300, widthMm: 250, heightMm: 30, valueMinor: 3000, returnRateBps: 1700, madeToOrder: false, popularity: 9, season: "tee" },
  { sku: "EI-TEE-BAT-SND-L", title: "Congress Bridge Bats Tee, Sand, L", seller: "eastside-ink", category: "Apparel", weightGrams: 240, lengthMm: 300, widthMm: 250, heightMm: 30, valueMinor: 3000, returnRateBps: 1650, madeToOrder: false, popularity: 8, season: "tee" },
  { sku: "EI-HOD-LGO-BLK-L", title: "Eastside Ink Logo Hoodie, Black, L", seller: "eastside-ink", category: "Apparel", weightGrams: 760, lengthMm: 340, widthMm: 280, heightMm: 70, valueMinor: 6500, returnRateBps: 1900, madeToOrder: false, popularity: 5, season: "warm" },
  { sku: "EI-TOT-CNV-NAT", title: "Heavy Canvas Tote, Natural", seller: "eastside-ink", category: "Bags", weightGrams: 320, lengthMm: 380, widthMm: 300, heightMm: 20, valueMinor: 2400, returnRateBps: 500, madeToOrder: false, popularity: 6, season: "flat" },
  { sku: "EI-PST-GIG-1824", title: "Gig Poster, 18 x 24 in (printed to order)", seller: "eastside-ink", category: "Art Prints", weightGrams: 230, lengthMm: 640, widthMm: 80, heightMm: 80, valueMinor: 3500, returnRateBps: 400, madeToOrder: true, popularity: 4, season: "gift" },
  { sku: "EI-TEE-CST-BND", title: "Custom Band Tee (printed to order)", seller: "eastside-ink", category: "Apparel", weightGrams: 240, lengthMm: 300, widthMm: 250, heightMm: 30, valueMinor: 3400, returnRateBps: 600, madeToOrder: true, popularity: 3, season: "tee" },

  // Hollow Oak Candle Co.: soy candles in glass, South Austin. Cracked jars are most returns.
  { sku: "HO-CDL-CDS-08", title: "Cedar & Smoke Candle, 8 oz", seller: "hollow-oak-candle", category: "Home Fragrance", weightGrams: 480, lengthMm: 110, widthMm: 110, heightMm: 120, valueMinor: 3200, returnRateBps: 350, madeToOrder: false, popularity: 10, season: "candle" },
  { sku: "HO-CDL-PKP-08", title: "Prickly Pear Candle, 8 oz", seller: "hollow-oak-candle", category: "Home Fragrance", weightGrams: 480, lengthMm: 110, widthMm: 110, heightMm: 120, valueMinor: 3200, returnRateBps: 350, madeToOrder: false, popularity: 8, season: "candle" },
  { sku: "HO-CDL-HCT-16", title: "Hill Country Candle, 16 oz", seller: "hollow-oak-candle", category: "Home Fragrance", weightGrams: 900, lengthMm: 130, widthMm: 130, heightMm: 150, valueMinor: 4800, returnRateBps: 400, madeToOrder: false, popularity: 5, season: "candle" },
  { sku: "HO-TIN-TRV-3", title: "Travel Tin Trio", seller: "hollow-oak-candle", category: "Home Fragrance", weightGrams: 350, lengthMm: 200, widthMm: 80, heightMm: 60, valueMinor: 2800, returnRateBps: 300, madeToOrder: false, popularity: 6, season: "candle" },
  { sku: "HO-DIF-SGC-100", title: "Sage & Citrus Reed Diffuser, 100 ml", seller: "hollow-oak-candle", category: "Home Fragrance", weightGrams: 540, lengthMm: 120, widthMm: 120, heightMm: 250, valueMinor: 3800, returnRateBps: 450, madeToOrder: false, popularity: 3, season: "flat" },
  { sku: "HO-MCH-APO-JAR", title: "Safety Matches in Apothecary Jar", seller: "hollow-oak-candle", category: "Home Fragrance", weightGrams: 190, lengthMm: 90, widthMm: 90, heightMm: 110, valueMinor: 1400, returnRateBps: 200, madeToOrder: false, popularity: 4, season: "candle", multiples: true },
];

export interface NodeSpec {
  handle: string;
  name: string;
  kind: "CENTRAL_WAREHOUSE" | "MICRO_HUB" | "MICRO_FACTORY" | "STORE" | "SELLER_STUDIO";
  address1: string;
  city: string;
  province: string;
  postalCode: string;
  latitude: number;
  longitude: number;
  timezone: string;
  shopifyLocationId: string;
  serviceRadiusM: number | null;
  serviceArea: Polygon | null;
  openingHours: OpeningHours;
  sameDayCutoff: string | null;
  dailyCapacity: number;
  handlingCostMinor: number;
  pickupCostMinor: number;
  seller: string | null; // seller handle, for a creator studio
}

const weekdays = (open: string, close: string) => ({
  mon: [[open, close]] as [string, string][],
  tue: [[open, close]] as [string, string][],
  wed: [[open, close]] as [string, string][],
  thu: [[open, close]] as [string, string][],
  fri: [[open, close]] as [string, string][],
});

/**
 * The Manhattan hub's courier zone, drawn rather than a radius: Manhattan from the Battery
 * to 110th Street, following the East River and the Hudson ([lng, lat], counter-clockwise).
 */
export const MANHATTAN_BELOW_110TH: Polygon = {
  type: "Polygon",
  coordinates: [
    [
      [-74.019, 40.7005],
      [-74.008, 40.704],
      [-73.999, 40.708],
      [-73.978, 40.711],
      [-73.972, 40.727],
      [-73.97, 40.74],
      [-73.963, 40.753],
      [-73.951, 40.766],
      [-73.942, 40.778],
      [-73.9385, 40.7905],
      [-73.958, 40.8007],
      [-73.9718, 40.807],
      [-73.988, 40.78],
      [-74.001, 40.763],
      [-74.011, 40.746],
      [-74.013, 40.729],
      [-74.016, 40.715],
      [-74.019, 40.7005],
    ],
  ],
};

export const NODES: readonly NodeSpec[] = [
  {
    handle: "nj-secaucus-dc",
    name: "Secaucus Fulfilment Center",
    kind: "CENTRAL_WAREHOUSE",
    address1: "500 Meadowlands Pkwy",
    city: "Secaucus",
    province: "NJ",
    postalCode: "07094",
    latitude: 40.7935,
    longitude: -74.0525,
    timezone: "America/New_York",
    shopifyLocationId: "gid://shopify/Location/71538442301",
    serviceRadiusM: null, // ships anywhere in the US by carrier
    serviceArea: null,
    openingHours: { ...weekdays("06:00", "22:00"), sat: [["08:00", "16:00"]], sun: [] },
    sameDayCutoff: null,
    dailyCapacity: 4000,
    handlingCostMinor: 185,
    pickupCostMinor: 35,
    seller: null,
  },
  {
    handle: "nyc-bk-hub",
    name: "Williamsburg Micro-hub",
    kind: "MICRO_HUB",
    address1: "215 N 10th St",
    city: "Brooklyn",
    province: "NY",
    postalCode: "11211",
    latitude: 40.7199,
    longitude: -73.9548,
    timezone: "America/New_York",
    shopifyLocationId: "gid://shopify/Location/71538475069",
    serviceRadiusM: 10_000,
    serviceArea: null,
    openingHours: { ...weekdays("08:00", "20:00"), sat: [["09:00", "18:00"]], sun: [["10:00", "16:00"]] },
    sameDayCutoff: "14:00",
    dailyCapacity: 350,
    handlingCostMinor: 260,
    pickupCostMinor: 120,
    seller: null,
  },
  {
    handle: "nyc-mn-hub",
    name: "Chelsea Micro-hub",
    kind: "MICRO_HUB",
    address1: "530 W 25th St",
    city: "New York",
    province: "NY",
    postalCode: "10001",
    latitude: 40.7495,
    longitude: -74.0045,
    timezone: "America/New_York",
    shopifyLocationId: "gid://shopify/Location/71538507837",
    serviceRadiusM: null,
    serviceArea: MANHATTAN_BELOW_110TH,
    openingHours: { ...weekdays("08:00", "20:00"), sat: [["09:00", "18:00"]], sun: [] },
    sameDayCutoff: "14:00",
    dailyCapacity: 280,
    handlingCostMinor: 290,
    pickupCostMinor: 120,
    seller: null,
  },
  {
    handle: "atx-east-hub",
    name: "East Austin Micro-hub",
    kind: "MICRO_HUB",
    address1: "2505 E 6th St",
    city: "Austin",
    province: "TX",
    postalCode: "78702",
    latitude: 30.258,
    longitude: -97.7135,
    timezone: "America/Chicago",
    shopifyLocationId: "gid://shopify/Location/71538540605",
    serviceRadiusM: 12_000,
    serviceArea: null,
    openingHours: { ...weekdays("08:00", "19:00"), sat: [["09:00", "17:00"]], sun: [] },
    sameDayCutoff: "14:00",
    dailyCapacity: 260,
    handlingCostMinor: 230,
    pickupCostMinor: 100,
    seller: null,
  },
  {
    handle: "nyc-lic-print",
    name: "LIC Print Lab (print on demand)",
    kind: "MICRO_FACTORY",
    address1: "31-00 47th Ave",
    city: "Long Island City",
    province: "NY",
    postalCode: "11101",
    latitude: 40.7434,
    longitude: -73.9355,
    timezone: "America/New_York",
    shopifyLocationId: "gid://shopify/Location/71538573373",
    serviceRadiusM: null,
    serviceArea: null,
    openingHours: { ...weekdays("07:00", "19:00"), sat: [["09:00", "15:00"]], sun: [] },
    sameDayCutoff: "11:00", // printing takes the afternoon: only morning orders leave today
    dailyCapacity: 180,
    handlingCostMinor: 350,
    pickupCostMinor: 60,
    seller: null,
  },
  {
    handle: "nyc-kk-studio",
    name: "Kiln & Kettle Studio (GMDC)",
    kind: "SELLER_STUDIO",
    address1: "1155 Manhattan Ave",
    city: "Brooklyn",
    province: "NY",
    postalCode: "11222",
    latitude: 40.7373,
    longitude: -73.9556,
    timezone: "America/New_York",
    shopifyLocationId: "gid://shopify/Location/71538606141",
    serviceRadiusM: 6_000,
    serviceArea: null,
    openingHours: {
      mon: [],
      tue: [["10:00", "18:00"]],
      wed: [["10:00", "18:00"]],
      thu: [["10:00", "18:00"]],
      fri: [["10:00", "18:00"]],
      sat: [["11:00", "17:00"]],
      sun: [],
    },
    sameDayCutoff: "12:00",
    dailyCapacity: 30,
    handlingCostMinor: 300,
    pickupCostMinor: 650, // a courier comes out for a handful of parcels
    seller: "kiln-and-kettle",
  },
  {
    handle: "atx-soco-store",
    name: "Nearhub Market South Congress",
    kind: "STORE",
    address1: "1400 S Congress Ave",
    city: "Austin",
    province: "TX",
    postalCode: "78704",
    latitude: 30.2495,
    longitude: -97.7495,
    timezone: "America/Chicago",
    shopifyLocationId: "gid://shopify/Location/71538638909",
    serviceRadiusM: 8_000,
    serviceArea: null,
    openingHours: {
      ...weekdays("10:00", "20:00"),
      sat: [["10:00", "21:00"]],
      sun: [["11:00", "18:00"]],
    },
    sameDayCutoff: "16:00",
    dailyCapacity: 90,
    handlingCostMinor: 220,
    pickupCostMinor: 400,
    seller: null,
  },
];
