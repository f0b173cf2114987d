import { db } from "~/db.server";

const DAY_MS = 86_400_000;

export async function networkOverview(shopId: string, now: Date) {
  const [activeNodes, sellers, products, ordersLast30Days, kinds] = await Promise.all([
    db.node.count({ where: { shopId, status: "ACTIVE" } }),
    db.seller.count({ where: { shopId } }),
    db.product.count({ where: { shopId } }),
    db.order.count({ where: { shopId, placedAt: { gte: new Date(now.getTime() - 30 * DAY_MS) } } }),
    db.node.groupBy({ by: ["kind"], where: { shopId }, _count: { _all: true }, orderBy: { kind: "asc" } }),
  ]);
  return {
    activeNodes,
    sellers,
    products,
    ordersLast30Days,
    nodesByKind: kinds.map((k) => ({ kind: k.kind, count: k._count._all })),
  };
}
