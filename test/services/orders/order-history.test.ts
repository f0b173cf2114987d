// Order history from Shopify (issue 11, item 1; ADR 0025), on both databases, driven the way a store
// drives it: the Insights page's button (a session token), the orders.import job run as a worker
// runs it (drainJobs), Shopify's Admin API answered by the suite's fake (bulkOperationRunQuery, the
// operation's status, its JSONL file with each child line naming its order in __parentId, a FAILED
// operation with its errorCode, a download that breaks off), signed webhooks to the real routes
// (bulk_operations/finish, orders/create, orders/updated, orders/cancelled, customers/redact), and the
// nightly reconciliation's paged orders query.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as bulkFinish } from "~/routes/webhooks.bulk_operations.finish";
import { action as customerRedact } from "~/routes/webhooks.customers.redact";
import { action as orderCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as orderCreate } from "~/routes/webhooks.orders.create";
import { action as orderUpdated } from "~/routes/webhooks.orders.updated";
import * as insights from "~/routes/app.insights";
import { activityFor } from "~/services/activity.server";
import { drainJobs, enqueue, listJobs } from "~/services/jobs/index.server";
import { IMPORT_BATCH } from "~/services/orders/import.server";
import { customerRedactSchema, redactCustomer } from "~/services/privacy.server";
import { ordersReconcileJob, reconcileShop } from "~/services/orders/reconcile.server";
import { unauthenticated } from "~/shopify.server";
import { testDbKind } from "../../support/db";
import { useFakeAdminApi } from "../../support/fake-admin-api";
import { makeNode, makeProduct, makeSession, makeShop } from "../../support/factories";
import { sessionToken, TEST_SHOPIFY, webhookRequest } from "../../support/shopify";

const shopify = useFakeAdminApi();
const BROOKLYN = "gid://shopify/Location/71001";
const MUG = "KK-MUG-SPK-12";

let n = 0;
let shop: { id: string; domain: string };
let mugId: string;
let hubId: string;

beforeEach(async () => {
  n++;
  shop = await makeShop(db, `history-${n}.myshopify.com`);
  await makeSession(db, shop.domain);
  mugId = (await makeProduct(db, shop.id, { sku: MUG })).id;
  hubId = (await makeNode(db, shop.id, { handle: `hub-${n}`, shopifyLocationId: BROOKLYN })).id;
});

/** An order as Admin GraphQL has it (what the bulk file and the reconciliation carry). */
function gqlOrder(i: number, o: { sku?: string | null; customer?: number | null; updatedAt?: string; delivered?: boolean; lat?: number } = {}) {
  const id = `gid://shopify/Order/${6_000_000 + i}`;
  return {
    id,
    name: `#${2000 + i}`,
    createdAt: "2026-06-01T15:00:00Z",
    updatedAt: o.updatedAt ?? "2026-06-02T10:00:00Z",
    cancelledAt: null,
    currencyCode: "USD",
    totalPriceSet: { shopMoney: { amount: "38.00", currencyCode: "USD" } },
    customer: o.customer === null ? null : { id: `gid://shopify/Customer/${o.customer ?? 800 + i}` },
    shippingAddress: { zip: "11211", city: "Brooklyn", provinceCode: "NY", countryCodeV2: "US", latitude: o.lat ?? 40.7123456, longitude: -73.9543219 },
    fulfillments: [
      {
        id: `gid://shopify/Fulfillment/${7_000_000 + i}`,
        status: "SUCCESS",
        createdAt: "2026-06-01T18:00:00Z",
        updatedAt: o.updatedAt ?? "2026-06-02T10:00:00Z",
        displayStatus: o.delivered === false ? "FULFILLED" : "DELIVERED",
        deliveredAt: o.delivered === false ? null : "2026-06-01T21:30:00Z",
        inTransitAt: null,
        location: { id: BROOKLYN },
        trackingInfo: [{ company: "Nearhub riders" }],
        service: { handle: "manual" },
      },
    ],
    lineItems: { nodes: [{ id: `gid://shopify/LineItem/${8_000_000 + i}`, sku: o.sku === undefined ? MUG : o.sku, quantity: 2, originalUnitPriceSet: { shopMoney: { amount: "19.00", currencyCode: "USD" } } }] },
    shippingLines: { nodes: [{ id: `gid://shopify/ShippingLine/${9_000_000 + i}`, code: "NH:nyc-bk-hub:SAME_DAY", title: "Same-day from Brooklyn", source: "Nearhub live rates" }] },
  };
}

