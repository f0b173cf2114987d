// Deliveries as a store and its couriers drive them: signed Shopify webhooks (fulfillments/create,
// fulfillments/update, fulfillment_events/create) to the real route actions; DoorDash Drive's status
// callbacks to /api/couriers/doordash with the Authorization header the developer portal sends; a
// hub rider's tap on the tablet page, with an App Bridge session token. Nearhub's own events go to
// Shopify's Admin GraphQL (fulfillmentEventCreate), answered by the suite's fake, which checks them.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const DOORDASH_AUTH = "Basic " + Buffer.from("nearhub-doordash:s3cret-webhook-password").toString("base64");
vi.hoisted(() => {
  process.env.DOORDASH_WEBHOOK_AUTHORIZATION = "Basic " + Buffer.from("nearhub-doordash:s3cret-webhook-password").toString("base64");
});

import { db } from "~/db.server";
import { action as doordash } from "~/routes/api.couriers.doordash";
import { action as tabletAction, loader as tabletLoader } from "~/routes/app.deliveries.$nodeId";
import { action as fulfillmentEventCreate } from "~/routes/webhooks.fulfillment_events.create";
import { action as fulfillmentCreate } from "~/routes/webhooks.fulfillments.create";
import { action as fulfillmentUpdate } from "~/routes/webhooks.fulfillments.update";
import { attachCourierDelivery } from "~/services/deliveries/record.server";
import { postDueDeliveryEvents } from "~/services/deliveries/shopify.server";
import { makeNode, makeOrder, makeProduct, makeSession, makeShop } from "../support/factories";
import { useFakeAdminApi } from "../support/fake-admin-api";
import { sessionToken, TEST_SHOPIFY, webhookRequest } from "../support/shopify";

const SHOP = "deliveries-test.myshopify.com";
const BROOKLYN = "gid://shopify/Location/71538475069";
const shopify = useFakeAdminApi();
const fake = shopify.shop(SHOP);

let shopId: string;
let hubId: string;
let otherHubId: string;
let orderId: string;
let n = 0;

const args = (request: Request) => ({ request, params: {}, context: {} });
const topicAction = { "fulfillments/create": fulfillmentCreate, "fulfillments/update": fulfillmentUpdate, "fulfillment_events/create": fulfillmentEventCreate } as const;
function deliver(topic: keyof typeof topicAction, body: unknown, opts: { webhookId?: string; shop?: string } = {}) {
  return topicAction[topic](args(webhookRequest(`/webhooks/${topic}`, body, { shop: opts.shop ?? SHOP, topic, webhookId: opts.webhookId })));
}

/** A fulfillments/create body in Shopify's REST shape. */
function fulfillmentBody(id: number, over: Record<string, unknown> = {}) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Fulfillment/${id}`,
    order_id: 5820000500,
    status: "success",
    created_at: "2026-11-20T14:02:11-05:00",
    updated_at: "2026-11-20T14:02:11-05:00",
    service: "manual",
    tracking_company: "Nearhub riders",
    shipment_status: null,
    location_id: 71538475069,
    tracking_number: null,
    line_items: [{ id: 1, sku: "KK-MUG-SPK-12", quantity: 2 }],
    name: "#1500.1",
    ...over,
  };
}

/** A fulfillment_events/create body in Shopify's REST shape. */
function eventBody(id: number, fulfillmentId: number, status: string, happenedAt: string) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/FulfillmentEvent/${id}`,
    fulfillment_id: fulfillmentId,
    order_id: 5820000500,
    shop_id: 548380009,
    status,
    message: null,
    happened_at: happenedAt,
    city: null,
    province: null,
    country: null,
    zip: null,
    address1: null,
    latitude: null,
    longitude: null,
    created_at: happenedAt,
    updated_at: happenedAt,
    estimated_delivery_at: null,
  };
}

function callback(body: unknown, authorization: string | null = DOORDASH_AUTH) {
  return doordash(
    args(
      new Request(`${TEST_SHOPIFY.appUrl}/api/couriers/doordash`, {
        method: "POST",
        body: typeof body === "string" ? body : JSON.stringify(body),
        headers: { "Content-Type": "application/json", ...(authorization ? { Authorization: authorization } : {}) },
      }),
    ),
  );
}

