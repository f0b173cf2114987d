// Privacy and lifecycle webhooks, sent as Shopify sends them (signed raw body) to the
// real route actions, against a real database.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Prisma } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customerRedact } from "~/routes/webhooks.customers.redact";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { makeNode, makeOrder, makeProduct, makeSession, makeShop } from "../support/factories";
import { webhookRequest } from "../support/shopify";

type Action = (args: { request: Request; params: object; context: object }) => Promise<Response>;
const call = (action: unknown, request: Request) => (action as Action)({ request, params: {}, context: {} });

function fixture(name: string, shop: string) {
  const text = readFileSync(path.join(__dirname, "../fixtures/webhooks", `${name}.json`), "utf8");
  return JSON.parse(text.replaceAll("{shop}.myshopify.com", shop));
}

/** Every table with a shopId column, found from the schema itself so new tables are covered. */
async function rowsOfShop(shopId: string) {
  const counts: Record<string, number> = {};
  for (const model of Prisma.dmmf.datamodel.models) {
    if (!model.fields.some((f) => f.name === "shopId")) continue;
    const delegate = (db as unknown as Record<string, { count: (a: object) => Promise<number> }>)[
      model.name[0].toLowerCase() + model.name.slice(1)
    ];
    counts[model.name] = await delegate.count({ where: { shopId } });
  }
  return counts;
}

async function seedShop(domain: string, customerId = "191167") {
  const shop = await makeShop(db, domain);
  const node = await makeNode(db, shop.id);
  const product = await makeProduct(db, shop.id);
  await db.stockLevel.create({ data: { shopId: shop.id, nodeId: node.id, productId: product.id, available: 5 } });
  const byCustomer = await makeOrder(db, shop.id, product.id, { customerId });
  const byOrderId = await makeOrder(db, shop.id, product.id, { shopifyOrderId: "gid://shopify/Order/299938" });
  const unrelated = await makeOrder(db, shop.id, product.id, { customerId: "555" });
  await makeSession(db, domain);
  await db.webhookDelivery.create({ data: { shopId: shop.id, webhookId: "earlier", topic: "app/scopes_update" } });
  return { shop, node, product, byCustomer, byOrderId, unrelated };
}

let a: Awaited<ReturnType<typeof seedShop>>;
let b: Awaited<ReturnType<typeof seedShop>>;
const A = "alpha-store.myshopify.com";
const B = "bravo-store.myshopify.com";

beforeEach(async () => {
  await db.shop.deleteMany();
  await db.session.deleteMany();
  a = await seedShop(A);
  b = await seedShop(B); // same customer id in another shop: must never be touched
});

describe("HMAC and payload checks", () => {
  it("answers 401 to a bad signature and stores nothing", async () => {
    const body = fixture("customers-data_request", A);
    const res = await call(
      dataRequest,
      webhookRequest("/webhooks/customers/data_request", body, { shop: A, topic: "customers/data_request", hmac: "bm9wZQ==" }),
    );
    expect(res.status).toBe(401);
    expect(await db.privacyRequest.count()).toBe(0);
    expect(await db.webhookDelivery.count({ where: { shopId: a.shop.id } })).toBe(1); // only the seeded one
  });

  it("answers 401 when signed with another app's secret", async () => {
    const res = await call(
      shopRedact,
      webhookRequest("/webhooks/shop/redact", fixture("shop-redact", A), { shop: A, topic: "shop/redact", secret: "other-secret" }),
    );
    expect(res.status).toBe(401);
    expect(await db.shop.count({ where: { domain: A } })).toBe(1);
  });

  it("answers 400 to a signed body that is not JSON", async () => {
    const res = await call(
      dataRequest,
      webhookRequest("/webhooks/customers/data_request", "{not json", { shop: A, topic: "customers/data_request" }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "body: not valid JSON" });
  });

  it("answers 400 naming the field when the payload has the wrong shape", async () => {
    const body = fixture("customers-redact", A);
    delete body.customer.id;
    const res = await call(
      customerRedact,
      webhookRequest("/webhooks/customers/redact", body, { shop: A, topic: "customers/redact" }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error).toContain("customer.id");
    expect(await db.order.count({ where: { shopId: a.shop.id, customerId: null } })).toBe(1); // byOrderId only
  });

  it("answers 400 when Shopify's headers are missing", async () => {
    const req = webhookRequest("/webhooks/shop/redact", fixture("shop-redact", A), { shop: A, topic: "shop/redact" });
    req.headers.delete("X-Shopify-Webhook-Id");
    const res = await call(shopRedact, req);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/^X-Shopify-Webhook-Id: required/);
    expect(await db.shop.count({ where: { domain: A } })).toBe(1);
  });
});

