// What the admin writes for the Plus location rule, and that the Function reads it: the shop's
// nodes (with Shopify locations) and products (with variants) are published with metafieldsSet to
// the shop's app-owned metafield; the suite's fake of Shopify's Admin API (test/support/fake-admin-api.ts)
// checks the GraphQL it receives, keeps the shop's metafields and answers in Shopify's shapes. The published value, given to the Function as its metafield,
// ranks a real fulfillment group. In demo mode nothing is sent.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { publishLocationRuleConfig, buildLocationRuleConfig } from "~/services/location-rule-config.server";
import { locationRuleConfigSchema } from "../../app/core/routing/location-rule-config";
import { rankLocations, type GroupExplanation } from "../../extensions/order-routing-location-rule/src/run";
import { saveQuoteConfig } from "~/services/shipping-settings.server";
import { bikeCourier } from "../core/fixtures";
import { unauthenticated } from "~/shopify.server";
import { useFakeAdminApi } from "../support/fake-admin-api";
import { makeNode, makeProduct, makeSession, makeShop } from "../support/factories";

const shopify = useFakeAdminApi();
const adminOf = async (domain: string) => (await unauthenticated.admin(domain)).admin;

let shop: { id: string; currency: string; domain: string };

beforeAll(async () => {
  const s = await makeShop(db);
  shop = { id: s.id, currency: s.currency, domain: s.domain };
  await makeSession(db, s.domain);
  await makeNode(db, shop.id, { handle: "wh", name: "Warehouse", kind: "CENTRAL_WAREHOUSE", shopifyLocationId: "gid://shopify/Location/1", latitude: 40.7447, longitude: -73.9485, serviceRadiusM: null, sameDayCutoff: null, handlingCostMinor: 150, openingHoursJson: JSON.stringify({ mon: [["07:00", "19:00"]], tue: [["07:00", "19:00"]], wed: [["07:00", "19:00"]] }) });
  await makeNode(db, shop.id, { handle: "bk", name: "Brooklyn hub", shopifyLocationId: "gid://shopify/Location/2", openingHoursJson: JSON.stringify({ mon: [["08:00", "20:00"]], tue: [["08:00", "20:00"]], wed: [["08:00", "20:00"]] }), sameDayCutoff: "16:00" });
  await makeNode(db, shop.id, { handle: "nolink", name: "Not in Shopify" });
  await makeProduct(db, shop.id, { sku: "TEE", shopifyVariantId: "gid://shopify/ProductVariant/11" });
  await makeProduct(db, shop.id, { sku: "NOVARIANT" });
  // A bike courier prices same-day delivery from the hub; the warehouse has no rate card here.
  await saveQuoteConfig(shop.id, { couriers: [bikeCourier()] });
});

describe("publishing the location rule's configuration", () => {
  it("writes the nodes with a Shopify location and the products with a variant to the app-owned shop metafield", async () => {
    const out = await publishLocationRuleConfig(shop, await adminOf(shop.domain));
    expect(out).toMatchObject({ status: "published", nodes: 2, products: 1 });
    expect(shopify.operations()).toEqual(["NearhubShopId", "NearhubLocationRuleConfig"]);
    const fakeShop = shopify.shop(shop.domain);
    expect(fakeShop.metafields).toHaveLength(1);
    const [mf] = fakeShop.metafields;
    expect(mf).toMatchObject({ ownerId: fakeShop.shopGid, namespace: "$app:nearhub", key: "location-rule-config", type: "json" });
    const config = locationRuleConfigSchema.parse(JSON.parse(mf.value));
    expect(config.nodes.map((n) => n.handle).sort()).toEqual(["bk", "wh"]);
    expect(config.products.map((p) => p.variantIds)).toEqual([["gid://shopify/ProductVariant/11"]]);

    // The Function, given this value as its metafield, ranks a Brooklyn cart.
    const explain: GroupExplanation[] = [];
    const ranked = rankLocations(
      {
        fulfillmentGroups: [
          {
            handle: "g",
            inventoryLocationHandles: ["h1", "h2"],
            deliveryAddress: { countryCode: "US", zip: "11211", latitude: 40.7181, longitude: -73.9571 },
            lines: [{ id: "l1", quantity: 1, merchandise: { __typename: "ProductVariant", id: "gid://shopify/ProductVariant/11" } }],
          },
        ],
        locations: [
          { handle: "h1", id: "gid://shopify/Location/1" },
          { handle: "h2", id: "gid://shopify/Location/2" },
        ],
        shop: { metafield: { jsonValue: JSON.parse(mf.value) } },
      },
      { now: Date.parse("2026-11-24T15:00:00Z") },
      explain,
    );
    expect(explain[0].neutral).toBe(false);
    expect(ranked.operations[0].fulfillmentGroupLocationRankingAdd.rankings).toEqual([
      { locationHandle: "h2", rank: 0 },
      { locationHandle: "h1", rank: 1 },
    ]);
    expect(explain[0].reasons[0]).toMatch(/Brooklyn hub/);
  });

  it("reports Shopify's user errors instead of throwing", async () => {
    shopify.next("NearhubLocationRuleConfig", { userErrors: [{ field: ["metafields", "0", "value"], message: "Value is too big", code: "INVALID_VALUE" }] });
    const out = await publishLocationRuleConfig(shop, await adminOf(shop.domain));
    expect(out.status).toBe("failed");
    expect(out.message).toBe("metafields.0.value: Value is too big");
  });

  it("in demo mode (no store) sends nothing and says so", async () => {
    const out = await publishLocationRuleConfig(shop, null);
    expect(out.status).toBe("demo");
    expect(shopify.calls).toEqual([]);
    const config = await buildLocationRuleConfig(shop.id, shop.currency);
    expect(config.shopId).toBe(shop.id);
  });
});
