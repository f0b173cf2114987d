// POST /api/v1/quotes over real Requests to the real action: the API key decides the shop, the
// body is parsed with the published schema (400 naming the field), and the answer carries every
// option's cost breakdown, the nodes left out and the fallback flag, matching the OpenAPI document.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { action, loader } from "~/routes/api.v1.quotes";
import { loader as openApiLoader } from "~/routes/api.v1.openapi[.]json";
import { createApiKey } from "~/services/api-keys.server";
import { quoteResponseSchema } from "~/services/open-api/schemas";
import { flushQuoteLogs, invalidateQuoteCache } from "~/services/quotes.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { makeNode, makeProduct, makeShop } from "../support/factories";

const NOW = new Date("2025-06-10T15:00:00Z");
type Handler = (args: { request: Request; params: object; context: object }) => Promise<Response> | Response;

async function call(handler: unknown, body: unknown, key?: string, method = "POST"): Promise<Response> {
  const request = new Request("http://127.0.0.1:3000/api/v1/quotes", {
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

const williamsburgCart = {
  lines: [
    { sku: "KK-MUG-SPK-12", quantity: 2, unitPriceMinor: 3800 },
    { sku: "PM-PIN-BCT-ENM", quantity: 1 },
  ],
  destination: { country: "us", postalCode: "11211", latitude: 40.7181, longitude: -73.9571 },
};

let demoKey: string;
let otherKey: string;
let demoShopId: string;
let otherNodeId: string;

beforeAll(async () => {
  demoShopId = (await seedDemoMarketplace(db, { now: NOW, orderDays: 30 })).shopId;
  for (const [handle, available] of [["nyc-bk-hub", 20], ["nj-secaucus-dc", 200]] as const) {
    const node = await db.node.findFirstOrThrow({ where: { shopId: demoShopId, handle } });
    for (const sku of ["KK-MUG-SPK-12", "PM-PIN-BCT-ENM"]) {
      const product = await db.product.findFirstOrThrow({ where: { shopId: demoShopId, sku } });
      await db.stockLevel.upsert({
        where: { nodeId_productId: { nodeId: node.id, productId: product.id } },
        create: { shopId: demoShopId, nodeId: node.id, productId: product.id, available },
        update: { available },
      });
    }
  }
  demoKey = (await createApiKey(demoShopId, "quotes test")).key;
  // Another shop with a node in the same street and its own product under the same SKU.
  const other = await makeShop(db, "other-market.myshopify.com");
  const node = await makeNode(db, other.id, { handle: "other-hub", name: "Other hub" });
  otherNodeId = node.id;
  const product = await makeProduct(db, other.id, { sku: "PM-PIN-BCT-ENM" });
  await db.stockLevel.create({ data: { shopId: other.id, nodeId: node.id, productId: product.id, available: 5 } });
  otherKey = (await createApiKey(other.id, "quotes test")).key;
}, 60_000);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  invalidateQuoteCache();
});
afterEach(() => vi.useRealTimers());

describe("POST /api/v1/quotes", () => {
  it("needs a valid API key", async () => {
    for (const key of [undefined, "nh_live_0000000000000000000000000000000000000000000000000000000000000000"]) {
      const res = await call(action, williamsburgCart, key);
      expect(res.status).toBe(401);
      expect(res.headers.get("WWW-Authenticate")).toBe("Bearer");
    }
  });

  it("answers 400 naming the field for a body that is not a quote request", async () => {
    const cases: [unknown, RegExp][] = [
      ["{not json", /^body: not valid JSON$/],
      [{}, /^lines: /],
      [{ ...williamsburgCart, lines: [] }, /^lines: lines needs at least one line/],
      [{ ...williamsburgCart, lines: [{ sku: "KK-MUG-SPK-12", quantity: 0 }] }, /^lines\.0\.quantity: quantity must be at least 1/],
      [{ ...williamsburgCart, lines: [{ quantity: 1 }] }, /^lines\.0\.sku: sku is required/],
      [{ ...williamsburgCart, destination: { country: "USA" } }, /^destination\.country: country must be a two-letter code/],
      [{ ...williamsburgCart, destination: { country: "US", latitude: 123 } }, /^destination\.latitude: /],
    ];
    for (const [body, message] of cases) {
      const res = await call(action, body, demoKey);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error).toMatch(message);
    }
    expect((await call(loader, null, demoKey, "GET")).status).toBe(405);
  });

  it("returns the options with their cost breakdowns, the excluded nodes with reasons, and the fallback flag", async () => {
    const res = await call(action, williamsburgCart, demoKey);
    expect(res.status).toBe(200);
    const quote = quoteResponseSchema.parse(await res.json());
    expect(quote).toMatchObject({ currency: "USD", fallbackUsed: false, fallbackReason: null, backupRates: [], unknownSkus: [] });
    expect(quote.destination).toMatchObject({ country: "US", placed: "coordinates" });

    const sameDay = quote.options.find((o) => o.serviceCode === "NH:nyc-bk-hub:SAME_DAY")!;
    expect(sameDay.node.handle).toBe("nyc-bk-hub");
    const codes = sameDay.cost.components.map((c) => c.code);
    expect(codes).toEqual(expect.arrayContaining(["handling", "courier_base", "courier_distance", "expected_returns"]));
    const forward = sameDay.cost.components.filter((c) => c.code !== "expected_returns").reduce((s, c) => s + c.amount.amountMinor, 0);
    expect(sameDay.cost.forward.amountMinor).toBe(forward);
    expect(sameDay.cost.total.amountMinor).toBe(forward + sameDay.cost.expectedReturns.amountMinor);
    expect(sameDay.pricing[0]).toMatchObject({ code: "MARGIN_PERCENT", before: { amountMinor: forward } });
    expect(sameDay.price.amountMinor).toBe(sameDay.pricing.at(-1)!.after.amountMinor);
    expect(Date.parse(sameDay.window.latest)).toBeGreaterThan(NOW.getTime());

    const standard = quote.options.find((o) => o.serviceCode === "NH:nj-secaucus-dc:STANDARD")!;
    expect(standard.cost.transit).toMatchObject({ mode: "CARRIER", zone: expect.any(String) });

    // The Austin nodes do not hold the mugs: excluded, with the reason.
    const austin = quote.excluded.find((e) => e.nodeHandle === "atx-east-hub" && e.service === null)!;
    expect(austin.reasons[0].code).toBe("NO_STOCK");

    await flushQuoteLogs();
    expect(await db.quoteLog.count({ where: { shopId: demoShopId, source: "OPEN_API" } })).toBeGreaterThan(0);
  });

  it("flags the fallback and prices the backup rates when live quoting cannot answer", async () => {
    const res = await call(action, { ...williamsburgCart, destination: { country: "GB", postalCode: "E1 6AN", latitude: 51.52, longitude: -0.07 } }, demoKey);
    const quote = quoteResponseSchema.parse(await res.json());
    expect(quote.fallbackUsed).toBe(true);
    expect(quote.options).toEqual([]);
    expect(quote.backupRates.map((b) => [b.serviceCode, b.price.amountMinor])).toEqual([
      ["NH:BACKUP:STANDARD", 0], // $88 of goods, over the demo's $75 threshold
      ["NH:BACKUP:EXPRESS", 2499],
    ]);
  });

  it("quotes only the key's shop: its own nodes and its own products", async () => {
    const res = await call(action, williamsburgCart, otherKey);
    expect(res.status).toBe(200);
    const quote = quoteResponseSchema.parse(await res.json());
    // The demo shop's mug is unknown to this shop; its pin is this shop's own product.
    expect(quote.unknownSkus).toEqual(["KK-MUG-SPK-12"]);
    const nodeIds = new Set([...quote.options.map((o) => o.node.id), ...quote.excluded.map((e) => e.nodeId)]);
    expect([...nodeIds]).toEqual([otherNodeId]);
    expect(JSON.stringify(quote)).not.toMatch(/nyc-bk-hub|Williamsburg Micro-hub|Secaucus/);
  });

  it("answers a cart from three sellers with split options and their parcels (issue 12)", async () => {
    const cart = {
      lines: [
        { sku: "KK-MUG-SPK-12", quantity: 1 },
        { sku: "PM-STK-SUB-10", quantity: 2 },
        { sku: "LS-CAP-6PN-NVY", quantity: 1 },
      ],
      destination: williamsburgCart.destination,
    };
    const res = await call(action, cart, demoKey);
    expect(res.status).toBe(200);
    const quote = quoteResponseSchema.parse(await res.json());
    expect(quote.fallbackUsed).toBe(false);
    const split = quote.options.filter((o) => o.parcels.length >= 2);
    expect(split.length).toBeGreaterThan(0);
    for (const o of split) {
      expect(o.serviceCode).toBe(`NH:${o.serviceCode.slice(3).split(":")[0]}:${o.service}`);
      expect(o.serviceCode.slice(3).split(":")[0].split("+").map((p) => p.split("~")[0])).toEqual(o.parcels.map((p) => p.node.handle));
      expect(o.description).toMatch(new RegExp(`^${o.parcels.length} parcels: `));
      expect(o.price.amountMinor).toBe(o.parcels.reduce((sum, p) => sum + p.price.amountMinor, 0));
      expect(o.parcels.flatMap((p) => p.lines.map((l) => `${l.sku}×${l.quantity}`)).sort()).toEqual(["KK-MUG-SPK-12×1", "LS-CAP-6PN-NVY×1", "PM-STK-SUB-10×2"]);
    }
    for (const o of quote.options.filter((x) => x.parcels.length === 1)) {
      expect(o.parcels[0]).toMatchObject({ node: o.node, service: o.service, lines: [], price: o.price, description: o.description });
    }
  });

  it("is documented in the OpenAPI document with its request and response schemas", async () => {
    const doc = await (await call(openApiLoader, null, undefined, "GET")).json();
    const op = doc.paths["/quotes"].post;
    expect(op.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/QuoteRequest");
    expect(op.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/Quote");
    expect(Object.keys(op.responses)).toEqual(["200", "400", "401", "429", "503"]);
    expect(doc.components.schemas.QuoteRequest.required).toEqual(["lines", "destination"]);
    expect(doc.components.schemas.QuoteOption.properties.service.enum).toContain("AUTONOMOUS");
    expect(doc.components.schemas.QuoteOption.required).toContain("parcels");
    expect(doc.components.schemas.QuoteParcel.properties.lines.type).toBe("array");
  });
});