/** The same order as the orders webhooks send it (REST). */
function restOrder(i: number, o: { updatedAt?: string; cancelledAt?: string | null; sku?: string | null; quantity?: unknown; customer?: number } = {}) {
  return {
    id: 6_000_000 + i,
    admin_graphql_api_id: `gid://shopify/Order/${6_000_000 + i}`,
    name: `#${2000 + i}`,
    email: "shopper@example.com",
    created_at: "2026-11-20T10:00:00-05:00",
    updated_at: o.updatedAt ?? "2026-11-20T10:00:00-05:00",
    cancelled_at: o.cancelledAt ?? null,
    currency: "USD",
    total_price: "38.00",
    customer: { id: o.customer ?? 900 + i, email: "shopper@example.com", first_name: "Sam" },
    shipping_address: { first_name: "Sam", address1: "1 Bedford Ave", zip: "11211", city: "Brooklyn", province_code: "NY", country_code: "US", latitude: 40.7123456, longitude: -73.9543219 },
    line_items: [{ id: 8_100_000 + i, sku: o.sku === undefined ? MUG : o.sku, quantity: o.quantity ?? 1, price: "38.00", name: "Speckled mug" }],
    shipping_lines: [{ code: "NH:nyc-bk-hub:SAME_DAY", title: "Same-day from Brooklyn", source: "Nearhub live rates" }],
    fulfillments: [],
  };
}

const routes = { "bulk_operations/finish": bulkFinish, "customers/redact": customerRedact, "orders/create": orderCreate, "orders/updated": orderUpdated, "orders/cancelled": orderCancelled };
async function deliver(topic: keyof typeof routes, body: unknown, domain = shop.domain): Promise<Response> {
  const request = webhookRequest(`/webhooks/${topic}`, body, { shop: domain, topic });
  return routes[topic]({ request, params: {}, context: {} });
}

