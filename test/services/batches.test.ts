// "Ids in a list" of any length: the shared helper's batches, and a query that used to put an
// unbounded list in one statement (routing's held stock over a busy day), on a real database.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { BATCH_SIZE, findInBatches, inBatches } from "~/services/batch.server";
import { availabilityNow, loadRoutingNetwork } from "~/services/routing/snapshot.server";
import { getReturnDetail } from "~/services/returns-admin.server";
import { makeNode, makeProduct, makeShop } from "../support/factories";

describe("inBatches", () => {
  it("sends 10,000 ids as batches no statement refuses, each id once, in order", async () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `id-${i}`);
    const batches: string[][] = [];
    await inBatches([...ids, ...ids.slice(0, 50)], async (b) => batches.push(b));
    expect(batches).toHaveLength(Math.ceil(10_000 / BATCH_SIZE));
    expect(Math.max(...batches.map((b) => b.length))).toBe(BATCH_SIZE);
    expect(batches.flat()).toEqual(ids);

    const doubled: number[] = [];
    await inBatches(ids, async (b) => doubled.push(b.length * 2), { perValue: 2 });
    expect(Math.max(...doubled)).toBeLessThanOrEqual(BATCH_SIZE);
    expect(await inBatches([], async () => 1)).toEqual([]);
  });

  it("finds rows for 10,000 ids on this database", async () => {
    const shop = await makeShop(db);
    const product = await makeProduct(db, shop.id);
    const ids = [product.id, ...Array.from({ length: 9_999 }, (_, i) => `missing-${i}`)];
    const rows = await findInBatches(ids, (batch) => db.product.findMany({ where: { shopId: shop.id, id: { in: batch } }, select: { id: true } }));
    expect(rows).toEqual([{ id: product.id }]);
  });
});

describe("routing's held stock on a busy day", () => {
  it("reads 1,200 automatic decisions of the last 26 hours (more than one statement can list) and holds their units", async () => {
    const shop = await makeShop(db);
    const node = await makeNode(db, shop.id, { handle: "bk" });
    const product = await makeProduct(db, shop.id, { sku: "MUG" });
    const now = Date.now();
    await db.stockLevel.create({ data: { shopId: shop.id, nodeId: node.id, productId: product.id, available: 5_000 } });
    await db.stockLevel.updateMany({ where: { shopId: shop.id }, data: { updatedAt: new Date(now - 3 * 3_600_000) } });
    const decisions = Array.from({ length: 1_200 }, (_, i) => ({
      id: `d${i}`,
      shopId: shop.id,
      orderGid: `gid://shopify/Order/${i}`,
      source: "WEBHOOK",
      mode: "AUTO",
      status: "MOVED",
      currency: "USD",
      alternativesJson: "[]",
      reasonsJson: "[]",
      createdAt: new Date(now - 2 * 3_600_000 + i * 1_000),
    }));
    await db.routingDecision.createMany({ data: decisions });
    const shipment = { shopId: shop.id, position: 0, nodeId: node.id, nodeHandle: "bk", nodeName: "BK", service: "SAME_DAY", serviceCode: "NH:bk:SAME_DAY", currency: "USD", forwardMinor: 500, expectedReverseMinor: 0, totalMinor: 500, keepsPromise: true };
    await db.routingShipment.createMany({ data: decisions.map((d) => ({ ...shipment, id: `s-${d.id}`, decisionId: d.id })) });
    await db.routingShipmentLine.createMany({ data: decisions.map((d) => ({ shopId: shop.id, shipmentId: `s-${d.id}`, position: 0, productId: product.id, sku: "MUG", quantity: 1 })) });
    const rs = await loadRoutingNetwork(shop);
    const { held } = await availabilityNow(rs, shop.id, now);
    expect(held.reduce((sum, h) => sum + h.units, 0)).toBe(1_200);
  });
});

describe("a return's detail page with many restocked lines", () => {
  it("shows each of 1,200 restocked products' stock at its hub (more products than one statement can list)", async () => {
    const shop = await makeShop(db);
    const hub = await makeNode(db, shop.id, { handle: "bk" });
    const at = new Date("2026-11-20T12:00:00Z");
    const products = Array.from({ length: 1_200 }, (_, i) => ({ id: `p-${i}`, shopId: shop.id, sku: `SKU-${i}`, title: `Item ${i}`, category: "mug", weightGrams: 100, lengthMm: 100, widthMm: 100, heightMm: 100, valueMinor: 1000, returnRateBps: 500 }));
    await db.product.createMany({ data: products });
    await db.stockLevel.createMany({ data: products.map((p, i) => ({ shopId: shop.id, nodeId: hub.id, productId: p.id, available: i })) });
    const c = await db.returnCase.create({ data: { shopId: shop.id, status: "RESTOCKED", currency: "USD", requestedAt: at } });
    await db.returnLine.createMany({
      data: products.map((p) => ({ shopId: shop.id, returnId: c.id, productId: p.id, sku: p.sku, quantity: 1, valueMinor: 1000, status: "RESTOCKED", hubId: hub.id, changedAt: at, requestedAt: at, restockedAt: at })),
    });
    const detail = await getReturnDetail(shop.id, c.id, at.getTime());
    expect(detail.lines).toHaveLength(1_200);
    const stock = new Map(detail.lines.map((l) => [l.sku, l.stockAtHub]));
    expect(stock.get("SKU-0")).toBe(0);
    expect(stock.get("SKU-1199")).toBe(1_199);
    expect(detail.lines.every((l) => l.stockAtHub === Number(l.sku!.slice(4)))).toBe(true);
  });
});
