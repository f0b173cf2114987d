// Small builders for rows the tests need, always inside a named shop.
import type { PrismaClient } from "@prisma/client";

let counter = 0;
const next = () => ++counter;

export async function makeShop(db: PrismaClient, domain = `shop-${next()}.myshopify.com`) {
  return db.shop.create({ data: { domain, name: domain.split(".")[0] } });
}

export async function makeNode(db: PrismaClient, shopId: string, overrides: Record<string, unknown> = {}) {
  const n = next();
  return db.node.create({
    data: {
      shopId,
      handle: `node-${n}`,
      name: `Node ${n}`,
      kind: "MICRO_HUB",
      address1: "1 Main St",
      city: "Brooklyn",
      province: "NY",
      postalCode: "11211",
      country: "US",
      latitude: 40.7145,
      longitude: -73.9566,
      timezone: "America/New_York",
      serviceRadiusM: 8000,
      openingHoursJson: JSON.stringify({ mon: [["09:00", "18:00"]] }),
      sameDayCutoff: "14:00",
      dailyCapacity: 100,
      handlingCostMinor: 150,
      pickupCostMinor: 100,
      ...overrides,
    },
  });
}

export async function makeProduct(db: PrismaClient, shopId: string, overrides: Record<string, unknown> = {}) {
  const n = next();
  return db.product.create({
    data: {
      shopId,
      sku: `SKU-${n}`,
      title: `Product ${n}`,
      category: "apparel",
      weightGrams: 300,
      lengthMm: 300,
      widthMm: 200,
      heightMm: 30,
      valueMinor: 3500,
      returnRateBps: 1800,
      ...overrides,
    },
  });
}

export async function makeOrder(
  db: PrismaClient,
  shopId: string,
  productId: string,
  overrides: Record<string, unknown> = {},
) {
  const n = next();
  return db.order.create({
    data: {
      shopId,
      name: `#${1000 + n}`,
      placedAt: new Date("2026-11-01T15:00:00Z"),
      currency: "USD",
      totalMinor: 3500,
      destCity: "Brooklyn",
      destProvince: "NY",
      destPostalCode: "11211",
      destCountry: "US",
      destLatitude: 40.712345,
      destLongitude: -73.954321,
      lines: { create: [{ shopId, productId, quantity: 1, priceMinor: 3500 }] },
      ...overrides,
    },
  });
}

export async function makeSession(db: PrismaClient, shop: string) {
  return db.session.create({
    data: { id: `offline_${shop}`, shop, state: "x", isOnline: false, accessToken: "shpat_test", scope: "read_products" },
  });
}
