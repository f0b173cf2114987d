// The open API over real Requests to the real loaders: per-shop keys, pagination, shop
// isolation, and responses that match the published OpenAPI schemas.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loader as nodesLoader } from "~/routes/api.v1.nodes";
import { loader as productsLoader } from "~/routes/api.v1.products";
import { loader as openApiLoader } from "~/routes/api.v1.openapi[.]json";
import { loader as healthLoader } from "~/routes/healthz";
import { createApiKey, revokeApiKey } from "~/services/api-keys.server";
import { nodeListSchema, productListSchema } from "~/services/open-api/schemas";
import { makeNode, makeProduct, makeShop } from "../support/factories";

type Loader = (args: { request: Request; params: object; context: object }) => Promise<Response> | Response;

/** Loaders throw Responses for 4xx; either way we get the Response. */
async function get(loader: unknown, path: string, key?: string): Promise<Response> {
  const request = new Request(`http://127.0.0.1:3000${path}`, {
    headers: key ? { Authorization: `Bearer ${key}` } : {},
  });
  try {
    return await (loader as Loader)({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

let keyA: string;
let keyB: string;
let shopAId: string;
const nodeIdsA: string[] = [];

beforeAll(async () => {
  const shopA = await makeShop(db, "api-alpha.myshopify.com");
  const shopB = await makeShop(db, "api-bravo.myshopify.com");
  shopAId = shopA.id;
  for (let i = 0; i < 5; i++) nodeIdsA.push((await makeNode(db, shopA.id)).id);
  const nodeB = await makeNode(db, shopB.id, { name: "Bravo secret hub" });
  const product = await makeProduct(db, shopA.id, { sku: "MUG-1" });
  await db.stockLevel.create({ data: { shopId: shopA.id, nodeId: nodeIdsA[0], productId: product.id, available: 7 } });
  const productB = await makeProduct(db, shopB.id, { sku: "B-ONLY" });
  await db.stockLevel.create({ data: { shopId: shopB.id, nodeId: nodeB.id, productId: productB.id, available: 3 } });
  keyA = (await createApiKey(shopA.id, "script")).key;
  keyB = (await createApiKey(shopB.id, "script")).key;
});

describe("GET /api/v1/nodes", () => {
  it("refuses a request without a key, with a bad key, and with a malformed header", async () => {
    for (const key of [undefined, "nh_live_00000000000000000000000000000000000000000000000000000000000000"]) {
      const res = await get(nodesLoader, "/api/v1/nodes", key);
      expect(res.status).toBe(401);
      expect(res.headers.get("WWW-Authenticate")).toBe("Bearer");
    }
    const res = await nodesLoader({
      request: new Request("http://127.0.0.1:3000/api/v1/nodes", { headers: { Authorization: keyA } }),
      params: {},
      context: {},
    }).catch((r: Response) => r);
    expect(res.status).toBe(401);
  });

  it("returns only the key's shop's nodes, in pages, matching the published schema", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(nodesLoader, `/api/v1/nodes?limit=2${cursor ? `&cursor=${cursor}` : ""}`, keyA);
      expect(res.status).toBe(200);
      const body = nodeListSchema.parse(await res.json());
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data.map((n) => n.id));
      cursor = body.pagination.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...nodeIdsA].sort());

    const other = nodeListSchema.parse(await (await get(nodesLoader, "/api/v1/nodes", keyB)).json());
    expect(other.data.map((n) => n.name)).toEqual(["Bravo secret hub"]);
    expect(other.data.map((n) => n.id)).not.toContain(nodeIdsA[0]);
  });

  it("answers 400 naming the parameter for a bad limit", async () => {
    const res = await get(nodesLoader, "/api/v1/nodes?limit=500", keyA);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/^limit: /);
  });

  it("stops accepting a key once it is revoked", async () => {
    const { key, record } = await createApiKey(shopAId, "temporary");
    expect((await get(nodesLoader, "/api/v1/nodes", key)).status).toBe(200);
    await revokeApiKey(shopAId, record.id);
    expect((await get(nodesLoader, "/api/v1/nodes", key)).status).toBe(401);
  });
});

describe("GET /api/v1/products", () => {
  it("returns logistics profiles with stock per node, for the key's shop only", async () => {
    const res = await get(productsLoader, "/api/v1/products", keyA);
    expect(res.status).toBe(200);
    const body = productListSchema.parse(await res.json());
    expect(body.data.map((p) => p.sku)).toEqual(["MUG-1"]);
    expect(body.data[0].stock).toEqual([expect.objectContaining({ nodeId: nodeIdsA[0], available: 7 })]);
    expect(body.data[0].value).toEqual({ amountMinor: 3500, currency: "USD" });
  });
});

describe("GET /api/v1/openapi.json and /healthz", () => {
  it("publishes an OpenAPI 3.1 document built from the same schemas", async () => {
    const res = await get(openApiLoader, "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(["/nodes", "/products", "/quotes", "/orders", "/returns", "/returns/plan", "/returns/{id}/events", "/routing/plan", "/permits", "/permits/{id}", "/permits.ics", "/nodes/{id}/availability", "/campaigns/plan", "/campaigns", "/campaigns/{id}"]);
    expect(doc.components.schemas.Node.properties.kind.enum).toContain("MICRO_FACTORY");
    expect(doc.components.schemas.Product.properties.stock.type).toBe("array");
    expect(doc.paths["/nodes"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["limit", "cursor"]);
    // every $ref resolves to a component
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas).toHaveProperty(ref);
  });

  it("answers /healthz with 200 while the database answers", async () => {
    const res = await get(healthLoader, "/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { state: "ok", problem: null }, quoteLogs: { dropped: 0 } });
  });
});
