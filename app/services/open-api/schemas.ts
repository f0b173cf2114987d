// The open API's wire format, v1. These zod schemas are the single source for response
// building and for the OpenAPI document served at /api/v1/openapi.json.
import { z } from "zod";
import { SERVICE_KINDS } from "~/core/costing/types";
import { NODE_KINDS, NODE_STATUSES, WEEKDAYS } from "~/core/network/types";

/** Named schemas of the wire format: each becomes a component of the OpenAPI document. */
export const apiRegistry = z.registry<{ id: string }>();
/** Named request bodies whose input shape differs from what they parse to (defaults, transforms): described as sent. */
export const apiInputRegistry = z.registry<{ id: string }>();

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

// ---------------------------------------------------------------------------------------------
// POST /quotes: the checkout quote, with every option's cost breakdown and every node left out.

export const quoteRequestSchema = z
  .object({
    lines: z
      .array(
        z.object({
          sku: z.string({ error: "sku is required" }).trim().min(1, "sku is required").max(120),
          quantity: z
            .number({ error: "quantity must be a whole number" })
            .int("quantity must be a whole number")
            .min(1, "quantity must be at least 1")
            .max(10_000, "quantity must be at most 10000"),
          unitPriceMinor: z
            .number({ error: "unitPriceMinor must be a whole number of minor units" })
            .int("unitPriceMinor must be a whole number of minor units")
            .min(0, "unitPriceMinor cannot be negative")
            .optional()
            .describe("What the shopper pays per unit, minor units; defaults to the product's typical value"),
          grams: z
            .number()
            .int()
            .min(0)
            .optional()
            .describe("Weight of one unit; used only for a SKU the shop has not described"),
        }),
        { error: "lines must be a list" },
      )
      .min(1, "lines needs at least one line")
      .max(500, "lines has at most 500 lines"),
    destination: z.object(
      {
        country: z
          .string({ error: "country is required" })
          .trim()
          .toUpperCase()
          .regex(/^[A-Z]{2}$/, "country must be a two-letter code such as US"),
        postalCode: z.string().trim().max(16).nullish(),
        province: z.string().trim().max(64).nullish(),
        city: z.string().trim().max(120).nullish(),
        latitude: z.number().min(-90).max(90).nullish(),
        longitude: z.number().min(-180).max(180).nullish(),
      },
      { error: "destination is required" },
    ),
  })
  .register(apiRegistry, { id: "QuoteRequest" });
export type ApiQuoteRequest = z.infer<typeof quoteRequestSchema>;

const costComponentSchema = z
  .object({
    code: z.string().describe("handling, node_pickup, carrier_freight, surcharge:*, courier_*, autonomous_*, expected_returns"),
    label: z.string(),
    amount: moneySchema,
    detail: z.string(),
  })
  .register(apiRegistry, { id: "CostComponent" });

const quoteParcelSchema = z
  .object({
    node: z.object({ id: z.string(), handle: z.string(), name: z.string() }),
    service: z.enum(SERVICE_KINDS),
    lines: z.array(z.object({ sku: z.string(), quantity: z.number().int() })).describe("What this parcel carries; empty for a one-parcel option (the whole cart)"),
    price: moneySchema.describe("This parcel's part of the option's price"),
    cost: moneySchema.describe("This parcel's landed cost"),
    description: z.string().describe("This parcel's promise in words, in its node's local time"),
    window: z.object({ earliest: z.iso.datetime(), latest: z.iso.datetime(), timezone: z.string() }),
  })
  .register(apiRegistry, { id: "QuoteParcel" });

