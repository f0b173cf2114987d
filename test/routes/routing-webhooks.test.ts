// Routing executed in Shopify, driven the way a store drives it: signed webhook deliveries to the
// real route actions (fulfillment_orders/order_routing_complete, orders/create), which record the
// delivery and enqueue the order's routing.order job (run here as a worker would, drainJobs), the shop's
// offline session, and Shopify's Admin GraphQL answered by the suite's fake (test/support/fake-admin-api.ts)
// that checks the queries and the fulfillmentOrderMove it receives.
//
// The shop is the demo marketplace; Date is faked at Tuesday 10 June 2025, 11:00 New York time.
// A mug to Williamsburg is cheapest from the Brooklyn hub (robot corridor); Shopify first
// assigns it to the Secaucus warehouse.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { action as routingComplete } from "~/routes/webhooks.fulfillment_orders.order_routing_complete";
import { action as orderCreate } from "~/routes/webhooks.orders.create";
import { action as inventoryLevelUpdate } from "~/routes/webhooks.inventory_levels.update";
import { invalidateQuoteCache } from "~/services/quotes.server";
import { drainJobs, listJobs } from "~/services/jobs/index.server";
import { retryDueMoves } from "~/services/routing/retry.server";
import { saveRoutingSettings } from "~/services/routing-settings.server";
import { nodeDay } from "~/services/node-day.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { recordingSleep } from "../support/clock";
import { makeSession } from "../support/factories";
import { webhookRequest } from "../support/shopify";
import { fixture, useFakeAdminApi } from "../support/fake-admin-api";

const NOW = new Date("2025-06-10T15:00:00Z");
const SHOP = "nearhub-demo.myshopify.com";
const MUG = "KK-MUG-SPK-12";
const SECAUCUS = "gid://shopify/Location/71538442301";
const BROOKLYN = "gid://shopify/Location/71538475069";

const shopify = useFakeAdminApi();
const fake = shopify.shop(SHOP);
const moveCalls = () => shopify.operations(SHOP).filter((o) => o === "NearhubFulfillmentOrderMove");
let shopId: string;
let n = 0;
/** The waits the routing jobs asked for (Shopify's cost bucket), recorded instead of slept. */
let slept = recordingSleep();

/** Delivers a signed webhook, then runs the routing jobs it enqueued (as the app's worker would). */
const deliver = async (payload: unknown, opts: { webhookId?: string; topic?: string } = {}) => {
  const topic = opts.topic ?? "fulfillment_orders/order_routing_complete";
  const request = webhookRequest(`/webhooks/${topic}`, payload, { shop: SHOP, topic, webhookId: opts.webhookId });
  const args = { request, params: {}, context: {} };
  const res = await (topic === "orders/create" ? orderCreate(args) : topic === "inventory_levels/update" ? inventoryLevelUpdate(args) : routingComplete(args));
  await drainJobs({ names: ["routing.order"], sleep: slept.sleep });
  return res;
};
const routingComplete$ = (foGid: string, webhookId?: string) => deliver({ fulfillment_order: { id: foGid, status: "open" } }, { webhookId });
const decisionOf = (orderGid: string) =>
  db.routingDecision.findUniqueOrThrow({
    where: { shopId_orderGid: { shopId, orderGid } },
    include: { moves: true, shipments: { orderBy: { position: "asc" }, include: { lines: true, costs: true } } },
  });

beforeAll(async () => {
  const seeded = await seedDemoMarketplace(db, { now: NOW, orderDays: 3 });
  shopId = seeded.shopId;
  await makeSession(db, SHOP);
}, 120_000);

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  invalidateQuoteCache();
  fake.moves = [];
  n++;
  slept = recordingSleep();
});

afterEach(() => vi.useRealTimers());