const fulfillmentOf = (gid: string) =>
  db.fulfillment.findUniqueOrThrow({ where: { shopId_shopifyFulfillmentGid: { shopId, shopifyFulfillmentGid: gid } }, include: { events: { orderBy: { happenedAt: "asc" } } } });

beforeAll(async () => {
  const shop = await makeShop(db, SHOP);
  shopId = shop.id;
  hubId = (await makeNode(db, shopId, { handle: "nyc-bk-hub", name: "Brooklyn hub", shopifyLocationId: BROOKLYN, timezone: "America/New_York" })).id;
  otherHubId = (await makeNode(db, shopId, { handle: "nyc-qns-hub", name: "Queens hub", shopifyLocationId: "gid://shopify/Location/2", timezone: "America/New_York" })).id;
  const product = await makeProduct(db, shopId, { sku: "KK-MUG-SPK-12" });
  orderId = (await makeOrder(db, shopId, product.id, { name: "#1500", shopifyOrderId: "gid://shopify/Order/5820000500" })).id;
  await makeSession(db, SHOP);
});

beforeEach(() => {
  n++;
});

describe("Shopify's fulfillment webhooks", () => {
  it("records the fulfillment with its order, its node and when it shipped; a replay changes nothing", async () => {
    const id = 7000 + n;
    const res = await deliver("fulfillments/create", fulfillmentBody(id), { webhookId: `create-${id}` });
    expect(res.status).toBe(200);
    const f = await fulfillmentOf(`gid://shopify/Fulfillment/${id}`);
    expect(f).toMatchObject({ orderId, orderGid: "gid://shopify/Order/5820000500", nodeId: hubId, locationGid: BROOKLYN, status: "SUCCESS", trackingCompany: "Nearhub riders", shipmentStatus: null, deliveredAt: null });
    expect(f.shippedAt).toEqual(new Date("2026-11-20T19:02:11Z"));

    // The same delivery again, and the same body under a new delivery id: nothing more.
    expect((await deliver("fulfillments/create", fulfillmentBody(id), { webhookId: `create-${id}` })).status).toBe(200);
    expect((await deliver("fulfillments/create", fulfillmentBody(id))).status).toBe(200);
    expect(await db.fulfillment.count({ where: { shopId, shopifyFulfillmentGid: `gid://shopify/Fulfillment/${id}` } })).toBe(1);
    expect(shopify.calls).toEqual([]); // nothing of Shopify's own is posted back to it
  });

  it("applies updates in Shopify's order, not arrival order: an older state delivered late changes nothing", async () => {
    const id = 7000 + n;
    await deliver("fulfillments/create", fulfillmentBody(id));
    const newer = fulfillmentBody(id, { status: "cancelled", updated_at: "2026-11-20T16:00:00-05:00" });
    const older = fulfillmentBody(id, { status: "success", tracking_company: "UPS", updated_at: "2026-11-20T15:00:00-05:00" });
    expect((await deliver("fulfillments/update", newer)).status).toBe(200);
    expect((await deliver("fulfillments/update", older)).status).toBe(200);
    expect(await fulfillmentOf(`gid://shopify/Fulfillment/${id}`)).toMatchObject({ status: "CANCELLED", trackingCompany: "Nearhub riders" });
  });

  it("records its events once each; delivered at the earliest DELIVERED moment; the latest status wins whatever the arrival order", async () => {
    const id = 7000 + n;
    const gid = `gid://shopify/Fulfillment/${id}`;
    await deliver("fulfillments/create", fulfillmentBody(id));
    const delivered = eventBody(90_000 + n * 10, id, "delivered", "2026-11-20T15:41:00-05:00");
    const transit = eventBody(90_001 + n * 10, id, "in_transit", "2026-11-20T14:30:00-05:00");
    // Delivered first, in transit afterwards (webhooks are not ordered): still delivered.
    expect((await deliver("fulfillment_events/create", delivered)).status).toBe(200);
    expect((await deliver("fulfillment_events/create", transit)).status).toBe(200);
    expect((await deliver("fulfillment_events/create", delivered)).status).toBe(200); // a new delivery of the same event
    const f = await fulfillmentOf(gid);
    expect(f.events.map((e) => [e.status, e.source, e.postStatus])).toEqual([
      ["IN_TRANSIT", "SHOPIFY", null],
      ["DELIVERED", "SHOPIFY", null],
    ]);
    expect(f.shipmentStatus).toBe("DELIVERED");
    expect(f.deliveredAt).toEqual(new Date("2026-11-20T20:41:00Z"));
    expect(f.events[1].shopifyEventGid).toBe(`gid://shopify/FulfillmentEvent/${90_000 + n * 10}`);
  });

  it("an event before its fulfillment makes the fulfillment, which its create then completes", async () => {
    const id = 7000 + n;
    await deliver("fulfillment_events/create", eventBody(91_000 + n, id, "out_for_delivery", "2026-11-20T15:00:00-05:00"));
    const stub = await fulfillmentOf(`gid://shopify/Fulfillment/${id}`);
    expect(stub).toMatchObject({ orderId, shipmentStatus: "OUT_FOR_DELIVERY", nodeId: null });
    await deliver("fulfillments/create", fulfillmentBody(id));
    const f = await fulfillmentOf(`gid://shopify/Fulfillment/${id}`);
    expect(f).toMatchObject({ id: stub.id, nodeId: hubId, shipmentStatus: "OUT_FOR_DELIVERY", shippedAt: new Date("2026-11-20T19:02:11Z") });
    expect(f.events).toHaveLength(1);
  });

  it("a fulfillment delivered by Shopify's word alone is dated by its update, then by the exact event when it comes", async () => {
    const id = 7000 + n;
    await deliver("fulfillments/create", fulfillmentBody(id));
    await deliver("fulfillments/update", fulfillmentBody(id, { shipment_status: "delivered", updated_at: "2026-11-20T17:00:00-05:00" }));
    expect((await fulfillmentOf(`gid://shopify/Fulfillment/${id}`)).deliveredAt).toEqual(new Date("2026-11-20T22:00:00Z"));
    await deliver("fulfillment_events/create", eventBody(92_000 + n, id, "delivered", "2026-11-20T16:12:00-05:00"));
    const f = await fulfillmentOf(`gid://shopify/Fulfillment/${id}`);
    expect(f.deliveredAt).toEqual(new Date("2026-11-20T21:12:00Z"));
    expect(f.events.map((e) => e.status)).toEqual(["DELIVERED"]); // the inferred one gave way
  });

  it("refuses a malformed body with 400 naming the field, and takes a shop it does not know without storing anything", async () => {
    const id = 7000 + n;
    const bad = await deliver("fulfillment_events/create", { ...eventBody(93_000 + n, id, "teleported", "2026-11-20T16:12:00-05:00") });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/status/);
    const noTime = await deliver("fulfillments/create", { ...fulfillmentBody(id), created_at: "yesterday" });
    expect(noTime.status).toBe(400);
    expect(await noTime.text()).toMatch(/created_at/);
    const unknown = await deliver("fulfillments/create", fulfillmentBody(id), { shop: "nobody-here.myshopify.com" });
    expect(unknown.status).toBe(200);
    expect(await db.fulfillment.count({ where: { shopifyFulfillmentGid: `gid://shopify/Fulfillment/${id}` } })).toBe(0);
  });
});

