// Orders attributed to campaigns (issue 15, item 4), on both databases: the attribution fields the
// order sync stores (a signed orders/updated webhook with Shopify's REST shape: landing_site and
// discount_codes; the nightly reconciliation reading Admin GraphQL's customerJourneySummary through
// the suite's fake), then attributeOrders matching them to a shop's campaigns by UTM, else landing
// page, else discount code, never across shops.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as orderUpdated } from "~/routes/webhooks.orders.updated";
import { attributeOrders, matchCampaign, matchKeyOf } from "~/services/campaigns/attribution.server";
import { graphqlOrderSchema, landingPageOf, orderFromGraphql, orderFromWebhook, webhookOrderSchema } from "~/services/orders/map.server";
import { reconcileShop } from "~/services/orders/reconcile.server";
import { offlineAdmin } from "~/services/shopify-admin.server";
import { makeCampaign } from "../../support/campaign-rows";
import { useFakeAdminApi } from "../../support/fake-admin-api";
import { makeNode, makeOrder, makeProduct, makeSession, makeShop } from "../../support/factories";
import { webhookRequest } from "../../support/shopify";

const shopify = useFakeAdminApi();

let n = 0;
let shop: { id: string; domain: string };
let hubId: string;
let productId: string;

beforeEach(async () => {
  n++;
  shop = await makeShop(db, `attribution-${n}.myshopify.com`);
  await makeSession(db, shop.domain);
  hubId = (await makeNode(db, shop.id, { handle: `nyc-bk-hub-${n}` })).id;
  productId = (await makeProduct(db, shop.id)).id;
});

const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, "../../fixtures/shopify/orders", name), "utf8"));

