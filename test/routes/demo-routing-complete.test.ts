// fulfillment_orders/order_routing_complete sent to the demo (issue 11, item 8): the demo shop has no
// offline session, so the routing job is processed against the demo's stand-in for the Admin API
// (app/services/routing/demo-store.server.ts), as an orders/create already is: the fulfillment order's
// order is the one orders/create stored. Before, the job found no session and did nothing (NO_SESSION).
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.NEARHUB_DEMO = "1";
});

import { db } from "~/db.server";
import { action as routingComplete } from "~/routes/webhooks.fulfillment_orders.order_routing_complete";
import { drainJobs } from "~/services/jobs/index.server";
import { orderFromWebhook, webhookOrderSchema } from "~/services/orders/map.server";
import { storeOrder } from "~/services/orders/store.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { webhookRequest } from "../support/shopify";

const SHOP = "nearhub-demo.myshopify.com";
const NOW = new Date("2025-06-10T15:00:00Z");
let shopId: string;

beforeAll(async () => {
  shopId = (await seedDemoMarketplace(db, { now: NOW, orderDays: 3 })).shopId;
}, 300_000);

describe("order_routing_complete in demo mode", () => {
  it("routes the fulfillment order's order against the demo store, not Shopify (no session needed)", async () => {
    expect(await db.session.count({ where: { shop: SHOP } })).toBe(0);
    const orderGid = "gid://shopify/Order/7770001";
    // What orders/create stored of the order (its own routing job is not run here).
    await db.$transaction((tx) =>
      storeOrder(
        tx,
        shopId,
        orderFromWebhook(webhookOrderSchema.parse({
          id: 7_770_001,
          admin_graphql_api_id: orderGid,
          name: "#7001",
          created_at: NOW.toISOString(),
          updated_at: NOW.toISOString(),
          cancelled_at: null,
          currency: "USD",
          total_price: "38.00",
          customer: null,
          shipping_address: { zip: "11211", city: "Brooklyn", province_code: "NY", country_code: "US", latitude: 40.7123, longitude: -73.9543 },
          line_items: [{ id: 8_770_001, sku: "KK-MUG-SPK-12", quantity: 1, price: "38.00" }],
          shipping_lines: [],
          fulfillments: [],
        })),
      ),
    );
    const request = webhookRequest("/webhooks/fulfillment_orders/order_routing_complete", { fulfillment_order: { id: "gid://shopify/FulfillmentOrder/77700010", status: "open" } }, { shop: SHOP, topic: "fulfillment_orders/order_routing_complete" });
    expect((await routingComplete({ request, params: {}, context: {} })).status).toBe(200);
    const ran = await drainJobs({ names: ["routing.order"] });
    expect(JSON.stringify(ran)).not.toContain("NO_SESSION");
    const d = await db.routingDecision.findUnique({ where: { shopId_orderGid: { shopId, orderGid } } });
    expect(d).not.toBeNull();
    expect(d!.orderName).toBe("#7001");
  });
});
