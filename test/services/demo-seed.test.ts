// The demo marketplace (prisma/seed/demo.ts): seeded into this file's own database, then
// checked for the properties the demo and the product's analyses rely on.
import { createRequire } from "node:module";
import booleanPointInPolygon from "@turf/boolean-point-in-polygon";
import { point } from "@turf/helpers";
import { beforeAll, describe, expect, it } from "vitest";
import { NODE_KINDS, openingHoursSchema, polygonSchema } from "~/core/network/types";
import { DEMO_SHOP_DOMAIN as APP_DEMO_SHOP_DOMAIN } from "~/env.server";
import {
  DEMO_SHOP_DOMAIN,
  buildDemoMarketplace,
  seedDemoMarketplace,
  type SeedDemoResult,
} from "../../prisma/seed/demo";
import { DEMO_REFUSAL, DEMO_ROUTED_ORDERS } from "../../prisma/seed/demo-routing";
import { testDb } from "../support/db";
import { makeNode, makeShop } from "../support/factories";

// The registry data package itself, not the seed's wrapper around it.
const zipcodes = createRequire(import.meta.url)("zipcodes") as {
  lookup(zip: string): { zip: string; latitude: number; longitude: number; city: string; state: string } | undefined;
};

const db = testDb();
// A window that ends before Christmas: December (at the start of the year of growth) still has
// to beat July (two-thirds of the way through it).
const NOW = new Date("2025-11-20T15:00:00Z");
const SEED = 1001;

const NYC_BOX = { south: 40.49, north: 40.92, west: -74.27, east: -73.68 };
const AUSTIN_BOX = { south: 29.95, north: 30.65, west: -98.05, east: -97.45 };
const inBox = (b: typeof NYC_BOX, lat: number, lng: number) =>
  lat >= b.south && lat <= b.north && lng >= b.west && lng <= b.east;

function km(lat1: number, lng1: number, lat2: number, lng2: number) {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(a));
}

let seeded: SeedDemoResult;
let seedMs: number;

beforeAll(async () => {
  const started = performance.now();
  seeded = await seedDemoMarketplace(db, { now: NOW, seed: SEED });
  seedMs = performance.now() - started;
  console.log(`[demo seed] ${JSON.stringify(seeded.counts)} in ${Math.round(seedMs)} ms`);
}, 120_000); // the whole marketplace, its routing, deliveries and campaigns: ~40 s alone, more beside other files

describe("demo shop", () => {
  it("is the shop demo mode signs in as, in USD on New York time", async () => {
    expect(DEMO_SHOP_DOMAIN).toBe(APP_DEMO_SHOP_DOMAIN);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
    expect(shop).toMatchObject({ id: seeded.shopId, name: "Nearhub Demo Market", currency: "USD", timezone: "America/New_York" });
  });
});

