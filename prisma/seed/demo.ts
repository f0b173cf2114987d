// The demo marketplace behind `npm run demo`: a shop with a node network in New York and
// Austin, five creators and their SKUs, stock per node, and a year of orders to real ZIP codes.
//
// Everything is generated from (seed, now): a seeded PRNG, no Math.random, no wall clock.
// buildDemoMarketplace() returns plain rows (no database); seedDemoMarketplace() replaces the
// demo shop's rows with them in one transaction, so a failed run leaves the previous demo intact.
import { Prisma, type PrismaClient } from "@prisma/client";
import { DateTime } from "luxon";
import { openingHoursSchema, polygonSchema } from "../../app/core/network/types";
import { NODES, PRODUCTS, SELLERS, type NodeSpec, type ProductSpec, type SeasonProfile } from "./demo-catalog";
import { buildDestinationSamplers, type Destination, type Region } from "./demo-geo";
import { buildDemoShipping, seedDemoShipping } from "./demo-shipping";
import { seedDemoReturns } from "./demo-returns";
import { seedDemoDeliveries } from "./demo-deliveries";
import { seedDemoRouting } from "./demo-routing";
import { seedDemoCampaigns } from "./demo-campaigns";
import { insertInChunks, insertRows } from "./insert";
import { WeightedSampler, intBetween, pick, poisson, substream, weightedIndex, type Rng } from "./random";

export const DEMO_SHOP_DOMAIN = "nearhub-demo.myshopify.com";
export const DEMO_SHOP_NAME = "Nearhub Demo Market";
export const DEMO_DEFAULT_SEED = 1001;
export const DEMO_DEFAULT_ORDER_DAYS = 365;

const SHOP_TIMEZONE = "America/New_York";
const CURRENCY = "USD";
/** Mean orders per day over the window (growth and seasonality move around it). */
const MEAN_ORDERS_PER_DAY = 58;
/** Share of demand by destination: the two pilot cities, then the rest of the US. */
const REGION_SHARE: Record<Region, number> = { NYC: 0.45, ATX: 0.22, US: 0.33 };
/** Demand at the end of the window relative to its start: a young marketplace growing fast. */
const GROWTH_START = 0.65;
const GROWTH_END = 1.35;

export interface SeedDemoOptions {
  now: Date;
  seed?: number;
  orderDays?: number;
}

export interface SeedDemoResult {
  shopId: string;
  counts: Record<string, number>;
}

export interface DemoMarketplace {
  shop: Prisma.ShopCreateManyInput & { id: string };
  sellers: (Prisma.SellerCreateManyInput & { id: string })[];
  nodes: (Prisma.NodeCreateManyInput & { id: string })[];
  products: (Prisma.ProductCreateManyInput & { id: string })[];
  stockLevels: Prisma.StockLevelCreateManyInput[];
  orders: (Prisma.OrderCreateManyInput & { id: string })[];
  orderLines: Prisma.OrderLineCreateManyInput[];
}

// ---------------------------------------------------------------------------------------------
// Seasonality

