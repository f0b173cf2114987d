// The OpenAPI 3.1 document, generated from the zod schemas of the wire format.
import { z } from "zod";
import { orderListQuerySchema } from "./orders.server";
import { returnListQuerySchema } from "./returns.server";
import "./permits.server";
import "./campaigns.server";
import { apiInputRegistry, apiRegistry, paginationQuerySchema } from "./schemas";

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function componentSchemas() {
  const build = (registry: typeof apiRegistry, io: "input" | "output") =>
    z.toJSONSchema(registry, {
      io,
      target: "draft-2020-12",
      unrepresentable: "any",
      uri: (id: string) => `#/components/schemas/${id}`,
    }).schemas;
  // Request bodies with defaults and transforms (PermitInput) are described as sent.
  const schemas = { ...build(apiRegistry, "output"), ...build(apiInputRegistry, "input") };
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

const idParameter = { name: "id", in: "path", required: true, schema: { type: "string" } };
const json = (schema: object) => ({ "application/json": { schema } });

const errorResponses = {
  "400": { description: "Invalid query; the message names the parameter", content: json(ref("Error")) },
  "401": { description: "Missing, unknown or revoked API key", content: json(ref("Error")) },
  "429": { description: "Over a rate limit (per address, per key); Retry-After says in how many seconds to try again", content: json(ref("Error")) },
  "503": { description: "The database cannot be reached right now; the request was not carried out. Retry-After says when to try again", content: json(ref("Error")) },
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
            "429": errorResponses["429"],
            "503": errorResponses["503"],
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
            "429": errorResponses["429"],
            "503": errorResponses["503"],
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
            "429": errorResponses["429"],
            "503": errorResponses["503"],
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
            "429": errorResponses["429"],
            "503": errorResponses["503"],
          },
        },
      },
      "/permits": {
        get: {
          operationId: "listPermits",
          summary: "The shop's licences and permits, each with its status now, lapse date, subject and what it takes away now",
          description:
            "Status (valid, renewal due, in grace, lapsed, suspended) is derived from the permit's dates in its subject's " +
            "time zone and the time of the request, never stored. `gatingNow` says what a lapsed or suspended permit " +
            "takes away from its node, corridor or seller right now, with the sentence quotes, routing and returns show.",
          parameters: queryParameters(paginationQuerySchema),
          responses: { "200": { description: "One page", content: json(ref("PermitList")) }, ...errorResponses },
        },
        post: {
          operationId: "createPermit",
          summary: "Record a permit of a node, corridor or seller",
          requestBody: { required: true, content: json(ref("PermitInput")) },
          responses: {
            "201": { description: "The permit as stored, with its status", content: json(ref("Permit")) },
            "400": {
              description: "Invalid body; `field` names it (an expiry before the issue date, an unknown node, corridor or seller, kind or jurisdiction)",
              content: json({ type: "object", properties: { error: { type: "string" }, field: { type: "string" } } }),
            },
            "401": errorResponses["401"],
            "429": errorResponses["429"],
            "503": errorResponses["503"],
          },
        },
      },
      "/permits/{id}": {
        get: {
          operationId: "getPermit",
          summary: "One permit with its status now",
          parameters: [idParameter],
          responses: {
            "200": { description: "The permit", content: json(ref("Permit")) },
            "401": errorResponses["401"],
            "429": errorResponses["429"],
            "503": errorResponses["503"],
            "404": { description: "No such permit in this shop", content: json(ref("Error")) },
          },
        },
        patch: {
          operationId: "updatePermit",
          summary: "Change a permit; a renewal is a PATCH with the new issuedOn and expiresOn",
          description:
            "The fields sent replace the stored ones; the permit's new status takes effect in quotes, routing and returns " +
            "at once. A renewal (a new expiry date) completes the open renewal task. Send `version` (as last read) to " +
            "refuse the change with 409 if someone changed the permit meanwhile.",
          parameters: [idParameter],
          requestBody: { required: true, content: json(ref("PermitPatch")) },
          responses: {
            "200": { description: "The permit after the change", content: json(ref("Permit")) },
            "400": { description: "Invalid body; `field` names it", content: json({ type: "object", properties: { error: { type: "string" }, field: { type: "string" } } }) },
            "401": errorResponses["401"],
            "429": errorResponses["429"],
            "503": errorResponses["503"],
            "404": { description: "No such permit in this shop", content: json(ref("Error")) },
            "409": { description: "The permit changed since `version` was read; nothing changed", content: json(ref("Error")) },
          },
        },
      },
      "/permits.ics": {
        get: {
          operationId: "permitCalendar",
          summary: "The shop's permit expiries and reminder dates as an iCalendar (RFC 5545) feed",
          description:
            "One all-day event per permit expiry and per reminder date, with stable UIDs. Calendar apps refresh feeds " +
            "slowly and often drop alarms: the feed informs, Nearhub's own reminders act.",
          responses: {
            "200": { description: "The feed", content: { "text/calendar": { schema: { type: "string" } } } },
            "401": errorResponses["401"],
            "429": errorResponses["429"],
            "503": errorResponses["503"],
          },
        },
      },
      "/nodes/{id}/availability": {
        get: {
          operationId: "nodeAvailability",
          summary: "Whether the node may serve each purpose now (ship, make, pickup, return, campaign), with every reason it may not",
          description:
            "Asks the one availability gate quotes, routing and return destinations ask, over the shop's current network: " +
            "node status, permits (a lapsed fire inspection takes the node out of everything, a lapsed secondhand dealer " +
            "licence only out of returns), what it makes, return hubs, capacity left today and whether it is open today.",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "Per purpose", content: json(ref("NodeAvailability")) },
            "401": errorResponses["401"],
            "429": errorResponses["429"],
            "503": errorResponses["503"],
            "404": { description: "No such node in this shop", content: json(ref("Error")) },
          },
        },
      },
      "/campaigns/plan": {
        post: {
          operationId: "planCampaign",
          summary: "Plan a hyperlocal campaign around a hub: its same-day circle, demand cells, products, budget, hours and guardrails, with the platform payloads",
          description:
            "Sizes the ad circle to the hub's same-day reach now (service area, courier and corridor reach) within the platform's " +
            "radius limits, weights the H3 cells inside it by the shop's past orders, picks the products the hub holds enough of " +
            "(restocked returns first), and suggests a daily budget no lower than the ad account's minimum from the target and " +
            "the engine's landed cost per order. `payloads` are the exact requests launching would send (a dry run; while the " +
            "platform is not connected, `connection.connected` false, drafted for a placeholder account). Every part explains itself; nothing is created.",
          requestBody: { required: true, content: json(ref("CampaignPlanRequest")) },
          responses: {
            "200": { description: "The plan", content: json(ref("PlannedCampaign")) },
            "400": {
              description: "Invalid body; `field` names it (an unknown hub, a radius outside the platform's limits); a platform refusal carries the platform's words",
              content: json({ type: "object", properties: { error: { type: "string" }, field: { type: "string" } } }),
            },
            "401": errorResponses["401"],
            "429": errorResponses["429"],
            "503": errorResponses["503"],
          },
        },
      },
      "/campaigns": {
        get: {
          operationId: "listCampaigns",
          summary: "The shop's campaigns with status (as the platform confirmed it and as Nearhub decided), reasons for the last change and totals",
          parameters: queryParameters(paginationQuerySchema),
          responses: { "200": { description: "One page", content: json(ref("CampaignList")) }, ...errorResponses },
        },
        post: {
          operationId: "launchCampaign",
          summary: "Create and launch a campaign around a hub on a connected (or the sandbox) platform",
          description:
            "Plans the campaign again, mints its UTM once, and records the launch; the platform is called by Nearhub's job engine " +
            "(retried with back-off while the platform is down or rate-limits), so the answer is the campaign with `status: DRAFT` " +
            "and `pendingChange: true` until the platform confirmed it. Guardrails then pause, shrink and resume it from the hub's " +
            "stock, capacity, permits, same-day hours and profit after landed cost; every change is in its log with the reasons.",
          requestBody: { required: true, content: json(ref("CampaignLaunchRequest")) },
          responses: {
            "201": { description: "The campaign, its launch pending", content: json(ref("Campaign")) },
            "400": {
              description:
                "Invalid body; `field` names it: an unknown hub or SKU, a radius outside the platform's limits, a budget under the account's minimum, a platform not connected; a plan the hub may not run now carries its `reasons`",
              content: json({ type: "object", properties: { error: { type: "string" }, field: { type: "string" }, reasons: { type: "array", items: { type: "object" } } } }),
            },
            "401": errorResponses["401"],
            "429": errorResponses["429"],
            "503": errorResponses["503"],
          },
        },
      },
      "/campaigns/{id}": {
        get: {
          operationId: "getCampaign",
          summary: "One campaign: status, reasons, its plan, the guardrail and change log, and results per day",
          parameters: [idParameter],
          responses: {
            "200": { description: "The campaign", content: json(ref("Campaign")) },
            "401": errorResponses["401"],
            "429": errorResponses["429"],
            "503": errorResponses["503"],
            "404": { description: "No such campaign in this shop", content: json(ref("Error")) },
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