async function page(method: "GET" | "POST") {
  const body = method === "POST" ? new URLSearchParams({ intent: "import-orders" }) : undefined;
  const request = new Request(`${TEST_SHOPIFY.appUrl}/app/insights`, {
    method,
    body,
    headers: { Authorization: `Bearer ${sessionToken(shop.domain)}`, ...(body ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
  });
  const out = (await (method === "POST" ? insights.action : insights.loader)({ request, params: {}, context: {} })) as unknown as { data?: unknown; init?: { status?: number } };
  return out && typeof out === "object" && "data" in out && "init" in out ? { status: out.init?.status ?? 200, body: out.data as { ok: boolean; message: string } } : { status: 200, body: out as never };
}
const syncOnPage = async () => ((await page("GET")).body as unknown as { orderSync: { state: string; sentence: string; busy: boolean } }).orderSync;
const importJobs = () => drainJobs({ names: ["orders.import"] });
const storedOrders = () => db.order.findMany({ where: { shopId: shop.id }, include: { lines: true, fulfillments: true }, orderBy: { name: "asc" } });

describe("the bulk import", () => {
  it("is started by the Insights button, shows Shopify's progress, and imports the JSONL (orders with their child lines) when bulk_operations/finish comes", async () => {
    expect((await syncOnPage()).state).toBe("never");
    const pressed = await page("POST");
    expect(pressed).toMatchObject({ status: 200, body: { ok: true } });
    expect((await listJobs({ name: "orders.import", shopId: shop.id, states: ["waiting"] })).length).toBe(1);
    await importJobs();
    expect(shopify.callsOf("NearhubOrdersBulkRun")).toHaveLength(1);
    expect((await syncOnPage()).sentence).toMatch(/^Shopify is gathering your orders of the last 12 months/);
    // A second press while it runs starts nothing.
    expect(await page("POST")).toMatchObject({ status: 200, body: { ok: false, message: "The import is already under way." } });
    expect(shopify.callsOf("NearhubOrdersBulkRun")).toHaveLength(1);

    const fake = shopify.shop(shop.domain);
    fake.orderHistory = [gqlOrder(1), gqlOrder(2, { sku: "NOT-IN-NEARHUB" }), gqlOrder(3, { customer: null, delivered: false })];
    const finished = shopify.finishBulk(shop.domain);
    expect((await deliver("bulk_operations/finish", finished)).status).toBe(200);
    await importJobs();

    const orders = await storedOrders();
    expect(orders.map((o) => o.name)).toEqual(["#2001", "#2002", "#2003"]);
    const first = orders[0];
    expect(first).toMatchObject({
      shopifyOrderId: "gid://shopify/Order/6000001",
      customerId: "801",
      totalMinor: 3800,
      destPostalCode: "11211",
      destCountry: "US",
      destLatitude: 40.712,
      destLongitude: -73.954,
      shippingCode: "NH:nyc-bk-hub:SAME_DAY",
      shippingTitle: "Same-day from Brooklyn",
      sourceUpdatedAt: new Date("2026-06-02T10:00:00Z"),
    });
    expect(first.lines).toEqual([expect.objectContaining({ productId: mugId, sku: MUG, quantity: 2, priceMinor: 1900 })]);
    expect(first.fulfillments).toEqual([expect.objectContaining({ nodeId: hubId, shippedAt: new Date("2026-06-01T18:00:00Z"), deliveredAt: new Date("2026-06-01T21:30:00Z") })]);
    // A SKU Nearhub does not know is kept for later matching.
    expect(orders[1].lines).toEqual([expect.objectContaining({ productId: null, sku: "NOT-IN-NEARHUB", quantity: 2 })]);
    expect(orders[2]).toMatchObject({ customerId: null });
    expect(orders[2].fulfillments[0].deliveredAt).toBeNull();

    const onPage = await syncOnPage();
    expect(onPage).toMatchObject({ state: "completed", busy: false });
    expect(onPage.sentence).toContain("3 orders of the last 12 months imported");
    expect(onPage.sentence).toContain("1 order lines are for products Nearhub does not know yet");
    const activity = await activityFor({ id: shop.id, timezone: "America/New_York" });
    expect(activity.orders.label).toBe("Imported");
    // The delayed check the start left behind finds the import done and changes nothing.
    await drainJobs({ names: ["orders.import"], ignoreDelay: true });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(3);
  });

  it("resumes a half-imported file where it stopped after a crash, without duplicates", async () => {
    await page("POST");
    await importJobs();
    const fake = shopify.shop(shop.domain);
    const total = IMPORT_BATCH * 2 + 37;
    fake.orderHistory = Array.from({ length: total }, (_, i) => gqlOrder(100 + i));
    // The first download breaks off in the second batch (each order is three lines).
    await deliver("bulk_operations/finish", shopify.finishBulk(shop.domain, { breakAfter: [3 * (IMPORT_BATCH + 60)] }));
    await importJobs();
    const half = await db.orderSync.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(half).toMatchObject({ status: "importing", ordersImported: IMPORT_BATCH, linesRead: 3 * IMPORT_BATCH });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(IMPORT_BATCH);
    expect((await syncOnPage()).sentence).toBe(`Importing your orders: ${IMPORT_BATCH} so far (${3 * IMPORT_BATCH} of ${(3 * total).toLocaleString("en-US")} records read).`);

    await drainJobs({ names: ["orders.import"], ignoreDelay: true }); // the engine's retry
    const done = await db.orderSync.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(done).toMatchObject({ status: "completed", ordersImported: total, linesRead: 3 * total });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(total);
    expect(await db.orderLine.count({ where: { shopId: shop.id } })).toBe(total);
    expect(await db.fulfillment.count({ where: { shopId: shop.id } })).toBe(total);
    expect(shopify.callsOf("bulk-file")).toHaveLength(2);
  }, 120_000);

  it("records a FAILED bulk operation with what Shopify's errorCode means, and starts a new one later", async () => {
    await page("POST");
    await importJobs();
    await deliver("bulk_operations/finish", shopify.finishBulk(shop.domain, { status: "FAILED", errorCode: "TIMEOUT" }));
    await importJobs();
    const failed = await db.orderSync.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(failed).toMatchObject({ status: "failed", errorCode: "TIMEOUT", attempts: 1 });
    const activity = await activityFor({ id: shop.id, timezone: "America/New_York" });
    expect(activity.orders).toMatchObject({ label: "Stopped", tone: "critical" });
    expect(activity.orders.sentence).toBe("The import stopped: Shopify took too long gathering the orders. Nearhub asks Shopify again in a few minutes.");
    expect(activity.orders.sentence).not.toContain("TIMEOUT");
    expect((await listJobs({ name: "orders.import", shopId: shop.id, states: ["waiting"] })).filter((j) => j.payload.step === "start")).toHaveLength(1);

    // The retry: a new operation, which Shopify completes before the next status check.
    shopify.shop(shop.domain).orderHistory = [gqlOrder(1)];
    shopify.next("NearhubOrdersBulkStatus", () => {
      shopify.finishBulk(shop.domain);
    });
    await drainJobs({ names: ["orders.import"], ignoreDelay: true });
    expect(shopify.shop(shop.domain).bulkOperations.map((b) => b.status)).toEqual(["FAILED", "COMPLETED"]);
    expect(await db.orderSync.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "completed", attempts: 2, error: null, ordersImported: 1 });
  });

  it("does not bring back a customer redacted while the import runs", async () => {
    await page("POST");
    await importJobs();
    const fake = shopify.shop(shop.domain);
    const total = IMPORT_BATCH + 20;
    // Customer 4242 has an order in the first batch and one in the second.
    fake.orderHistory = Array.from({ length: total }, (_, i) => gqlOrder(300 + i, { customer: i === 5 || i === IMPORT_BATCH + 5 ? 4242 : undefined }));
    await deliver("bulk_operations/finish", shopify.finishBulk(shop.domain, { breakAfter: [3 * IMPORT_BATCH + 6] }));
    await importJobs();
    expect(await db.order.count({ where: { shopId: shop.id, customerId: "4242" } })).toBe(1);

    const redact = { shop_id: 1, shop_domain: shop.domain, customer: { id: 4242, email: "x@example.com" }, orders_to_redact: [6_000_000 + 300 + IMPORT_BATCH + 5] };
    expect((await deliver("customers/redact", redact)).status).toBe(200);
    expect(await db.order.count({ where: { shopId: shop.id, customerId: "4242" } })).toBe(0);

    await drainJobs({ names: ["orders.import"], ignoreDelay: true });
    expect(await db.orderSync.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "completed" });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(total - 2);
    expect(await db.order.count({ where: { shopId: shop.id, customerId: "4242" } })).toBe(0);
    expect(await db.fulfillment.count({ where: { shopId: shop.id, orderGid: { in: [`gid://shopify/Order/${6_000_305}`, `gid://shopify/Order/${6_000_000 + 300 + IMPORT_BATCH + 5}`] } } })).toBe(0);
  }, 120_000);
});

