// Carrier-service registration against the suite's fake of Shopify's Admin API (msw,
// test/support/fake-admin-api.ts). The real Admin API client (unauthenticated.admin with a stored
// offline session) sends real HTTP requests; the fake checks the operation and its variables,
// keeps the shop's carrier services and answers in Shopify's documented shapes.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import {
  CARRIER_SERVICE_NAME,
  carrierServiceCallbackUrl,
  isPlanRefusal,
  registerCarrierService,
} from "~/services/carrier-service.server";
import { getShopShipping } from "~/services/shipping-settings.server";
import { unauthenticated } from "~/shopify.server";
import { ACCESS_TOKEN, useFakeAdminApi } from "../support/fake-admin-api";
import { makeSession, makeShop } from "../support/factories";
import { TEST_SHOPIFY } from "../support/shopify";

const CALLBACK = `${TEST_SHOPIFY.appUrl}/api/carrier-service/rates`;
const GID = "gid://shopify/DeliveryCarrierService/1234567890";

const shopify = useFakeAdminApi();
const service = (over: Record<string, unknown> = {}) => ({ id: GID, name: CARRIER_SERVICE_NAME, callbackUrl: CALLBACK, active: true, ...over });

let shopId: string;
let domain: string;
let counter = 0;

beforeEach(async () => {
  domain = `carrier-${++counter}.myshopify.com`;
  shopId = (await makeShop(db, domain)).id;
  await makeSession(db, domain);
});

const operations = () => shopify.operations(domain);

async function register() {
  const { admin } = await unauthenticated.admin(domain);
  return registerCarrierService({ id: shopId, domain }, admin);
}

describe("registerCarrierService", () => {
  it("creates the carrier service when the shop has none of ours, and records it as active", async () => {
    const other = { id: "gid://shopify/DeliveryCarrierService/1", name: "Another app", callbackUrl: "https://other.example/rates", active: true };
    shopify.shop(domain).carrierServices.push(other);
    const outcome = await register();
    const created = shopify.shop(domain).carrierServices[1];
    expect(outcome).toMatchObject({ status: "ACTIVE", id: created.id, action: "created" });
    expect(operations()).toEqual(["NearhubCarrierServices", "NearhubCarrierServiceCreate"]);
    expect(shopify.callsOf("NearhubCarrierServiceCreate")[0].variables).toEqual({
      input: { name: "Nearhub live rates", callbackUrl: CALLBACK, active: true, supportsServiceDiscovery: true },
    });
    expect(shopify.shop(domain).carrierServices).toEqual([other, { id: created.id, name: CARRIER_SERVICE_NAME, callbackUrl: CALLBACK, active: true }]);
    // The stored offline token is what authenticates the calls.
    expect(shopify.calls.map((r) => r.accessToken)).toEqual([ACCESS_TOKEN, ACCESS_TOKEN]);

    const { carrierService } = await getShopShipping(shopId);
    expect(carrierService).toMatchObject({ id: created.id, status: "ACTIVE" });
    expect(carrierService.message).toContain(CALLBACK);
    expect(carrierService.checkedAt).toBeInstanceOf(Date);
  });

  it("updates ours when it already exists (found by name after the app URL changed), reactivating it", async () => {
    shopify.shop(domain).carrierServices.push(service({ callbackUrl: "https://old-tunnel.example/api/carrier-service/rates", active: false }));
    const outcome = await register();
    expect(outcome).toMatchObject({ status: "ACTIVE", id: GID, action: "updated" });
    expect(operations()).toEqual(["NearhubCarrierServices", "NearhubCarrierServiceUpdate"]);
    expect(shopify.callsOf("NearhubCarrierServiceUpdate")[0].variables).toEqual({
      input: { id: GID, name: "Nearhub live rates", callbackUrl: CALLBACK, active: true, supportsServiceDiscovery: true },
    });
    expect(shopify.shop(domain).carrierServices).toEqual([service()]);
    expect((await getShopShipping(shopId)).carrierService).toMatchObject({ id: GID, status: "ACTIVE" });

    // Registering again changes nothing but the check time.
    shopify.reset();
    await register();
    expect(operations()).toEqual(["NearhubCarrierServices", "NearhubCarrierServiceUpdate"]);
    expect(shopify.shop(domain).carrierServices).toEqual([service()]);
  });

  it("records PLAN_NOT_ELIGIBLE when the store's plan has no carrier-calculated shipping", async () => {
    shopify.next("NearhubCarrierServiceCreate", {
      userErrors: [{ field: null, message: "Carrier Calculated Shipping must be enabled for your store before registering a Carrier Service." }],
    });
    const outcome = await register();
    expect(outcome).toMatchObject({ status: "PLAN_NOT_ELIGIBLE", id: null, action: null });
    const { carrierService } = await getShopShipping(shopId);
    expect(carrierService.status).toBe("PLAN_NOT_ELIGIBLE");
    expect(carrierService.message).toBe("Shopify said: Carrier Calculated Shipping must be enabled for your store before registering a Carrier Service.");
    expect(shopify.shop(domain).carrierServices).toEqual([]);
  });

  it("records ERROR for other refusals, naming what Shopify said", async () => {
    shopify.next("NearhubCarrierServiceCreate", { userErrors: [{ field: ["callbackUrl"], message: "Callback url is not a valid URL" }] });
    const outcome = await register();
    expect(outcome.status).toBe("ERROR");
    expect((await getShopShipping(shopId)).carrierService).toMatchObject({
      status: "ERROR",
      message: "Shopify refused the registration: Callback url is not a valid URL",
    });
  });

  it("records ERROR on a network failure without losing the id it knew", async () => {
    shopify.shop(domain).carrierServices.push(service());
    await register();

    shopify.next("NearhubCarrierServices", "network");
    const outcome = await register();
    expect(outcome.status).toBe("ERROR");
    expect(outcome.message).toBe("Could not reach Shopify to register live rates: Http request error, no response available: GraphQL Client: Failed to fetch");
    const { carrierService } = await getShopShipping(shopId);
    expect(carrierService).toMatchObject({ status: "ERROR", id: GID });
  });

  it("records ERROR when Shopify answers GraphQL errors (missing scope)", async () => {
    shopify.next("NearhubCarrierServices", { errors: [{ message: "Access denied for carrierServices field. Required access: `read_shipping` access scope.", code: "ACCESS_DENIED" }] });
    const outcome = await register();
    expect(outcome.status).toBe("ERROR");
    expect(outcome.message).toBe(
      "Shopify refused access: the app needs the write_shipping scope (reinstall or update the app's scopes). " +
        "NearhubCarrierServices: Shopify answered with errors: Access denied for carrierServices field. Required access: `read_shipping` access scope. (ACCESS_DENIED)",
    );
  });
});

describe("helpers", () => {
  it("recognises Shopify's plan refusal and nothing else", () => {
    expect(isPlanRefusal("Carrier Calculated Shipping must be enabled for your store")).toBe(true);
    expect(isPlanRefusal("carrier-calculated shipping is not available on your plan")).toBe(true);
    expect(isPlanRefusal("Callback url is not a valid URL")).toBe(false);
  });

  it("builds the callback from the app URL", () => {
    expect(carrierServiceCallbackUrl("https://nearhub.example.com/")).toBe("https://nearhub.example.com/api/carrier-service/rates");
  });
});
