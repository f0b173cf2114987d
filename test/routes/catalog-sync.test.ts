// Products and stock from Shopify: syncCatalog through the shop's offline session against the suite's
// fake of the Admin API (test/support/fake-admin-api.ts), answering the productVariants query in Shopify's documented shape (pages, weights in four units, inventory
// levels with named quantities), then inventory_levels/update delivered as Shopify delivers it
// (signed) to the real route. Then routing sees the synced stock.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as inventoryLevelUpdate } from "~/routes/webhooks.inventory_levels.update";
import { CATALOG_QUERY, NEW_PRODUCT_DEFAULTS, catalogSummary, queueCatalogSync, syncCatalog } from "~/services/catalog-sync.server";
import { drainJobs, lastJob } from "~/services/jobs/index.server";
import { loadRoutingNetwork } from "~/services/routing/snapshot.server";
import { unauthenticated } from "~/shopify.server";
import { recordingSleep } from "../support/clock";
import { useFakeAdminApi } from "../support/fake-admin-api";
import { makeNode, makeProduct, makeSession, makeShop } from "../support/factories";
import { webhookRequest } from "../support/shopify";

const BROOKLYN = "gid://shopify/Location/1001";
const WAREHOUSE = "gid://shopify/Location/1002";
const POPUP = "gid://shopify/Location/1003"; // no node is linked to it

type Level = [location: string, available: number, updatedAt?: string];
const SYNCED_AT = "2026-11-25T12:00:00Z";
const variant = (n: number, o: { sku: string | null; title?: string; price?: string; weight?: { unit: string; value: number } | null; levels: Level[]; productType?: string }) => ({
  id: `gid://shopify/ProductVariant/${n}`,
  sku: o.sku,
  title: o.title ?? "Default Title",
  price: o.price ?? "24.00",
  product: { title: `Product ${n}`, productType: o.productType ?? "" },
  inventoryItem: {
    id: `gid://shopify/InventoryItem/${n}`,
    measurement: { weight: o.weight === undefined ? { unit: "GRAMS", value: 450 } : o.weight },
    inventoryLevels: {
      nodes: o.levels.map(([location, available, updatedAt = SYNCED_AT]) => ({
        updatedAt,
        location: { id: location },
        quantities: [{ name: "available", quantity: available }],
      })),
    },
  },
});

/** Two pages, as Shopify pages a productVariants connection. */
const catalog = () => [
  [
    variant(1, { sku: "MUG-1", title: "Blue", price: "38.00", weight: { unit: "POUNDS", value: 1 }, levels: [[BROOKLYN, 4], [WAREHOUSE, 30], [POPUP, 2]], productType: "Mugs" }),
    variant(2, { sku: null, levels: [[WAREHOUSE, 9]] }),
    variant(3, { sku: "TEE-M", weight: { unit: "OUNCES", value: 8 }, levels: [[WAREHOUSE, -3]] }),
  ],
  [variant(4, { sku: "KNOWN-1", price: "120.50", weight: { unit: "KILOGRAMS", value: 2.5 }, levels: [[BROOKLYN, 1]] }), variant(5, { sku: "NOWEIGHT", weight: null, levels: [] })],
];

const shopify = useFakeAdminApi();
/** Syncs the shop's catalogue as Shopify holds it in `pages`, through the shop's offline session. */
async function sync(pages: ReturnType<typeof catalog>, opts?: Parameters<typeof syncCatalog>[2]) {
  shopify.shop(shop.domain).variantPages = pages;
  return syncCatalog(shop, (await unauthenticated.admin(shop.domain)).admin, opts);
}
const cursorsSent = () => shopify.callsOf("NearhubCatalog").map((c) => c.variables.after);

let shop: Awaited<ReturnType<typeof makeShop>>;
let brooklyn: { id: string };
let warehouse: { id: string };