describe("node network", () => {
  it("has every kind of node, with valid hours, areas, locations and handles", async () => {
    const nodes = await db.node.findMany({ where: { shopId: seeded.shopId } });
    expect(new Set(nodes.map((n) => n.kind))).toEqual(new Set(NODE_KINDS));
    expect(nodes.filter((n) => n.kind === "MICRO_HUB").length).toBeGreaterThanOrEqual(2);

    for (const n of nodes) {
      expect(() => openingHoursSchema.parse(JSON.parse(n.openingHoursJson))).not.toThrow();
      if (n.serviceAreaJson) expect(() => polygonSchema.parse(JSON.parse(n.serviceAreaJson!))).not.toThrow();
      expect(n.handle).toMatch(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/);
      expect(n.shopifyLocationId).toMatch(/^gid:\/\/shopify\/Location\/\d+$/);
      expect(["America/New_York", "America/Chicago"]).toContain(n.timezone);
      expect(n.country).toBe("US");
      expect(n.dailyCapacity).toBeGreaterThan(0);
      expect(Number.isInteger(n.handlingCostMinor) && Number.isInteger(n.pickupCostMinor)).toBe(true);
      // The address's ZIP is real and the building is near its centroid, in the right state.
      const zip = zipcodes.lookup(n.postalCode);
      expect(zip, n.postalCode).toBeDefined();
      expect(zip!.state).toBe(n.province);
      expect(km(zip!.latitude, zip!.longitude, n.latitude, n.longitude)).toBeLessThan(2.5);
    }

    const warehouse = nodes.find((n) => n.kind === "CENTRAL_WAREHOUSE")!;
    expect(warehouse.sameDayCutoff).toBeNull();
    const hubs = nodes.filter((n) => n.kind === "MICRO_HUB");
    for (const hub of hubs) {
      expect(hub.sameDayCutoff).toMatch(/^\d\d:\d\d$/);
      expect(hub.serviceRadiusM !== null || hub.serviceAreaJson !== null).toBe(true);
      if (hub.serviceRadiusM !== null) expect(hub.serviceRadiusM).toBeGreaterThanOrEqual(8_000);
    }
    const drawn = hubs.filter((h) => h.serviceAreaJson !== null);
    expect(drawn.length).toBeGreaterThanOrEqual(1);
    for (const hub of drawn) {
      const polygon = polygonSchema.parse(JSON.parse(hub.serviceAreaJson!));
      expect(booleanPointInPolygon(point([hub.longitude, hub.latitude]), polygon)).toBe(true);
    }

    const studio = nodes.find((n) => n.kind === "SELLER_STUDIO")!;
    expect(studio.sellerId).not.toBeNull();
  });

  it("forms two city clusters, New York and Austin, plus a warehouse serving the country", async () => {
    const nodes = await db.node.findMany({ where: { shopId: seeded.shopId } });
    const nyc = nodes.filter((n) => inBox(NYC_BOX, n.latitude, n.longitude));
    const austin = nodes.filter((n) => inBox(AUSTIN_BOX, n.latitude, n.longitude));
    expect(nyc.filter((n) => n.kind === "MICRO_HUB").length).toBeGreaterThanOrEqual(1);
    expect(austin.filter((n) => n.kind === "MICRO_HUB").length).toBeGreaterThanOrEqual(1);
    expect(nyc.every((n) => n.timezone === "America/New_York")).toBe(true);
    expect(austin.every((n) => n.timezone === "America/Chicago")).toBe(true);
    expect(nyc.length + austin.length).toBe(nodes.length); // the Secaucus warehouse is in the NYC box
  });
});