describe("the orders webhooks", () => {
  it("orders/create records the whole order in the transaction that enqueues its routing", async () => {
    const res = await deliver("orders/create", restOrder(1));
    expect(res.status).toBe(200);
    const [order] = await storedOrders();
    expect(order).toMatchObject({ name: "#2001", customerId: "901", destLatitude: 40.712, destLongitude: -73.954, shippingCode: "NH:nyc-bk-hub:SAME_DAY", placedAt: new Date("2026-11-20T15:00:00Z") });
    expect(JSON.stringify(order)).not.toMatch(/Bedford|example\.com|\bSam\b/);
    expect(await listJobs({ name: "routing.order", shopId: shop.id, states: ["waiting"] })).toHaveLength(1);
  });

  it("orders/updated stores a newer state and ignores an older one that arrives late; orders/cancelled records the cancellation", async () => {
    await deliver("orders/create", restOrder(2));
    expect((await deliver("orders/updated", restOrder(2, { updatedAt: "2026-11-20T12:00:00-05:00", sku: "RENAMED-SKU" }))).status).toBe(200);
    expect((await deliver("orders/updated", restOrder(2, { updatedAt: "2026-11-20T11:00:00-05:00" }))).status).toBe(200); // late, older
    let [order] = await storedOrders();
    expect(order.sourceUpdatedAt).toEqual(new Date("2026-11-20T17:00:00Z"));
    expect(order.lines).toEqual([expect.objectContaining({ sku: "RENAMED-SKU", productId: null })]);

    expect((await deliver("orders/cancelled", restOrder(2, { updatedAt: "2026-11-21T09:00:00-05:00", cancelledAt: "2026-11-21T09:00:00-05:00" }))).status).toBe(200);
    [order] = await storedOrders();
    expect(order.cancelledAt).toEqual(new Date("2026-11-21T14:00:00Z"));
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(1);

    const notCancelled = await deliver("orders/cancelled", restOrder(2, { updatedAt: "2026-11-22T09:00:00-05:00" }));
    expect(notCancelled.status).toBe(422);
    expect(((await notCancelled.json()) as { error: string }).error).toMatch(/^cancelled_at/);
  });

  it("stores Shopify's sample orders/updated body (ids past 2^53 read from their gids) and none of its personal data", async () => {
    const body = JSON.parse(readFileSync(path.join(__dirname, "../../fixtures/shopify/orders/orders-updated.json"), "utf8"));
    expect((await deliver("orders/updated", body)).status).toBe(200);
    const [order] = await storedOrders();
    expect(order).toMatchObject({ shopifyOrderId: "gid://shopify/Order/820982911946154508", customerId: "115310627314723954", destPostalCode: "40003", destLatitude: 38.047, destLongitude: -84.497, shippingCode: null, shippingTitle: "Generic Shipping", totalMinor: 40300 });
    expect(order.lines.map((l) => [l.shopifyLineItemId, l.sku, l.productId])).toEqual([
      ["gid://shopify/LineItem/866550311766439020", "IPOD2008PINK", null],
      ["gid://shopify/LineItem/141249953214522974", "IPOD2008PINK", null],
    ]);
    expect(JSON.stringify(order)).not.toMatch(/Shipping Street|Steve|Shipper|example\.com|555-555/);
  });

  it("does not store again an order whose customer was redacted, nor one redacted by id (orders/updated, orders/cancelled, orders/create)", async () => {
    await deliver("orders/create", restOrder(20, { customer: 4343 }));
    const redact = { shop_id: 1, shop_domain: shop.domain, customer: { id: 4343 }, orders_to_redact: [6_000_000 + 21] };
    expect((await deliver("customers/redact", redact)).status).toBe(200);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(0);
    // Late deliveries after the redaction: each answered 200, none stores the order again.
    expect((await deliver("orders/updated", restOrder(20, { customer: 4343, updatedAt: "2026-11-21T10:00:00-05:00" }))).status).toBe(200);
    expect((await deliver("orders/cancelled", restOrder(22, { customer: 4343, cancelledAt: "2026-11-21T11:00:00-05:00", updatedAt: "2026-11-21T11:00:00-05:00" }))).status).toBe(200);
    expect((await deliver("orders/updated", restOrder(21, { customer: 5555 }))).status).toBe(200);
    expect((await deliver("orders/create", restOrder(21, { customer: 5555 }))).status).toBe(200);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(0);
  });

  // PostgreSQL (READ COMMITTED): a webhook whose transaction runs while the redaction's is still open
  // must wait for it, not read "not redacted" and store the order after it. (SQLite's BEGIN IMMEDIATE
  // runs one writing transaction at a time, so the two cannot overlap there.)
  it.runIf(testDbKind() === "postgresql")("an orders/updated delivered while customers/redact is still in its transaction waits for it and stores nothing", async () => {
    const payload = customerRedactSchema.parse({ shop_id: 1, shop_domain: shop.domain, customer: { id: 4444 }, orders_to_redact: [] });
    let late: Promise<Response> | null = null;
    let settled = false;
    await db.$transaction(async (tx) => {
      await redactCustomer(tx, { shopDomain: shop.domain, shop: await tx.shop.findUniqueOrThrow({ where: { id: shop.id } }), topic: "customers/redact", webhookId: "w-redact", eventId: null, payload });
      late = deliver("orders/updated", restOrder(30, { customer: 4444 })).finally(() => (settled = true));
      // Until the webhook has either finished (it did not wait) or is waiting for a lock the redaction holds.
      for (;;) {
        if (settled) break;
        const [{ waiting }] = await db.$queryRaw<{ waiting: number }[]>`SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted`;
        if (waiting > 0) break;
        await new Promise((r) => setImmediate(r));
      }
    });
    expect((await late!).status).toBe(200);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("answers 400 naming the field of a malformed order, and 200 for an unknown shop without storing anything", async () => {
    const bad = await deliver("orders/updated", restOrder(3, { quantity: "two" }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain("line_items.0.quantity");
    const badCreate = await deliver("orders/create", { ...restOrder(3), total_price: "a lot" });
    expect(badCreate.status).toBe(400);
    expect(((await badCreate.json()) as { error: string }).error).toContain("total_price");
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(0);

    const before = await db.order.count();
    for (const topic of ["orders/create", "orders/updated"] as const) expect((await deliver(topic, restOrder(4), "nobody-here.myshopify.com")).status).toBe(200);
    expect(await db.order.count()).toBe(before);
  });
});

describe("the nightly reconciliation", () => {
  it("stores the orders updated since the last run, repairing a delivery whose webhook never came", async () => {
    const fake = shopify.shop(shop.domain);
    fake.orderHistory = [gqlOrder(1, { delivered: false, updatedAt: "2026-06-02T10:00:00Z" })];
    const admin = (await unauthenticated.admin(shop.domain)).admin;
    await reconcileShop(shop.id, admin, new Date("2026-06-01T00:00:00Z"));
    expect((await storedOrders())[0].fulfillments[0].deliveredAt).toBeNull();

    fake.orderHistory = [gqlOrder(1, { delivered: true, updatedAt: "2026-06-03T10:00:00Z" }), ...Array.from({ length: 9 }, (_, i) => gqlOrder(10 + i, { updatedAt: "2026-06-03T11:00:00Z" }))];
    const r = await reconcileShop(shop.id, admin, new Date("2026-06-03T00:00:00Z"));
    expect(r).toEqual({ orders: 10, stored: 10, skipped: 0 });
    expect(shopify.callsOf("NearhubOrdersReconcile").map((c) => c.variables.after ?? null)).toEqual([null, null, "orders-8"]);
    const orders = await storedOrders();
    expect(orders).toHaveLength(10);
    expect(orders[0].fulfillments[0].deliveredAt).toEqual(new Date("2026-06-01T21:30:00Z"));
  });

  it("reads every line of an order of more than 100 lines, page by page, before storing it", async () => {
    const fake = shopify.shop(shop.domain);
    const big = gqlOrder(40, { updatedAt: "2026-06-04T10:00:00Z" });
    big.lineItems = {
      nodes: Array.from({ length: 400 }, (_, i) => ({ id: `gid://shopify/LineItem/${8_500_000 + i}`, sku: MUG, quantity: 1, originalUnitPriceSet: { shopMoney: { amount: "19.00", currencyCode: "USD" } } })),
    };
    fake.orderHistory = [big];
    const admin = (await unauthenticated.admin(shop.domain)).admin;
    expect(await reconcileShop(shop.id, admin, new Date("2026-06-04T00:00:00Z"))).toEqual({ orders: 1, stored: 1, skipped: 0 });
    expect(shopify.callsOf("NearhubOrderLines").map((c) => c.variables.after)).toEqual(["lines-100", "lines-350"]);
    const stored = await db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyOrderId: big.id }, include: { lines: true } });
    expect(stored.lines.reduce((n, l) => n + l.quantity, 0)).toBe(400);
  });

  it("runs as the orders.reconcile job for shops whose history was imported, from where the last run stopped", async () => {
    await db.orderSync.create({ data: { shopId: shop.id, status: "completed", reconciledAt: new Date("2026-06-05T00:00:00Z") } });
    shopify.shop(shop.domain).orderHistory = [gqlOrder(1, { updatedAt: "2026-06-01T10:00:00Z" }), gqlOrder(2, { updatedAt: "2026-06-06T10:00:00Z" })];
    await enqueue(db, ordersReconcileJob, {});
    expect(await drainJobs({ names: ["orders.reconcile"] })).toMatchObject({ completed: 1, failed: 0 });
    const mine = shopify.callsOf("NearhubOrdersReconcile").filter((c) => c.shop === shop.domain);
    expect(mine.map((c) => c.variables.query)).toEqual(["updated_at:>='2026-06-04T23:00:00.000Z'"]);
    expect((await storedOrders()).map((o) => o.name)).toEqual(["#2002"]);
    expect((await db.orderSync.findUniqueOrThrow({ where: { shopId: shop.id } })).reconciledAt!.getTime()).toBeGreaterThan(Date.parse("2026-06-05T00:00:00Z"));
  });
});
