// Today's route sheet of a hub (services/rounds.server.ts) on the seeded marketplace: the local
// orders that leave Williamsburg today, in waves and routes for its three cargo bikes, each order
// once, each route within what a bike takes, doors reached in driving order.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { routeSheet } from "~/services/rounds.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { makeShop } from "../support/factories";

const NOW = new Date("2026-11-24T22:00:00Z"); // 17:00 in New York, after the hub's cut-off
let shopId: string;
let hubId: string;

beforeAll(async () => {
  const seeded = await seedDemoMarketplace(db, { now: NOW, orderDays: 30 });
  shopId = seeded.shopId;
  hubId = (await db.node.findFirstOrThrow({ where: { shopId, handle: "nyc-bk-hub" } })).id;
}, 120_000);

describe("a hub's route sheet", () => {
  it("puts every local order leaving Williamsburg today on one route, in driving order, within a bike's 25 stops", async () => {
    const sheet = (await routeSheet(shopId, hubId, NOW.getTime()))!;
    expect(sheet.notPlanned).toBeNull();
    const dayStart = new Date("2026-11-24T05:00:00Z");
    const leaving = await db.fulfillment.findMany({
      where: { shopId, nodeId: hubId, status: { not: "CANCELLED" }, shippedAt: { gte: dayStart, lt: new Date(dayStart.getTime() + 86_400_000) } },
      select: { order: { select: { name: true, destLatitude: true } } },
    });
    expect(leaving.length).toBeGreaterThan(0);
    const routed = sheet.waves.flatMap((w) => w.routes.flatMap((r) => r.stops.map((s) => s.orderName)));
    const unserved = sheet.waves.flatMap((w) => w.unserved.map((u) => u.orderName));
    const placed = [...routed, ...unserved, ...sheet.withoutCoordinates];
    expect(new Set(placed).size).toBe(placed.length);
    // Every order it lists left the hub today, and the hub's orders to its own area are all there.
    const names = new Set(leaving.map((f) => f.order?.name));
    for (const n of placed) expect(names.has(n)).toBe(true);
    expect(routed.length).toBe(sheet.stops);
    for (const w of sheet.waves) {
      expect(w.way).toMatch(/^Williamsburg cargo bikes/);
      for (const r of w.routes) {
        expect(r.stops.length).toBeLessThanOrEqual(25);
        const times = r.stops.map((s) => s.arriveAt);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(times[0]).toBeGreaterThanOrEqual(r.departAt);
        expect(r.returnAt).toBeGreaterThan(times[times.length - 1]);
      }
    }
    expect(sheet.perStopMinor).toBeGreaterThan(0);
  });

  it("is the same plan when opened again the same day", async () => {
    const a = await routeSheet(shopId, hubId, NOW.getTime());
    const b = await routeSheet(shopId, hubId, NOW.getTime() + 60_000);
    expect(b!.waves).toEqual(a!.waves);
  });

  it("says why a hub without rounds has no plan, and knows no other shop's hub", async () => {
    const manhattan = await db.node.findFirstOrThrow({ where: { shopId, handle: "nyc-mn-hub" } });
    expect((await routeSheet(shopId, manhattan.id, NOW.getTime()))!.notPlanned).toMatch(/has no delivery rounds set/);
    const other = await makeShop(db, "other-rounds.myshopify.com");
    expect(await routeSheet(other.id, hubId, NOW.getTime())).toBeNull();
  });
});
