// A body each of the 19 webhook topics of shopify.app.toml accepts for `shop` (from the real payload
// shapes in test/fixtures), and, where a topic checks the body's state, one of the same shape whose
// state does not fit the topic (the field named). Used by test/routes/webhooks-hostile.test.ts and
// by the fuzzer (test/routes/fuzz-public-endpoints.test.ts), which mutates the fitting ones.
import { readFileSync } from "node:fs";
import path from "node:path";

const fixtures = path.join(__dirname, "../fixtures");

export interface WebhookBodies {
  fits: unknown;
  misfit?: { body: unknown; field: string };
}

export function webhookBodies(shop: string): Record<string, WebhookBodies> {
  const json = (file: string) => JSON.parse(readFileSync(path.join(fixtures, file), "utf8").replaceAll("{shop}.myshopify.com", shop));
  const returnBody = (status: string) => ({ ...json("shopify/returns/returns-request.json"), status });
  return {
    "app/uninstalled": { fits: { id: 1, myshopify_domain: shop }, misfit: { body: { id: 1, myshopify_domain: "bravo.myshopify.com" }, field: "myshopify_domain" } },
    "app/scopes_update": { fits: json("webhooks/app-scopes_update.json") },
    "customers/data_request": { fits: json("webhooks/customers-data_request.json"), misfit: { body: { ...json("webhooks/customers-data_request.json"), shop_domain: "bravo.myshopify.com" }, field: "shop_domain" } },
    "customers/redact": { fits: json("webhooks/customers-redact.json"), misfit: { body: { ...json("webhooks/customers-redact.json"), shop_domain: "bravo.myshopify.com" }, field: "shop_domain" } },
    "shop/redact": { fits: json("webhooks/shop-redact.json"), misfit: { body: { ...json("webhooks/shop-redact.json"), shop_domain: "bravo.myshopify.com" }, field: "shop_domain" } },
    "returns/request": { fits: returnBody("requested"), misfit: { body: returnBody("open"), field: "status" } },
    "returns/approve": { fits: returnBody("open"), misfit: { body: returnBody("requested"), field: "status" } },
    "returns/decline": { fits: returnBody("declined"), misfit: { body: returnBody("requested"), field: "status" } },
    "returns/cancel": { fits: returnBody("canceled"), misfit: { body: returnBody("requested"), field: "status" } },
    "returns/close": { fits: returnBody("closed"), misfit: { body: returnBody("requested"), field: "status" } },
    "fulfillment_orders/order_routing_complete": {
      fits: json("shopify/fulfillment-orders/order_routing_complete.json"),
      misfit: { body: { fulfillment_order: { id: "gid://shopify/FulfillmentOrder/6543210987", status: "closed" } }, field: "fulfillment_order.status" },
    },
    "orders/create": { fits: { id: 450789469, admin_graphql_api_id: "gid://shopify/Order/450789469", cancelled_at: null }, misfit: { body: { id: 450789469, cancelled_at: "2026-11-25T10:00:00-05:00" }, field: "cancelled_at" } },
    "orders/updated": { fits: json("shopify/orders/orders-updated.json") },
    "orders/cancelled": {
      fits: { ...json("shopify/orders/orders-updated.json"), cancelled_at: "2026-11-20T10:05:00-05:00", cancel_reason: "customer" },
      misfit: { body: json("shopify/orders/orders-updated.json"), field: "cancelled_at" },
    },
    "bulk_operations/finish": { fits: json("shopify/orders/bulk_operations-finish.json") },
    "inventory_levels/update": { fits: { inventory_item_id: 1, location_id: 2, available: 3, updated_at: "2026-11-25T12:00:05-05:00" } },
    "fulfillments/create": { fits: json("shopify/fulfillments/fulfillments-create.json") },
    "fulfillments/update": { fits: { ...json("shopify/fulfillments/fulfillments-create.json"), shipment_status: "delivered", updated_at: "2026-11-20T16:40:00-05:00" } },
    "fulfillment_events/create": { fits: json("shopify/fulfillments/fulfillment_events-create.json") },
  };
}