describe("creators and catalogue", () => {
  it("has five or more creators, each with SKUs, and believable logistics profiles", async () => {
    const sellers = await db.seller.findMany({ where: { shopId: seeded.shopId }, include: { products: true } });
    expect(sellers.length).toBeGreaterThanOrEqual(5);
    for (const s of sellers) expect(s.products.length).toBeGreaterThanOrEqual(3);

    const products = await db.product.findMany({ where: { shopId: seeded.shopId } });
    expect(products.length).toBeGreaterThanOrEqual(20);
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length);
    for (const p of products) {
      expect(p.weightGrams).toBeGreaterThan(0);
      expect(p.weightGrams).toBeLessThan(5_000);
      expect(Math.min(p.lengthMm, p.widthMm, p.heightMm)).toBeGreaterThan(0);
      expect(p.valueMinor).toBeGreaterThanOrEqual(300);
    }
    const rates = (category: string, mto = false) =>
      products.filter((p) => p.category === category && p.madeToOrder === mto).map((p) => p.returnRateBps);
    const within = (values: number[], min: number, max: number) =>
      values.length > 0 && values.every((v) => v >= min && v <= max);
    expect(within(rates("Apparel"), 1500, 2500)).toBe(true); // fit and size returns
    expect(within(rates("Ceramics"), 500, 800)).toBe(true); // breakage
    expect(within([...rates("Stickers"), ...rates("Stickers", true)], 0, 300)).toBe(true);
    expect(products.some((p) => p.madeToOrder)).toBe(true);
  });

  it("stocks the warehouse broadly, hubs with their city's fast movers, the studio with its creator, the print lab with zero", async () => {
    const nodes = await db.node.findMany({ where: { shopId: seeded.shopId } });
    const products = await db.product.findMany({ where: { shopId: seeded.shopId } });
    const stock = await db.stockLevel.findMany({ where: { shopId: seeded.shopId } });
    const at = (kind: string) => nodes.filter((n) => n.kind === kind);
    const skusAt = (nodeId: string) => stock.filter((s) => s.nodeId === nodeId);

    const warehouse = skusAt(at("CENTRAL_WAREHOUSE")[0].id);
    expect(warehouse.length).toBeGreaterThanOrEqual(products.length * 0.7);
    expect(warehouse.every((s) => s.available > 0)).toBe(true);

    const factory = skusAt(at("MICRO_FACTORY")[0].id);
    const madeToOrder = new Set(products.filter((p) => p.madeToOrder).map((p) => p.id));
    expect(new Set(factory.map((s) => s.productId))).toEqual(madeToOrder);
    expect(factory.every((s) => s.available === 0)).toBe(true);

    const studio = at("SELLER_STUDIO")[0];
    const own = new Set(products.filter((p) => p.sellerId === studio.sellerId).map((p) => p.id));
    expect(new Set(skusAt(studio.id).map((s) => s.productId))).toEqual(own);

    // Each hub holds (some units of) the three best sellers of its city over the last four weeks.
    const since = new Date(NOW.getTime() - 28 * 86_400_000);
    for (const hub of at("MICRO_HUB")) {
      const box = inBox(NYC_BOX, hub.latitude, hub.longitude) ? NYC_BOX : AUSTIN_BOX;
      const lines = await db.orderLine.findMany({
        where: {
          shopId: seeded.shopId,
          product: { madeToOrder: false },
          order: {
            placedAt: { gte: since },
            destLatitude: { gte: box.south, lte: box.north },
            destLongitude: { gte: box.west, lte: box.east },
          },
        },
        select: { productId: true, quantity: true },
      });
      const units = new Map<string, number>();
      for (const l of lines) units.set(l.productId!, (units.get(l.productId!) ?? 0) + l.quantity);
      const top3 = [...units].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([id]) => id);
      const held = new Set(skusAt(hub.id).map((s) => s.productId));
      for (const id of top3) expect(held.has(id), `${hub.handle} holds a top-3 seller`).toBe(true);
      expect(held.size).toBeLessThan(products.length);
    }
  });
});

