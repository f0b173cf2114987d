// The density analysis on the demo marketplace (prisma/seed/demo.ts: a year of orders to real ZIP
// codes, 45% New York, 22% Austin, the rest spread over the US; five creators in those two cities),
// priced with the demo's own rate cards and couriers: the pilot it names is New York and Austin.
import { describe, expect, it } from "vitest";
import { analyseDensity, costingSavingEstimator, type DensityOrder } from "../../../app/core/density";
import { openingHoursSchema, polygonSchema, type NetworkNode, type NodeKind, type NodeStatus, type ProductProfile } from "../../../app/core/network/types";
import { buildDemoMarketplace } from "../../../prisma/seed/demo";
import { buildDemoShipping } from "../../../prisma/seed/demo-shipping";

const now = new Date("2025-11-20T12:00:00Z");
const m = buildDemoMarketplace({ now, orderDays: 120 });

const nodes: NetworkNode[] = m.nodes.map((r) => ({
  id: r.id,
  handle: r.handle,
  name: r.name,
  kind: r.kind as NodeKind,
  status: (r.status ?? "ACTIVE") as NodeStatus,
  latitude: r.latitude,
  longitude: r.longitude,
  timezone: r.timezone,
  postalCode: r.postalCode,
  country: r.country,
  shopifyLocationId: r.shopifyLocationId ?? null,
  serviceArea: { radiusM: r.serviceRadiusM ?? null, polygon: r.serviceAreaJson ? polygonSchema.parse(JSON.parse(r.serviceAreaJson)) : null },
  openingHours: openingHoursSchema.parse(JSON.parse(r.openingHoursJson)),
  sameDayCutoff: r.sameDayCutoff ?? null,
  dailyCapacity: r.dailyCapacity,
  handlingCostMinor: r.handlingCostMinor,
  pickupCostMinor: r.pickupCostMinor,
  acceptsReturns: r.acceptsReturns ?? true,
  inspectionHours: r.inspectionHours ?? null,
  sellerId: r.sellerId ?? null,
}));
const products: ProductProfile[] = m.products.map((p) => ({
  id: p.id,
  sku: p.sku,
  title: p.title,
  sellerId: p.sellerId ?? null,
  category: p.category,
  weightGrams: p.weightGrams,
  lengthMm: p.lengthMm,
  widthMm: p.widthMm,
  heightMm: p.heightMm,
  valueMinor: p.valueMinor,
  returnRateBps: p.returnRateBps,
  madeToOrder: p.madeToOrder ?? false,
}));
const linesOf = new Map<string, DensityOrder["lines"]>();
for (const l of m.orderLines) {
  const list = linesOf.get(l.orderId) ?? [];
  list.push({ productId: l.productId!, quantity: l.quantity });
  linesOf.set(l.orderId, list);
}
const orders: DensityOrder[] = m.orders.map((o) => ({
  id: o.id,
  placedAt: new Date(o.placedAt).getTime(),
  latitude: o.destLatitude!,
  longitude: o.destLongitude!,
  country: o.destCountry!,
  postalCode: o.destPostalCode,
  city: o.destCity,
  lines: linesOf.get(o.id) ?? [],
}));
const sellers = m.sellers.map((s) => ({ id: s.id, name: s.name, latitude: s.latitude, longitude: s.longitude, city: s.city }));

describe("density on the demo marketplace", () => {
  const shipping = buildDemoShipping(new Map(m.nodes.map((n) => [n.handle, n.id])), now);
  const saving = costingSavingEstimator({ snapshot: { shopId: m.shop.id, currency: "USD", nodes, products, stock: {} }, config: shipping.config });
  const report = analyseDensity({ orders, sellers, products, nodes, now: now.getTime(), saving });

  it("finds New York and Austin, with the demo's share of demand", () => {
    expect(report.clusters).toHaveLength(2);
    const [nyc, atx] = report.clusters;
    expect(nyc.centroid.latitude).toBeCloseTo(40.7, 0);
    expect(atx.centroid.latitude).toBeCloseTo(30.3, 0);
    expect(nyc.shareOfOrders).toBeGreaterThan(0.4);
    expect(atx.shareOfOrders).toBeGreaterThan(0.18);
    expect(nyc.nodes.map((n) => n.handle)).toEqual(expect.arrayContaining(["nyc-bk-hub", "nyc-mn-hub"]));
    expect(atx.nodes.map((n) => n.handle)).toEqual(expect.arrayContaining(["atx-east-hub"]));
    expect(report.longTail.shareOfOrders).toBeGreaterThan(0.25);
  });

  it("prices each city's sample from its own hubs, and names both as the pilot, New York first", () => {
    for (const c of report.clusters) {
      expect(c.saving!.priced).toBeGreaterThan(30);
      expect(c.saving!.localFrom).toMatch(/^from /);
    }
    expect(report.pilot.clusters.map((p) => p.clusterId)).toEqual(["c1", "c2"]);
    for (const p of report.pilot.clusters) {
      expect(p.recommendation).not.toBe("CENTRAL");
      expect(p.reasons.length).toBeGreaterThanOrEqual(4);
      expect(p.savingPerOrderMinor).not.toBeNull();
    }
  });

  it("sends the creators whose buyers are in those cities local", () => {
    expect(report.sellers).toHaveLength(5);
    expect(report.sellers.every((s) => s.recommendation !== "CENTRAL")).toBe(true);
  });
});
