// What Nearhub's admin writes to the shop's app-owned metafield ($app:nearhub / location-rule-config)
// and the location rule reads: the network as the routing core needs it (nodes keyed by their
// Shopify location, products keyed by their Shopify variants), the quote configuration (rate cards,
// couriers, node operations) and the routing weights. Parsed with zod at the Function's boundary:
// anything that does not parse gives a neutral ranking, never an error at checkout.
import { z } from "zod";
import { NODE_KINDS, NODE_STATUSES, openingHoursSchema, polygonSchema, type NetworkNode, type ProductProfile } from "../../../app/core/network/types";

export const METAFIELD_NAMESPACE = "$app:nearhub";
export const METAFIELD_KEY = "location-rule-config";
export const CONFIG_VERSION = 1;

const nodeSchema = z.object({
  id: z.string().min(1),
  handle: z.string().min(1),
  name: z.string(),
  kind: z.enum(NODE_KINDS),
  status: z.enum(NODE_STATUSES),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  timezone: z.string().min(1),
  postalCode: z.string(),
  country: z.string().length(2),
  /** gid://shopify/Location/…: how a location in the Function's input is matched to this node. */
  shopifyLocationId: z.string().min(1),
  serviceArea: z.object({ radiusM: z.number().positive().nullable(), polygon: polygonSchema.nullable() }),
  openingHours: openingHoursSchema,
  sameDayCutoff: z.string().nullable(),
  dailyCapacity: z.number().int().nonnegative(),
  handlingCostMinor: z.number().int().nonnegative(),
  pickupCostMinor: z.number().int().nonnegative(),
  sellerId: z.string().nullable(),
  // Configurations published before these fields parse as they behaved then.
  acceptsReturns: z.boolean().default(true),
  inspectionHours: z.number().int().positive().nullable().default(null),
}) satisfies z.ZodType<NetworkNode>;

const productSchema = z.object({
  id: z.string().min(1),
  sku: z.string(),
  title: z.string(),
  sellerId: z.string().nullable(),
  category: z.string(),
  weightGrams: z.number().int().nonnegative(),
  lengthMm: z.number().int().nonnegative(),
  widthMm: z.number().int().nonnegative(),
  heightMm: z.number().int().nonnegative(),
  valueMinor: z.number().int().nonnegative(),
  returnRateBps: z.number().int().nonnegative(),
  madeToOrder: z.boolean(),
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
