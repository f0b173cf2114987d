// The demo's stand-in for Shopify learns a webhook's order from the payload the orders/create route
// has parsed (created_at is a Date by then, ids may be gids): what it keeps of it must survive that.
import { describe, expect, it } from "vitest";
import { demoOrderOf } from "~/services/routing/demo-store.server";
import { orderCreateSchema } from "~/services/routing/webhooks.server";
import fixture from "../../fixtures/shopify/orders/orders-create.json";

describe("demoOrderOf", () => {
  it("keeps the address, shipping lines and lines of Shopify's reference orders/create, parsed as the route parses it", () => {
    const order = demoOrderOf(orderCreateSchema.parse(fixture), fixture.admin_graphql_api_id);
    expect(order).toMatchObject({
      name: "#9999",
      createdAt: new Date(fixture.created_at).toISOString(),
      address: { zip: "40003", countryCode: "US", provinceCode: "KY", city: "Shippington" },
      shippingLines: [{ title: "Generic Shipping" }],
    });
    expect(order.lines.map((l) => l.sku)).toEqual(fixture.line_items.map((l) => l.sku));
  });
});