/** Overall demand by month (Jan..Dec), interpolated between mid-months: summer dip, Nov-Dec peak. */
const MONTHLY_DEMAND = [0.82, 0.86, 0.93, 0.96, 1.02, 0.88, 0.76, 0.8, 0.95, 1.03, 1.3, 1.55];
/** Luxon weekday 1 = Monday .. 7 = Sunday. Sunday evening and Monday are e-commerce's busiest. */
const WEEKDAY_DEMAND = [0, 1.06, 1.0, 0.98, 0.97, 0.92, 0.85, 1.1];
/** Local hour of day an order is placed (0..23): lunchtime and a 19-22h evening peak. */
const HOUR_WEIGHTS = [2, 1.2, 0.7, 0.5, 0.5, 0.8, 1.5, 2.5, 3.5, 4.5, 5, 5.5, 6, 5.8, 5.5, 5.3, 5.3, 5.5, 6, 6.8, 7.2, 6.8, 5, 3.5];
/** How each kind of product sells through the year (Jan..Dec), on top of MONTHLY_DEMAND. */
const SEASON_CURVES: Record<SeasonProfile, number[]> = {
  gift: [0.85, 1.05, 0.9, 0.95, 1.15, 0.9, 0.85, 0.9, 0.95, 1.05, 1.35, 1.6],
  candle: [1.0, 1.15, 0.85, 0.8, 1.05, 0.6, 0.5, 0.6, 0.95, 1.3, 1.6, 1.8],
  warm: [1.35, 1.15, 0.9, 0.65, 0.45, 0.3, 0.25, 0.4, 0.85, 1.3, 1.55, 1.6],
  tee: [0.7, 0.75, 0.95, 1.15, 1.3, 1.4, 1.35, 1.2, 1.0, 0.85, 0.8, 0.85],
  paper: [0.9, 0.95, 1.0, 1.0, 1.0, 0.9, 0.9, 1.3, 1.3, 1.0, 1.0, 1.1],
  flat: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
};

function monthlyDemand(date: DateTime): number {
  // Position in months with 0 = mid-January.
  const pos = date.month - 1 + (date.day - 1) / date.daysInMonth! - 0.5;
  const lo = Math.floor(pos);
  const frac = pos - lo;
  const a = MONTHLY_DEMAND[(lo + 12) % 12];
  const b = MONTHLY_DEMAND[(lo + 13) % 12];
  return a + (b - a) * frac;
}

function thanksgiving(year: number): DateTime {
  const nov1 = DateTime.fromObject({ year, month: 11, day: 1 }, { zone: SHOP_TIMEZONE });
  const firstThursday = nov1.plus({ days: (4 - nov1.weekday + 7) % 7 });
  return firstThursday.plus({ weeks: 3 });
}

function mothersDay(year: number): DateTime {
  const may1 = DateTime.fromObject({ year, month: 5, day: 1 }, { zone: SHOP_TIMEZONE });
  return may1.plus({ days: (7 - may1.weekday) % 7 }).plus({ weeks: 1 });
}

/** Calendar events: BFCM, the December shipping deadline (after it only same-day cities keep buying), and gifting days. */
function eventMultiplier(region: Region, date: DateTime, tg: DateTime, md: DateTime): number {
  const local = region !== "US";
  const sinceThanksgiving = Math.round(date.diff(tg, "days").days);
  const bfcm = [1.3, 2.6, 2.0, 1.9, 2.8, 1.4]; // Thanksgiving .. the Tuesday after Cyber Monday
  if (sinceThanksgiving >= 0 && sinceThanksgiving < bfcm.length) return bfcm[sinceThanksgiving];
  if (date.month === 12) {
    const d = date.day;
    if (d <= 14) return 1.1;
    if (d <= 19) return 1.25;
    if (d <= 23) return local ? 1.3 : 0.55;
    if (d === 24) return local ? 0.9 : 0.3;
    if (d === 25) return 0.35;
    if (d === 26) return 0.7;
    return 0.8;
  }
  if (date.month === 2 && date.day <= 13) return 1.12;
  const beforeMothersDay = Math.round(md.diff(date, "days").days);
  if (beforeMothersDay >= 1 && beforeMothersDay <= 10) return 1.2;
  if (region === "ATX" && date.month === 3 && date.day >= 7 && date.day <= 16) return 1.25; // SXSW
  return 1;
}

/** BFCM: 20% off from Black Friday through Cyber Monday. */
function discountFor(date: DateTime, tg: DateTime): number {
  const since = Math.round(date.diff(tg, "days").days);
  return since >= 1 && since <= 4 ? 0.8 : 1;
}

// ---------------------------------------------------------------------------------------------
// Products per destination

type DemandClass = "NYC" | "ATX" | "NY_AREA" | "TX" | "US";

function demandClass(dest: Destination): DemandClass {
  if (dest.region !== "US") return dest.region;
  if (["NY", "NJ", "CT", "PA"].includes(dest.zip.state)) return "NY_AREA";
  if (dest.zip.state === "TX") return "TX";
  return "US";
}

