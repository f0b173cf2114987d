// The OpenAPI 3.1 document, generated from the zod schemas of the wire format.
import { z } from "zod";
import { orderListQuerySchema } from "./orders.server";
import { returnListQuerySchema } from "./returns.server";
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
      "/orders": {
        get: {
          operationId: "listOrders",
          summary: "The shop's order history: lines, destination cell, Nearhub's shipments, fulfilments and deliveries",
          description:
            "The orders Nearhub knows (read from Shopify: a year of history on install, then kept current by webhooks), " +
            "oldest id first. Destinations are an H3 cell and a postal code, never a street or coordinates. `routing` is " +
            "what Nearhub decided; `shipments` are Shopify's fulfilments with when each left its node and was delivered.",
          parameters: queryParameters(orderListQuerySchema),
          responses: { "200": { description: "One page", content: json(ref("OrderList")) }, ...errorResponses },
        },
      },
      "/returns": {
        get: {
          operationId: "listReturns",
          summary: "The shop's returns with their state, timestamps, figures and lines",
          parameters: queryParameters(returnListQuerySchema),
          responses: { "200": { description: "One page", content: json(ref("ReturnList")) }, ...errorResponses },
        },
      },
      "/returns/plan": {
        post: {
          operationId: "planReturn",
          summary: "The outcome and destination hub of a proposed return, with the reasons",
          description:
            "Applies the shop's return rules to each line (every rule tried says why it matched or not) and, for items " +
            "that come back, picks the hub where the item recovers the most (or the nearest, per the shop's setting), " +
            "with every hub considered or excluded and why. Nothing is stored.",
          requestBody: { required: true, content: json(ref("ReturnPlanRequest")) },
          responses: {
            "200": { description: "The plan", content: json(ref("ReturnPlan")) },
            "400": { description: "Invalid body; the message names the field", content: json(ref("Error")) },
            "401": errorResponses["401"],
          },
        },
      },
      "/returns/{id}/events": {
        post: {
          operationId: "moveReturn",
          summary: "Move a return through its life (approve, ship, receive, inspect, restock, refurbish, dispose, resell)",
          description:
            "Applies the event to every line it can move (or to `lineIds`). Send an `Idempotency-Key` header to make " +
            "retries safe. An illegal change (inspecting a return never received, resolving twice) is refused with 409 " +
            "and the reason, and changes nothing; so is a stale `expectedVersion`.",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 200 } },
          ],
          requestBody: { required: true, content: json(ref("ReturnEventRequest")) },
          responses: {
            "200": { description: "The return after the change", content: json({ type: "object", properties: { return: ref("Return"), duplicate: { type: "boolean" } } }) },
            "400": { description: "Invalid body; the message names the field", content: json(ref("Error")) },
            "401": errorResponses["401"],
            "404": { description: "No such return in this shop", content: json(ref("Error")) },
            "409": { description: "Illegal state change or concurrent change; nothing changed", content: json(ref("Error")) },
          },
        },
      },
      "/routing/plan": {
        post: {
          operationId: "planRouting",
          summary: "Where orders would ship from: each order's nodes, services and landed costs, with the alternatives and why they lost",
          description:
            "Routes the orders together over the shop's nodes and current stock (orders compete for the same units and " +
            "daily capacity), minimising landed cost (forward + expected returns) plus the shop's split penalty, and " +
            "keeping the promise of each order's `serviceCode` when one is given. An order no node can serve is returned " +
            "with `status: UNROUTABLE` and the reasons, never dropped. Nothing is stored and Shopify is not touched.",
          requestBody: { required: true, content: json(ref("RoutingPlanRequest")) },
          responses: {
            "200": { description: "The plan and its totals", content: json(ref("RoutingPlan")) },
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
