// In the demo there is no Shopify: a return line restocked at a hub adds its units to that hub's
// stock of the product, as Shopify's inventory update (inventory_levels/update) makes it in a
// connected store; refurbished and disposed items add nothing, and the outbox running the restock
// again (after a crash) does not count it twice.
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.NEARHUB_DEMO = "1";
});

import { db } from "~/db.server";
import { env } from "~/env.server";
import { runReturnOutbox } from "~/services/returns/effects.server";
import { inspectReturn } from "~/services/returns/inspect.server";
import { receiveReturn } from "~/services/returns/receive.server";
import { applyReturnEvent, createReturnCase } from "~/services/returns/repository.server";
import { makeNode, makeProduct, makeShop } from "../../support/factories";

const HOUR = 3_600_000;
const t0 = Date.UTC(2026, 10, 20, 9);

let shop: Awaited<ReturnType<typeof makeShop>>;
let hub: { id: string };
let otherHub: { id: string };
let product: { id: string; sku: string };

beforeEach(async () => {
  shop = await makeShop(db);
  hub = await makeNode(db, shop.id, { name: "Williamsburg hub" });
  otherHub = await makeNode(db, shop.id, { name: "Manhattan hub" });
  product = await makeProduct(db, shop.id, { sku: `MUG-${shop.id}` });
  await db.stockLevel.createMany({
    data: [
      { shopId: shop.id, nodeId: hub.id, productId: product.id, available: 3 },
      { shopId: shop.id, nodeId: otherHub.id, productId: product.id, available: 7 },
    ],
  });
});

/** A return of `quantity` units of the product, approved toward the hub and received there. */
async function receivedReturn(quantity: number) {
  const c = await db.$transaction((tx) =>
    createReturnCase(
      tx,
      {
        shopId: shop.id,
        shopifyReturnGid: null,
        orderGid: null,
        orderName: "#1001",
        currency: "USD",
        outcome: "REFUND",
        destinationNodeId: hub.id,
        decision: null,
        lines: [{ productId: product.id, sku: product.sku, shopifyLineGid: null, quantity, valueMinor: 2400, reason: "SIZE_TOO_SMALL", condition: null, outcome: "REFUND", destinationNodeId: hub.id }],
      },
      t0,
    ),
  );
  await applyReturnEvent(shop.id, c.id, { type: "APPROVE", hubId: hub.id, refundedMinor: 2400 }, { idempotencyKey: `approve:${c.id}`, now: t0 + HOUR, source: "test" });
  await runReturnOutbox({ shopId: shop.id }); // the approval's effect (nothing to do without Shopify)
  await receiveReturn(shop, c.id, { hubId: hub.id, inspectionHours: 48 }, { idempotencyKey: `receive:${c.id}`, now: t0 + 2 * HOUR, source: "test" });
  return c.id;
}

const stock = async () =>
  Object.fromEntries(
    (await db.stockLevel.findMany({ where: { shopId: shop.id }, select: { nodeId: true, available: true } })).map((l) => [l.nodeId === hub.id ? "hub" : "other", l.available]),
  );

describe("a restocked return in the demo", () => {
  it("runs in demo mode", () => {
    expect(env().demo).toBe(true);
  });

  it("adds its units to its hub's stock of the product, and only that hub's", async () => {
    const id = await receivedReturn(2);
    const moved = await inspectReturn(shop, id, { grade: "A", disposition: "RESTOCK" }, { idempotencyKey: `inspect:${id}`, now: t0 + 3 * HOUR, source: "test" });
    expect(moved.returnCase.lines.map((l) => l.status)).toEqual(["RESTOCKED"]);
    expect(moved.run).toEqual({ done: 1, failed: 0, errors: [] });
    expect(await stock()).toEqual({ hub: 5, other: 7 });
  });

  it("counts a restock once, however often the outbox runs it", async () => {
    const id = await receivedReturn(1);
    await inspectReturn(shop, id, { grade: "B", disposition: "RESTOCK" }, { idempotencyKey: `inspect:${id}`, now: t0 + 3 * HOUR, source: "test" });
    // A process that died after the stock moved and before the event was marked done: the next run repeats it.
    await db.returnEvent.updateMany({ where: { returnId: id, type: "RESTOCK" }, data: { effectsDoneAt: null } });
    expect(await runReturnOutbox({ shopId: shop.id })).toEqual({ done: 1, failed: 0, errors: [] });
    expect(await stock()).toEqual({ hub: 4, other: 7 });
  });

  it("creates the hub's level when it held none", async () => {
    await db.stockLevel.deleteMany({ where: { shopId: shop.id, nodeId: hub.id } });
    const id = await receivedReturn(1);
    await inspectReturn(shop, id, { grade: "A", disposition: "RESTOCK" }, { idempotencyKey: `inspect:${id}`, now: t0 + 3 * HOUR, source: "test" });
    expect(await stock()).toEqual({ hub: 1, other: 7 });
  });

  it("adds nothing for an item sent to refurbishment or disposed of, until a refurbished one is restocked", async () => {
    const disposed = await receivedReturn(1);
    await inspectReturn(shop, disposed, { grade: "D", disposition: "DISPOSE" }, { idempotencyKey: `inspect:${disposed}`, now: t0 + 3 * HOUR, source: "test" });
    const refurbished = await receivedReturn(1);
    await inspectReturn(shop, refurbished, { grade: "C", disposition: "REFURBISH" }, { idempotencyKey: `inspect:${refurbished}`, now: t0 + 3 * HOUR, source: "test" });
    expect(await stock()).toEqual({ hub: 3, other: 7 });

    await applyReturnEvent(shop.id, refurbished, { type: "RESTOCK", hubId: otherHub.id }, { idempotencyKey: `restock:${refurbished}`, now: t0 + 30 * HOUR, source: "test" });
    await runReturnOutbox({ shopId: shop.id });
    // Restocked where it was sent after refurbishment.
    expect(await stock()).toEqual({ hub: 3, other: 8 });
  });
});
