// A hub like the demo's Williamsburg micro-hub, for the campaigns tests: open every day 08:00–20:00
// New York time with a 17:00 same-day cut-off and a 6 km delivery radius, three products on its
// shelf (one too thin to advertise), two units of one of them back as restocked returns, and a
// year of orders around it (and some far away, which the plan leaves out).
import type { PrismaClient } from "@prisma/client";
import { makeNode, makeOrder, makeProduct, makeShop } from "../../support/factories";

/** Monday 7 December 2026, 10:00 in New York: inside the hub's same-day hours. */
export const MONDAY_10AM_NY = Date.parse("2026-12-07T10:00:00-05:00");

const everyDay = (from: string, to: string) => Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [[from, to]]]));

export interface SeededHub {
  shop: { id: string; domain: string; currency: string };
  hub: { id: string; name: string; handle: string };
  products: Array<{ id: string; sku: string }>;
}

/** `allDay`: open around the clock with a 23:59 cut-off (for routes that read the real clock). */
export async function seedHub(db: PrismaClient, domain: string, now = MONDAY_10AM_NY, opts: { allDay?: boolean } = {}): Promise<SeededHub> {
  const shop = await makeShop(db, domain);
  const hub = await makeNode(db, shop.id, {
    name: "Williamsburg Micro-hub",
    latitude: 40.7145,
    longitude: -73.9566,
    serviceRadiusM: 6000,
    openingHoursJson: JSON.stringify(opts.allDay ? everyDay("00:00", "24:00") : everyDay("08:00", "20:00")),
    sameDayCutoff: opts.allDay ? "23:59" : "17:00",
    dailyCapacity: 200,
  });
  const tee = await makeProduct(db, shop.id, { sku: `${hub.handle}-TEE`, title: "Organic tee", valueMinor: 3800 });
  const tote = await makeProduct(db, shop.id, { sku: `${hub.handle}-TOTE`, title: "Canvas tote", valueMinor: 2400 });
  const mug = await makeProduct(db, shop.id, { sku: `${hub.handle}-MUG`, title: "Stoneware mug", valueMinor: 1800 });
  await db.stockLevel.createMany({
    data: [
      { shopId: shop.id, nodeId: hub.id, productId: tee.id, available: 40 },
      { shopId: shop.id, nodeId: hub.id, productId: tote.id, available: 25 },
      { shopId: shop.id, nodeId: hub.id, productId: mug.id, available: 1 },
    ],
  });
  // Two tees came back and were restocked at the hub.
  const ret = await db.returnCase.create({ data: { shopId: shop.id, currency: "USD", requestedAt: new Date(now - 20 * 86_400_000), status: "RESTOCKED" } });
  await db.returnLine.create({
    data: {
      shopId: shop.id,
      returnId: ret.id,
      productId: tee.id,
      sku: tee.sku,
      quantity: 2,
      valueMinor: 3800,
      status: "RESTOCKED",
      hubId: hub.id,
      changedAt: new Date(now - 10 * 86_400_000),
      requestedAt: new Date(now - 20 * 86_400_000),
      restockedAt: new Date(now - 10 * 86_400_000),
    },
  });
  // 40 orders within 3 km of the hub over the year, 5 far away (Midtown and beyond the radius).
  for (let i = 0; i < 40; i++) {
    const angle = (i / 40) * 2 * Math.PI;
    const km = 0.4 + (i % 8) * 0.3;
    await makeOrder(db, shop.id, i % 2 === 0 ? tee.id : tote.id, {
      placedAt: new Date(now - (3 + i * 8) * 86_400_000),
      destLatitude: +(40.7145 + (km / 111.32) * Math.sin(angle)).toFixed(3),
      destLongitude: +(-73.9566 + (km / 84.3) * Math.cos(angle)).toFixed(3),
      totalMinor: 4200,
    });
  }
  for (let i = 0; i < 5; i++) {
    await makeOrder(db, shop.id, tee.id, { placedAt: new Date(now - (5 + i) * 86_400_000), destLatitude: 40.85 + i * 0.01, destLongitude: -73.75, totalMinor: 4200 });
  }
  return {
    shop: { id: shop.id, domain: shop.domain, currency: shop.currency },
    hub: { id: hub.id, name: hub.name, handle: hub.handle },
    products: [tee, tote, mug].map((p) => ({ id: p.id, sku: p.sku })),
  };
}