function localityMultiplier(cls: DemandClass, sellerRegion: "NYC" | "ATX"): number {
  if (cls === "NYC" || cls === "ATX") return cls === sellerRegion ? 3 : 1;
  if (cls === "NY_AREA") return sellerRegion === "NYC" ? 1.5 : 1;
  if (cls === "TX") return sellerRegion === "ATX" ? 1.8 : 1;
  return 1;
}

const LINE_COUNT_WEIGHTS = [0.56, 0.27, 0.12, 0.05]; // 1..4 lines
const QTY_SMALL_GOODS = [0.7, 0.2, 0.1];
const QTY_OTHER = [0.9, 0.085, 0.015];

const STREETS = [
  "Maple St", "Oak Ave", "Park Pl", "Washington Ave", "2nd Ave", "Union St", "Elm St", "Prospect Pl",
  "Lincoln Rd", "Franklin Ave", "Cedar Ln", "Highland Ave", "Church St", "Lake St", "Hill St", "Pine St",
  "Main St", "Grove St", "Riverside Dr", "Willow St", "Walnut St", "Academy St", "Chestnut St", "5th St",
];

function syntheticAddress(rng: Rng, region: Region): string {
  const street = `${intBetween(rng, 1, 1999)} ${pick(rng, STREETS)}`;
  if (region === "NYC" && rng.next() < 0.7) return `${street}, Apt ${intBetween(rng, 1, 6)}${pick(rng, ["A", "B", "C", "D", "F", "R"])}`;
  if (region === "ATX" && rng.next() < 0.3) return `${street}, Unit ${intBetween(rng, 100, 420)}`;
  return street;
}

/**
 * UTC milliseconds of a wall-clock time in `zone`. The zone's offset is looked up once per
 * zone and day (luxon is the slow part of the generator); on the two days a year whose
 * offset changes, each time is converted by luxon itself.
 */
function localToUtcConverter(): (zone: string, date: DateTime, hour: number, minute: number, second: number) => number {
  const offsets = new Map<string, number | null>();
  return (zone, date, hour, minute, second) => {
    const { year, month, day } = date;
    const key = `${zone}|${year}-${month}-${day}`;
    let offset = offsets.get(key);
    if (offset === undefined) {
      const start = DateTime.fromObject({ year, month, day, hour: 0 }, { zone }).offset;
      const end = DateTime.fromObject({ year, month, day, hour: 23, minute: 59 }, { zone }).offset;
      offset = start === end ? start : null;
      offsets.set(key, offset);
    }
    if (offset === null) {
      return DateTime.fromObject({ year, month, day, hour, minute, second }, { zone }).toMillis();
    }
    return Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000;
  };
}

// ---------------------------------------------------------------------------------------------
// Ids: cuid-shaped and deterministic, from their own stream so they never shift the content.

function idGenerator(seed: number): () => string {
  const rng = substream(seed, "ids");
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  return () => {
    let s = "c";
    for (let i = 0; i < 24; i++) s += alphabet[Math.floor(rng.next() * 36)];
    return s;
  };
}

// ---------------------------------------------------------------------------------------------

function nodeRow(spec: NodeSpec, id: string, shopId: string, sellerIds: Map<string, string>) {
  return {
    id,
    shopId,
    handle: spec.handle,
    name: spec.name,
    kind: spec.kind,
    status: "ACTIVE",
    address1: spec.address1,
    city: spec.city,
    province: spec.province,
    postalCode: spec.postalCode,
    country: "US",
    latitude: spec.latitude,
    longitude: spec.longitude,
    timezone: spec.timezone,
    shopifyLocationId: spec.shopifyLocationId,
    serviceRadiusM: spec.serviceRadiusM,
    serviceAreaJson: spec.serviceArea ? JSON.stringify(polygonSchema.parse(spec.serviceArea)) : null,
    openingHoursJson: JSON.stringify(openingHoursSchema.parse(spec.openingHours)),
    sameDayCutoff: spec.sameDayCutoff,
    dailyCapacity: spec.dailyCapacity,
    handlingCostMinor: spec.handlingCostMinor,
    pickupCostMinor: spec.pickupCostMinor,
    sellerId: spec.seller ? sellerIds.get(spec.seller)! : null,
  };
}