describe("suggest only", () => {
  it("logs the decision with its reasons and alternatives and moves nothing", async () => {
    await saveRoutingSettings(shopId, { mode: "SUGGEST", splitPenaltyMinor: 300 });
    const { orderGid, foGid } = fake.addOrder({ n, sku: MUG, fromLocation: SECAUCUS, code: null });
    const res = await routingComplete$(foGid);
    expect(res.status).toBe(200);
    const d = await decisionOf(orderGid);
    expect(d).toMatchObject({ status: "SUGGESTED", mode: "SUGGEST", source: "WEBHOOK", orderName: `#${1000 + n}`, currency: "USD" });
    // The move Nearhub would make is kept, proposed, and never made.
    expect(d.moves).toEqual([expect.objectContaining({ fulfillmentOrderGid: foGid, fromLocationGid: SECAUCUS, toLocationGid: BROOKLYN, status: "PROPOSED", attempts: 0 })]);
    expect(fake.moves).toEqual([]);
    expect(moveCalls()).toEqual([]);
    expect((await retryDueMoves({ now: Date.now() + 3_600_000 })).decisions).toBe(0);
    expect(moveCalls()).toEqual([]);
    // The shipment is a row: the node, its service, its landed cost component by component, the mug.
    const brooklyn = await db.node.findFirstOrThrow({ where: { shopId, handle: "nyc-bk-hub" } });
    expect(d.shipments).toHaveLength(1);
    const [s] = d.shipments;
    expect(s).toMatchObject({ nodeId: brooklyn.id, nodeHandle: "nyc-bk-hub", position: 0, currency: "USD", keepsPromise: true });
    expect(s.lines).toEqual([expect.objectContaining({ sku: MUG, quantity: 1, madeUnits: 0 })]);
    expect(s.costs.length).toBeGreaterThan(1);
    expect(s.costs.reduce((sum, c) => sum + c.amountMinor, 0)).toBe(s.totalMinor);
    expect(s.forwardMinor + s.expectedReverseMinor).toBe(s.totalMinor);
    expect(d.landedMinor).toBe(s.totalMinor);
    expect(d.totalCostMinor).toBe(s.totalMinor + (d.splitPenaltyMinor ?? 0));
    expect(s.promisedFrom!.getTime()).toBeLessThanOrEqual(s.promisedBy!.getTime());
    expect(s.promisedFrom!.getTime()).toBeGreaterThan(Date.now());
    const alternatives = (JSON.parse(d.alternativesJson) as { alternatives: { nodes: string[]; deltaMinor: number; lost: { code: string }[] }[] }).alternatives;
    expect(alternatives.find((a) => a.nodes[0] === "nj-secaucus-dc")).toMatchObject({ lost: [expect.objectContaining({ code: "COST" })] });
    expect(alternatives.every((a) => a.deltaMinor > 0)).toBe(true);
    expect(JSON.parse(d.reasonsJson).reasons).toContain("suggest only: 1 move proposed, nothing moved in Shopify");
    expect(fake.locationOf(foGid)).toBe(SECAUCUS);
  });
});

