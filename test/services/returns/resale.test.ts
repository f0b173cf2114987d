// Resale from the routing decisions: an order routed to the hub that restocked a returned unit of
// the same SKU closes that return as resold, once, and only at that hub and after the restock.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { moveReturn } from "~/services/returns/move.server";
import { createReturnCase } from "~/services/returns/repository.server";
import { recordResalesFromRouting } from "~/services/returns/resale.server";
import { returnAnalytics } from "~/services/returns/analytics.server";
import { makeNode, makeOrder, makeProduct, makeShop } from "../../support/factories";

const HOUR = 3_600_000;
let shop: { id: string };
let hubA: { id: string; handle: string };
let hubB: { id: string; handle: string };
let returnId: string;
let restockedAt: number;

beforeEach(async () => {
  shop = await makeShop(db);
  hubA = await makeNode(db, shop.id, { name: "Hub A" });
  hubB = await makeNode(db, shop.id, { name: "Hub B" });
  const product = await makeProduct(db, shop.id, { sku: "MUG-1", valueMinor: 2400 });
  const t0 = Date.now() - 10 * 24 * HOUR;
  // A return not from Shopify (created through the API): its effects need no Admin API.
  const c = await db.$transaction((tx) =>
    createReturnCase(
      tx,
      {
        shopId: shop.id, shopifyReturnGid: null, orderGid: null, orderName: "#9", currency: "USD", outcome: "REFUND", destinationNodeId: hubA.id, decision: {},
        lines: [{ productId: product.id, sku: "MUG-1", shopifyLineGid: null, quantity: 1, valueMinor: 2400, reason: "UNWANTED", condition: null, outcome: "REFUND", destinationNodeId: hubA.id }],
      },
      t0,
    ),
  );
  returnId = c.id;
  const step = (i: number) => ({ idempotencyKey: `k${i}`, now: t0 + i * HOUR, source: "test" });
  await moveReturn(shop, returnId, [{ type: "APPROVE", hubId: hubA.id, refundedMinor: 2400 }], step(1));
  await moveReturn(shop, returnId, [{ type: "RECEIVE", hubId: hubA.id, inspectionHours: 48 }], step(2));
  await moveReturn(shop, returnId, [{ type: "INSPECT", grade: "A", disposition: "RESTOCK", note: null }, { type: "RESTOCK", hubId: null }], step(3));
  restockedAt = t0 + 3 * HOUR;
  await makeOrder(db, shop.id, product.id, { name: "#50", shopifyOrderId: "gid://shopify/Order/50", placedAt: new Date(restockedAt + 24 * HOUR), lines: { create: [{ shopId: shop.id, productId: product.id, quantity: 1, priceMinor: 2000 }] } });
});

function decision(orderGid: string, nodeId: string, createdAt: Date, sku = "MUG-1") {
  return db.routingDecision.create({
    data: {
      shopId: shop.id, orderGid, source: "WEBHOOK", mode: "AUTO", status: "MOVED", currency: "USD", createdAt,
      alternativesJson: "[]", reasonsJson: "[]",
      shipments: {
        create: [{
          shopId: shop.id, position: 0, nodeId, nodeHandle: "x", nodeName: "X", service: "SAME_DAY", serviceCode: "NH:x:SAME_DAY", currency: "USD",
          forwardMinor: 900, expectedReverseMinor: 100, totalMinor: 1000, keepsPromise: true,
          lines: { create: [{ shopId: shop.id, position: 0, productId: "p", sku, quantity: 1 }] },
        }],
      },
    },
  });
}

describe("recordResalesFromRouting", () => {
  it("ignores orders routed to another hub, closes the return on one routed to its hub, and only once", async () => {
    await decision("gid://shopify/Order/49", hubB.id, new Date(restockedAt + 12 * HOUR));
    expect(await recordResalesFromRouting(shop.id)).toHaveLength(0);

    await decision("gid://shopify/Order/50", hubA.id, new Date(restockedAt + 24 * HOUR));
    expect(await recordResalesFromRouting(shop.id)).toHaveLength(1);
    expect(await recordResalesFromRouting(shop.id)).toHaveLength(0);

    const c = await db.returnCase.findUniqueOrThrow({ where: { id: returnId } });
    expect(c.status).toBe("RESOLD");
    expect(c.recoveredMinor).toBe(2000); // the order's line price
    const hub = (await returnAnalytics(shop.id)).byHub.find((h) => h.key === hubA.id)!;
    expect(hub.receiptToResaleDays).toBeCloseTo(1 + 1 / 24, 5);
    expect(hub.recoveryRate).toBeCloseTo(2000 / 2400, 5);
  });

  it("does not count an order routed before the unit was back on the shelf", async () => {
    await decision("gid://shopify/Order/48", hubA.id, new Date(restockedAt - HOUR));
    await db.order.updateMany({ where: { shopId: shop.id, name: "#50" }, data: { shopifyOrderId: null } });
    expect(await recordResalesFromRouting(shop.id)).toHaveLength(0);
    expect((await db.returnCase.findUniqueOrThrow({ where: { id: returnId } })).status).toBe("RESTOCKED");
  });
});