/** Generate the whole demo marketplace as rows, without touching a database. */
export function buildDemoMarketplace(opts: SeedDemoOptions): DemoMarketplace {
  const seed = opts.seed ?? DEMO_DEFAULT_SEED;
  const orderDays = opts.orderDays ?? DEMO_DEFAULT_ORDER_DAYS;
  if (!Number.isInteger(orderDays) || orderDays < 1 || orderDays > 3 * 366) {
    throw new Error(`orderDays must be a whole number of days between 1 and 1098, got ${orderDays}`);
  }
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const nowMs = opts.now.getTime();
  if (Number.isNaN(nowMs)) throw new Error("now must be a valid date");

  const newId = idGenerator(seed);
  const end = DateTime.fromMillis(nowMs, { zone: SHOP_TIMEZONE });
  const firstDay = end.startOf("day").minus({ days: orderDays - 1 });

  const shopId = newId();
  const shop = {
    id: shopId,
    domain: DEMO_SHOP_DOMAIN,
    name: DEMO_SHOP_NAME,
    currency: CURRENCY,
    timezone: SHOP_TIMEZONE,
    weightUnit: "GRAMS",
    contactEmail: "ops@nearhub-demo.example.com",
    installedAt: firstDay.minus({ days: 21 }).toUTC().toJSDate(),
  };

  const sellerIds = new Map<string, string>();
  const sellers = SELLERS.map((s) => {
    const id = newId();
    sellerIds.set(s.handle, id);
    return { id, shopId, handle: s.handle, name: s.name, vendor: s.vendor, city: s.city, latitude: s.latitude, longitude: s.longitude };
  });
  const sellerRegion = new Map(SELLERS.map((s) => [s.handle, s.region]));

  const nodeIds = new Map<string, string>();
  const nodes = NODES.map((spec) => {
    const id = newId();
    nodeIds.set(spec.handle, id);
    return nodeRow(spec, id, shopId, sellerIds);
  });

  const products = PRODUCTS.map((p, i) => ({
    id: newId(),
    shopId,
    sku: p.sku,
    title: p.title,
    shopifyVariantId: `gid://shopify/ProductVariant/${44120113000 + i * 131}`,
    sellerId: sellerIds.get(p.seller)!,
    category: p.category,
    weightGrams: p.weightGrams,
    lengthMm: p.lengthMm,
    widthMm: p.widthMm,
    heightMm: p.heightMm,
    valueMinor: p.valueMinor,
    returnRateBps: p.returnRateBps,
    madeToOrder: p.madeToOrder,
  }));

  // Product weights per demand class and month, precomputed.
  const classes: DemandClass[] = ["NYC", "ATX", "NY_AREA", "TX", "US"];
  const productWeights = new Map<string, number[]>();
  for (const cls of classes) {
    for (let m = 0; m < 12; m++) {
      productWeights.set(
        `${cls}:${m}`,
        PRODUCTS.map((p) => p.popularity * SEASON_CURVES[p.season][m] * localityMultiplier(cls, sellerRegion.get(p.seller)!)),
      );
    }
  }

  // ---- orders
  const rng = substream(seed, "orders");
  const samplers = buildDestinationSamplers();
  const hourSampler = new WeightedSampler(
    HOUR_WEIGHTS.map((_, h) => h),
    HOUR_WEIGHTS,
  );
  const regions: Region[] = ["NYC", "ATX", "US"];
  const localToUtc = localToUtcConverter();

  // Expected orders per day and region, then scaled to the target mean.
  const days: { date: DateTime; lambda: Record<Region, number> }[] = [];
  let lambdaTotal = 0;
  for (let i = 0; i < orderDays; i++) {
    const date = firstDay.plus({ days: i });
    const t = orderDays > 1 ? i / (orderDays - 1) : 1;
    const growth = GROWTH_START * Math.pow(GROWTH_END / GROWTH_START, t);
    const base = growth * monthlyDemand(date) * WEEKDAY_DEMAND[date.weekday];
    const tg = thanksgiving(date.year);
    const md = mothersDay(date.year);
    const lambda = {} as Record<Region, number>;
    for (const r of regions) {
      lambda[r] = REGION_SHARE[r] * base * eventMultiplier(r, date, tg, md);
      lambdaTotal += lambda[r];
    }
    days.push({ date, lambda });
  }
  const scale = (MEAN_ORDERS_PER_DAY * orderDays) / lambdaTotal;

  type Customer = { id: string; dest: Destination; address: string };
  const customers: Record<Region, Customer[]> = { NYC: [], ATX: [], US: [] };
  let nextCustomer = 7_104_211_000_000;

  type Draft = {
    placedAt: number;
    seq: number;
    dest: Destination;
    address: string;
    customerId: string | null;
    lines: { product: number; quantity: number; priceMinor: number }[];
  };
  const drafts: Draft[] = [];
  let seq = 0;

  for (const { date, lambda } of days) {
    const month = date.month - 1;
    const tg = thanksgiving(date.year);
    const discount = discountFor(date, tg);
    for (const region of regions) {
      const n = poisson(rng, lambda[region] * scale);
      for (let k = 0; k < n; k++) {
        // Who: a returning customer (same address), a new account, or a guest checkout.
        let dest: Destination;
        let address: string;
        let customerId: string | null;
        const pool = customers[region];
        if (pool.length > 20 && rng.next() < 0.24) {
          const c = pool[Math.floor(rng.next() * pool.length)];
          dest = c.dest;
          address = c.address;
          customerId = c.id;
        } else {
          dest = samplers[region].sample(rng);
          address = syntheticAddress(rng, region);
          if (rng.next() < 0.7) {
            nextCustomer += intBetween(rng, 1, 4000);
            customerId = String(nextCustomer);
            pool.push({ id: customerId, dest, address });
          } else {
            customerId = null;
          }
        }

        // When: the shopper's local time of day.
        const placedAt = localToUtc(
          dest.timezone,
          date,
          hourSampler.sample(rng),
          intBetween(rng, 0, 59),
          intBetween(rng, 0, 59),
        );

        // What: 1-4 distinct SKUs, favouring local creators and the first line's creator.
        const weights = productWeights.get(`${demandClass(dest)}:${month}`)!.slice();
        const lineCount = weightedIndex(rng, LINE_COUNT_WEIGHTS) + 1;
        const lines: Draft["lines"] = [];
        for (let l = 0; l < lineCount; l++) {
          const idx = weightedIndex(rng, weights);
          const spec: ProductSpec = PRODUCTS[idx];
          if (l === 0) {
            PRODUCTS.forEach((p, j) => {
              if (p.seller === spec.seller) weights[j] *= 2.5;
            });
          }
          weights[idx] = 0;
          const quantity = weightedIndex(rng, spec.multiples ? QTY_SMALL_GOODS : QTY_OTHER) + 1;
          lines.push({ product: idx, quantity, priceMinor: Math.round(spec.valueMinor * discount) });
        }

        if (placedAt <= nowMs) {
          drafts.push({ placedAt, seq: seq++, dest, address, customerId, lines });
        }
      }
    }
  }

  drafts.sort((a, b) => a.placedAt - b.placedAt || a.seq - b.seq);

  const orders: DemoMarketplace["orders"] = [];
  const orderLines: DemoMarketplace["orderLines"] = [];
  drafts.forEach((d, i) => {
    const orderId = newId();
    let total = 0;
    for (const line of d.lines) {
      total += line.quantity * line.priceMinor;
      orderLines.push({
        id: newId(),
        shopId,
        orderId,
        productId: products[line.product].id,
        quantity: line.quantity,
        priceMinor: line.priceMinor,
      });
    }
    const placedAt = new Date(d.placedAt);
    orders.push({
      id: orderId,
      shopId,
      name: `#${1001 + i}`,
      customerId: d.customerId,
      placedAt,
      createdAt: placedAt,
      currency: CURRENCY,
      totalMinor: total,
      destCity: d.dest.zip.city,
      destProvince: d.dest.zip.state,
      destPostalCode: d.dest.zip.zip,
      destCountry: "US",
      destLatitude: d.dest.zip.latitude,
      destLongitude: d.dest.zip.longitude,
    });
  });

  const stockLevels = buildStock(drafts, nowMs, substream(seed, "stock"), shopId, nodeIds, products.map((p) => p.id));

  return { shop, sellers, nodes, products, stockLevels, orders, orderLines };
}