const quoteOptionSchema = z
  .object({
    serviceCode: z
      .string()
      .describe("NH:<nodeHandle>:<SERVICE>, or NH:<node1>+<node2>:<SERVICE> for a split option: the code a Shopify rate carries to routing"),
    service: z.enum(SERVICE_KINDS),
    node: z.object({ id: z.string(), handle: z.string(), name: z.string() }),
    price: moneySchema.describe("What the shopper pays for this option"),
    description: z.string().describe("The promise in words, in the node's local time"),
    window: z.object({
      earliest: z.iso.datetime().describe("UTC"),
      latest: z.iso.datetime().describe("UTC"),
      timezone: z.string().describe("IANA zone the promise is worded in"),
    }),
    reasons: z.array(z.string()).describe("Why this option is offered"),
    cost: z.object({
      components: z.array(costComponentSchema),
      forward: moneySchema.describe("Cost of getting the order to the shopper"),
      expectedReturns: moneySchema,
      total: moneySchema.describe("Landed cost: forward plus expected returns"),
      leadTimeMinutes: z.number().int(),
      transit: z.object({
        mode: z.enum(["CARRIER", "COURIER", "AUTONOMOUS", "NONE"]),
        minutes: z.number().nullable(),
        days: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
        distanceM: z.number().nullable(),
        provider: z.string().nullable(),
        zone: z.string().nullable(),
      }),
      reasons: z.array(z.string()),
    }),
    pricing: z
      .array(z.object({ code: z.string(), label: z.string(), before: moneySchema, after: moneySchema, detail: z.string() }))
      .describe("The merchant's pricing rules that changed the price, in order"),
    parcels: z
      .array(quoteParcelSchema)
      .describe("The shipments this option is made of: one for a node shipping the whole cart, two or three for a split option (node is then the first parcel's)"),
  })
  .register(apiRegistry, { id: "QuoteOption" });

const quoteExclusionSchema = z
  .object({
    nodeId: z.string(),
    nodeHandle: z.string(),
    service: z.enum(SERVICE_KINDS).nullable().describe("Null when the whole node is out"),
    reasons: z.array(z.object({ code: z.string(), message: z.string() })),
  })
  .register(apiRegistry, { id: "QuoteExclusion" });

const backupOfferSchema = z
  .object({
    serviceName: z.string(),
    serviceCode: z.string(),
    description: z.string(),
    price: moneySchema,
    window: z.object({ earliest: z.iso.datetime(), latest: z.iso.datetime(), timezone: z.string() }),
  })
  .register(apiRegistry, { id: "BackupRate" });

