// The shop's catalogue and stock, read from Shopify: every product variant with a SKU becomes (or
// updates) a Nearhub product, and its available quantity at each Shopify location linked to a node
// becomes that node's stock. Routing, quoting and returns read only these tables, so without this a
// connected store would have no stock anywhere.
//
//   syncCatalog(shop, admin)                 on install (afterAuth) and from the Network page
//   handleInventoryLevelWebhook(request)     inventory_levels/update keeps one level current
//
// Both write a level only when it is newer than the one Nearhub holds: Shopify does not deliver
// webhooks in order, and a sync may read a level a webhook already brought. Each level's version
// (Shopify's updated_at / updatedAt) is kept under its natural key by webhooks.server.ts
// (claimResource), which both writers ask.
//
// What Shopify knows is taken from Shopify (title, variant and inventory item ids, price, weight
// when set); what it does not know stays as the merchant set it in Nearhub (dimensions, return
// rate, made to order, seller). A new product gets documented defaults for those, flagged in the
// result so the Network page can say which products still need their logistics profile.
import { z } from "zod";
import { db } from "~/db.server";
import { currencyDigits } from "~/core/money/money";
import { priceToMinor } from "./carrier-rates.server";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { defineJob, enqueue } from "./jobs/index.server";
import { logger } from "./logger.server";
import { bumpConfigVersion, configChanged } from "./config-version.server";
import { adminQuery, gid, offlineAdmin, type AdminGraphql, type CallOptions } from "./shopify-admin.server";
import { timestampSchema } from "./shopify-payload";
import { claimResource, handleWebhook, type Tx } from "./webhooks.server";
import { enqueueHubGuards } from "./campaigns/guardrails.server";

// 25 variants × (1 + inventory item + 20 levels) ≈ 560 requested points, under the 1,000-point
// ceiling of one query; a variant stocked at more than 20 locations keeps its other levels as they were.
export const CATALOG_QUERY = `#graphql
  query NearhubCatalog($after: String) {
    productVariants(first: 25, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        sku
        title
        price
        product { title productType }
        inventoryItem {
          id
          measurement { weight { unit value } }
          inventoryLevels(first: 20) {
            nodes { updatedAt location { id } quantities(names: ["available"]) { name quantity } }
          }
        }
      }
    }
  }`;

const GRAMS_PER: Record<string, number> = { GRAMS: 1, KILOGRAMS: 1000, OUNCES: 28.349523125, POUNDS: 453.59237 };

const levelSchema = z.object({
  updatedAt: timestampSchema,
  location: z.object({ id: z.string() }),
  quantities: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
});
const variantSchema = z.object({
  id: z.string(),
  sku: z.string().nullish(),
  title: z.string().nullish(),
  price: z.union([z.string(), z.number()]).nullish(),
  product: z.object({ title: z.string(), productType: z.string().nullish() }),
  inventoryItem: z
    .object({
      id: z.string(),
      measurement: z.object({ weight: z.object({ unit: z.string(), value: z.number() }).nullish() }).nullish(),
      inventoryLevels: z.object({ nodes: z.array(levelSchema) }),
    })
    .nullish(),
});
const pageSchema = z.object({
  productVariants: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
    nodes: z.array(variantSchema),
  }),
});
type ShopifyVariant = z.infer<typeof variantSchema>;

/** What a new product gets for what Shopify does not know (the merchant refines it in Nearhub). */
export const NEW_PRODUCT_DEFAULTS = { lengthMm: 250, widthMm: 200, heightMm: 100, weightGrams: 500, returnRateBps: 800, category: "general" } as const;

export interface CatalogSyncResult {
  variants: number;
  created: number;
  updated: number;
  /** Variants without a SKU: Nearhub keys products by SKU, so these are left out. */
  skippedWithoutSku: number;
  stockLevels: number;
  /** Levels left as they were because Nearhub already holds a newer one (from inventory_levels/update). */
  keptNewer: number;
  /** Shopify locations holding stock that no node is linked to (link them on the Network page). */
  unlinkedLocations: string[];
  /** SKUs created with default dimensions and return rate. */
  needProfile: string[];
}