describe("customers/data_request", () => {
  it("records the customer's orders for the merchant, from this shop only, once per delivery", async () => {
    const req = () =>
      webhookRequest("/webhooks/customers/data_request", fixture("customers-data_request", A), {
        shop: A,
        topic: "customers/data_request",
        webhookId: "delivery-1",
      });
    expect((await call(dataRequest, req())).status).toBe(200);
    expect((await call(dataRequest, req())).status).toBe(200); // Shopify retry

    const requests = await db.privacyRequest.findMany();
    expect(requests).toHaveLength(1);
    expect(requests[0].shopId).toBe(a.shop.id);
    const result = JSON.parse(requests[0].resultJson) as { orders: { name: string }[] };
    expect(result.orders.map((o) => o.name).sort()).toEqual([a.byCustomer.name, a.byOrderId.name].sort());
  });
});

describe("customers/redact", () => {
  it("deletes the customer's orders (linked or listed) with their lines and fulfillments, in this shop only, and remembers them", async () => {
    await db.fulfillment.create({
      data: { shopId: a.shop.id, shopifyFulfillmentGid: "gid://shopify/Fulfillment/1", orderGid: "gid://shopify/Order/299938", orderId: a.byOrderId.id, status: "SUCCESS", shippedAt: new Date() },
    });
    const res = await call(
      customerRedact,
      webhookRequest("/webhooks/customers/redact", fixture("customers-redact", A), { shop: A, topic: "customers/redact" }),
    );
    expect(res.status).toBe(200);
    expect(await db.order.findUnique({ where: { id: a.byCustomer.id } })).toBeNull();
    expect(await db.order.findUnique({ where: { id: a.byOrderId.id } })).toBeNull();
    expect(await db.orderLine.count({ where: { orderId: { in: [a.byCustomer.id, a.byOrderId.id] } } })).toBe(0);
    expect(await db.fulfillment.count({ where: { shopId: a.shop.id } })).toBe(0);
    const remembered = await db.orderRedaction.findMany({ where: { shopId: a.shop.id }, select: { kind: true, shopifyId: true } });
    expect(remembered).toContainEqual({ kind: "CUSTOMER", shopifyId: "191167" });
    expect(remembered.filter((r) => r.kind === "ORDER").map((r) => r.shopifyId).sort()).toEqual(["220458", "280263", "299938"]);

    expect(await db.order.findUnique({ where: { id: a.unrelated.id } })).not.toBeNull();
    const otherShop = await db.order.findUniqueOrThrow({ where: { id: b.byCustomer.id } });
    expect(otherShop.customerId).toBe("191167");
    expect(await db.orderRedaction.count({ where: { shopId: b.shop.id } })).toBe(0);
  });
});

describe("shop/redact", () => {
  it("deletes every row of the shop and nothing of another shop, and a replay is harmless", async () => {
    const before = await rowsOfShop(a.shop.id);
    expect(before.Node).toBe(1);
    expect(before.Order).toBe(3);

    const send = () =>
      call(shopRedact, webhookRequest("/webhooks/shop/redact", fixture("shop-redact", A), { shop: A, topic: "shop/redact" }));
    expect((await send()).status).toBe(200);

    const after = await rowsOfShop(a.shop.id);
    expect(Object.values(after).every((n) => n === 0)).toBe(true);
    expect(await db.shop.count({ where: { domain: A } })).toBe(0);
    expect(await db.session.count({ where: { shop: A } })).toBe(0);

    const other = await rowsOfShop(b.shop.id);
    expect(other).toEqual(before);
    expect(await db.session.count({ where: { shop: B } })).toBe(1);

    expect((await send()).status).toBe(200);
    expect(await db.shop.count()).toBe(1);
  });
});