export const quoteResponseSchema = z
  .object({
    quotedAt: z.iso.datetime(),
    currency: z.string().length(3),
    destination: z.object({
      country: z.string(),
      postalCode: z.string().nullable(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
      placed: z
        .enum(["coordinates", "postal_code", "unplaced"])
        .describe("How the address was located: its own coordinates, its ZIP's centroid, or not at all"),
    }),
    fallbackUsed: z.boolean().describe("True when live quoting could not answer: offer backupRates instead of options"),
    fallbackReason: z.string().nullable(),
    options: z.array(quoteOptionSchema).describe("Cheapest first; empty when fallbackUsed"),
    excluded: z.array(quoteExclusionSchema).describe("Nodes and services left out, with the reasons"),
    backupRates: z.array(backupOfferSchema).describe("The merchant's backup rates, priced for this cart; filled only when fallbackUsed"),
    unknownSkus: z.array(z.string()).describe("SKUs the shop has not described: priced from their grams (default 500 g)"),
    reasons: z.array(z.string()),
  })
  .register(apiRegistry, { id: "Quote" });
export type ApiQuote = z.infer<typeof quoteResponseSchema>;

// ---------------------------------------------------------------------------------------------
// POST /routing/plan: where orders would ship from, over the shop's nodes and stock (nothing stored).

export const routingPlanRequestSchema = z
  .object({
    orders: z
      .array(
        z.object({
          id: z.string({ error: "id is required" }).trim().min(1, "id is required").max(120).describe("Your order reference, echoed back"),
          lines: z
            .array(
              z.object({
                sku: z.string({ error: "sku is required" }).trim().min(1, "sku is required").max(120),
                quantity: z
                  .number({ error: "quantity must be a whole number" })
                  .int("quantity must be a whole number")
                  .min(1, "quantity must be at least 1")
                  .max(10_000, "quantity must be at most 10000"),
                unitPriceMinor: z.number().int("unitPriceMinor must be a whole number of minor units").min(0).optional(),
              }),
              { error: "lines must be a list" },
            )
            .min(1, "lines needs at least one line")
            .max(200, "lines has at most 200 lines"),
          destination: z
            .object(
              {
                country: z
                  .string({ error: "country is required" })
                  .trim()
                  .toUpperCase()
                  .regex(/^[A-Z]{2}$/, "country must be a two-letter code such as US"),
                postalCode: z.string().trim().max(16).nullish(),
                latitude: z.number().min(-90).max(90).nullish(),
                longitude: z.number().min(-180).max(180).nullish(),
              },
              { error: "destination is required" },
            )
            .describe("Coordinates, else the postal code (a US ZIP is placed at its centroid)"),
          serviceCode: z
            .string()
            .trim()
            .max(255)
            .nullish()
            .describe(
              "The option the shopper chose at checkout (NH:<nodeHandle>:<SERVICE>, or NH:<node1>+<node2>:<SERVICE> for a split option); routing keeps that promise when it can",
            ),
          placedAt: z.iso.datetime({ error: "placedAt must be an ISO 8601 date-time" }).optional(),
        }),
        { error: "orders must be a list" },
      )
      .min(1, "orders needs at least one order")
      .max(500, "orders has at most 500 orders"),
  })
  .register(apiRegistry, { id: "RoutingPlanRequest" });
export type ApiRoutingPlanRequest = z.infer<typeof routingPlanRequestSchema>;

const lossSchema = z.object({ code: z.string(), message: z.string() });

const routingShipmentSchema = z
  .object({
    node: z.object({ id: z.string(), handle: z.string(), name: z.string() }),
    service: z.enum(SERVICE_KINDS),
    serviceCode: z.string(),
    lines: z.array(z.object({ sku: z.string(), quantity: z.number().int(), madeUnits: z.number().int().describe("Units a micro-factory makes to order") })),
    cost: z.object({
      components: z.array(costComponentSchema),
      forward: moneySchema,
      expectedReturns: moneySchema,
      total: moneySchema.describe("Landed cost: forward plus expected returns"),
    }),
    keepsPromise: z.boolean(),
  })
  .register(apiRegistry, { id: "RoutingShipment" });

const routingAssignmentSchema = z
  .object({
    id: z.string(),
    status: z.enum(["ROUTED", "UNROUTABLE"]).describe("UNROUTABLE orders are reported with the reasons, never dropped"),
    shipments: z.array(routingShipmentSchema),
    landed: moneySchema,
    splitPenalty: moneySchema.describe("The shop's penalty per shipment beyond the first"),
    total: moneySchema.describe("landed + splitPenalty"),
    promise: z.object({
      requested: z.string().nullable().describe("The service code the order carried"),
      status: z.enum(["KEPT", "NODE_CHANGED", "BROKEN"]).nullable(),
      reasons: z.array(z.string()),
    }),
    alternatives: z.array(
      z.object({
        nodes: z.array(z.string()),
        services: z.array(z.enum(SERVICE_KINDS)),
        cost: moneySchema,
        delta: moneySchema.describe("Against the chosen assignment"),
        promise: z.enum(["KEPT", "NODE_CHANGED", "BROKEN"]),
        lost: z.array(lossSchema).describe("Why it lost"),
      }),
    ),
    excluded: z.array(z.object({ nodeHandle: z.string(), reasons: z.array(lossSchema) })).describe("Nodes that could not take the order, and why"),
    unknownSkus: z.array(z.string()),
    placed: z.enum(["coordinates", "postal_code", "unplaced"]),
    reasons: z.array(z.string()),
  })
  .register(apiRegistry, { id: "RoutingAssignment" });

export const routingPlanSchema = z
  .object({
    plannedAt: z.iso.datetime(),
    currency: z.string().length(3),
    orders: z.array(routingAssignmentSchema),
    totals: z.object({
      orders: z.number().int(),
      routed: z.number().int(),
      unroutable: z.number().int(),
      shipments: z.number().int(),
      landed: moneySchema,
      splitPenalty: moneySchema,
      total: moneySchema,
    }),
    method: z.string().describe("How orders competing for stock were decided: DIRECT, EXACT (MIP) or HEURISTIC"),
    methodReason: z.string(),
    warnings: z.array(z.string()),
  })
  .register(apiRegistry, { id: "RoutingPlan" });
export type ApiRoutingPlan = z.infer<typeof routingPlanSchema>;
