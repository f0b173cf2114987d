// The OpenAPI 3.1 document, generated from the zod schemas of the wire format.
import { z } from "zod";
import { errorSchema, nodeListSchema, paginationQuerySchema, productListSchema } from "./schemas";

function jsonSchema(schema: z.ZodType) {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: "output",
    target: "draft-2020-12",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  }) as Record<string, unknown>;
  return rest;
}

function components() {
  // Named (meta id) schemas become shared components; zod puts them under $defs.
  const out: Record<string, unknown> = {};
  for (const schema of [nodeListSchema, productListSchema, errorSchema]) {
    const js = jsonSchema(schema) as { $defs?: Record<string, unknown> };
    Object.assign(out, js.$defs ?? {});
  }
  return out;
}

function inline(schema: z.ZodType) {
  const { $defs: _defs, ...rest } = jsonSchema(schema) as Record<string, unknown>;
  return rest;
}

const queryParams = Object.entries(
  (inline(paginationQuerySchema) as { properties: Record<string, unknown> }).properties,
).map(([name, schema]) => ({ name, in: "query", required: false, schema }));

const errorResponses = {
  "400": { description: "Invalid query; the message names the parameter", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "401": { description: "Missing, unknown or revoked API key", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
};

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Nearhub open API",
      version: "1.0.0",
      description:
        "The same micro-fulfilment core that powers the Nearhub Shopify app, for scripts and other platforms. " +
        "Authenticate with a per-shop API key created in Nearhub settings: `Authorization: Bearer <key>`.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearerAuth: [] }],
    paths: {
      "/nodes": {
        get: {
          operationId: "listNodes",
          summary: "The shop's fulfilment nodes",
          parameters: queryParams,
          responses: {
            "200": { description: "A page of nodes", content: { "application/json": { schema: inline(nodeListSchema) } } },
            ...errorResponses,
          },
        },
      },
      "/products": {
        get: {
          operationId: "listProducts",
          summary: "Logistics profiles with stock per node",
          parameters: queryParams,
          responses: {
            "200": { description: "A page of products", content: { "application/json": { schema: inline(productListSchema) } } },
            ...errorResponses,
          },
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "Nearhub API key" } },
      schemas: components(),
    },
  };
}