/**
 * Stock on hand at `now`, sized from the last four weeks of demand: the warehouse holds every
 * stocked SKU for 1-2 months, hubs hold their city's fast movers for 1-2 weeks (with the odd
 * stock-out), the store carries Austin creators and a few New York bestsellers, the creator
 * studio holds its own small batches, and the print lab holds zero of what it prints to order.
 */
function buildStock(
  drafts: { placedAt: number; dest: Destination; lines: { product: number; quantity: number }[] }[],
  nowMs: number,
  rng: Rng,
  shopId: string,
  nodeIds: Map<string, string>,
  productIds: string[],
): Prisma.StockLevelCreateManyInput[] {
  const windowDays = 28;
  const since = nowMs - windowDays * 86_400_000;
  const perDay = { NYC: new Array(PRODUCTS.length).fill(0), ATX: new Array(PRODUCTS.length).fill(0), ALL: new Array(PRODUCTS.length).fill(0) };
  for (const d of drafts) {
    if (d.placedAt < since) continue;
    for (const l of d.lines) {
      perDay.ALL[l.product] += l.quantity / windowDays;
      if (d.dest.region !== "US") perDay[d.dest.region][l.product] += l.quantity / windowDays;
    }
  }

  const rows: Prisma.StockLevelCreateManyInput[] = [];
  const put = (handle: string, product: number, available: number) =>
    rows.push({ shopId, nodeId: nodeIds.get(handle)!, productId: productIds[product], available });
  const stocked = PRODUCTS.map((_, i) => i).filter((i) => !PRODUCTS[i].madeToOrder);
  const sellerOf = (i: number) => SELLERS.find((s) => s.handle === PRODUCTS[i].seller)!;
  const fastMovers = (velocity: number[], count: number, pool = stocked) =>
    [...pool].sort((a, b) => velocity[b] - velocity[a] || a - b).slice(0, count);

  for (const i of stocked) {
    put("nj-secaucus-dc", i, Math.max(15, Math.ceil(perDay.ALL[i] * intBetween(rng, 30, 60))));
  }

  const hub = (handle: string, velocity: number[], share: number, count: number, stockout: boolean) => {
    const items = fastMovers(velocity, count);
    const out = stockout ? items[intBetween(rng, 3, items.length - 1)] : -1;
    for (const i of items) {
      put(handle, i, i === out ? 0 : Math.max(4, Math.ceil(velocity[i] * share * intBetween(rng, 7, 14))));
    }
  };
  hub("nyc-bk-hub", perDay.NYC, 0.55, 14, true);
  hub("nyc-mn-hub", perDay.NYC, 0.45, 10, rng.next() < 0.5);
  hub("atx-east-hub", perDay.ATX, 0.7, 12, true);

  const austinItems = stocked.filter((i) => sellerOf(i).region === "ATX");
  const nycFavourites = fastMovers(
    perDay.ATX,
    3,
    stocked.filter((i) => sellerOf(i).region === "NYC"),
  );
  for (const i of [...austinItems, ...nycFavourites]) {
    put("atx-soco-store", i, Math.max(2, Math.ceil(perDay.ATX[i] * 0.2 * intBetween(rng, 10, 20))));
  }

  const studio = NODES.find((n) => n.kind === "SELLER_STUDIO")!;
  PRODUCTS.forEach((p, i) => {
    if (p.seller === studio.seller) put(studio.handle, i, p.valueMinor > 10_000 ? intBetween(rng, 1, 3) : intBetween(rng, 4, 24));
  });

  const factory = NODES.find((n) => n.kind === "MICRO_FACTORY")!;
  PRODUCTS.forEach((p, i) => {
    if (p.madeToOrder) put(factory.handle, i, 0);
  });
  return rows;
}

