import { db } from "~/db.server";

const DAY_MS = 86_400_000;

export async function networkOverview(shopId: string, now: Date) {
  const yearAgo = new Date(now.getTime() - 364 * DAY_MS);
  const [activeNodes, sellers, products, ordersLast30Days, kinds, placed] = await Promise.all([
    db.node.count({ where: { shopId, status: "ACTIVE" } }),
    db.seller.count({ where: { shopId } }),
    db.product.count({ where: { shopId } }),
    db.order.count({ where: { shopId, placedAt: { gte: new Date(now.getTime() - 30 * DAY_MS) } } }),
    db.node.groupBy({ by: ["kind"], where: { shopId }, _count: { _all: true }, orderBy: { kind: "asc" } }),
    db.order.findMany({ where: { shopId, placedAt: { gte: yearAgo } }, select: { placedAt: true } }),
  ]);
  return {
    activeNodes,
    sellers,
    products,
    ordersLast30Days,
    nodesByKind: kinds.map((k) => ({ kind: k.kind, count: k._count._all })),
    ordersByWeek: weeklyCounts(placed.map((o) => o.placedAt), yearAgo, now),
  };
}

/** Orders per UTC week (weeks start on Monday), oldest first, empty weeks included. */
export function weeklyCounts(dates: Date[], from: Date, to: Date) {
  const monday = (d: Date) => {
    const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
  };
  const counts = new Map<number, number>();
  for (let w = monday(from); w <= to.getTime(); w += 7 * DAY_MS) counts.set(w, 0);
  for (const d of dates) {
    const w = monday(d);
    if (counts.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts].map(([w, orders]) => ({ weekStart: new Date(w).toISOString().slice(0, 10), orders }));
}