beforeAll(async () => {
  shop = await makeShop(db);
  await makeSession(db, shop.domain);
  brooklyn = await makeNode(db, shop.id, { shopifyLocationId: BROOKLYN, name: "Brooklyn hub" });
  warehouse = await makeNode(db, shop.id, { shopifyLocationId: WAREHOUSE, name: "Warehouse", kind: "CENTRAL_WAREHOUSE", serviceRadiusM: null });
  // A product the merchant already described in Nearhub: its size and return rate stay.
  await makeProduct(db, shop.id, { sku: "KNOWN-1", lengthMm: 410, widthMm: 300, heightMm: 220, returnRateBps: 350, madeToOrder: true, weightGrams: 999 });
});

const stockOf = async (sku: string) => {
  const p = await db.product.findUniqueOrThrow({ where: { shopId_sku: { shopId: shop.id, sku } }, include: { stockLevels: true } });
  return Object.fromEntries(p.stockLevels.map((s) => [s.nodeId === brooklyn.id ? "brooklyn" : s.nodeId === warehouse.id ? "warehouse" : s.nodeId, s.available]));
};

describe("syncCatalog", () => {
  it("creates and updates products by SKU, converts weights, and writes stock at the nodes linked to Shopify locations", async () => {
    const pagesSeen: number[] = [];
    const r = await sync(catalog(), { onPage: (n) => pagesSeen.push(n) });
    expect(cursorsSent()).toEqual([null, "cursor-1"]);
    expect(shopify.callsOf("NearhubCatalog").map((c) => c.query)).toEqual([CATALOG_QUERY, CATALOG_QUERY]);
    expect(pagesSeen).toEqual([3, 5]);
    expect(r).toMatchObject({ variants: 5, created: 3, updated: 1, skippedWithoutSku: 1, stockLevels: 4, unlinkedLocations: [POPUP] });
    expect(r.needProfile.sort()).toEqual(["MUG-1", "NOWEIGHT", "TEE-M"]);

    const mug = await db.product.findUniqueOrThrow({ where: { shopId_sku: { shopId: shop.id, sku: "MUG-1" } } });
    expect(mug).toMatchObject({
      title: "Product 1 – Blue",
      shopifyVariantId: "gid://shopify/ProductVariant/1",
      shopifyInventoryItemId: "gid://shopify/InventoryItem/1",
      weightGrams: 454,
      valueMinor: 3800,
      category: "Mugs",
      lengthMm: NEW_PRODUCT_DEFAULTS.lengthMm,
      returnRateBps: NEW_PRODUCT_DEFAULTS.returnRateBps,
    });
    expect(await stockOf("MUG-1")).toEqual({ brooklyn: 4, warehouse: 30 });
    expect((await db.product.findUniqueOrThrow({ where: { shopId_sku: { shopId: shop.id, sku: "TEE-M" } } })).weightGrams).toBe(227);
    expect(await stockOf("TEE-M")).toEqual({ warehouse: 0 }); // Shopify's negative available counts as none
    expect((await db.product.findUniqueOrThrow({ where: { shopId_sku: { shopId: shop.id, sku: "NOWEIGHT" } } })).weightGrams).toBe(NEW_PRODUCT_DEFAULTS.weightGrams);

    // What Shopify knows is taken, what only Nearhub knows stays.
    const known = await db.product.findUniqueOrThrow({ where: { shopId_sku: { shopId: shop.id, sku: "KNOWN-1" } } });
    expect(known).toMatchObject({ weightGrams: 2500, valueMinor: 12050, lengthMm: 410, widthMm: 300, heightMm: 220, returnRateBps: 350, madeToOrder: true });

    expect(await catalogSummary(shop.id)).toEqual({ products: 4, fromShopify: 4, withDefaultProfile: 3, stockLevels: 4, nodesWithStock: 2 });
  });

  it("changes nothing the second time but what Shopify changed", async () => {
    const pages = catalog();
    pages[0][0] = variant(1, { sku: "MUG-1", title: "Blue", price: "38.00", weight: { unit: "POUNDS", value: 1 }, levels: [[BROOKLYN, 3, "2026-11-25T13:00:00Z"], [WAREHOUSE, 30]] });
    const r = await sync(pages);
    expect(r).toMatchObject({ created: 0, updated: 4, stockLevels: 4, unlinkedLocations: [] });
    expect(await db.product.count({ where: { shopId: shop.id } })).toBe(4);
    expect(await stockOf("MUG-1")).toEqual({ brooklyn: 3, warehouse: 30 });
  });
});

