// The open API's wire format, v1. These zod schemas are the single source for response
// building and for the OpenAPI document served at /api/v1/openapi.json.
import { z } from "zod";
import { NODE_KINDS, NODE_STATUSES, WEEKDAYS } from "~/core/network/types";

/** Named schemas of the wire format: each becomes a component of the OpenAPI document. */
export const apiRegistry = z.registry<{ id: string }>();

export const moneySchema = z
  .object({
    amountMinor: z.number().int().describe("Integer amount in minor units (cents)"),
    currency: z.string().length(3).describe("ISO 4217 currency code"),
  })
  .register(apiRegistry, { id: "Money" });

export const paginationQuerySchema = z.object({
  limit: z.coerce
    .number({ error: "limit must be a whole number" })
    .int("limit must be a whole number")
    .min(1, "limit must be at least 1")
    .max(100, "limit must be at most 100")
    .default(50),
  cursor: z.string().min(1).max(64).optional(),
});

const paginationSchema = z
  .object({
    limit: z.number().int(),
    nextCursor: z.string().nullable().describe("Pass as ?cursor= to get the next page; null on the last page"),
  })
  .register(apiRegistry, { id: "Pagination" });

const intervalSchema = z.tuple([z.string(), z.string()]);

export const apiNodeSchema = z
  .object({
    id: z.string(),
    handle: z.string(),
    name: z.string(),
    kind: z.enum(NODE_KINDS),
    status: z.enum(NODE_STATUSES),
    address: z.object({
      address1: z.string(),
      city: z.string(),
      province: z.string().nullable(),
      postalCode: z.string(),
      country: z.string(),
    }),
    location: z.object({ latitude: z.number(), longitude: z.number() }),
    timezone: z.string().describe("IANA time zone used for opening hours and cut-offs"),
    shopifyLocationId: z.string().nullable(),
    serviceArea: z.object({
      radiusM: z.number().int().nullable().describe("Radius in metres around the node"),
      polygon: z
        .object({ type: z.literal("Polygon"), coordinates: z.array(z.array(z.tuple([z.number(), z.number()]))) })
        .nullable()
        .describe("GeoJSON Polygon, [longitude, latitude]"),
    }),
    openingHours: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(intervalSchema)]))),
    sameDayCutoff: z.string().nullable().describe("Local HH:MM after which orders leave the next opening day"),
    dailyCapacity: z.number().int(),
    handlingCost: moneySchema,
    pickupCost: moneySchema,
  })
  .register(apiRegistry, { id: "Node" });

export const apiProductSchema = z
  .object({
    id: z.string(),
    sku: z.string(),
    title: z.string(),
    sellerId: z.string().nullable(),
    category: z.string(),
    weightGrams: z.number().int(),
    dimensionsMm: z.object({ length: z.number().int(), width: z.number().int(), height: z.number().int() }),
    value: moneySchema,
    returnRateBps: z.number().int().describe("Typical return rate in basis points"),
    madeToOrder: z.boolean(),
    stock: z.array(
      z.object({ nodeId: z.string(), nodeHandle: z.string(), available: z.number().int() }),
    ),
  })
  .register(apiRegistry, { id: "Product" });

export const errorSchema = z.object({ error: z.string() }).register(apiRegistry, { id: "Error" });

export const nodeListSchema = z
  .object({ data: z.array(apiNodeSchema), pagination: paginationSchema })
  .register(apiRegistry, { id: "NodeList" });
export const productListSchema = z
  .object({ data: z.array(apiProductSchema), pagination: paginationSchema })
  .register(apiRegistry, { id: "ProductList" });
export type ApiNode = z.infer<typeof apiNodeSchema>;
export type ApiProduct = z.infer<typeof apiProductSchema>;