function weightGrams(v: ShopifyVariant): number | null {
  const w = v.inventoryItem?.measurement?.weight;
  const factor = w ? GRAMS_PER[w.unit] : undefined;
  return w && factor && w.value > 0 ? Math.max(1, Math.round(w.value * factor)) : null;
}

function titleOf(v: ShopifyVariant): string {
  const variant = v.title?.trim();
  return variant && variant !== "Default Title" ? `${v.product.title} – ${variant}` : v.product.title;
}

/** A null `available` (the item stopped being tracked) and a negative one count as none. */
function unitsOf(available: number | null): number {
  return Math.max(0, available ?? 0);
}

function available(level: z.infer<typeof levelSchema>): number {
  return unitsOf(level.quantities.find((q) => q.name === "available")?.quantity ?? 0);
}

export async function syncCatalog(
  shop: { id: string; domain: string; currency: string },
  admin: AdminGraphql,
  opts: { call?: CallOptions; onPage?: (variantsSoFar: number) => void } = {},
): Promise<CatalogSyncResult> {
  const nodes = await db.node.findMany({ where: { shopId: shop.id, shopifyLocationId: { not: null } }, select: { id: true, shopifyLocationId: true } });
  const nodeOfLocation = new Map(nodes.map((n) => [n.shopifyLocationId!, n.id]));
  const digits = currencyDigits(shop.currency);
  const result: CatalogSyncResult = { variants: 0, created: 0, updated: 0, skippedWithoutSku: 0, stockLevels: 0, keptNewer: 0, unlinkedLocations: [], needProfile: [] };
  const unlinked = new Set<string>();
  let after: string | null = null;
  do {
    const page: z.infer<typeof pageSchema> = await adminQuery(admin, CATALOG_QUERY, { after }, pageSchema, opts.call);
    const variants = page.productVariants.nodes;
    result.variants += variants.length;
    await db.$transaction(async (tx) => {
      for (const v of variants) {
        const sku = v.sku?.trim();
        if (!sku) {
          result.skippedWithoutSku++;
          continue;
        }
        const fromShopify = {
          title: titleOf(v),
          shopifyVariantId: v.id,
          shopifyInventoryItemId: v.inventoryItem?.id ?? null,
          ...(v.price != null ? { valueMinor: priceToMinor(String(v.price), digits) } : {}),
          ...(weightGrams(v) !== null ? { weightGrams: weightGrams(v)! } : {}),
        };
        const existing = await tx.product.findUnique({ where: { shopId_sku: { shopId: shop.id, sku } }, select: { id: true } });
        const product = existing
          ? await tx.product.update({ where: { id: existing.id }, data: fromShopify, select: { id: true } })
          : await tx.product.create({
              data: {
                shopId: shop.id,
                sku,
                category: v.product.productType?.trim() || NEW_PRODUCT_DEFAULTS.category,
                weightGrams: NEW_PRODUCT_DEFAULTS.weightGrams,
                lengthMm: NEW_PRODUCT_DEFAULTS.lengthMm,
                widthMm: NEW_PRODUCT_DEFAULTS.widthMm,
                heightMm: NEW_PRODUCT_DEFAULTS.heightMm,
                valueMinor: 0,
                returnRateBps: NEW_PRODUCT_DEFAULTS.returnRateBps,
                ...fromShopify,
              },
              select: { id: true },
            });
        if (existing) result.updated++;
        else {
          result.created++;
          result.needProfile.push(sku);
        }
        for (const level of v.inventoryItem?.inventoryLevels.nodes ?? []) {
          const nodeId = nodeOfLocation.get(level.location.id);
          if (!nodeId) {
            if (available(level) > 0) unlinked.add(level.location.id);
            continue;
          }
          // A webhook may have brought a newer level already: that one stays.
          const claim = await claimResource(tx, shop.id, levelRef(v.inventoryItem!.id, level.location.id, available(level), level.updatedAt), null);
          if (claim === "stale") {
            result.keptNewer++;
            continue;
          }
          if (claim === "new") await upsertLevel(tx, shop.id, nodeId, product.id, available(level));
          result.stockLevels++;
        }
      }
      // Products and stock changed: every process's quote cache reloads (ADR 0019).
      await bumpConfigVersion(tx, shop.id);
    });
    opts.onPage?.(result.variants);
    after = page.productVariants.pageInfo.hasNextPage ? (page.productVariants.pageInfo.endCursor ?? null) : null;
  } while (after);
  result.unlinkedLocations = [...unlinked].sort();
  configChanged(shop.id);
  logger.info({ shop: shop.domain, ...result, needProfile: result.needProfile.length }, "catalog sync: done");
  return result;
}

