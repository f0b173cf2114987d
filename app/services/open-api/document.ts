// The OpenAPI 3.1 document, generated from the zod schemas of the wire format.
import { z } from "zod";
import { apiRegistry, paginationQuerySchema } from "./schemas";

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function componentSchemas() {
  const { schemas } = z.toJSONSchema(apiRegistry, {
    io: "output",
    target: "draft-2020-12",
    unrepresentable: "any",
    uri: (id: string) => `#/components/schemas/${id}`,
  });
  // OpenAPI components carry no $schema / $id of their own.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

function queryParameters(schema: z.ZodObject) {
  const js = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties: Record<string, unknown>;
  };
  return Object.entries(js.properties).map(([name, s]) => ({ name, in: "query", required: false, schema: s }));
}

const json = (schema: object) => ({ "application/json": { schema } });

const errorResponses = {
  "400": { description: "Invalid query; the message names the parameter", content: json(ref("Error")) },
  "401": { description: "Missing, unknown or revoked API key", content: json(ref("Error")) },
};

function listOperation(operationId: string, summary: string, listSchema: string) {
  return {
    get: {
      operationId,
      summary,
      parameters: queryParameters(paginationQuerySchema),
      responses: { "200": { description: "One page", content: json(ref(listSchema)) }, ...errorResponses },
    },
  };
}

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Nearhub open API",
      version: "1.0.0",
      description:
        "The same micro-fulfilment core that powers the Nearhub Shopify app, for scripts and other platforms. " +
        "Authenticate with a per-shop API key created in Nearhub settings: `Authorization: Bearer <key>`. " +
        "Lists are paginated with `limit` and the `nextCursor` of the previous page.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearerAuth: [] }],
    paths: {
      "/nodes": listOperation("listNodes", "The shop's fulfilment nodes", "NodeList"),
      "/products": listOperation("listProducts", "Logistics profiles with stock per node", "ProductList"),
      "/quotes": {
        post: {
          operationId: "createQuote",
          summary: "Quote a cart to an address: every delivery option with its landed-cost breakdown",
          description:
            "The same quote Shopify's checkout gets from Nearhub, with the reasons: each option's cost components and " +
            "pricing steps, every node or service left out and why, and the merchant's backup rates when live quoting " +
            "cannot answer (`fallbackUsed`). Lines are matched by SKU; unknown SKUs are priced from `grams`. An address " +
            "without coordinates is placed at its US ZIP code's centroid; one that cannot be placed gets the options " +
            "that need no location.",
          requestBody: { required: true, content: json(ref("QuoteRequest")) },
          responses: {
            "200": { description: "The quote", content: json(ref("Quote")) },
            "400": { description: "Invalid body; the message names the field", content: json(ref("Error")) },
            "401": errorResponses["401"],
          },
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "Nearhub API key" } },
      schemas: componentSchemas(),
    },
  };
}
