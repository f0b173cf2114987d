// Live-rates registration as a connected store sees it: the merchant's browser calls the
// Shipping page with an App Bridge session token (signed with the app secret, as Shopify signs
// it). On the first request there is no offline session: the Shopify library exchanges the
// token (the install), runs our afterAuth hook, which registers the carrier service; later the
// "Register / re-check" button does it again. Shopify's token endpoint and Admin GraphQL are a
// fake behind setAbstractFetchFunc that checks what it receives.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { action, loader } from "~/routes/app.shipping._index";
import { getShopShipping } from "~/services/shipping-settings.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_SHOPIFY, sessionToken } from "../support/shopify";

const SHOP = "register-test.myshopify.com";
const GID = "gid://shopify/DeliveryCarrierService/555";

type Plan = "eligible" | "refused";
let plan: Plan = "eligible";
let existing: { id: string; name: string; callbackUrl: string; active: boolean }[] = [];
const seen: string[] = [];

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });

const realFetch = globalThis.fetch;
setAbstractFetchFunc(async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = new URL(String(input instanceof Request ? input.url : input));
  expect(url.hostname).toBe(SHOP);
  const body = JSON.parse(String(init?.body));
  if (url.pathname === "/admin/oauth/access_token") {
    seen.push("token-exchange");
    expect(body).toMatchObject({
      client_id: TEST_SHOPIFY.apiKey,
      client_secret: TEST_SHOPIFY.apiSecret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    });
    return json({ access_token: "shpat_exchanged", scope: "write_shipping,read_products" });
  }
  expect(url.pathname).toMatch(/^\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/);
  expect(new Headers(init?.headers).get("X-Shopify-Access-Token")).toBe("shpat_exchanged");
  const operation = /(query|mutation)\s+(\w+)/.exec(body.query)?.[2];
  seen.push(operation ?? "?");
  if (operation === "NearhubCarrierServices") return json({ data: { carrierServices: { nodes: existing } } });
  // After install the catalogue is read too (catalog-sync.server.ts); this store has none yet.
  if (operation === "NearhubCatalog") return json({ data: { productVariants: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } });
  const callbackUrl = `${TEST_SHOPIFY.appUrl}/api/carrier-service/rates`;
  if (operation === "NearhubCarrierServiceCreate") {
    expect(body.variables.input).toEqual({ name: "Nearhub live rates", callbackUrl, active: true, supportsServiceDiscovery: true });
    existing = [{ id: GID, name: "Nearhub live rates", callbackUrl, active: true }];
    return json({ data: { carrierServiceCreate: { carrierService: existing[0], userErrors: [] } } });
  }
  expect(operation).toBe("NearhubCarrierServiceUpdate");
  expect(body.variables.input).toMatchObject({ id: GID, callbackUrl, active: true });
  if (plan === "refused") {
    return json({
      data: {
        carrierServiceUpdate: {
          carrierService: null,
          userErrors: [{ field: null, message: "Carrier Calculated Shipping must be enabled for your store before registering a Carrier Service." }],
        },
      },
    });
  }
  return json({ data: { carrierServiceUpdate: { carrierService: existing[0], userErrors: [] } } });
});
afterAll(() => setAbstractFetchFunc(realFetch));

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
    // Live rates are registered before the page answers; the catalogue is read in the background.
    expect(seen.slice(0, 3)).toEqual(["token-exchange", "NearhubCarrierServices", "NearhubCarrierServiceCreate"]);
    await vi.waitFor(() => expect(seen).toEqual(["token-exchange", "NearhubCarrierServices", "NearhubCarrierServiceCreate", "NearhubCatalog"]));
    expect(page.demo).toBe(false);
    expect(page.carrierService).toMatchObject({ status: "ACTIVE", id: GID });

    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    expect((await getShopShipping(shop.id)).carrierService).toMatchObject({ status: "ACTIVE", id: GID });
    // Stored encrypted (app/session-storage.server.ts); the storage gives the token back.
    const row = await db.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } });
    expect(row.accessToken).toMatch(/^nh1\.[0-9a-f]{8}\./);
    expect(row.accessToken).not.toContain("shpat_exchanged");
    expect((await sessionStorage.loadSession(`offline_${SHOP}`))?.accessToken).toBe("shpat_exchanged");

    // The next request uses the stored session: no exchange, no registration.
    seen.length = 0;
    await loader({ request: request("GET"), params: {}, context: {} });
    expect(seen).toEqual([]);
  });

  it("re-checks from the button: a plan refusal is recorded and shown with the merchant's options", async () => {
    seen.length = 0;
    plan = "refused";
    const res = (await action({ request: request("POST", { intent: "register" }), params: {}, context: {} })) as unknown as {
      data: { outcome: { status: string; message: string } };
    };
    expect(seen).toEqual(["NearhubCarrierServices", "NearhubCarrierServiceUpdate"]);
    expect(res.data.outcome.status).toBe("PLAN_NOT_ELIGIBLE");
    const page = await loader({ request: request("GET"), params: {}, context: {} });
    expect(page.carrierService.status).toBe("PLAN_NOT_ELIGIBLE");
    expect(page.carrierService.message).toContain("Carrier Calculated Shipping must be enabled");

    seen.length = 0;
    plan = "eligible";
    const again = (await action({ request: request("POST", { intent: "register" }), params: {}, context: {} })) as unknown as {
      data: { outcome: { status: string } };
    };
    expect(again.data.outcome.status).toBe("ACTIVE");
    expect((await loader({ request: request("GET"), params: {}, context: {} })).carrierService.status).toBe("ACTIVE");
  });
});
