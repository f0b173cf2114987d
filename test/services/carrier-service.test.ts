// Carrier-service registration against a fake Shopify Admin GraphQL endpoint. The real
// Admin API client (unauthenticated.admin with a stored offline session) sends real HTTP
// requests; setAbstractFetchFunc hands them to the fake, which checks the operation and its
// variables and answers in Shopify's documented shapes.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import {
  CARRIER_SERVICE_NAME,
  carrierServiceCallbackUrl,
  isPlanRefusal,
  registerCarrierService,
} from "~/services/carrier-service.server";
import { getShopShipping } from "~/services/shipping-settings.server";
import { unauthenticated } from "~/shopify.server";
import { makeSession, makeShop } from "../support/factories";
import { TEST_SHOPIFY } from "../support/shopify";

const CALLBACK = `${TEST_SHOPIFY.appUrl}/api/carrier-service/rates`;
const GID = "gid://shopify/DeliveryCarrierService/1234567890";

interface SeenRequest {
  url: string;
  operation: string;
  query: string;
  variables: Record<string, unknown> | undefined;
  accessToken: string | null;
}

type Answer = (req: SeenRequest) => Response | Promise<Response>;

let seen: SeenRequest[] = [];
let answer: Answer = () => new Response("no answer set", { status: 500 });

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** The fake Admin API: only POST /admin/api/<version>/graphql.json of the test shop. */
const realFetch = globalThis.fetch;
setAbstractFetchFunc(async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = String(input instanceof Request ? input.url : input);
  expect(init?.method ?? "GET").toBe("POST");
  expect(url).toMatch(/^https:\/\/[a-z0-9-]+\.myshopify\.com\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/);
  const body = JSON.parse(String(init?.body)) as { query: string; variables?: Record<string, unknown> };
  const operation = /(query|mutation)\s+(\w+)/.exec(body.query)?.[2] ?? "anonymous";
  const headers = new Headers(init?.headers);
  const req = { url, operation, query: body.query, variables: body.variables, accessToken: headers.get("X-Shopify-Access-Token") };
  seen.push(req);
  return answer(req);
});
afterAll(() => setAbstractFetchFunc(realFetch));

const list = (nodes: unknown[]) => json({ data: { carrierServices: { nodes } } });
const service = (over: Record<string, unknown> = {}) => ({ id: GID, name: CARRIER_SERVICE_NAME, callbackUrl: CALLBACK, active: true, ...over });

let shopId: string;
let domain: string;
let counter = 0;

beforeEach(async () => {
  domain = `carrier-${++counter}.myshopify.com`;
  shopId = (await makeShop(db, domain)).id;
  await makeSession(db, domain);
  seen = [];
});

async function register() {
  const { admin } = await unauthenticated.admin(domain);
  return registerCarrierService({ id: shopId, domain }, admin);
}