const ORDER_COLUMNS = [
  "id", "shopId", "name", "customerId", "placedAt", "createdAt", "currency", "totalMinor",
  "destCity", "destProvince", "destPostalCode", "destCountry", "destLatitude", "destLongitude",
] as const satisfies readonly (keyof Prisma.OrderCreateManyInput)[];
const ORDER_LINE_COLUMNS = ["id", "shopId", "orderId", "productId", "quantity", "priceMinor"] as const satisfies readonly (keyof Prisma.OrderLineCreateManyInput)[];

/**
 * Replace the demo shop (nearhub-demo.myshopify.com) and everything under it with a freshly
 * generated marketplace. Safe to run again: the old shop row is deleted first and its rows
 * cascade. All in one transaction.
 */
export async function seedDemoMarketplace(db: PrismaClient, opts: SeedDemoOptions): Promise<SeedDemoResult> {
  const data = buildDemoMarketplace(opts);
  const shipping = buildDemoShipping(new Map(data.nodes.map((n) => [n.handle, n.id])), opts.now);
  await db.$transaction(
    async (tx) => {
      await tx.shop.deleteMany({ where: { domain: DEMO_SHOP_DOMAIN } });
      await tx.shop.create({ data: data.shop });
      await tx.seller.createMany({ data: data.sellers });
      await tx.node.createMany({ data: data.nodes });
      await seedDemoShipping(tx, data.shop.id, shipping);
      await tx.product.createMany({ data: data.products });
      await insertInChunks(data.stockLevels, (chunk) => tx.stockLevel.createMany({ data: chunk }));
      await insertRows(tx, "Order", ORDER_COLUMNS, data.orders);
      await insertRows(tx, "OrderLine", ORDER_LINE_COLUMNS, data.orderLines);
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  // Returns in every state, made by the returns core's state machine from these orders.
  const returns = await seedDemoReturns(db, { shopId: data.shop.id, now: opts.now, seed: opts.seed });
  // The routing log: the latest orders decided by the routing service, as its webhook would.
  const routing = await seedDemoRouting(db, { shopId: data.shop.id, now: opts.now, seed: opts.seed });
  // Each order's fulfillment and delivery events, after routing placed the last day's orders at their nodes.
  const deliveries = await seedDemoDeliveries(db, { shopId: data.shop.id, now: opts.now, seed: opts.seed });
  // A running Williamsburg campaign with three weeks of results and its orders, and an Austin one its guardrails paused (sandbox platform).
  const campaigns = await seedDemoCampaigns(db, { shopId: data.shop.id, now: opts.now, seed: opts.seed });
  return {
    shopId: data.shop.id,
    counts: {
      shops: 1,
      sellers: data.sellers.length,
      nodes: data.nodes.length,
      products: data.products.length,
      stockLevels: data.stockLevels.length,
      orders: data.orders.length,
      orderLines: data.orderLines.length,
      customers: new Set(data.orders.map((o) => o.customerId).filter(Boolean)).size,
      returns: returns.returns,
      returnLines: returns.lines,
      routingDecisions: routing.decisions,
      fulfillments: deliveries.fulfillments,
      deliveryEvents: deliveries.deliveryEvents,
      campaigns: campaigns.campaigns,
      campaignDays: campaigns.campaignDays,
      attributedOrders: campaigns.attributedOrders,
    },
  };
}