/**
 * The catalogue read from Shopify as a job (ADR 0022), one per shop at a time: after install and from
 * the Network page's button, with the shop's offline session. Each page is its own transaction, so
 * an attempt that fails half-way is resumed by the retry without duplicating anything (products
 * are keyed by SKU, levels by their version).
 */
export const catalogSyncJob = defineJob<{ shopId: string }>({
  name: "catalog.sync",
  switch: "catalog",
  retries: 3,
  backoff: { type: "exponential", delayMs: 30_000, maxMs: 10 * 60_000 },
  timeout: 15 * 60_000,
  run: async ({ shopId }, ctx) => {
    const shop = await db.shop.findUnique({ where: { id: shopId }, select: { id: true, domain: true, currency: true, uninstalledAt: true } });
    if (!shop || shop.uninstalledAt) return { synced: false, why: "the shop is not installed" };
    let admin: AdminGraphql;
    try {
      admin = await offlineAdmin(shop.domain);
    } catch (error) {
      if (error instanceof SessionNotFoundError) return { synced: false, why: "no offline session" };
      throw error;
    }
    return syncCatalog(shop, admin, { call: { sleep: ctx.sleep } });
  },
});

/** Queues the shop's catalogue sync (nothing more while one waits). */
export function queueCatalogSync(shopId: string, tx: Tx | typeof db = db): Promise<boolean> {
  return enqueue(tx, catalogSyncJob, { shopId }, { key: shopId });
}

/** What the Network page shows of the catalogue. */
export async function catalogSummary(shopId: string) {
  const d = NEW_PRODUCT_DEFAULTS;
  const [products, fromShopify, withDefaultProfile, levels] = await Promise.all([
    db.product.count({ where: { shopId } }),
    db.product.count({ where: { shopId, shopifyVariantId: { not: null } } }),
    db.product.count({ where: { shopId, lengthMm: d.lengthMm, widthMm: d.widthMm, heightMm: d.heightMm, returnRateBps: d.returnRateBps } }),
    db.stockLevel.groupBy({ by: ["nodeId"], where: { shopId }, _count: { _all: true } }),
  ]);
  return { products, fromShopify, withDefaultProfile, stockLevels: levels.reduce((s, l) => s + l._count._all, 0), nodesWithStock: levels.length };
}

// ---------------------------------------------------------------------------------------------
// inventory_levels/update

/** Shopify's payload: numeric ids of the inventory item and location, the available quantity and when it changed. */
export const inventoryLevelSchema = z
  .object({
    inventory_item_id: z.union([z.number().int(), z.string().regex(/^\d{1,20}$/)]),
    location_id: z.union([z.number().int(), z.string().regex(/^\d{1,20}$/)]),
    available: z.number().int().nullable(),
    updated_at: timestampSchema,
  })
  .passthrough();

/** One level's natural key, the same from a webhook (numeric ids) and from a sync (gids). */
function levelKey(inventoryItem: string | number, location: string | number): string {
  const tail = (id: string | number) => String(id).split("/").pop();
  return `inventory_level:${tail(inventoryItem)}:${tail(location)}`;
}

/** A level's version for claimResource: Shopify's update time, and the quantity as the state's digest. */
function levelRef(inventoryItem: string | number, location: string | number, units: number, updatedAt: Date) {
  return { key: levelKey(inventoryItem, location), version: updatedAt, digest: `available:${units}` };
}

