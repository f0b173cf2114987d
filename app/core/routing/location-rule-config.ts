// The configuration of the Plus order-routing location rule (extensions/order-routing-location-rule):
// what Nearhub's admin writes to the shop's app-owned metafield ($app:nearhub / location-rule-config,
// app/services/location-rule-config.server.ts) and the Function reads. The network as the routing
// core needs it (nodes keyed by their Shopify location, products keyed by their Shopify variants),
// the quote configuration (rate cards, couriers, node operations) and the routing weights. One
// schema in the core, imported by both sides; parsed with zod at the Function's boundary, where
// anything that does not parse gives a neutral ranking, never an error at checkout.
import { z } from "zod";
import { networkNodeSchema, productProfileSchema, type ProductProfile } from "../network/types";

export const METAFIELD_NAMESPACE = "$app:nearhub";
export const METAFIELD_KEY = "location-rule-config";
export const CONFIG_VERSION = 1;

/** A node the Function can match: gid://shopify/Location/… is how a location in its input is matched to it. */
const nodeSchema = networkNodeSchema.extend({ shopifyLocationId: z.string().min(1) });

const productSchema = productProfileSchema.extend({
  /** gid://shopify/ProductVariant/… of this product. */
  variantIds: z.array(z.string().min(1)).min(1),
});
export type LocationRuleProduct = ProductProfile & { variantIds: string[] };

export const locationRuleConfigSchema = z.object({
  version: z.literal(CONFIG_VERSION),
  currency: z.string().regex(/^[A-Z]{3}$/),
  shopId: z.string().min(1),
  nodes: z.array(nodeSchema),
  products: z.array(productSchema),
  /** QuoteConfigInput: parsed by core/quoting's prepareNetwork. */
  quote: z.record(z.string(), z.unknown()).default({}),
  /** RoutingConfigInput: parsed by core/routing's prepareRouting. */
  routing: z.record(z.string(), z.unknown()).default({}),
});
export type LocationRuleConfig = z.infer<typeof locationRuleConfigSchema>;