describe("app/uninstalled and app/scopes_update", () => {
  it("drops the shop's sessions and marks it uninstalled, keeping its data for shop/redact", async () => {
    const res = await call(
      uninstalled,
      webhookRequest("/webhooks/app/uninstalled", { id: 954889, domain: A }, { shop: A, topic: "app/uninstalled" }),
    );
    expect(res.status).toBe(200);
    expect(await db.session.count({ where: { shop: A } })).toBe(0);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: A } });
    expect(shop.uninstalledAt).toBeInstanceOf(Date);
    expect(await db.node.count({ where: { shopId: a.shop.id } })).toBe(1);
    expect(await db.session.count({ where: { shop: B } })).toBe(1);
  });

  it("stores the newly granted scopes on the sessions and the shop, once per delivery", async () => {
    const req = () =>
      webhookRequest("/webhooks/app/scopes_update", fixture("app-scopes_update", A), {
        shop: A,
        topic: "app/scopes_update",
        webhookId: "scopes-1",
      });
    expect((await call(scopesUpdate, req())).status).toBe(200);
    const session = await db.session.findFirstOrThrow({ where: { shop: A } });
    expect(session.scope).toBe("read_products,read_orders");
    expect((await db.shop.findUniqueOrThrow({ where: { domain: A } })).scopes).toBe("read_products,read_orders");

    await db.session.update({ where: { id: session.id }, data: { scope: "changed-since" } });
    expect((await call(scopesUpdate, req())).status).toBe(200); // duplicate delivery: no effect
    expect((await db.session.findFirstOrThrow({ where: { shop: A } })).scope).toBe("changed-since");
    expect(await db.webhookDelivery.count({ where: { shopId: a.shop.id, webhookId: "scopes-1" } })).toBe(1);
  });

  it("answers 200 for a shop it does not know and stores nothing", async () => {
    const stranger = "stranger.myshopify.com";
    const res = await call(
      dataRequest,
      webhookRequest("/webhooks/customers/data_request", fixture("customers-data_request", stranger), {
        shop: stranger,
        topic: "customers/data_request",
      }),
    );
    expect(res.status).toBe(200);
    expect(await db.privacyRequest.count()).toBe(0);
    expect(await db.shop.count({ where: { domain: stranger } })).toBe(0);
  });
});

describe("customers/redact and customers/data_request for customers with many orders", () => {
  /**
   * `count` orders of shop A listed only by id (no customer link, as for guest checkouts), half as
   * plain ids and half as gids, as Nearhub stores both; shop B holds orders with the first 500 ids.
   */
  async function ordersListedById(count: number) {
    const rows = (shopId: string, prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        shopId,
        name: `${prefix}${i}`,
        shopifyOrderId: i % 2 ? `gid://shopify/Order/${700000 + i}` : String(700000 + i),
        placedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
        currency: "USD",
        totalMinor: 3500,
        destCity: "Brooklyn",
        destPostalCode: "11211",
        destCountry: "US",
        destLatitude: 40.712345,
        destLongitude: -73.954321,
      }));
    await db.order.createMany({ data: rows(a.shop.id, "#A", count) });
    await db.order.createMany({ data: rows(b.shop.id, "#B", Math.min(count, 500)) });
    return Array.from({ length: count }, (_, i) => 700000 + i);
  }

  for (const count of [498, 10_000]) {
    it(`redacts all ${count.toLocaleString("en-US")} orders listed in orders_to_redact, in this shop only`, async () => {
      const ids = await ordersListedById(count);
      const body = { ...fixture("customers-redact", A), orders_to_redact: ids };
      const res = await call(customerRedact, webhookRequest("/webhooks/customers/redact", body, { shop: A, topic: "customers/redact" }));
      expect(res.status).toBe(200);

      const listed = { shopId: a.shop.id, name: { startsWith: "#A" } };
      expect(await db.order.count({ where: listed })).toBe(0);
      expect(await db.order.findUnique({ where: { id: a.byCustomer.id } })).toBeNull(); // by customer id
      expect(await db.order.findUnique({ where: { id: a.unrelated.id } })).not.toBeNull();
      expect(await db.order.count({ where: { shopId: b.shop.id, name: { startsWith: "#B" } } })).toBe(Math.min(count, 500)); // same ids, other shop
      expect(await db.orderRedaction.count({ where: { shopId: a.shop.id, kind: "ORDER" } })).toBe(count);
      const request = await db.privacyRequest.findFirstOrThrow({ where: { shopId: a.shop.id } });
      // The count + the customer's own order; byOrderId (gid 299938) is not in this list.
      expect(JSON.parse(request.resultJson)).toEqual({ ordersRedacted: count + 1 });
    });

    it(`reports all ${count.toLocaleString("en-US")} orders listed in orders_requested, oldest first`, async () => {
      const ids = await ordersListedById(count);
      const body = { ...fixture("customers-data_request", A), orders_requested: ids };
      const res = await call(dataRequest, webhookRequest("/webhooks/customers/data_request", body, { shop: A, topic: "customers/data_request" }));
      expect(res.status).toBe(200);

      const request = await db.privacyRequest.findFirstOrThrow({ where: { shopId: a.shop.id } });
      const { orders } = JSON.parse(request.resultJson) as { orders: { name: string; placedAt: string }[] };
      const listed = orders.filter((o) => o.name.startsWith("#A"));
      expect(listed).toHaveLength(count);
      expect(new Set(listed.map((o) => o.name)).size).toBe(count);
      expect(orders.map((o) => o.name)).toContain(a.byCustomer.name);
      expect(orders.every((o, i) => i === 0 || orders[i - 1].placedAt <= o.placedAt)).toBe(true);
      expect(orders.some((o) => o.name.startsWith("#B"))).toBe(false);
    });
  }
});
