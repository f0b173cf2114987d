// Approving a several-item return without naming an amount refunds each line its own value.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { approveReturn } from "~/services/returns/approve.server";
import { makeNode, makeProduct, makeShop } from "../../support/factories";

describe("approveReturn", () => {
  it("refunds each line its own value when no amount is given, never the whole return per line", async () => {
    const shop = await makeShop(db);
    const hub = await makeNode(db, shop.id);
    const mug = await makeProduct(db, shop.id, { valueMinor: 2000 });
    const tee = await makeProduct(db, shop.id, { valueMinor: 3500 });
    const requestedAt = new Date("2026-11-20T10:00:00Z");
    const c = await db.returnCase.create({
      data: { shopId: shop.id, status: "REQUESTED", currency: "USD", requestedAt, destinationNodeId: hub.id },
    });
    for (const [product, quantity] of [[mug, 2], [tee, 1]] as const) {
      // A line as a request stores it: requested at the return's request time.
      await db.returnLine.create({
        data: { shopId: shop.id, returnId: c.id, productId: product.id, sku: product.sku, quantity, valueMinor: product.valueMinor, destinationNodeId: hub.id, requestedAt, changedAt: requestedAt },
      });
    }

    await approveReturn(shop, c.id, {}, { idempotencyKey: "admin-approve-1", now: requestedAt.getTime() + 60_000, source: "admin" });

    const lines = await db.returnLine.findMany({ where: { returnId: c.id }, orderBy: { valueMinor: "asc" } });
    expect(lines.map((l) => [l.status, l.refundedMinor, l.hubId])).toEqual([
      ["APPROVED", 4000, hub.id],
      ["APPROVED", 3500, hub.id],
    ]);
  });
});