describe("move automatically", () => {
  beforeAll(async () => {
    await saveRoutingSettings(shopId, { mode: "AUTO", splitPenaltyMinor: 300 });
  });

  it("moves the fulfillment order to the cheapest node's location", async () => {
    const { orderGid, foGid } = fake.addOrder({ n, sku: MUG, fromLocation: SECAUCUS, code: null });
    expect((await routingComplete$(foGid)).status).toBe(200);
    expect(fake.moves).toEqual([{ id: foGid, newLocationId: BROOKLYN, lineItems: null }]);
    expect(fake.locationOf(foGid)).toBe(BROOKLYN);
    const d = await decisionOf(orderGid);
    expect(d).toMatchObject({ status: "MOVED", mode: "AUTO", lastError: null, totalCostMinor: expect.any(Number) });
    expect(d.moves).toEqual([expect.objectContaining({ fulfillmentOrderGid: foGid, fromLocationGid: SECAUCUS, toLocationGid: BROOKLYN, status: "DONE", attempts: 1, movedFulfillmentOrderGid: foGid })]);
    // Every move finished: no delayed moves job is left to find nothing to do (ADR 0029).
    expect(await listJobs({ name: "routing.moves", key: d.id })).toEqual([]);
  });

  it("honours the service the shopper chose at checkout, even when another node is cheaper", async () => {
    const { orderGid, foGid } = fake.addOrder({ n, sku: MUG, fromLocation: BROOKLYN, code: "NH:nj-secaucus-dc:STANDARD" });
    await routingComplete$(foGid);
    const d = await decisionOf(orderGid);
    expect(d.serviceCode).toBe("NH:nj-secaucus-dc:STANDARD");
    expect(d.shipments.map((s) => s.serviceCode)).toEqual(["NH:nj-secaucus-dc:STANDARD"]);
    expect(d).toMatchObject({ promiseStatus: "KEPT", requestedNodeHandle: "nj-secaucus-dc", requestedService: "STANDARD" });
    expect(JSON.parse(d.alternativesJson).alternatives[0]).toMatchObject({ nodes: ["nyc-bk-hub"], lost: [expect.objectContaining({ code: "LEFT_CHOSEN_NODE" })] });
    expect(fake.moves).toEqual([{ id: foGid, newLocationId: SECAUCUS, lineItems: null }]);
    expect(d.status).toBe("MOVED");
  });

  it("leaves an order already at the cheapest node where it is", async () => {
    const { orderGid, foGid } = fake.addOrder({ n, sku: MUG, fromLocation: BROOKLYN, code: null });
    await routingComplete$(foGid);
    expect(fake.moves).toEqual([]);
    const d = await decisionOf(orderGid);
    expect(d.status).toBe("KEPT");
    expect(JSON.parse(d.reasonsJson).reasons).toContain("already where Shopify put it: nothing to move");
  });

  it("records Shopify's userError on the move and the decision, and leaves the order where Shopify put it", async () => {
    const { orderGid, foGid } = fake.addOrder({ n, sku: MUG, fromLocation: SECAUCUS, code: null });
    shopify.next("NearhubFulfillmentOrderMove", { userErrors: [{ field: ["id"], message: "The location doesn't stock the requested inventory item." }] });
    expect((await routingComplete$(foGid)).status).toBe(200);
    expect(fake.locationOf(foGid)).toBe(SECAUCUS);
    const d = await decisionOf(orderGid);
    expect(d.status).toBe("FAILED");
    expect(d.lastError).toBe(`Shopify refused to move ${foGid}: The location doesn't stock the requested inventory item. The order stays where Shopify put it.`);
    expect(d.moves[0]).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(JSON.parse(d.moves[0].userErrorsJson!)).toEqual([{ field: ["id"], message: "The location doesn't stock the requested inventory item." }]);
    // A later delivery does not try again: a refused move is final until the merchant acts.
    await routingComplete$(foGid);
    expect(moveCalls()).toHaveLength(1);
  });

  it("waits for the cost bucket when Shopify answers THROTTLED, then moves", async () => {
    const { orderGid, foGid } = fake.addOrder({ n, sku: MUG, fromLocation: SECAUCUS, code: null });
    shopify.next("NearhubFulfillmentOrderMove", "throttled", "throttled");
    expect((await routingComplete$(foGid)).status).toBe(200);
    // A throttled answer leaves the bucket one point short of the move's 10, restoring 100 a second: 10 ms each time.
    expect(slept.waits).toEqual([10, 10]);
    expect(moveCalls()).toHaveLength(3);
    expect(fake.moves).toHaveLength(1);
    expect(fake.locationOf(foGid)).toBe(BROOKLYN);
    expect((await decisionOf(orderGid)).status).toBe("MOVED");
  });

  it("leaves a move throttled past its attempts PENDING with nextAttemptAt; the retry job moves it once", async () => {
    const { orderGid, foGid } = fake.addOrder({ n, sku: MUG, fromLocation: SECAUCUS, code: null });
    shopify.next("NearhubFulfillmentOrderMove", "throttled", "throttled", "throttled");
    await routingComplete$(foGid);
    expect(slept.waits).toEqual([10, 10]); // waited twice, and the third answer was its last attempt
    let d = await decisionOf(orderGid);
    expect(d.status).toBe("MOVING");
    expect(d.moves[0]).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(d.moves[0].nextAttemptAt!.getTime()).toBeGreaterThan(NOW.getTime());
    expect(d.lastError).toMatch(/THROTTLED/);
    expect(fake.moves).toEqual([]);
    // The move left waiting has its moves job, once, keyed by the decision.
    expect((await listJobs({ name: "routing.moves", key: d.id })).map((j) => j.state)).toEqual(["waiting"]);
    // Not due yet: nothing happens.
    await retryDueMoves({ now: NOW.getTime(), call: { maxAttempts: 1 } });
    expect(fake.moves).toEqual([]);
    const later = d.moves[0].nextAttemptAt!.getTime() + 1;
    const { unauthenticated } = await import("~/shopify.server");
    const adminFor = async (domain: string) => (await unauthenticated.admin(domain)).admin;
    await retryDueMoves({ now: later, adminFor });
    await retryDueMoves({ now: later + 60_000, adminFor });
    d = await decisionOf(orderGid);
    expect(d.status).toBe("MOVED");
    expect(d.moves[0]).toMatchObject({ status: "DONE", attempts: 2 });
    expect(fake.moves).toHaveLength(1);
  });

  it("moves nothing twice: the same delivery 1000 times, and other deliveries for the same order", async () => {
    const { orderGid, foGid } = fake.addOrder({ n, sku: MUG, fromLocation: SECAUCUS, code: null });
    const webhookId = `replayed-${n}`;
    for (let i = 0; i < 1000; i++) expect((await routingComplete$(foGid, webhookId)).status).toBe(200);
    await routingComplete$(foGid); // a new delivery of the same topic
    await deliver({ id: Number(orderGid.split("/").pop()), admin_graphql_api_id: orderGid, name: `#${1000 + n}` }, { topic: "orders/create" });
    expect(fake.moves).toEqual([{ id: foGid, newLocationId: BROOKLYN, lineItems: null }]);
    expect(moveCalls()).toHaveLength(1);
    expect(await db.routingDecision.count({ where: { shopId, orderGid } })).toBe(1);
    expect(await db.routingMove.count({ where: { shopId, fulfillmentOrderGid: foGid } })).toBe(1);
    expect(await db.webhookDelivery.count({ where: { shopId, webhookId } })).toBe(1);
  }, 120_000);

  it("moves once when different deliveries for the same order arrive at the same time", async () => {
    const { orderGid, foGid } = fake.addOrder({ n, sku: MUG, fromLocation: SECAUCUS, code: null });
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => routingComplete$(foGid, `parallel-${n}-${i}`)));
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(fake.moves).toEqual([{ id: foGid, newLocationId: BROOKLYN, lineItems: null }]);
    expect(await db.routingDecision.count({ where: { shopId, orderGid } })).toBe(1);
    expect((await decisionOf(orderGid)).status).toBe("MOVED");
  }, 60_000);

  it("answers 200 at once when Shopify is unreachable, and its routing job's retry routes the order", async () => {
    const { orderGid, foGid } = fake.addOrder({ n, sku: MUG, fromLocation: SECAUCUS, code: null });
    shopify.next("NearhubRoutingOrder", { status: 503, body: JSON.stringify({ errors: "Service Unavailable" }) });
    const webhookId = `unreachable-${n}`;
    expect((await routingComplete$(foGid, webhookId)).status).toBe(200);
    expect(await db.routingDecision.count({ where: { shopId, orderGid } })).toBe(0);
    expect(await db.webhookDelivery.count({ where: { shopId, webhookId } })).toBe(1);
    const [job] = (await listJobs({ name: "routing.order", key: foGid })).filter((j) => j.state === "retrying");
    expect(job).toMatchObject({ attempts: 1 });
    expect(job.lastError).toMatch(/503|Service Unavailable/);
    // Shopify's own retry of the delivery is a duplicate; the job's retry routes the order.
    expect((await routingComplete$(foGid, webhookId)).status).toBe(200);
    expect(await drainJobs({ names: ["routing.order"], ignoreDelay: true, sleep: slept.sleep })).toMatchObject({ completed: 1, failed: 0 });
    expect((await decisionOf(orderGid)).status).toBe("MOVED");
    expect(fake.moves).toHaveLength(1);
  });

  it("orders/create routes an order when it comes first; order_routing_complete then changes nothing", async () => {
    const { orderGid, foGid } = fake.addOrder({ n, sku: MUG, fromLocation: SECAUCUS, code: null });
    expect((await deliver({ id: Number(orderGid.split("/").pop()), admin_graphql_api_id: orderGid }, { topic: "orders/create" })).status).toBe(200);
    await routingComplete$(foGid);
    expect(fake.moves).toHaveLength(1);
    expect((await decisionOf(orderGid)).status).toBe("MOVED");
  });

  it("reports an order no node can serve as UNROUTABLE with the reason, and moves nothing", async () => {
    const { orderGid, foGid } = fake.addOrder({ n, sku: "NOT-IN-CATALOGUE", fromLocation: SECAUCUS, code: null });
    await routingComplete$(foGid);
    const d = await decisionOf(orderGid);
    expect(d.status).toBe("UNROUTABLE");
    expect(JSON.parse(d.reasonsJson).reasons).toContain("unroutable: unknown product unknown SKU NOT-IN-CATALOGUE");
    expect(fake.moves).toEqual([]);
  });

  it("does not send two orders to a hub's last unit: the first holds it until Shopify's inventory webhook rewrites the level", async () => {
    const bkMug = { shopId, node: { handle: "nyc-bk-hub" }, product: { sku: MUG } };
    await db.product.updateMany({ where: { shopId, sku: MUG }, data: { shopifyInventoryItemId: "gid://shopify/InventoryItem/777" } });
    await db.stockLevel.updateMany({ where: bkMug, data: { available: 1 } }); // written now (11:00)
    const at = (minutes: number) => vi.setSystemTime(NOW.getTime() + minutes * 60_000);

    at(1);
    const first = fake.addOrder({ n: 900 + n, sku: MUG, fromLocation: SECAUCUS, code: null });
    await routingComplete$(first.foGid);
    expect(fake.locationOf(first.foGid)).toBe(BROOKLYN);

    at(2);
    const second = fake.addOrder({ n: 950 + n, sku: MUG, fromLocation: SECAUCUS, code: null });
    await routingComplete$(second.foGid);
    const d2 = await decisionOf(second.orderGid);
    expect(d2.shipments[0].nodeHandle).not.toBe("nyc-bk-hub");
    expect(JSON.parse(d2.reasonsJson).reasons).toContain(`held by orders routed earlier that Shopify's stock counts do not show yet: 1 ${MUG} at nyc-bk-hub`);
    const excluded = JSON.parse(d2.alternativesJson).excluded as { nodeHandle: string; reasons: { code: string }[] }[];
    expect(excluded.find((e) => e.nodeHandle === "nyc-bk-hub")?.reasons[0].code).toBe("NO_STOCK");

    // Shopify's count catches up (and the hub is restocked): the level is rewritten, nothing is held.
    at(3);
    const restock = { inventory_item_id: 777, location_id: Number(BROOKLYN.split("/").pop()), available: 5, updated_at: new Date().toISOString() };
    expect((await deliver(restock, { topic: "inventory_levels/update" })).status).toBe(200);
    at(4);
    const third = fake.addOrder({ n: 990 + n, sku: MUG, fromLocation: SECAUCUS, code: null });
    await routingComplete$(third.foGid);
    expect(fake.locationOf(third.foGid)).toBe(BROOKLYN);
    expect(JSON.parse((await decisionOf(third.orderGid)).reasonsJson).reasons.some((r: string) => r.startsWith("held by"))).toBe(false);

    // Orders taken today (checkout, routing and the node operations page read one figure): those
    // automatic decisions of this New York day that ship as decided, with a Brooklyn shipment, are
    // Nearhub's; the others stay where Shopify put them.
    const brooklyn = await db.node.findFirstOrThrow({ where: { shopId, handle: "nyc-bk-hub" } });
    const dayStart = new Date("2025-06-10T04:00:00Z"); // midnight in New York
    const rows = await db.routingDecision.findMany({
      where: { shopId, mode: "AUTO", status: { in: ["MOVED", "MOVING", "PARTIAL", "KEPT"] }, createdAt: { gte: dayStart } },
      select: { shipments: { select: { nodeId: true } } },
    });
    const expected = rows.filter((r) => r.shipments.some((x) => x.nodeId === brooklyn.id)).length;
    expect(expected).toBeGreaterThanOrEqual(3);
    const nodes = await db.node.findMany({ where: { shopId } });
    const today = await nodeDay(shopId, nodes, Date.now());
    expect(today.byNode[brooklyn.id].bySource.NEARHUB).toBe(expected);
    expect(today.byNode[brooklyn.id].orders).toBe(expected + today.byNode[brooklyn.id].bySource.SHOPIFY);
    // The second order was moved elsewhere, not left at Secaucus: nothing Shopify sent counts at Brooklyn.
    expect(today.byNode[brooklyn.id].bySource.SHOPIFY).toBe(0);
  });

  it("records a closed order as kept, with the reason", async () => {
    const { orderGid, foGid } = fake.addOrder({ n, sku: MUG, fromLocation: SECAUCUS, code: null, closed: true });
    await routingComplete$(foGid);
    const d = await decisionOf(orderGid);
    expect(d.status).toBe("KEPT");
    expect(JSON.parse(d.reasonsJson).reasons).toEqual(["not routed: the order is closed"]);
    expect(fake.moves).toEqual([]);
  });
});

