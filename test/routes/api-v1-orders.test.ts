// GET /api/v1/orders over real Requests to the real loader on the real database: only the key's shop,
// pages that neither skip nor repeat, the created-at and node filters, Nearhub's shipments and
// Shopify's fulfilments with the order's delivered-at, no street or coordinates in the answer, and a
// 400 naming the parameter.
import { latLngToCell } from "h3-js";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loader as ordersLoader } from "~/routes/api.v1.orders";
import { loader as openApiLoader } from "~/routes/api.v1.openapi[.]json";
import { createApiKey } from "~/services/api-keys.server";
import { orderListSchema, type ApiOrder } from "~/services/open-api/orders.server";
import { makeNode, makeOrder, makeProduct, makeShop } from "../support/factories";

async function get(path: string, key?: string): Promise<Response> {
  const request = new Request(`http://127.0.0.1:3000${path}`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  try {
    return await ordersLoader({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function all(query: string, key: string, limit = 2): Promise<ApiOrder[]> {
  const seen: ApiOrder[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const res = await get(`/api/v1/orders?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ""}`, key);
    expect(res.status).toBe(200);
    const body = orderListSchema.parse(await res.json());
    expect(body.data.length).toBeLessThanOrEqual(limit);
    seen.push(...body.data);
    cursor = body.pagination.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error("pagination did not end");
}

let keyA: string;
let keyB: string;
let hub: { id: string };
let warehouse: { id: string };
const names: Record<string, string> = {};

beforeAll(async () => {
  const shopA = await makeShop(db, "orders-alpha.myshopify.com");
  const shopB = await makeShop(db, "orders-bravo.myshopify.com");
  hub = await makeNode(db, shopA.id, { name: "Williamsburg hub" });
  warehouse = await makeNode(db, shopA.id, { name: "Secaucus warehouse" });
  const mug = await makeProduct(db, shopA.id, { sku: "MUG-1" });
  const tee = await makeProduct(db, shopA.id, { sku: "TEE-2" });
  const day = (d: number) => new Date(Date.UTC(2026, 10, d, 15));

  // Delivered same day from the hub, routed by Nearhub there.
  const delivered = await makeOrder(db, shopA.id, mug.id, {
    shopifyOrderId: "gid://shopify/Order/101",
    placedAt: day(3),
    nodeId: hub.id,
    lines: { create: [{ shopId: shopA.id, productId: mug.id, quantity: 2, priceMinor: 1800 }, { shopId: shopA.id, productId: tee.id, quantity: 1, priceMinor: 2500 }] },
  });
  names.delivered = delivered.name;
  await db.fulfillment.create({
    data: { shopId: shopA.id, shopifyFulfillmentGid: "gid://shopify/Fulfillment/1", orderGid: "gid://shopify/Order/101", orderId: delivered.id, nodeId: hub.id, status: "SUCCESS", shipmentStatus: "DELIVERED", courierProvider: "DOORDASH_DRIVE", shippedAt: new Date(day(3).getTime() + 3_600_000), deliveredAt: new Date(day(3).getTime() + 3 * 3_600_000) },
  });
  await db.routingDecision.create({
    data: {
      shopId: shopA.id, orderGid: "gid://shopify/Order/101", source: "WEBHOOK", mode: "AUTO", status: "MOVED", currency: "USD", alternativesJson: "[]", reasonsJson: "[]",
      shipments: {
        create: [{
          shopId: shopA.id, position: 0, nodeId: hub.id, nodeHandle: "wb", nodeName: "Williamsburg hub", service: "SAME_DAY", serviceCode: "NH:wb:SAME_DAY", currency: "USD",
          forwardMinor: 900, expectedReverseMinor: 150, totalMinor: 1050, keepsPromise: true, promisedBy: new Date(day(3).getTime() + 6 * 3_600_000),
          lines: { create: [{ shopId: shopA.id, position: 0, productId: mug.id, sku: "MUG-1", quantity: 2 }, { shopId: shopA.id, position: 1, productId: tee.id, sku: "TEE-2", quantity: 1 }] },
        }],
      },
    },
  });

  // Split in two fulfilments from the warehouse and the hub: one delivered, one still on its way.
  const split = await makeOrder(db, shopA.id, tee.id, { shopifyOrderId: "102", placedAt: day(10) });
  names.split = split.name;
  await db.fulfillment.createMany({
    data: [
      { shopId: shopA.id, shopifyFulfillmentGid: "gid://shopify/Fulfillment/2", orderGid: "gid://shopify/Order/102", orderId: split.id, nodeId: warehouse.id, status: "SUCCESS", shipmentStatus: "IN_TRANSIT", trackingCompany: "UPS", shippedAt: day(11) },
      { shopId: shopA.id, shopifyFulfillmentGid: "gid://shopify/Fulfillment/3", orderGid: "gid://shopify/Order/102", orderId: split.id, nodeId: hub.id, status: "SUCCESS", shipmentStatus: "DELIVERED", shippedAt: day(10), deliveredAt: day(11) },
    ],
  });

  // Not yet shipped, and placed later.
  names.open = (await makeOrder(db, shopA.id, mug.id, { shopifyOrderId: "103", placedAt: day(20) })).name;
  // Another shop's order, at the same address.
  await makeOrder(db, shopB.id, (await makeProduct(db, shopB.id, { sku: "B-ONLY" })).id, { name: "#B-1", placedAt: day(10) });

  keyA = (await createApiKey(shopA.id, "simulator")).key;
  keyB = (await createApiKey(shopB.id, "script")).key;
});

describe("GET /api/v1/orders", () => {
  it("refuses a request without a valid key", async () => {
    expect((await get("/api/v1/orders")).status).toBe(401);
    expect((await get("/api/v1/orders", "nh_live_0000000000000000000000000000000000000000000000000000000000000000")).status).toBe(401);
  });

  it("pages through the key's shop's orders only, each once", async () => {
    const orders = await all("", keyA);
    expect(orders.map((o) => o.name).sort()).toEqual([names.delivered, names.split, names.open].sort());
    expect(new Set(orders.map((o) => o.id)).size).toBe(3);
    expect((await all("", keyB)).map((o) => o.name)).toEqual(["#B-1"]);
  });

  it("gives lines, Nearhub's shipments, Shopify's fulfilments and when the order was delivered", async () => {
    const byName = new Map((await all("", keyA, 100)).map((o) => [o.name, o]));
    const delivered = byName.get(names.delivered)!;
    expect(delivered.lines).toEqual([
      { sku: "MUG-1", known: true, quantity: 2, unitPrice: { amountMinor: 1800, currency: "USD" } },
      { sku: "TEE-2", known: true, quantity: 1, unitPrice: { amountMinor: 2500, currency: "USD" } },
    ]);
    expect(delivered.routing).toMatchObject({
      status: "MOVED",
      shipments: [{ nodeId: hub.id, service: "SAME_DAY", landedCost: { amountMinor: 1050, currency: "USD" }, keepsPromise: true, lines: [{ sku: "MUG-1", quantity: 2 }, { sku: "TEE-2", quantity: 1 }] }],
    });
    expect(delivered.shipments).toEqual([expect.objectContaining({ nodeId: hub.id, carrier: "DOORDASH_DRIVE", deliveryStatus: "DELIVERED", shippedAt: "2026-11-03T16:00:00.000Z" })]);
    expect(delivered.deliveredAt).toBe("2026-11-03T18:00:00.000Z");

    const split = byName.get(names.split)!;
    expect(split.routing).toBeNull(); // Nearhub did not route it
    expect(split.shipments.map((s) => s.carrier)).toEqual([null, "UPS"]); // by shippedAt
    expect(split.deliveredAt).toBeNull(); // one parcel is still on its way

    const open = byName.get(names.open)!;
    expect(open.shipments).toEqual([]);
    expect(open.deliveredAt).toBeNull();
  });

  it("places the destination in a cell and never gives the street or coordinates", async () => {
    const [o] = await all(`&createdFrom=2026-11-20T00:00:00Z`, keyA);
    expect(o.destination).toEqual({ cell: latLngToCell(40.712345, -73.954321, 6), cellResolution: 6, postalCode: "11211", province: "NY", country: "US" });
    const [fine] = await all(`&createdFrom=2026-11-20T00:00:00Z&cellResolution=9`, keyA);
    expect(fine.destination.cell).toBe(latLngToCell(40.712345, -73.954321, 9));
    const text = JSON.stringify(await all("", keyA, 100));
    expect(text).not.toMatch(/Bedford|40\.71|73\.95|destAddress|latitude|longitude|customerId/);
  });

  it("filters by created-at range and by node", async () => {
    const names_ = async (q: string) => (await all(q, keyA)).map((o) => o.name).sort();
    expect(await names_("&createdFrom=2026-11-05T00:00:00Z")).toEqual([names.split, names.open].sort());
    expect(await names_("&createdFrom=2026-11-05T00:00:00Z&createdTo=2026-11-15T00:00:00Z")).toEqual([names.split]);
    expect(await names_("&createdTo=2026-11-10T15:00:00Z")).toEqual([names.delivered]); // createdTo is exclusive
    expect(await names_(`&nodeId=${warehouse.id}`)).toEqual([names.split]);
    expect(await names_(`&nodeId=${hub.id}`)).toEqual([names.delivered, names.split].sort());
  });

  it("keeps an order Shopify gave no coordinates and a SKU Nearhub does not know", async () => {
    const shop = await makeShop(db, "orders-charlie.myshopify.com");
    await db.order.create({
      data: {
        shopId: shop.id, shopifyOrderId: "gid://shopify/Order/301", name: "#C-1", placedAt: new Date("2026-11-05T10:00:00Z"), currency: "USD", totalMinor: 900,
        destCountry: "US", cancelledAt: new Date("2026-11-05T11:00:00Z"), shippingCode: "NH:wb:SAME_DAY",
        lines: { create: [{ shopId: shop.id, sku: "NOT-IN-CATALOGUE", quantity: 3, priceMinor: 300 }] },
      },
    });
    const [o] = await all("", (await createApiKey(shop.id, "c")).key);
    expect(o.destination).toEqual({ cell: null, cellResolution: 6, postalCode: null, province: null, country: "US" });
    expect(o.lines).toEqual([{ sku: "NOT-IN-CATALOGUE", known: false, quantity: 3, unitPrice: { amountMinor: 300, currency: "USD" } }]);
    expect(o).toMatchObject({ cancelledAt: "2026-11-05T11:00:00.000Z", shippingCode: "NH:wb:SAME_DAY", routing: null, shipments: [], deliveredAt: null });
  });

  it("answers 400 naming the parameter", async () => {
    for (const [q, word] of [
      ["createdFrom=yesterday", "createdFrom"],
      ["createdFrom=2026-11-10T00:00:00Z&createdTo=2026-11-01T00:00:00Z", "createdFrom"],
      ["cellResolution=12", "cellResolution"],
      ["limit=0", "limit"],
    ] as const) {
      const res = await get(`/api/v1/orders?${q}`, keyA);
      expect(res.status, q).toBe(400);
      expect((await res.json()).error, q).toContain(word);
    }
  });

  it("is in the OpenAPI document with its filters", async () => {
    const doc = await (await openApiLoader({ request: new Request("http://127.0.0.1:3000/api/v1/openapi.json"), params: {}, context: {} } as never)).json();
    expect(doc.paths["/orders"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["limit", "cursor", "createdFrom", "createdTo", "nodeId", "cellResolution"]);
    expect(doc.components.schemas.Order.properties.deliveredAt).toBeDefined();
    expect(doc.components.schemas.OrderList).toBeDefined();
  });
});