/**
 * The one write of a node's stock of a product: Shopify's quantity (a sync, inventory_levels/update),
 * or `{ add }` units on top of the level held (the demo's restock, below).
 */
function upsertLevel(tx: Tx, shopId: string, nodeId: string, productId: string, units: number | { add: number }) {
  return tx.stockLevel.upsert({
    where: { nodeId_productId: { nodeId, productId } },
    create: { shopId, nodeId, productId, available: typeof units === "number" ? units : units.add },
    update: { available: typeof units === "number" ? units : { increment: units.add } },
  });
}

/**
 * One level: the node linked to the location and the product of the inventory item, if Nearhub
 * has both (else nothing: an unlinked location or an item without a SKU is not routed anyway).
 * The level is a latest state: handleWebhook applies a delivery only when its updated_at is newer
 * than the level's version (from an earlier delivery or a sync), so a late or replayed one changes nothing.
 */
export async function handleInventoryLevelWebhook(request: Request): Promise<Response> {
  let changed: string | null = null;
  const response = await handleWebhook(request, {
    topic: "inventory_levels/update",
    schema: inventoryLevelSchema,
    resource: (p) => levelRef(p.inventory_item_id, p.location_id, unitsOf(p.available), p.updated_at),
    act: async (tx, ctx) => {
      if (!ctx.shop) return;
      const p = ctx.payload;
      const node = await tx.node.findFirst({ where: { shopId: ctx.shop.id, shopifyLocationId: gid("Location", p.location_id) }, select: { id: true } });
      const product = await tx.product.findFirst({
        where: { shopId: ctx.shop.id, shopifyInventoryItemId: gid("InventoryItem", p.inventory_item_id) },
        select: { id: true },
      });
      if (!node || !product) {
        logger.info({ shop: ctx.shopDomain, location: p.location_id, item: p.inventory_item_id }, "inventory level for an unlinked location or unknown item: ignored");
        return;
      }
      await upsertLevel(tx, ctx.shop.id, node.id, product.id, unitsOf(p.available));
      await bumpConfigVersion(tx, ctx.shop.id); // every process's quote cache reloads the stock
      await enqueueHubGuards(tx, ctx.shop.id, [node.id]); // the hub's campaigns re-check their stock guardrails
      changed = ctx.shop.id;
    },
  });
  // After the commit: this process's quotes and routing load the new level on their next request.
  if (changed) configChanged(changed);
  return response;
}

/**
 * A returned item restocked at a hub, where there is no Shopify to do it (demo mode). In a connected
 * store the return's disposition (RESTOCKED at the hub's location) adds the units to Shopify's
 * available quantity there, and the inventory_levels/update Shopify then sends sets the hub's level
 * here. The demo applies that same change through the same write: the level plus the units, once per
 * `onceKey` (the restock effect's key: the returns outbox may run an effect again after a crash), with
 * the shop's configuration version moved so every process's quote cache reloads the stock. False when nothing changed (applied already, or the hub or product is not the
 * shop's, as the webhook ignores an unlinked location or an unknown item).
 */
export async function restockAsShopifyWould(shopId: string, nodeId: string, productId: string, quantity: number, onceKey: string): Promise<boolean> {
  const applied = await db.$transaction(async (tx) => {
    const [node, product] = await Promise.all([
      tx.node.findFirst({ where: { id: nodeId, shopId }, select: { id: true } }),
      tx.product.findFirst({ where: { id: productId, shopId }, select: { id: true } }),
    ]);
    if (!node || !product) {
      logger.info({ shopId, nodeId, productId }, "restock of a hub or product this shop does not have: ignored");
      return false;
    }
    if ((await claimResource(tx, shopId, { key: `restock:${onceKey}`, version: null, digest: "" }, null)) !== "new") return false;
    await upsertLevel(tx, shopId, node.id, product.id, { add: quantity });
    await bumpConfigVersion(tx, shopId); // every process's quote cache reloads the stock
    return true;
  });
  if (applied) configChanged(shopId);
  return applied;
}
