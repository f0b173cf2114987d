// The configuration of the Plus location rule (extensions/order-routing-location-rule): built from
// the shop's nodes (those linked to a Shopify location), products (those with a Shopify variant),
// shipping and routing settings, and written to the shop's app-owned metafield with metafieldsSet.
// Called when routing settings are saved in a connected store; in demo mode there is no store, so
// it does nothing and says so. Never throws for Shopify's answers: the outcome is returned and logged.
import type { Shop } from "@prisma/client";
import { z } from "zod";
import { db } from "~/db.server";
import type { NetworkNode } from "~/core/network/types";
import {
  CONFIG_VERSION,
  METAFIELD_KEY,
  METAFIELD_NAMESPACE,
  locationRuleConfigSchema,
  type LocationRuleConfig,
} from "~/core/routing/location-rule-config";
import { logger } from "./logger.server";
import { toNetworkNode } from "./network.server";
import { getRoutingSettings } from "./routing-settings.server";
import { getShopShipping, quoteConfigOf } from "./shipping-settings.server";
import { adminMutation, adminQuery, ShopifyUserErrors, userErrorSchema, type AdminGraphql } from "./shopify-admin.server";

export type PublishStatus = "published" | "demo" | "failed";

export interface PublishOutcome {
  status: PublishStatus;
  message: string;
  nodes: number;
  products: number;
}

/** The metafield's value for this shop, validated with the schema the Function parses. */
export async function buildLocationRuleConfig(shopId: string, currency: string): Promise<LocationRuleConfig> {
  const [nodeRows, productRows, shipping, routing] = await Promise.all([
    db.node.findMany({ where: { shopId, shopifyLocationId: { not: null } }, orderBy: { handle: "asc" } }),
    db.product.findMany({ where: { shopId, shopifyVariantId: { not: null } }, orderBy: { sku: "asc" } }),
    getShopShipping(shopId),
    getRoutingSettings(shopId),
  ]);
  const nodes: (NetworkNode & { shopifyLocationId: string })[] = [];
  for (const row of nodeRows) {
    try {
      const n = toNetworkNode(row);
      if (n.shopifyLocationId) nodes.push({ ...n, shopifyLocationId: n.shopifyLocationId });
    } catch (error) {
      logger.warn({ shopId, node: row.handle, error: (error as Error).message }, "location rule: node left out");
    }
  }
  return locationRuleConfigSchema.parse({
    version: CONFIG_VERSION,
    currency,
    shopId,
    nodes,
    products: productRows.map((p) => ({
      id: p.id,
      sku: p.sku,
      title: p.title,
      sellerId: p.sellerId,
      category: p.category,
      weightGrams: p.weightGrams,
      lengthMm: p.lengthMm,
      widthMm: p.widthMm,
      heightMm: p.heightMm,
      valueMinor: p.valueMinor,
      returnRateBps: p.returnRateBps,
      madeToOrder: p.madeToOrder,
      variantIds: [p.shopifyVariantId!],
    })),
    quote: quoteConfigOf(shipping, nodeRows),
    routing: routing.config,
  });
}

const SHOP_QUERY = `#graphql
  query NearhubShopId { shop { id } }`;

const SET_MUTATION = `#graphql
  mutation NearhubLocationRuleConfig($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { id namespace key }
      userErrors { field message code }
    }
  }`;

const shopAnswer = z.object({ shop: z.object({ id: z.string() }) });
const setPayload = z.object({ metafields: z.array(z.object({ id: z.string() })).nullish(), userErrors: z.array(userErrorSchema) });

export async function publishLocationRuleConfig(shop: Pick<Shop, "id" | "currency">, admin: AdminGraphql | null): Promise<PublishOutcome> {
  const config = await buildLocationRuleConfig(shop.id, shop.currency);
  const counts = { nodes: config.nodes.length, products: config.products.length };
  if (!admin) {
    return { status: "demo", message: "demo mode: no store is connected, the location rule's configuration was not sent", ...counts };
  }
  try {
    const { shop: owner } = await adminQuery(admin, SHOP_QUERY, undefined, shopAnswer);
    const metafields = [{ ownerId: owner.id, namespace: METAFIELD_NAMESPACE, key: METAFIELD_KEY, type: "json", value: JSON.stringify(config) }];
    await adminMutation(admin, SET_MUTATION, { metafields }, "metafieldsSet", setPayload);
    return { status: "published", message: `configuration with ${counts.nodes} nodes and ${counts.products} products published`, ...counts };
  } catch (error) {
    if (error instanceof ShopifyUserErrors) {
      const message = error.userErrors.map((e) => `${e.field?.join(".") ?? "metafield"}: ${e.message}`).join("; ");
      logger.warn({ shopId: shop.id, errors: error.userErrors }, "location rule configuration refused by Shopify");
      return { status: "failed", message, ...counts };
    }
    logger.warn({ shopId: shop.id, error: (error as Error).message }, "location rule configuration not published");
    return { status: "failed", message: (error as Error).message, ...counts };
  }
}