describe("registerCarrierService", () => {
  it("creates the carrier service when the shop has none of ours, and records it as active", async () => {
    answer = (req) => {
      if (req.operation === "NearhubCarrierServices") {
        return list([{ id: "gid://shopify/DeliveryCarrierService/1", name: "Another app", callbackUrl: "https://other.example/rates", active: true }]);
      }
      expect(req.operation).toBe("NearhubCarrierServiceCreate");
      expect(req.query).toContain("carrierServiceCreate(input: $input)");
      expect(req.variables).toEqual({
        input: { name: "Nearhub live rates", callbackUrl: CALLBACK, active: true, supportsServiceDiscovery: true },
      });
      return json({ data: { carrierServiceCreate: { carrierService: service(), userErrors: [] } } });
    };
    const outcome = await register();
    expect(outcome).toMatchObject({ status: "ACTIVE", id: GID, action: "created" });
    expect(seen.map((r) => r.operation)).toEqual(["NearhubCarrierServices", "NearhubCarrierServiceCreate"]);
    // The stored offline token is what authenticates the calls.
    expect(seen.every((r) => r.accessToken === "shpat_test")).toBe(true);

    const { carrierService } = await getShopShipping(shopId);
    expect(carrierService).toMatchObject({ id: GID, status: "ACTIVE" });
    expect(carrierService.message).toContain(CALLBACK);
    expect(carrierService.checkedAt).toBeInstanceOf(Date);
  });

  it("updates ours when it already exists (found by name after the app URL changed), reactivating it", async () => {
    answer = (req) => {
      if (req.operation === "NearhubCarrierServices") {
        return list([service({ callbackUrl: "https://old-tunnel.example/api/carrier-service/rates", active: false })]);
      }
      expect(req.operation).toBe("NearhubCarrierServiceUpdate");
      expect(req.query).toContain("carrierServiceUpdate(input: $input)");
      expect(req.variables).toEqual({
        input: { id: GID, name: "Nearhub live rates", callbackUrl: CALLBACK, active: true, supportsServiceDiscovery: true },
      });
      return json({ data: { carrierServiceUpdate: { carrierService: service(), userErrors: [] } } });
    };
    const outcome = await register();
    expect(outcome).toMatchObject({ status: "ACTIVE", id: GID, action: "updated" });
    expect(seen.map((r) => r.operation)).toEqual(["NearhubCarrierServices", "NearhubCarrierServiceUpdate"]);
    expect((await getShopShipping(shopId)).carrierService).toMatchObject({ id: GID, status: "ACTIVE" });

    // Registering again changes nothing but the check time.
    seen = [];
    await register();
    expect(seen.map((r) => r.operation)).toEqual(["NearhubCarrierServices", "NearhubCarrierServiceUpdate"]);
  });

  it("records PLAN_NOT_ELIGIBLE when the store's plan has no carrier-calculated shipping", async () => {
    answer = (req) =>
      req.operation === "NearhubCarrierServices"
        ? list([])
        : json({
            data: {
              carrierServiceCreate: {
                carrierService: null,
                userErrors: [{ field: null, message: "Carrier Calculated Shipping must be enabled for your store before registering a Carrier Service." }],
              },
            },
          });
    const outcome = await register();
    expect(outcome).toMatchObject({ status: "PLAN_NOT_ELIGIBLE", id: null, action: null });
    const { carrierService } = await getShopShipping(shopId);
    expect(carrierService.status).toBe("PLAN_NOT_ELIGIBLE");
    expect(carrierService.message).toContain("Carrier Calculated Shipping must be enabled");
  });

  it("records ERROR for other refusals, naming what Shopify said", async () => {
    answer = (req) =>
      req.operation === "NearhubCarrierServices"
        ? list([])
        : json({ data: { carrierServiceCreate: { carrierService: null, userErrors: [{ field: ["callbackUrl"], message: "Callback url is not a valid URL" }] } } });
    const outcome = await register();
    expect(outcome.status).toBe("ERROR");
    expect((await getShopShipping(shopId)).carrierService).toMatchObject({
      status: "ERROR",
      message: "Shopify refused the registration: Callback url is not a valid URL",
    });
  });

  it("records ERROR on a network failure without losing the id it knew", async () => {
    answer = (req) =>
      req.operation === "NearhubCarrierServices"
        ? list([service()])
        : json({ data: { carrierServiceUpdate: { carrierService: service(), userErrors: [] } } });
    await register();

    answer = () => {
      throw new TypeError("fetch failed: connect ECONNREFUSED");
    };
    const outcome = await register();
    expect(outcome.status).toBe("ERROR");
    expect(outcome.message).toMatch(/^Could not reach Shopify to register live rates: .*ECONNREFUSED/);
    const { carrierService } = await getShopShipping(shopId);
    expect(carrierService).toMatchObject({ status: "ERROR", id: GID });
  });

  it("records ERROR when Shopify answers GraphQL errors (missing scope)", async () => {
    answer = () =>
      json({
        errors: [{ message: "Access denied for carrierServices field. Required access: `read_shipping` access scope.", extensions: { code: "ACCESS_DENIED" } }],
      });
    const outcome = await register();
    expect(outcome.status).toBe("ERROR");
    expect(outcome.message).toMatch(/^Shopify refused access: the app needs the write_shipping scope/);
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