describe("a year of orders", () => {
  it("goes to real ZIP codes, with the registry's coordinates, city and state", async () => {
    const orders = await db.order.findMany({
      where: { shopId: seeded.shopId },
      select: { destPostalCode: true, destLatitude: true, destLongitude: true, destCity: true, destProvince: true, destCountry: true },
    });
    expect(orders.length).toBe(seeded.counts.orders);
    for (const o of orders) {
      const zip = zipcodes.lookup(o.destPostalCode!);
      if (!zip) throw new Error(`${o.destPostalCode} is not a US ZIP code`);
      expect(o.destPostalCode).toMatch(/^\d{5}$/);
      expect([o.destLatitude, o.destLongitude, o.destCity, o.destProvince, o.destCountry]).toEqual([
        zip.latitude,
        zip.longitude,
        zip.city,
        zip.state,
        "US",
      ]);
    }
  });

  it("is concentrated in New York and Austin, with a long tail across the country", async () => {
    const orders = await db.order.findMany({
      where: { shopId: seeded.shopId },
      select: { destLatitude: true, destLongitude: true, destProvince: true },
    });
    const nyc = orders.filter((o) => inBox(NYC_BOX, o.destLatitude!, o.destLongitude!)).length;
    const austin = orders.filter((o) => inBox(AUSTIN_BOX, o.destLatitude!, o.destLongitude!)).length;
    expect((nyc + austin) / orders.length).toBeGreaterThan(0.55);
    expect(nyc).toBeGreaterThan(austin);
    expect(austin / orders.length).toBeGreaterThan(0.12);
    expect(new Set(orders.map((o) => o.destProvince)).size).toBeGreaterThanOrEqual(40);
  });

  it("averages 40-80 orders a day over the year, numbered in order of placement", async () => {
    const orders = (
      await db.order.findMany({ where: { shopId: seeded.shopId }, select: { name: true, placedAt: true } })
    ).sort((a, b) => Number(a.name.slice(1)) - Number(b.name.slice(1)));
    expect(orders.length / 365).toBeGreaterThan(40);
    expect(orders.length / 365).toBeLessThan(80);
    orders.forEach((o, i) => {
      expect(o.name).toBe(`#${1001 + i}`);
      if (i > 0) expect(o.placedAt.getTime()).toBeGreaterThanOrEqual(orders[i - 1].placedAt.getTime());
    });
    expect(orders[orders.length - 1].placedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(orders[0].placedAt.getTime()).toBeGreaterThan(NOW.getTime() - 366 * 86_400_000);
  });

  it("has plausible seasonality: a December peak, a summer dip, a Black Friday spike", async () => {
    const count = (from: string, to: string) =>
      db.order.count({ where: { shopId: seeded.shopId, placedAt: { gte: new Date(from), lt: new Date(to) } } });
    const december = await count("2024-12-01T05:00:00Z", "2025-01-01T05:00:00Z");
    const july = await count("2025-07-01T04:00:00Z", "2025-08-01T04:00:00Z");
    expect(december).toBeGreaterThan(july);
    // Black Friday 2024 (Nov 29) against the Fridays of the two weeks before.
    const blackFriday = await count("2024-11-29T05:00:00Z", "2024-11-30T05:00:00Z");
    const fridays = (await count("2024-11-22T05:00:00Z", "2024-11-23T05:00:00Z")) + (await count("2024-11-15T05:00:00Z", "2024-11-16T05:00:00Z"));
    expect(blackFriday).toBeGreaterThan(fridays);
  });

  it("has 1-4 lines per order, totals that add up, and local creators favoured", async () => {
    const orders = await db.order.findMany({
      where: { shopId: seeded.shopId },
      select: {
        totalMinor: true,
        destLatitude: true,
        destLongitude: true,
        lines: { select: { quantity: true, priceMinor: true, product: { select: { seller: { select: { latitude: true } } } } } },
      },
    });
    let nycUnitsNycSellers = 0;
    let nycUnits = 0;
    let austinUnitsNycSellers = 0;
    let austinUnits = 0;
    for (const o of orders) {
      expect(o.lines.length).toBeGreaterThanOrEqual(1);
      expect(o.lines.length).toBeLessThanOrEqual(4);
      expect(o.totalMinor).toBe(o.lines.reduce((sum, l) => sum + l.quantity * l.priceMinor, 0));
      for (const l of o.lines) {
        const fromNyc = l.product!.seller!.latitude > 35 ? l.quantity : 0;
        if (inBox(NYC_BOX, o.destLatitude!, o.destLongitude!)) {
          nycUnits += l.quantity;
          nycUnitsNycSellers += fromNyc;
        }
        if (inBox(AUSTIN_BOX, o.destLatitude!, o.destLongitude!)) {
          austinUnits += l.quantity;
          austinUnitsNycSellers += fromNyc;
        }
      }
    }
    expect(nycUnitsNycSellers / nycUnits).toBeGreaterThan(austinUnitsNycSellers / austinUnits + 0.2);
  });

  it("gives some orders a Shopify-style customer id, some customers several orders, and guests none", async () => {
    const withCustomer = await db.order.count({ where: { shopId: seeded.shopId, customerId: { not: null } } });
    expect(withCustomer).toBeGreaterThan(seeded.counts.orders * 0.4);
    expect(withCustomer).toBeLessThan(seeded.counts.orders);
    const sample = await db.order.findFirstOrThrow({ where: { shopId: seeded.shopId, customerId: { not: null } } });
    expect(sample.customerId).toMatch(/^\d{10,}$/);
    const repeat = await db.order.groupBy({
      by: ["customerId"],
      where: { shopId: seeded.shopId, customerId: { not: null } },
      _count: { _all: true },
      having: { customerId: { _count: { gt: 1 } } },
    });
    expect(repeat.length).toBeGreaterThan(100);
  });
});

describe("routing log", () => {
  it("holds the latest orders decided by the routing service: suggested, then moved, kept and one refused by Shopify", async () => {
    const latest = await db.order.findMany({ where: { shopId: seeded.shopId }, orderBy: [{ placedAt: "desc" }, { id: "desc" }], take: DEMO_ROUTED_ORDERS });
    const decisions = await db.routingDecision.findMany({ where: { shopId: seeded.shopId }, orderBy: { createdAt: "asc" }, include: { moves: true } });
    expect(decisions).toHaveLength(DEMO_ROUTED_ORDERS);
    expect(seeded.counts.routingDecisions).toBe(DEMO_ROUTED_ORDERS);
    expect(new Set(decisions.map((d) => d.orderName))).toEqual(new Set(latest.map((o) => o.name)));
    // Logged at the time each order was decided, in order of placement.
    const placed = new Map(latest.map((o) => [o.name, o.placedAt.getTime()]));
    for (const d of decisions) expect(d.createdAt.getTime() - placed.get(d.orderName!)!).toBe(2 * 60_000);

    const half = decisions.slice(0, DEMO_ROUTED_ORDERS / 2);
    // Suggest only: the moves Nearhub would make are kept as proposed, none made.
    expect(half.every((d) => d.mode === "SUGGEST" && d.status === "SUGGESTED" && d.moves.every((m) => m.status === "PROPOSED"))).toBe(true);
    const auto = decisions.slice(DEMO_ROUTED_ORDERS / 2);
    expect(auto.every((d) => d.mode === "AUTO")).toBe(true);
    const statuses = new Set(auto.map((d) => d.status));
    expect(statuses.has("MOVED")).toBe(true);
    expect(statuses.has("KEPT")).toBe(true);
    const failed = auto.filter((d) => d.status === "FAILED");
    expect(failed).toHaveLength(1);
    expect(failed[0].lastError).toContain(DEMO_REFUSAL);
    expect(JSON.parse(failed[0].moves[0].userErrorsJson!)).toEqual([{ field: ["newLocationId"], message: DEMO_REFUSAL }]);
    for (const d of auto.filter((x) => x.status === "MOVED")) expect(d.moves.every((m) => m.status === "DONE" && m.movedFulfillmentOrderGid)).toBe(true);

    // Every decision is explained, and the shoppers' checkout choices were recorded.
    for (const d of decisions) {
      expect(JSON.parse(d.reasonsJson).reasons.length).toBeGreaterThan(0);
      expect(d.serviceCode).toMatch(/^NH:/);
    }
    expect(decisions.some((d) => /^NH:[a-z-]+:(SAME_DAY|NEXT_DAY|PICKUP|AUTONOMOUS)$/.test(d.serviceCode!))).toBe(true);
    const settings = await db.routingSettings.findUniqueOrThrow({ where: { shopId: seeded.shopId } });
    expect(settings.mode).toBe("AUTO");
  });
});

describe("deliveries", () => {
  const minutes = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 60_000;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  it("ships every order of the year but the last hours', from a node of the network, once", async () => {
    const orders = await db.order.count({ where: { shopId: seeded.shopId } });
    const fulfillments = await db.fulfillment.findMany({ where: { shopId: seeded.shopId }, select: { orderId: true, nodeId: true, locationGid: true, shippedAt: true } });
    expect(seeded.counts.fulfillments).toBe(fulfillments.length);
    expect(fulfillments.length).toBeGreaterThan(orders * 0.98);
    expect(fulfillments.length).toBeLessThanOrEqual(orders);
    expect(new Set(fulfillments.map((f) => f.orderId)).size).toBe(fulfillments.length);
    const nodes = await db.node.findMany({ where: { shopId: seeded.shopId }, select: { id: true, shopifyLocationId: true } });
    const location = new Map(nodes.map((n) => [n.id, n.shopifyLocationId]));
    for (const f of fulfillments) {
      expect(location.get(f.nodeId!)).toBe(f.locationGid);
      expect(f.shippedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
    }
    expect(seeded.counts.deliveryEvents).toBe(await db.deliveryEvent.count({ where: { shopId: seeded.shopId } }));
  });

  it("takes believable times per mode: robots and couriers within hours, riders the next morning, ground carriers days", async () => {
    const rows = await db.fulfillment.findMany({
      where: { shopId: seeded.shopId, deliveredAt: { not: null } },
      select: { trackingCompany: true, shippedAt: true, deliveredAt: true, courierProvider: true, order: { select: { placedAt: true } } },
    });
    const by = (company: string) => rows.filter((r) => r.trackingCompany === company).map((r) => minutes(r.order!.placedAt, r.deliveredAt!));
    const robots = by("Williamsburg sidewalk robots");
    const doordash = by("DoorDash");
    const riders = by("Nearhub riders");
    const ground = [...by("UPS"), ...by("USPS")];
    for (const xs of [robots, doordash, riders, ground]) expect(xs.length).toBeGreaterThan(50);
    expect(median(robots)).toBeLessThan(90);
    expect(median(doordash)).toBeLessThan(180);
    // Door to door, once it left the hub (an order placed overnight waits for the hub to open).
    const doorToDoor = rows.filter((r) => r.trackingCompany === "DoorDash").map((r) => minutes(r.shippedAt, r.deliveredAt!));
    expect(Math.max(...doorToDoor)).toBeLessThan(3 * 60);
    expect(Math.max(...doordash)).toBeLessThan(16 * 60);
    expect(median(riders)).toBeGreaterThan(median(doordash)); // most riders' parcels leave the next morning
    expect(median(riders)).toBeLessThan(36 * 60);
    expect(median(ground)).toBeGreaterThan(2 * 24 * 60);
    expect(Math.max(...ground)).toBeLessThan(14 * 24 * 60);
    // Nothing arrives before it left, and DoorDash's parcels carry their delivery id.
    expect(rows.every((r) => r.deliveredAt! > r.shippedAt && r.shippedAt >= r.order!.placedAt)).toBe(true);
    expect(rows.filter((r) => r.trackingCompany === "DoorDash").every((r) => r.courierProvider === "DOORDASH_DRIVE")).toBe(true);
  });

  it("gives each fulfillment the timeline its delivered time and status come from; Nearhub's own events already posted", async () => {
    const sample = await db.fulfillment.findMany({ where: { shopId: seeded.shopId }, include: { events: true }, orderBy: { shippedAt: "desc" }, take: 400 });
    for (const f of sample) {
      const delivered = f.events.filter((e) => e.status === "DELIVERED").map((e) => e.happenedAt.getTime());
      expect(f.deliveredAt?.getTime() ?? null).toBe(delivered.length ? Math.min(...delivered) : null);
      const latest = [...f.events].sort((a, b) => a.happenedAt.getTime() - b.happenedAt.getTime()).at(-1);
      expect(f.shipmentStatus).toBe(latest?.status ?? null);
      for (const e of f.events) {
        expect(e.happenedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
        expect(e.postStatus).toBe(e.source === "SHOPIFY" ? null : "POSTED");
      }
    }
    // The latest hours' parcels are still on their way.
    expect(sample.some((f) => f.deliveredAt === null)).toBe(true);
    const sources = await db.deliveryEvent.groupBy({ by: ["source"], where: { shopId: seeded.shopId }, _count: { _all: true } });
    expect(new Set(sources.map((s) => s.source))).toEqual(new Set(["SHOPIFY", "DOORDASH", "HUB"]));
  });
});

describe("campaigns", () => {
  it("runs a sandbox campaign around Williamsburg with three weeks of results and the Brooklyn orders it brought", async () => {
    const bk = await db.campaign.findFirstOrThrow({ where: { shopId: seeded.shopId, node: { handle: "nyc-bk-hub" } }, include: { changes: true, days: { orderBy: { day: "asc" } }, connection: true } });
    expect(bk).toMatchObject({ platform: "SANDBOX", status: "ACTIVE", wantStatus: "ACTIVE" });
    expect(bk.connection).toMatchObject({ platform: "SANDBOX", status: "CONNECTED" });
    expect(bk.utmCampaign).toMatch(/^nyc-bk-hub-[0-9a-f]{8}$/);
    expect(bk.changes.map((c) => [c.action, c.state])).toEqual([["LAUNCH", "APPLIED"]]);
    const pulled = bk.days.filter((d) => d.pulledAt !== null);
    expect(pulled.length).toBeGreaterThanOrEqual(21);
    for (const d of pulled) {
      expect(d.spendMinor).toBeGreaterThan(0);
      expect(d.spendMinor).toBeLessThanOrEqual(bk.dailyBudgetMinor);
      expect(d.clicks).toBeLessThan(d.impressions);
    }
    const orders = await db.order.findMany({ where: { shopId: seeded.shopId, campaignId: bk.id } });
    expect(orders.length).toBeGreaterThanOrEqual(21);
    expect(orders.every((o) => o.placedAt.getTime() <= NOW.getTime() && km(o.destLatitude!, o.destLongitude!, bk.centerLat, bk.centerLng) <= bk.radiusM / 1000)).toBe(true);
    expect(orders.some((o) => o.utmCampaign === bk.utmCampaign)).toBe(true);
    const sum = (k: "orders" | "revenueMinor" | "landedCostMinor") => bk.days.reduce((s, d) => s + d[k], 0);
    expect(sum("orders")).toBe(orders.length);
    expect(sum("revenueMinor")).toBe(orders.reduce((s, o) => s + o.totalMinor, 0));
    expect(sum("landedCostMinor")).toBeGreaterThan(0);
  });

  it("has an Austin campaign its guardrails paused, with the reasons of that change", async () => {
    const atx = await db.campaign.findFirstOrThrow({ where: { shopId: seeded.shopId, node: { handle: "atx-east-hub" } }, include: { changes: { orderBy: { createdAt: "asc" } } } });
    expect(atx).toMatchObject({ platform: "SANDBOX", status: "PAUSED", wantStatus: "PAUSED" });
    expect(atx.changes.map((c) => [c.action, c.actor, c.state])).toEqual([["LAUNCH", "MERCHANT", "APPLIED"], ["PAUSE", "GUARDRAIL", "APPLIED"]]);
    const reasons = JSON.parse(atx.changes[1].reasonsJson) as { code: string; message: string }[];
    expect(reasons.map((r) => r.code)).toContain("CAMPAIGN_ROAS_BELOW");
    expect(reasons.every((r) => r.message.length > 10)).toBe(true);
    // No spend after the pause.
    const after = await db.campaignDay.findMany({ where: { campaignId: atx.id, day: { gt: atx.changes[1].createdAt.toISOString().slice(0, 10) } } });
    expect(after.every((d) => d.spendMinor === 0)).toBe(true);
  });
});

describe("determinism and re-running", () => {
  it("gives the same marketplace for the same seed and now, and another for another seed", () => {
    const a = buildDemoMarketplace({ now: NOW, seed: SEED });
    const b = buildDemoMarketplace({ now: NOW, seed: SEED });
    const c = buildDemoMarketplace({ now: NOW, seed: SEED + 1 });
    expect(b.orders.length).toBe(a.orders.length);
    expect(b.orderLines.length).toBe(a.orderLines.length);
    expect(b.stockLevels).toEqual(a.stockLevels);
    expect(b.orders[0]).toEqual(a.orders[0]);
    expect(b.orders.at(-1)).toEqual(a.orders.at(-1));
    expect(c.orders[0]).not.toEqual(a.orders[0]);
  });

  it("replaces the demo shop when run again, duplicating nothing and leaving other shops alone", async () => {
    const other = await makeShop(db);
    await makeNode(db, other.id);
    const first = await db.order.findFirstOrThrow({ where: { shopId: seeded.shopId, name: "#1001" } });

    const again = await seedDemoMarketplace(db, { now: NOW, seed: SEED });

    expect(again.counts).toEqual(seeded.counts);
    expect(await db.shop.count({ where: { domain: DEMO_SHOP_DOMAIN } })).toBe(1);
    expect(await db.order.count()).toBe(again.counts.orders);
    expect(await db.orderLine.count()).toBe(again.counts.orderLines);
    expect(await db.stockLevel.count()).toBe(again.counts.stockLevels);
    expect(await db.fulfillment.count()).toBe(again.counts.fulfillments);
    expect(await db.deliveryEvent.count()).toBe(again.counts.deliveryEvents);
    expect(await db.node.count({ where: { shopId: again.shopId } })).toBe(again.counts.nodes);
    expect(await db.node.count({ where: { shopId: other.id } })).toBe(1);
    const firstAgain = await db.order.findFirstOrThrow({ where: { shopId: again.shopId, name: "#1001" } });
    expect(firstAgain).toEqual(first);
  }, 120_000);
});
