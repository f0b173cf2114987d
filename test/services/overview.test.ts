import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { networkOverview, weeklyCounts } from "~/services/overview.server";
import { makeNode, makeOrder, makeProduct, makeShop } from "../support/factories";

describe("weeklyCounts", () => {
  it("buckets orders into Monday-start UTC weeks, keeping empty weeks", () => {
    const from = new Date("2026-11-02T00:00:00Z"); // a Monday
    const to = new Date("2026-11-25T12:00:00Z");
    const weeks = weeklyCounts(
      [new Date("2026-11-02T01:00:00Z"), new Date("2026-11-08T23:59:00Z"), new Date("2026-11-24T10:00:00Z")],
      from,
      to,
    );
    expect(weeks).toEqual([
      { weekStart: "2026-11-02", orders: 2 },
      { weekStart: "2026-11-09", orders: 0 },
      { weekStart: "2026-11-16", orders: 0 },
      { weekStart: "2026-11-23", orders: 1 },
    ]);
  });
});

describe("networkOverview", () => {
  it("counts only the shop's own rows", async () => {
    const mine = await makeShop(db);
    const other = await makeShop(db);
    await makeNode(db, mine.id);
    await makeNode(db, other.id);
    await makeNode(db, other.id);
    const product = await makeProduct(db, other.id);
    await makeOrder(db, other.id, product.id, { placedAt: new Date("2026-11-20T10:00:00Z") });
    const overview = await networkOverview(mine.id, new Date("2026-11-25T12:00:00Z"));
    expect(overview.activeNodes).toBe(1);
    expect(overview.ordersLast30Days).toBe(0);
    expect(overview.ordersByWeek.reduce((n, w) => n + w.orders, 0)).toBe(0);
    expect(overview.ordersByWeek).toHaveLength(53);
  });
});