describe("the order sync stores what attributes an order", () => {
  it("from an orders/updated webhook: landing_site as its path and utm_* only, the UTM read from it, discount codes in upper case, nothing personal", async () => {
    const body = {
      ...fixture("orders-updated.json"),
      // REST Order: landing_site as the shop recorded it, discount_codes [{ code, amount, type }].
      landing_site: "https://attribution.example/products/speckled-mug?utm_source=facebook&utm_medium=paid_social&utm_campaign=nyc-bk-hub-spring&fbclid=IwAR0abc&email=steve%40example.com",
      discount_codes: [{ code: "bk-local10", amount: "5.00", type: "fixed_amount" }],
    };
    const response = await orderUpdated({ request: webhookRequest("/webhooks/orders/updated", body, { shop: shop.domain, topic: "orders/updated" }), params: {}, context: {} });
    expect(response.status).toBe(200);
    const order = await db.order.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(order).toMatchObject({
      utmCampaign: "nyc-bk-hub-spring",
      utmSource: "facebook",
      landingPage: "/products/speckled-mug?utm_source=facebook&utm_medium=paid_social&utm_campaign=nyc-bk-hub-spring",
      discountCodes: "BK-LOCAL10",
      campaignId: null,
    });
    expect(JSON.stringify(order)).not.toMatch(/fbclid|IwAR0abc|steve|attribution\.example/);
  });

  it("a webhook that says nothing of the visit keeps what was stored", async () => {
    const body = { ...fixture("orders-updated.json"), landing_site: "/?utm_campaign=first&utm_source=google", discount_codes: [] };
    const deliver = (b: unknown) => orderUpdated({ request: webhookRequest("/webhooks/orders/updated", b, { shop: shop.domain, topic: "orders/updated" }), params: {}, context: {} });
    expect((await deliver(body)).status).toBe(200);
    expect((await deliver({ ...body, landing_site: null, updated_at: "2030-01-01T00:00:00-05:00" })).status).toBe(200);
    expect(await db.order.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ utmCampaign: "first", utmSource: "google", landingPage: "/?utm_campaign=first&utm_source=google", discountCodes: null });
  });

  it("from Admin GraphQL (the reconciliation and the bulk file): the last visit's UTM and landing page, and the codes", async () => {
    const order = {
      id: "gid://shopify/Order/6100001",
      name: "#3001",
      createdAt: "2026-11-20T15:00:00Z",
      updatedAt: "2026-11-20T16:00:00Z",
      cancelledAt: null,
      currencyCode: "USD",
      totalPriceSet: { shopMoney: { amount: "42.00", currencyCode: "USD" } },
      customer: null,
      shippingAddress: { zip: "11211", city: "Brooklyn", provinceCode: "NY", countryCodeV2: "US", latitude: 40.7181, longitude: -73.9571 },
      fulfillments: [],
      discountCodes: ["winter5"],
      customerJourneySummary: {
        lastVisit: {
          landingPage: "https://attribution.example/collections/mugs?utm_campaign=nyc-bk-hub-winter&utm_source=google&gclid=Cj0KCQ",
          utmParameters: { campaign: "nyc-bk-hub-winter", source: "google", medium: "cpc" },
        },
      },
      lineItems: { nodes: [{ id: "gid://shopify/LineItem/8100001", sku: "KK-MUG-SPK-12", quantity: 1, originalUnitPriceSet: { shopMoney: { amount: "42.00", currencyCode: "USD" } } }] },
      shippingLines: { nodes: [] },
    };
    expect(orderFromGraphql(graphqlOrderSchema.parse(order)).attribution).toEqual({
      utmCampaign: "nyc-bk-hub-winter",
      utmSource: "google",
      landingPage: "/collections/mugs?utm_campaign=nyc-bk-hub-winter&utm_source=google",
      discountCodes: ["WINTER5"],
    });
    shopify.shop(shop.domain).orderHistory = [order];
    await reconcileShop(shop.id, await offlineAdmin(shop.domain), new Date("2026-11-19T00:00:00Z"));
    expect(shopify.problems).toEqual([]);
    const query = shopify.callsOf("NearhubOrdersReconcile")[0].query;
    expect(query).toMatch(/customerJourneySummary \{ lastVisit \{ landingPage utmParameters \{ campaign source medium \} \} \}/);
    expect(await db.order.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ utmCampaign: "nyc-bk-hub-winter", utmSource: "google", landingPage: "/collections/mugs?utm_campaign=nyc-bk-hub-winter&utm_source=google", discountCodes: "WINTER5" });
  });

  it("never turns an order away for a long landing page", () => {
    const body = { ...fixture("orders-updated.json"), landing_site: `/?utm_campaign=long&pad=${"x".repeat(20_000)}` };
    const parsed = webhookOrderSchema.safeParse(body);
    expect(parsed.success).toBe(true);
    expect(orderFromWebhook(parsed.data!).attribution).toMatchObject({ utmCampaign: "long", landingPage: "/?utm_campaign=long" });
  });

  it("landing pages keep only their path and utm_* parameters", () => {
    expect(landingPageOf("http://www.example.com?source=abc")).toBe("/");
    expect(landingPageOf("/products/a?UTM_Campaign=X&ref=friend")).toBe("/products/a?utm_campaign=X");
    expect(landingPageOf("  ")).toBeNull();
  });
});

