// POST /api/v1/routing/plan over real Requests to the real action: the API key decides the shop
// (its nodes and stock, never another's), the body is parsed with the published schema (400 naming
// the field), unroutable orders come back with their reasons, orders compete for the same stock,
// nothing is stored and Shopify is never called.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { action, loader } from "~/routes/api.v1.routing.plan";
import { createApiKey } from "~/services/api-keys.server";
import { routingPlanSchema, type ApiRoutingPlan } from "~/services/open-api/schemas";
import { invalidateQuoteCache } from "~/services/quotes.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { useFakeAdminApi } from "../support/fake-admin-api";
import { makeNode, makeProduct, makeShop } from "../support/factories";

const NOW = new Date("2025-06-10T15:00:00Z");
type Handler = (args: { request: Request; params: object; context: object }) => Promise<Response> | Response;

async function call(handler: unknown, body: unknown, key?: string, method = "POST"): Promise<Response> {
  const request = new Request("http://127.0.0.1:3000/api/v1/routing/plan", {
    method,
    headers: { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    ...(method === "POST" ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  try {
    return await (handler as Handler)({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const WILLIAMSBURG = { country: "us", postalCode: "11211", latitude: 40.7181, longitude: -73.9571 };
const mugOrder = (id: string, quantity = 1, extra: object = {}) => ({ id, lines: [{ sku: "KK-MUG-SPK-12", quantity }], destination: WILLIAMSBURG, ...extra });

let demoKey: string;
let otherKey: string;
let demoShopId: string;

// The plan never calls Shopify: every test ends with nothing sent to the Admin API.
const shopify = useFakeAdminApi();
afterEach(() => expect(shopify.calls, "the routing plan must not call Shopify").toEqual([]));

beforeAll(async () => {
  demoShopId = (await seedDemoMarketplace(db, { now: NOW, orderDays: 3 })).shopId;
  demoKey = (await createApiKey(demoShopId, "routing test")).key;
  // Another shop with a hub in the same street and its own product under the same SKU.
  const other = await makeShop(db, "other-routing.myshopify.com");
  const node = await makeNode(db, other.id, { handle: "other-hub", name: "Other hub" });
  const product = await makeProduct(db, other.id, { sku: "KK-MUG-SPK-12" });
  await db.stockLevel.create({ data: { shopId: other.id, nodeId: node.id, productId: product.id, available: 50 } });
  otherKey = (await createApiKey(other.id, "other")).key;
}, 120_000);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  invalidateQuoteCache();
});
afterEach(() => vi.useRealTimers());

describe("POST /api/v1/routing/plan", () => {
  it("answers 401 without a key or with a wrong one, 405 for GET", async () => {
    expect((await call(action, { orders: [mugOrder("a")] })).status).toBe(401);
    expect((await call(action, { orders: [mugOrder("a")] }, "nh_live_nottherealkey000000000000")).status).toBe(401);
    expect((await call(loader, undefined, demoKey, "GET")).status).toBe(405);
  });

  it("answers 400 naming the field that is wrong", async () => {
    const cases: [unknown, RegExp][] = [
      ["{not json", /body: not valid JSON/],
      [{}, /^orders: /],
      [{ orders: [] }, /orders: orders needs at least one order/],
      [{ orders: [{ ...mugOrder("a"), lines: [{ sku: "KK-MUG-SPK-12", quantity: 0 }] }] }, /orders\.0\.lines\.0\.quantity: quantity must be at least 1/],
      [{ orders: [{ ...mugOrder("a"), destination: { country: "USA" } }] }, /orders\.0\.destination\.country: country must be a two-letter code/],
      [{ orders: [mugOrder("a", 1, { placedAt: "yesterday" })] }, /orders\.0\.placedAt: placedAt must be an ISO 8601 date-time/],
      // The documented limits (README "Limits"): beyond them a 400, before any planning work.
      [{ orders: Array.from({ length: 501 }, (_, i) => mugOrder(`o-${i}`)) }, /orders: orders has at most 500 orders/],
      [{ orders: [{ ...mugOrder("a"), lines: Array.from({ length: 201 }, () => ({ sku: "KK-MUG-SPK-12", quantity: 1 })) }] }, /orders\.0\.lines: lines has at most 200 lines/],
    ];
    for (const [body, message] of cases) {
      const res = await call(action, body, demoKey);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error).toMatch(message);
    }
  });

  it("assigns each order to the cheapest node that keeps its promise, with costs, alternatives and reasons, and stores nothing", async () => {
    const before = await db.routingDecision.count();
    const res = await call(action, { orders: [mugOrder("A-1"), mugOrder("A-2", 1, { serviceCode: "NH:nj-secaucus-dc:STANDARD" })] }, demoKey);
    expect(res.status).toBe(200);
    const plan: ApiRoutingPlan = routingPlanSchema.parse(await res.json());
    const [a1, a2] = plan.orders;
    expect(a1).toMatchObject({ id: "A-1", status: "ROUTED", placed: "coordinates" });
    expect(a1.shipments.map((s) => s.node.handle)).toEqual(["nyc-bk-hub"]);
    expect(a1.shipments[0].cost.total.amountMinor).toBe(a1.shipments[0].cost.forward.amountMinor + a1.shipments[0].cost.expectedReturns.amountMinor);
    expect(a1.alternatives.length).toBeGreaterThan(0);
    expect(a1.alternatives.every((alt) => alt.delta.amountMinor > 0 && alt.lost.length > 0)).toBe(true);
    // The shopper chose Secaucus standard at checkout: kept, though Brooklyn is cheaper.
    expect(a2.shipments.map((s) => s.serviceCode)).toEqual(["NH:nj-secaucus-dc:STANDARD"]);
    expect(a2.promise).toMatchObject({ requested: "NH:nj-secaucus-dc:STANDARD", status: "KEPT" });
    expect(a2.total.amountMinor).toBeGreaterThan(a1.total.amountMinor);
    expect(plan.totals).toMatchObject({ orders: 2, routed: 2, unroutable: 0, shipments: 2 });
    expect(plan.totals.total.amountMinor).toBe(a1.total.amountMinor + a2.total.amountMinor);
    expect(await db.routingDecision.count()).toBe(before);
  });

  it("reports orders no node can serve as UNROUTABLE with the reason, never dropping them", async () => {
    const res = await call(action, { orders: [{ id: "X-1", lines: [{ sku: "NOT-A-SKU", quantity: 1 }], destination: { country: "US", postalCode: "11211" } }, mugOrder("X-2")] }, demoKey);
    const plan = routingPlanSchema.parse(await res.json());
    expect(plan.orders.map((o) => [o.id, o.status])).toEqual([["X-1", "UNROUTABLE"], ["X-2", "ROUTED"]]);
    expect(plan.orders[0]).toMatchObject({ unknownSkus: ["NOT-A-SKU"], placed: "postal_code", shipments: [], total: { amountMinor: 0 } });
    expect(plan.orders[0].reasons).toEqual(expect.arrayContaining(["unroutable: unknown product unknown SKU NOT-A-SKU"]));
    expect(plan.totals).toMatchObject({ orders: 2, routed: 1, unroutable: 1 });
  });

  it("lets orders compete for the same stock: Brooklyn's 4 mugs go to one order, the other ships from elsewhere", async () => {
    const res = await call(action, { orders: [mugOrder("S-1", 4), mugOrder("S-2", 4)] }, demoKey);
    const plan = routingPlanSchema.parse(await res.json());
    const nodes = plan.orders.map((o) => o.shipments.flatMap((s) => s.lines.map((l) => [s.node.handle, l.quantity])));
    const fromBrooklyn = nodes.flat().filter(([h]) => h === "nyc-bk-hub").reduce((n, [, q]) => n + Number(q), 0);
    expect(fromBrooklyn).toBeLessThanOrEqual(4);
    expect(plan.orders.every((o) => o.status === "ROUTED")).toBe(true);
  });

  it("uses only the key's shop: the other shop's nodes and stock, never the demo shop's", async () => {
    const res = await call(action, { orders: [mugOrder("O-1")] }, otherKey);
    expect(res.status).toBe(200);
    const plan = routingPlanSchema.parse(await res.json());
    const handles = new Set([...plan.orders[0].shipments.map((s) => s.node.handle), ...plan.orders[0].alternatives.flatMap((a) => a.nodes), ...plan.orders[0].excluded.map((e) => e.nodeHandle)]);
    expect([...handles]).toEqual(["other-hub"]);
  });
});