describe("unknown orders, shops and bad payloads", () => {
  it("answers 200 and does nothing for a fulfillment order Shopify does not know", async () => {
    const before = await db.routingDecision.count();
    expect((await routingComplete$("gid://shopify/FulfillmentOrder/999999999")).status).toBe(200);
    expect(await db.routingDecision.count()).toBe(before);
    expect(shopify.operations()).toEqual(["NearhubRoutingFulfillmentOrder"]);
  });

  it("answers 200 and calls nothing for a shop Nearhub does not know", async () => {
    const before = await db.routingDecision.count();
    const res = await routingComplete(
      { request: webhookRequest("/webhooks/fulfillment_orders/order_routing_complete", fixture("fulfillment-orders/order_routing_complete.json"), { shop: "nobody.myshopify.com", topic: "fulfillment_orders/order_routing_complete" }), params: {}, context: {} },
    );
    expect(res.status).toBe(200);
    expect(await db.routingDecision.count()).toBe(before);
    expect(shopify.operations()).toEqual([]);
  });

  it("answers 200 and calls nothing for a shop without an offline session, whose every retry would fail alike", async () => {
    // Found by the fuzzer (issue 9): a known shop without a session (uninstalled, or never finished
    // installing) answered 500 to every routing delivery, so Shopify retried each for 48 hours.
    const shop = "no-session.myshopify.com";
    const { id } = await db.shop.create({ data: { domain: shop, name: "No session" } });
    for (const topic of ["fulfillment_orders/order_routing_complete", "orders/create"]) {
      const body = topic === "orders/create" ? { id: 450789469, admin_graphql_api_id: "gid://shopify/Order/450789469", cancelled_at: null } : fixture("fulfillment-orders/order_routing_complete.json");
      const request = () => webhookRequest(`/webhooks/${topic}`, body, { shop, topic, webhookId: `no-session-${topic}` });
      const handler = topic === "orders/create" ? orderCreate : routingComplete;
      expect((await handler({ request: request(), params: {}, context: {} })).status, topic).toBe(200);
      // Taken: Shopify's retry of the same delivery is a duplicate, not another attempt.
      expect((await handler({ request: request(), params: {}, context: {} })).status, topic).toBe(200);
    }
    expect(await db.webhookDelivery.count({ where: { shopId: id } })).toBe(2);
    expect(await db.routingDecision.count({ where: { shopId: id } })).toBe(0);
    expect(shopify.operations()).toEqual([]);
  });

  it("takes an order id past 2^53 (Shopify's reference payload's) by its admin_graphql_api_id, and refuses one without it naming id", async () => {
    // JSON.parse loses the last digits of 820982911946154508; the gid string keeps them.
    const body = readFileSync(path.join(__dirname, "../fixtures/shopify/orders/orders-create.json"), "utf8");
    const accepted = await deliver(body, { topic: "orders/create" });
    expect(accepted.status).toBe(200);
    const job = (await listJobs({ name: "routing.order", key: "gid://shopify/Order/820982911946154508" }))[0];
    expect(job, "the routing job keeps the exact order gid").toBeDefined();
    const refused = await deliver(body.replace(/"admin_graphql_api_id": "gid:\/\/shopify\/Order\/820982911946154508",\n/, ""), { topic: "orders/create" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/^\{"error":"id: .*admin_graphql_api_id/);
  });

  it("answers 400 naming the field for a payload without the fulfillment order id, 401 for a bad signature", async () => {
    const res = await deliver({ fulfillment_order: { status: "open" } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/fulfillment_order\.id/);
    const forged = await routingComplete({
      request: webhookRequest("/webhooks/fulfillment_orders/order_routing_complete", fixture("fulfillment-orders/order_routing_complete.json"), { shop: SHOP, topic: "fulfillment_orders/order_routing_complete", hmac: "bm90IGEgc2lnbmF0dXJl" }),
      params: {},
      context: {},
    });
    expect(forged.status).toBe(401);
  });
});