describe("inventory_levels/update", () => {
  const deliver = (payload: unknown, opts: { hmac?: string; webhookId?: string } = {}) =>
    inventoryLevelUpdate({
      request: webhookRequest("/webhooks/inventory_levels/update", payload, { shop: shop.domain, topic: "inventory_levels/update", ...opts }),
      params: {},
      context: {},
    });

  it("sets the level of the linked node, once per delivery, and routing sees it", async () => {
    const payload = { inventory_item_id: 1, location_id: 1001, available: 0, updated_at: "2026-11-25T14:00:00-05:00", admin_graphql_api_id: "gid://shopify/InventoryLevel/1?inventory_item_id=1" };
    const res = await deliver(payload, { webhookId: "inv-1" });
    expect(res.status).toBe(200);
    expect(await stockOf("MUG-1")).toEqual({ brooklyn: 0, warehouse: 30 });

    // The same delivery again changes nothing, even after the level moved on.
    await deliver({ ...payload, available: 7 }, { webhookId: "inv-2" });
    expect(await stockOf("MUG-1")).toEqual({ brooklyn: 7, warehouse: 30 });
    expect((await deliver(payload, { webhookId: "inv-1" })).status).toBe(200);
    expect(await stockOf("MUG-1")).toEqual({ brooklyn: 7, warehouse: 30 });

    const rs = await loadRoutingNetwork(shop);
    const mug = rs.net.productById.get((await db.product.findUniqueOrThrow({ where: { shopId_sku: { shopId: shop.id, sku: "MUG-1" } } })).id)!;
    const b = rs.net.nodeById.get(brooklyn.id)!;
    expect(rs.net.stock[b * rs.net.products.length + mug]).toBe(7);
  });

  it("creates a level Shopify starts tracking, and ignores unlinked locations, unknown items and bad signatures", async () => {
    const at = (minute: number) => `2026-11-25T15:${String(minute).padStart(2, "0")}:00-05:00`;
    expect((await deliver({ inventory_item_id: 3, location_id: 1001, available: 5, updated_at: at(1) })).status).toBe(200);
    expect(await stockOf("TEE-M")).toEqual({ brooklyn: 5, warehouse: 0 });
    expect((await deliver({ inventory_item_id: 3, location_id: 1003, available: 9, updated_at: at(2) })).status).toBe(200);
    expect((await deliver({ inventory_item_id: 999, location_id: 1001, available: 9, updated_at: at(2) })).status).toBe(200);
    expect(await db.stockLevel.count({ where: { shopId: shop.id } })).toBe(5);
    expect((await deliver({ inventory_item_id: 3, location_id: 1001, available: null, updated_at: at(3) })).status).toBe(200);
    expect(await stockOf("TEE-M")).toEqual({ brooklyn: 0, warehouse: 0 });

    expect((await deliver({ inventory_item_id: 3, location_id: 1001, available: 50, updated_at: at(4) }, { hmac: "bm90IHRoZSBzaWduYXR1cmU=" })).status).toBe(401);
    expect((await deliver({ inventory_item_id: 3, location_id: 1001, updated_at: at(4) })).status).toBe(400);
    const noTime = await deliver({ inventory_item_id: 3, location_id: 1001, available: 50 });
    expect(noTime.status).toBe(400); // without its update time a level cannot be ordered
    expect((await noTime.json()).error).toContain("updated_at");
    expect(await stockOf("TEE-M")).toEqual({ brooklyn: 0, warehouse: 0 });
  });
});

