// The one Admin GraphQL client (services/shopify-admin.server.ts) through a shop's offline session
// against the suite's fake of the Admin API: throttled calls wait as Shopify's cost bucket says (on
// an injected sleep, no wall clock), a wait longer than allowed is handed to the caller, and every
// other answer that is not the data asked for is a typed error with a sentence.
import { z } from "zod";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import {
  adminMutation,
  adminQuery,
  ShopifyGraphqlError,
  ShopifyHttpError,
  ShopifyShapeError,
  ShopifyThrottledError,
  ShopifyUserErrors,
  throttleWaitMs,
  userErrorSchema,
} from "~/services/shopify-admin.server";
import { unauthenticated } from "~/shopify.server";
import { useFakeAdminApi } from "../support/fake-admin-api";
import { recordingSleep } from "../support/clock";
import { makeSession, makeShop } from "../support/factories";

const DOMAIN = "admin-client.myshopify.com";
const QUERY = `#graphql
  query NearhubCarrierServices { carrierServices(first: 50) { nodes { id name callbackUrl active } } }`;
const listSchema = z.object({ carrierServices: z.object({ nodes: z.array(z.object({ id: z.string(), name: z.string() })) }) });
const CREATE = `#graphql
  mutation NearhubCarrierServiceCreate($input: DeliveryCarrierServiceCreateInput!) {
    carrierServiceCreate(input: $input) { carrierService { id name callbackUrl active } userErrors { field message } }
  }`;
const createPayload = z.object({ carrierService: z.object({ id: z.string() }).nullish(), userErrors: z.array(userErrorSchema) });
const input = { name: "Nearhub live rates", callbackUrl: "https://nearhub.example/api/carrier-service/rates", active: true };

const shopify = useFakeAdminApi();
const admin = async () => (await unauthenticated.admin(DOMAIN)).admin;

beforeAll(async () => {
  await makeShop(db, DOMAIN);
  await makeSession(db, DOMAIN);
});

describe("throttling", () => {
  it("waits for the cost bucket as Shopify's answer says, then answers the data", async () => {
    shopify.shop(DOMAIN).carrierServices = [{ id: "gid://shopify/DeliveryCarrierService/1", name: "Ours", callbackUrl: input.callbackUrl, active: true }];
    shopify.next("NearhubCarrierServices", "throttled", "throttled");
    const { waits, sleep } = recordingSleep();
    const data = await adminQuery(await admin(), QUERY, undefined, listSchema, { sleep });
    expect(data).toEqual({ carrierServices: { nodes: [{ id: "gid://shopify/DeliveryCarrierService/1", name: "Ours" }] } });
    // The bucket is one point short of the query's 10, restoring 100 points a second: 10 ms each time.
    expect(waits).toEqual([10, 10]);
    expect(shopify.operations()).toEqual(["NearhubCarrierServices", "NearhubCarrierServices", "NearhubCarrierServices"]);
  });

  it("gives up after its attempts, and hands a wait longer than allowed to the caller", async () => {
    shopify.next("NearhubCarrierServices", "throttled", "throttled", "throttled");
    const { waits, sleep } = recordingSleep();
    const error = await adminQuery(await admin(), QUERY, undefined, listSchema, { sleep, maxAttempts: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyThrottledError);
    expect((error as ShopifyThrottledError).message).toBe("NearhubCarrierServices: Shopify throttled the request (THROTTLED)");
    expect(waits).toEqual([10, 10]);

    shopify.next("NearhubCarrierServices", "throttled");
    const long = await adminQuery(await admin(), QUERY, undefined, listSchema, { sleep, maxWaitMs: 5 }).catch((e: unknown) => e);
    expect(long).toBeInstanceOf(ShopifyThrottledError);
    expect((long as ShopifyThrottledError).retryAfterMs).toBe(10);
    expect(waits).toEqual([10, 10]);
  });

  it("computes the wait from extensions.cost, and backs off when the answer says nothing", () => {
    const cost = (requested: number, available: number) => ({ cost: { requestedQueryCost: requested, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 } } });
    expect(throttleWaitMs(cost(562, 12), 500)).toBe(5500);
    expect(throttleWaitMs(cost(5000, 0), 500)).toBe(20_000); // never more than the bucket holds
    expect(throttleWaitMs(undefined, 500)).toBe(500);
  });
});

describe("typed errors", () => {
  it("turns a mutation's userErrors into ShopifyUserErrors naming the field", async () => {
    const before = structuredClone(shopify.shop(DOMAIN).carrierServices);
    shopify.next("NearhubCarrierServiceCreate", { userErrors: [{ field: ["input", "callbackUrl"], message: "Callback url is not a valid URL" }] });
    const error = await adminMutation(await admin(), CREATE, { input }, "carrierServiceCreate", createPayload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyUserErrors);
    expect((error as ShopifyUserErrors).userErrors).toEqual([{ field: ["input", "callbackUrl"], message: "Callback url is not a valid URL" }]);
    expect((error as Error).message).toBe("NearhubCarrierServiceCreate: input.callbackUrl: Callback url is not a valid URL");
    expect(shopify.shop(DOMAIN).carrierServices).toEqual(before);
  });

  it("answers the payload of a mutation Shopify accepted", async () => {
    const payload = await adminMutation(await admin(), CREATE, { input }, "carrierServiceCreate", createPayload);
    expect(payload.userErrors).toEqual([]);
    expect(shopify.shop(DOMAIN).carrierServices.at(-1)).toEqual({ id: payload.carrierService!.id, ...input });
  });

  it("turns GraphQL errors, HTTP failures and unexpected shapes into typed errors", async () => {
    shopify.next("NearhubCarrierServices", { errors: [{ message: "Access denied for carrierServices field.", code: "ACCESS_DENIED" }] });
    const denied = await adminQuery(await admin(), QUERY, undefined, listSchema).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ShopifyGraphqlError);
    expect((denied as ShopifyGraphqlError).errors).toEqual([{ message: "Access denied for carrierServices field.", code: "ACCESS_DENIED" }]);

    shopify.next("NearhubCarrierServices", { status: 503, body: "Service Unavailable" });
    const down = await adminQuery(await admin(), QUERY, undefined, listSchema).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(ShopifyHttpError);
    expect((down as ShopifyHttpError).status).toBe(503);

    const wrong = await adminQuery(await admin(), QUERY, undefined, z.object({ shop: z.object({ id: z.string() }) })).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ShopifyShapeError);
    expect((wrong as Error).message).toBe("NearhubCarrierServices: Shopify's answer was not in the expected shape: shop: Invalid input: expected object, received undefined");
  });

  it("never puts the access token in an error", async () => {
    shopify.accessToken = "shpat_other"; // the stored token is no longer valid
    try {
      const error = await adminQuery(await admin(), QUERY, undefined, listSchema).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShopifyHttpError);
      expect((error as ShopifyHttpError).status).toBe(401);
      expect(JSON.stringify({ message: (error as Error).message, body: (error as ShopifyHttpError).body })).not.toContain("shpat_test");
    } finally {
      shopify.accessToken = "shpat_test";
    }
  });
});