describe("DoorDash Drive callbacks", () => {
  async function doorDashFulfillment() {
    const id = 8000 + n;
    const gid = `gid://shopify/Fulfillment/${id}`;
    await deliver("fulfillments/create", fulfillmentBody(id));
    const f = await fulfillmentOf(gid);
    await db.$transaction((tx) => attachCourierDelivery(tx, shopId, { fulfillmentId: f.id, provider: "DOORDASH_DRIVE", deliveryId: `nh-${id}` }));
    fake.addFulfillment(gid);
    return { gid, deliveryId: `nh-${id}` };
  }
  const dasher = (deliveryId: string, event: string, over: Record<string, unknown> = {}) => ({
    event_name: event,
    external_delivery_id: deliveryId,
    created_at: "2026-11-20T19:20:00.000Z",
    delivery_status: event === "DASHER_DROPPED_OFF" ? "delivered" : "enroute_to_dropoff",
    pickup_address: "1 Main St, Brooklyn, NY 11211",
    fee: 975,
    currency: "USD",
    ...over,
  });

  it("refuses a callback without DoorDash's Authorization, or with another one", async () => {
    const { deliveryId } = await doorDashFulfillment();
    expect((await callback(dasher(deliveryId, "DASHER_PICKED_UP"), null)).status).toBe(401);
    expect((await callback(dasher(deliveryId, "DASHER_PICKED_UP"), "Basic " + Buffer.from("nearhub-doordash:guess").toString("base64"))).status).toBe(401);
    expect(await db.deliveryEvent.count({ where: { shopId, source: "DOORDASH" } })).toBe(0);
  });

  it("records pickup and drop-off once each and posts them to Shopify with their times", async () => {
    const { gid, deliveryId } = await doorDashFulfillment();
    const picked = dasher(deliveryId, "DASHER_PICKED_UP", { created_at: "2026-11-20T19:20:05.000Z", pickup_time_actual: "2026-11-20T19:20:00.000Z" });
    const dropped = dasher(deliveryId, "DASHER_DROPPED_OFF", { created_at: "2026-11-20T19:48:02.000Z", pickup_time_actual: "2026-11-20T19:20:00.000Z", dropoff_time_actual: "2026-11-20T19:47:30.000Z" });
    // DoorDash sends each event up to 3 times until it gets a 200.
    for (let i = 0; i < 3; i++) {
      const res = await callback(picked);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ outcome: i === 0 ? "recorded" : "duplicate" });
    }
    const res = await callback(dropped);
    expect(await res.json()).toEqual({ outcome: "recorded", status: "DELIVERED" });

    const posts = shopify.callsOf("NearhubFulfillmentEventCreate");
    expect(posts.map((c) => c.variables.fulfillmentEvent)).toEqual([
      { fulfillmentId: gid, status: "OUT_FOR_DELIVERY", happenedAt: "2026-11-20T19:20:00.000Z" },
      { fulfillmentId: gid, status: "DELIVERED", happenedAt: "2026-11-20T19:47:30.000Z" },
    ]);
    expect(posts.every((c) => c.shop === SHOP && c.accessToken === "shpat_test")).toBe(true);
    expect(fake.fulfillments.get(gid)!.events.map((e) => e.status)).toEqual(["OUT_FOR_DELIVERY", "DELIVERED"]);
    const f = await fulfillmentOf(gid);
    expect(f).toMatchObject({ shipmentStatus: "DELIVERED", deliveredAt: new Date("2026-11-20T19:47:30.000Z") });
    expect(f.events.map((e) => [e.status, e.source, e.postStatus, e.shopifyEventGid])).toEqual([
      ["OUT_FOR_DELIVERY", "DOORDASH", "POSTED", fake.fulfillments.get(gid)!.events[0].id],
      ["DELIVERED", "DOORDASH", "POSTED", fake.fulfillments.get(gid)!.events[1].id],
    ]);

    // Shopify then reports the events it was given (fulfillment_events/create): the same events, not new ones.
    const [posted0, posted1] = fake.fulfillments.get(gid)!.events;
    const tail = (g: string) => Number(g.split("/").pop());
    await deliver("fulfillment_events/create", { ...eventBody(tail(posted1.id), tail(gid), "delivered", posted1.happenedAt) });
    await deliver("fulfillment_events/create", { ...eventBody(tail(posted0.id), tail(gid), "out_for_delivery", posted0.happenedAt), admin_graphql_api_id: null });
    expect((await fulfillmentOf(gid)).events).toHaveLength(2);
  });

  it("answers 200 for events that say nothing about the parcel and for deliveries it does not know; 400 naming the field for a broken body", async () => {
    const { deliveryId } = await doorDashFulfillment();
    expect(await (await callback(dasher(deliveryId, "DASHER_CONFIRMED_PICKUP_ARRIVAL"))).json()).toMatchObject({ outcome: "ignored" });
    expect(await (await callback(dasher("not-ours-1", "DASHER_DROPPED_OFF"))).json()).toEqual({ outcome: "unknown-delivery" });
    const noId = await callback({ event_name: "DASHER_DROPPED_OFF" });
    expect(noId.status).toBe(400);
    expect(await noId.text()).toMatch(/external_delivery_id/);
    const badTime = await callback(dasher(deliveryId, "DASHER_DROPPED_OFF", { dropoff_time_actual: "soon" }));
    expect(badTime.status).toBe(400);
    expect(await badTime.text()).toMatch(/dropoff_time_actual/);
    expect((await callback("{not json")).status).toBe(400);
    expect(shopify.callsOf("NearhubFulfillmentEventCreate")).toEqual([]);
  });

  it("keeps Shopify's refusal on the event, and retries a throttled post from the sweep", async () => {
    const { gid, deliveryId } = await doorDashFulfillment();
    shopify.next("NearhubFulfillmentEventCreate", { userErrors: [{ field: ["fulfillmentEvent", "fulfillmentId"], message: "Fulfillment is cancelled" }] });
    await callback(dasher(deliveryId, "DASHER_PICKED_UP"));
    const refused = (await fulfillmentOf(gid)).events[0];
    expect(refused).toMatchObject({ postStatus: "FAILED", postAttempts: 1 });
    expect(refused.postError).toContain("Fulfillment is cancelled");

    // Throttled twice (the inline budget), then the sweep posts it once it is due.
    shopify.next("NearhubFulfillmentEventCreate", "throttled", "throttled");
    await callback(dasher(deliveryId, "DASHER_DROPPED_OFF", { created_at: "2026-11-20T19:50:00.000Z", dropoff_time_actual: "2026-11-20T19:49:00.000Z" }));
    const waiting = (await fulfillmentOf(gid)).events.find((e) => e.status === "DELIVERED")!;
    expect(waiting).toMatchObject({ postStatus: "PENDING", postAttempts: 1 });
    expect(waiting.nextPostAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await postDueDeliveryEvents({ now: Date.now() })).toMatchObject({ POSTED: 0 });
    expect(await postDueDeliveryEvents({ now: waiting.nextPostAt!.getTime() })).toMatchObject({ POSTED: 1 });
    expect((await fulfillmentOf(gid)).events.find((e) => e.status === "DELIVERED")).toMatchObject({ postStatus: "POSTED", postError: null });
    expect(await postDueDeliveryEvents({ now: waiting.nextPostAt!.getTime() + 3_600_000 })).toMatchObject({ POSTED: 0 });
    expect(fake.fulfillments.get(gid)!.events.map((e) => e.status)).toEqual(["DELIVERED"]);
  });
});