describe("attributeOrders", () => {
  const placed = new Date("2026-11-15T17:00:00Z");

  it("matches by last-visit UTM first, then the landing page's utm_campaign, then the campaign's discount code", async () => {
    const one = await makeCampaign(db, shop.id, hubId, { utmCampaign: "nyc-bk-hub-one", discountCode: "BKONE" });
    const two = await makeCampaign(db, shop.id, hubId, { utmCampaign: "nyc-bk-hub-two", discountCode: "BKTWO" });
    const order = (o: Record<string, unknown>) => makeOrder(db, shop.id, productId, { placedAt: placed, ...o });
    const byUtm = await order({ utmCampaign: "nyc-bk-hub-one", landingPage: "/?utm_campaign=nyc-bk-hub-two", discountCodes: "BKTWO" });
    const byLanding = await order({ landingPage: "/products/mug?utm_campaign=nyc-bk-hub-two", discountCodes: "BKONE" });
    const byCode = await order({ utmCampaign: "someone-elses", discountCodes: "WELCOME,BKONE" });
    const none = await order({ utmCampaign: "someone-elses", landingPage: "/?utm_campaign=nyc-bk-hub-twelve" });
    const cancelled = await order({ utmCampaign: "nyc-bk-hub-one", cancelledAt: new Date("2026-11-16T10:00:00Z") });
    const before = await order({ utmCampaign: "nyc-bk-hub-one", placedAt: new Date("2026-11-09T12:00:00Z") });

    const result = await attributeOrders(shop.id);
    expect(result).toMatchObject({ matched: 3, changed: 3, byRule: { UTM: 1, LANDING_PAGE: 1, DISCOUNT_CODE: 1 } });
    const campaignOf = async (id: string) => (await db.order.findUniqueOrThrow({ where: { id } })).campaignId;
    expect(await campaignOf(byUtm.id)).toBe(one.id);
    expect(await campaignOf(byLanding.id)).toBe(two.id);
    expect(await campaignOf(byCode.id)).toBe(one.id);
    expect(await campaignOf(none.id)).toBeNull();
    expect(await campaignOf(cancelled.id)).toBeNull();
    expect(await campaignOf(before.id)).toBeNull();

    // Again: nothing changes.
    expect(await attributeOrders(shop.id)).toMatchObject({ matched: 3, changed: 0 });
    // An order that no longer matches (cancelled since) loses its campaign.
    await db.order.update({ where: { id: byCode.id }, data: { cancelledAt: new Date("2026-11-20T10:00:00Z") } });
    expect(await attributeOrders(shop.id)).toMatchObject({ matched: 2, changed: 1 });
    expect(await campaignOf(byCode.id)).toBeNull();
  });

  it("counts orders from the campaign's first day (the shop's date) to 30 days after its last", () => {
    const key = matchKeyOf({ id: "c", utmCampaign: "u", discountCode: null, startsOn: "2026-11-10", endsOn: "2026-11-30" }, "America/New_York");
    const at = (iso: string) => matchCampaign({ placedAt: new Date(iso), cancelledAt: null, utmCampaign: "u", landingPage: null, discountCodes: null }, [key]);
    expect(at("2026-11-10T04:59:00Z")).toBeNull(); // 23:59 on the 9th in New York
    expect(at("2026-11-10T05:00:00Z")).toEqual({ campaignId: "c", rule: "UTM" });
    expect(at("2026-12-30T23:00:00Z")).toEqual({ campaignId: "c", rule: "UTM" });
    expect(at("2027-01-01T05:00:00Z")).toBeNull();
  });

  it("never attributes another shop's orders, nor touches them", async () => {
    const mine = await makeCampaign(db, shop.id, hubId, { utmCampaign: "nyc-bk-hub-shared", discountCode: "SHARED" });
    const other = await makeShop(db, `attribution-other-${n}.myshopify.com`);
    const otherHub = await makeNode(db, other.id, { handle: `other-hub-${n}` });
    const otherProduct = await makeProduct(db, other.id);
    const theirs = await makeCampaign(db, other.id, otherHub.id, { utmCampaign: "nyc-bk-hub-shared", discountCode: "SHARED" });
    const theirOrder = await makeOrder(db, other.id, otherProduct.id, { placedAt: placed, utmCampaign: "nyc-bk-hub-shared", discountCodes: "SHARED" });
    const myOrder = await makeOrder(db, shop.id, productId, { placedAt: placed, utmCampaign: "nyc-bk-hub-shared" });

    expect(await attributeOrders(shop.id)).toMatchObject({ matched: 1, changed: 1 });
    expect((await db.order.findUniqueOrThrow({ where: { id: myOrder.id } })).campaignId).toBe(mine.id);
    expect((await db.order.findUniqueOrThrow({ where: { id: theirOrder.id } })).campaignId).toBeNull();
    expect(await attributeOrders(other.id)).toMatchObject({ matched: 1 });
    expect((await db.order.findUniqueOrThrow({ where: { id: theirOrder.id } })).campaignId).toBe(theirs.id);
    expect((await db.order.findUniqueOrThrow({ where: { id: myOrder.id } })).campaignId).toBe(mine.id);
  });
});