describe("levels out of order", () => {
  const deliver = (payload: unknown, webhookId: string) =>
    inventoryLevelUpdate({
      request: webhookRequest("/webhooks/inventory_levels/update", payload, { shop: shop.domain, topic: "inventory_levels/update", webhookId }),
      params: {},
      context: {},
    });
  const level = (available: number, time: string) => ({ inventory_item_id: 4, location_id: 1001, available, updated_at: `2026-11-25T${time}-05:00` });
  const known = () => stockOf("KNOWN-1").then((s) => s.brooklyn);

  it("keeps 3 from 12:00:05 when a late delivery stamped 12:00:00 says 40, and a replayed older body changes nothing", async () => {
    expect((await deliver(level(3, "12:00:05"), "late-1")).status).toBe(200);
    expect(await known()).toBe(3);
    expect((await deliver(level(40, "12:00:00"), "late-2")).status).toBe(200); // acknowledged, not applied
    expect(await known()).toBe(3);

    expect((await deliver(level(5, "12:00:06"), "late-3")).status).toBe(200);
    expect(await known()).toBe(5);
    expect((await deliver(level(3, "12:00:05"), "late-4")).status).toBe(200); // the first body under a new id
    expect(await known()).toBe(5);
    expect((await deliver(level(5, "12:00:06"), "late-5")).status).toBe(200); // the same body again
    const version = await db.webhookResource.findUniqueOrThrow({ where: { shopId_key: { shopId: shop.id, key: "inventory_level:4:1001" } } });
    expect(version).toMatchObject({ version: new Date("2026-11-25T17:00:06Z"), digest: "available:5", webhookId: "late-3" });
    expect(await db.webhookDelivery.count({ where: { shopId: shop.id, webhookId: { in: ["late-2", "late-4", "late-5"] } } })).toBe(0);
  });

  it("a sync keeps a level newer than the one it read, takes a newer one, and a webhook older than the sync's changes nothing", async () => {
    const r1 = await sync(catalog()); // KNOWN-1 at Brooklyn: 1, as of 12:00 UTC (07:00 in New York)
    expect(r1.keptNewer).toBeGreaterThanOrEqual(1);
    expect(await known()).toBe(5);

    const newer = catalog();
    newer[1][0] = variant(4, { sku: "KNOWN-1", price: "120.50", weight: { unit: "KILOGRAMS", value: 2.5 }, levels: [[BROOKLYN, 8, "2026-11-25T17:00:07Z"]] });
    await sync(newer);
    expect(await known()).toBe(8);

    expect((await deliver(level(2, "12:00:06"), "late-6")).status).toBe(200);
    expect(await known()).toBe(8);
  });
});

describe("the catalog.sync job", () => {
  it("syncs with the shop's offline session once per queueing, retries Shopify's failure, and says how it went", async () => {
    shopify.shop(shop.domain).variantPages = [[variant(9, { sku: "JOB-1", levels: [[WAREHOUSE, 5]] })]];
    expect(await queueCatalogSync(shop.id)).toBe(true);
    expect(await queueCatalogSync(shop.id)).toBe(false); // one waits already: the same work
    expect(await lastJob("catalog.sync", shop.id)).toMatchObject({ state: "waiting" });
    shopify.next("NearhubCatalog", "throttled", "throttled", "throttled", "throttled", "throttled", "throttled");
    const before = shopify.callsOf("NearhubCatalog").length;
    const { waits, sleep } = recordingSleep();
    await drainJobs({ names: ["catalog.sync"], sleep });
    const failed = await lastJob("catalog.sync", shop.id);
    expect(failed).toMatchObject({ state: "retrying", attempts: 1 });
    expect(failed!.lastError).toMatch(/throttl/i);
    // Four tries, waiting for the cost bucket between them (10 ms each, as the answers say), then the job's own retry.
    expect(waits).toEqual([10, 10, 10]);
    await drainJobs({ names: ["catalog.sync"], ignoreDelay: true, sleep });
    expect(waits).toEqual([10, 10, 10, 10, 10]);
    expect(await lastJob("catalog.sync", shop.id)).toMatchObject({ state: "completed", attempts: 2, lastError: null });
    expect(shopify.callsOf("NearhubCatalog").length).toBeGreaterThan(before);
    expect(await stockOf("JOB-1")).toEqual({ warehouse: 5 });
  });
});