describe("a hub's riders on the tablet", () => {
  function tablet(method: "GET" | "POST", nodeId: string, form?: Record<string, string>, shop = SHOP) {
    const body = form ? new URLSearchParams(form) : undefined;
    return new Request(`${TEST_SHOPIFY.appUrl}/app/deliveries/${nodeId}`, {
      method,
      body,
      headers: { Authorization: `Bearer ${sessionToken(shop)}`, ...(body ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
    });
  }
  const call = async (fn: typeof tabletAction | typeof tabletLoader, request: Request, nodeId: string) => {
    const out = (await fn({ request, params: { nodeId }, context: {} })) as unknown as { data?: unknown; init?: { status?: number } };
    return out && "data" in out ? { status: out.init?.status ?? 200, body: out.data as { ok: boolean; message: string } } : { status: 200, body: out as never };
  };

  it("lists today's fulfillments from the hub; Delivered is recorded once, posted to Shopify, and the row moves to delivered", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-20T20:30:00Z") });
    try {
      const id = 9000 + n;
      const gid = `gid://shopify/Fulfillment/${id}`;
      await deliver("fulfillments/create", fulfillmentBody(id));
      fake.addFulfillment(gid);
      const page = (await call(tabletLoader, tablet("GET", hubId), hubId)).body as unknown as { rows: { id: string; orderName: string; canMarkDelivered: boolean; shippedAtLocal: string }[] };
      const row = page.rows.find((r) => r.orderName === "#1500" && r.canMarkDelivered)!;
      expect(row).toMatchObject({ shippedAtLocal: "14:02" });

      const first = await call(tabletAction, tablet("POST", hubId, { fulfillmentId: row.id, status: "DELIVERED" }), hubId);
      expect(first.status).toBe(200);
      expect(first.body.message).toBe("#1500 marked delivered. Shopify shows it to the shopper.");
      const again = await call(tabletAction, tablet("POST", hubId, { fulfillmentId: row.id, status: "DELIVERED" }), hubId);
      expect(again.body.message).toBe("#1500: It is already delivered.");
      expect(shopify.callsOf("NearhubFulfillmentEventCreate").map((c) => c.variables.fulfillmentEvent)).toEqual([
        { fulfillmentId: gid, status: "DELIVERED", happenedAt: "2026-11-20T20:30:00.000Z" },
      ]);
      const f = await fulfillmentOf(gid);
      expect(f).toMatchObject({ deliveredAt: new Date("2026-11-20T20:30:00Z"), shipmentStatus: "DELIVERED" });
      expect(f.events.map((e) => [e.source, e.status, e.postStatus])).toEqual([["HUB", "DELIVERED", "POSTED"]]);
      // Shopify then says the fulfillment is delivered (its update after the event Nearhub posted): still one event.
      await deliver("fulfillments/update", fulfillmentBody(id, { shipment_status: "delivered", updated_at: "2026-11-20T15:30:04-05:00" }));
      expect((await fulfillmentOf(gid)).events.map((e) => [e.source, e.status])).toEqual([["HUB", "DELIVERED"]]);
      const after = (await call(tabletLoader, tablet("GET", hubId), hubId)).body as unknown as { rows: { id: string; deliveredAtLocal: string | null; shopify: { state: string } }[] };
      expect(after.rows.find((r) => r.id === row.id)).toMatchObject({ deliveredAtLocal: "15:30", shopify: { state: "SENT" } });
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not let one hub's tablet mark another hub's fulfillment, nor another shop's", async () => {
    const id = 9000 + n;
    await deliver("fulfillments/create", fulfillmentBody(id));
    const f = await fulfillmentOf(`gid://shopify/Fulfillment/${id}`);
    const wrongHub = await call(tabletAction, tablet("POST", otherHubId, { fulfillmentId: f.id, status: "DELIVERED" }), otherHubId);
    expect(wrongHub).toMatchObject({ status: 409, body: { ok: false, message: "That delivery is not one of this hub's." } });
    // Another shop's admin, on its own hub's page, naming this shop's fulfillment: not found either.
    const other = await makeShop(db, "other-deliveries.myshopify.com");
    const theirHub = await makeNode(db, other.id, { handle: "their-hub", shopifyLocationId: BROOKLYN });
    await makeSession(db, "other-deliveries.myshopify.com");
    const otherShop = await call(tabletAction, tablet("POST", theirHub.id, { fulfillmentId: f.id, status: "DELIVERED" }, "other-deliveries.myshopify.com"), theirHub.id);
    expect(otherShop).toMatchObject({ status: 409, body: { ok: false } });
    // A parcel DoorDash carries is DoorDash's to report.
    await db.$transaction((tx) => attachCourierDelivery(tx, shopId, { fulfillmentId: f.id, provider: "DOORDASH_DRIVE", deliveryId: `nh-tablet-${id}` }));
    const dashers = await call(tabletAction, tablet("POST", hubId, { fulfillmentId: f.id, status: "DELIVERED" }), hubId);
    expect(dashers).toMatchObject({ status: 409, body: { ok: false, message: "#1500: DoorDash carries it: its status comes from DoorDash." } });
    const bad = await call(tabletAction, tablet("POST", hubId, { fulfillmentId: f.id, status: "LOST" }), hubId);
    expect(bad.status).toBe(400);
    expect(await db.deliveryEvent.count({ where: { fulfillmentId: f.id } })).toBe(0);
    expect(shopify.callsOf("NearhubFulfillmentEventCreate")).toEqual([]);
  });
});
