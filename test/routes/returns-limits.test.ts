// The documented limits on returns (README "Limits", app/core/returns/limits.ts), each at one past
// its value: a 400 naming the field, and nothing recorded or changed. The fuzz suite reaches these
// only by chance; these cases reach them every run.
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_PLAN_LINES, MAX_RETURN_ID_LENGTH, MAX_RETURN_LINES } from "~/core/returns";
import { db } from "~/db.server";
import { action as eventsAction } from "~/routes/api.v1.returns.$id.events";
import { action as planAction } from "~/routes/api.v1.returns.plan";
import { action as requestWebhook } from "~/routes/webhooks.returns.request";
import { createApiKey } from "~/services/api-keys.server";
import { DEMO_SHOP_DOMAIN, seedDemoMarketplace } from "../../prisma/seed/demo";
import { knownDemoOrder, largeReturnPayload, type KnownOrder } from "../support/returns-load";
import { webhookRequest } from "../support/shopify";

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response> | Response;

async function answer(handler: unknown, request: Request, params: Record<string, string> = {}): Promise<{ status: number; error: string }> {
  let res: Response;
  try {
    res = await (handler as Handler)({ request, params, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    res = thrown;
  }
  const text = await res.text();
  let error = text;
  try {
    error = (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    // a plain-text answer
  }
  return { status: res.status, error };
}

const api = (path: string, key: string, body: unknown) =>
  new Request(`http://127.0.0.1:3000${path}`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` }, body: JSON.stringify(body) });

let key: string;
let order: KnownOrder;
let storedReturnId: string;

beforeAll(async () => {
  const { shopId } = await seedDemoMarketplace(db, { now: new Date(), orderDays: 10 });
  key = (await createApiKey(shopId, "limits")).key;
  order = await knownDemoOrder(db);
  const small = largeReturnPayload(7_300_000, order, 2);
  expect((await answer(requestWebhook, webhookRequest("/webhooks/returns/request", small, { shop: DEMO_SHOP_DOMAIN, topic: "returns/request" }))).status).toBe(200);
  storedReturnId = (await db.returnCase.findFirstOrThrow({ where: { shopId, shopifyReturnGid: small.admin_graphql_api_id }, select: { id: true } })).id;
}, 300_000);

describe("returns limits", () => {
  it(`a returns/request of ${MAX_RETURN_LINES + 1} lines is refused naming the lines, and nothing is recorded`, async () => {
    const payload = largeReturnPayload(7_300_001, order, MAX_RETURN_LINES + 1);
    const before = await db.returnCase.count();
    const res = await answer(requestWebhook, webhookRequest("/webhooks/returns/request", payload, { shop: DEMO_SHOP_DOMAIN, topic: "returns/request" }));
    expect(res.status).toBe(400);
    expect(res.error).toMatch(new RegExp(`return_line_items.*at most ${MAX_RETURN_LINES}`));
    expect(await db.returnCase.count()).toBe(before);
    expect(await db.returnCase.findFirst({ where: { shopifyReturnGid: payload.admin_graphql_api_id } })).toBeNull();
  });

  it(`POST /api/v1/returns/plan takes at most ${MAX_PLAN_LINES} lines`, async () => {
    const line = { sku: order.skus[0], quantity: 1 };
    const body = (n: number) => ({ from: { country: "US", postalCode: "11211" }, lines: Array.from({ length: n }, () => line) });
    const over = await answer(planAction, api("/api/v1/returns/plan", key, body(MAX_PLAN_LINES + 1)));
    expect(over.status).toBe(400);
    expect(over.error).toContain(`lines: at most ${MAX_PLAN_LINES} lines`);
    expect((await answer(planAction, api("/api/v1/returns/plan", key, body(MAX_PLAN_LINES)))).status).toBe(200);
  });

  it(`POST /api/v1/returns/{id}/events names at most ${MAX_RETURN_LINES} lines of at most ${MAX_RETURN_ID_LENGTH} characters, and changes nothing beyond`, async () => {
    const before = await db.returnCase.findUniqueOrThrow({ where: { id: storedReturnId }, select: { version: true, status: true } });
    const path = `/api/v1/returns/${storedReturnId}/events`;
    const tooMany = await answer(eventsAction, api(path, key, { type: "APPROVE", lineIds: Array.from({ length: MAX_RETURN_LINES + 1 }, (_, i) => `line-${i}`) }), { id: storedReturnId });
    expect(tooMany.status).toBe(400);
    expect(tooMany.error).toContain(`lineIds: at most ${MAX_RETURN_LINES} lines`);
    const tooLong = await answer(eventsAction, api(path, key, { type: "APPROVE", lineIds: ["x".repeat(MAX_RETURN_ID_LENGTH + 1)] }), { id: storedReturnId });
    expect(tooLong.status).toBe(400);
    expect(tooLong.error).toContain(`lineIds.0: at most ${MAX_RETURN_ID_LENGTH} characters`);
    expect(await db.returnCase.findUniqueOrThrow({ where: { id: storedReturnId }, select: { version: true, status: true } })).toEqual(before);
  });
});
