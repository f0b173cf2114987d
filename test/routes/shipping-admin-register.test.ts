// Live-rates registration as a connected store sees it: the merchant's browser calls the
// Shipping page with an App Bridge session token (signed with the app secret, as Shopify signs
// it). On the first request there is no offline session: the Shopify library exchanges the
// token (the install), runs our afterAuth hook, which registers the carrier service; later the
// "Register / re-check" button does it again. Shopify's token endpoint and Admin GraphQL are the
// suite's fake (test/support/fake-admin-api.ts), which checks what it receives.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action, loader } from "~/routes/app.shipping._index";
import { getShopShipping } from "~/services/shipping-settings.server";
import { drainJobs } from "~/services/jobs/index.server";
import { sessionStorage } from "~/shopify.server";
import { useFakeAdminApi } from "../support/fake-admin-api";
import { TEST_SHOPIFY, sessionToken } from "../support/shopify";

const SHOP = "register-test.myshopify.com";
const CALLBACK = `${TEST_SHOPIFY.appUrl}/api/carrier-service/rates`;
const PLAN_REFUSAL = "Carrier Calculated Shipping must be enabled for your store before registering a Carrier Service.";

const shopify = useFakeAdminApi();
shopify.exchangedToken = "shpat_exchanged";
shopify.accessToken = "shpat_exchanged";

function request(method: "GET" | "POST", form?: Record<string, string>) {
  const body = form ? new URLSearchParams(form) : undefined;
  return new Request(`${TEST_SHOPIFY.appUrl}/app/shipping${method === "POST" ? "?index" : ""}`, {
    method,
    body,
    headers: { Authorization: `Bearer ${sessionToken(SHOP)}`, ...(body ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
  });
}

describe("carrier-service registration in a connected store", () => {
  it("registers on install: the first request exchanges the session token and afterAuth registers live rates", async () => {
    expect(await db.session.count({ where: { shop: SHOP } })).toBe(0);
    const page = await loader({ request: request("GET"), params: {}, context: {} });
    // Live rates are registered before the page answers; the catalogue is the catalog.sync job's.
    expect(shopify.operations()).toEqual(["token-exchange", "NearhubCarrierServices", "NearhubCarrierServiceCreate"]);
    expect(await drainJobs({ names: ["catalog.sync"] })).toMatchObject({ ran: 1, completed: 1 });
    expect(shopify.operations()).toEqual(["token-exchange", "NearhubCarrierServices", "NearhubCarrierServiceCreate", "NearhubCatalog"]);
    // And the order history: its bulk operation is started by the orders.import job queued at install.
    expect(await drainJobs({ names: ["orders.import"] })).toMatchObject({ ran: 1, completed: 1 });
    expect(shopify.operations().at(-1)).toBe("NearhubOrdersBulkRun");
    expect(await db.orderSync.findFirstOrThrow({ where: { shop: { domain: SHOP } } })).toMatchObject({ status: "running", attempts: 1 });
    expect(shopify.callsOf("token-exchange")[0].variables).toMatchObject({
      client_id: TEST_SHOPIFY.apiKey,
      client_secret: TEST_SHOPIFY.apiSecret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    });
    expect(shopify.callsOf("NearhubCarrierServiceCreate")[0].variables.input).toEqual({ name: "Nearhub live rates", callbackUrl: CALLBACK, active: true, supportsServiceDiscovery: true });
    const [registered] = shopify.shop(SHOP).carrierServices;
    expect(page.demo).toBe(false);
    expect(page.carrierService).toMatchObject({ status: "ACTIVE", id: registered.id });

    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    expect((await getShopShipping(shop.id)).carrierService).toMatchObject({ status: "ACTIVE", id: registered.id });
    // Stored encrypted (app/session-storage.server.ts); the storage gives the token back.
    const row = await db.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } });
    expect(row.accessToken).toMatch(/^nh1\.[0-9a-f]{8}\./);
    expect(row.accessToken).not.toContain("shpat_exchanged");
    expect((await sessionStorage.loadSession(`offline_${SHOP}`))?.accessToken).toBe("shpat_exchanged");

    // The next request uses the stored session: no exchange, no registration.
    shopify.reset();
    await loader({ request: request("GET"), params: {}, context: {} });
    expect(shopify.operations()).toEqual([]);
  });

  it("re-checks from the button: a plan refusal is recorded and shown with the merchant's options", async () => {
    shopify.next("NearhubCarrierServiceUpdate", { userErrors: [{ field: null, message: PLAN_REFUSAL }] });
    const res = (await action({ request: request("POST", { intent: "register" }), params: {}, context: {} })) as unknown as {
      data: { outcome: { status: string; message: string } };
    };
    expect(shopify.operations()).toEqual(["NearhubCarrierServices", "NearhubCarrierServiceUpdate"]);
    expect(res.data.outcome.status).toBe("PLAN_NOT_ELIGIBLE");
    const page = await loader({ request: request("GET"), params: {}, context: {} });
    expect(page.carrierService.status).toBe("PLAN_NOT_ELIGIBLE");
    expect(page.carrierService.message).toBe(`Shopify said: ${PLAN_REFUSAL}`);

    const again = (await action({ request: request("POST", { intent: "register" }), params: {}, context: {} })) as unknown as {
      data: { outcome: { status: string } };
    };
    expect(again.data.outcome.status).toBe("ACTIVE");
    expect((await loader({ request: request("GET"), params: {}, context: {} })).carrierService.status).toBe("ACTIVE");
  });
});
