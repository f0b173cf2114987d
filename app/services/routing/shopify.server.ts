// Admin GraphQL for routing (API 2026-10): the order with its fulfillment orders, the order of a
// fulfillment order, and fulfillmentOrderMove. Every answer is parsed with zod, never cast.
//
// Throttling: Shopify's GraphQL Admin API meters calculated query cost per app and store (a leaky
// bucket: `extensions.cost.throttleStatus` { maximumAvailable, currentlyAvailable, restoreRate }).
// A request over budget answers 200 with errors[].extensions.code = "THROTTLED" (the Shopify
// library then throws a GraphqlQueryError carrying the body); an HTTP 429 is the REST-style signal.
// `callShopify` waits for the bucket to refill (requested cost − available) / restoreRate seconds,
// with exponential backoff when the answer says nothing, and tries again up to `maxAttempts`.
import { z } from "zod";
import type { AdminGraphql } from "../carrier-service.server";
import { logger } from "../logger.server";

export type { AdminGraphql };

// Requested cost stays near 520 points (10 fulfillment orders × 50 lines + 5 shipping lines), under
// Shopify's 1,000-point ceiling for a single query; an order with more is routed on what was read.
export const ORDER_QUERY = `#graphql
  query NearhubRoutingOrder($id: ID!) {
    order(id: $id) {
      id
      name
      createdAt
      closed
      cancelledAt
      shippingAddress { latitude longitude zip countryCodeV2 provinceCode city }
      shippingLines(first: 5) { nodes { code source title } }
      fulfillmentOrders(first: 10) {
        nodes {
          id
          status
          requestStatus
          assignedLocation { location { id } }
          supportedActions { action }
          lineItems(first: 50) {
            nodes {
              id
              remainingQuantity
              totalQuantity
              lineItem { id sku variant { id } }
            }
          }
        }
      }
    }
  }`;

export const FULFILLMENT_ORDER_QUERY = `#graphql
  query NearhubRoutingFulfillmentOrder($id: ID!) {
    fulfillmentOrder(id: $id) { id status order { id } }
  }`;

export const MOVE_MUTATION = `#graphql
  mutation NearhubFulfillmentOrderMove($id: ID!, $newLocationId: ID!, $fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]) {
    fulfillmentOrderMove(id: $id, newLocationId: $newLocationId, fulfillmentOrderLineItems: $fulfillmentOrderLineItems) {
      movedFulfillmentOrder { id status assignedLocation { location { id } } }
      originalFulfillmentOrder { id status assignedLocation { location { id } } }
      userErrors { field message }
    }
  }`;

const idNode = z.object({ id: z.string() });
const foLineSchema = z.object({
  id: z.string(),
  remainingQuantity: z.number().int(),
  totalQuantity: z.number().int(),
  lineItem: z.object({ id: z.string(), sku: z.string().nullish(), variant: idNode.nullish() }),
});
export const fulfillmentOrderSchema = z.object({
  id: z.string(),
  status: z.string(),
  requestStatus: z.string().nullish(),
  assignedLocation: z.object({ location: idNode.nullish() }).nullish(),
  supportedActions: z.array(z.object({ action: z.string() })).default([]),
  lineItems: z.object({ nodes: z.array(foLineSchema) }),
});
export type ShopifyFulfillmentOrder = z.infer<typeof fulfillmentOrderSchema>;

export const shopifyOrderSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  createdAt: z.string().nullish(),
  closed: z.boolean().nullish(),
  cancelledAt: z.string().nullish(),
  shippingAddress: z
    .object({
      latitude: z.number().nullish(),
      longitude: z.number().nullish(),
      zip: z.string().nullish(),
      countryCodeV2: z.string().nullish(),
      provinceCode: z.string().nullish(),
      city: z.string().nullish(),
    })
    .nullish(),
  shippingLines: z.object({ nodes: z.array(z.object({ code: z.string().nullish(), source: z.string().nullish(), title: z.string().nullish() })) }),
  fulfillmentOrders: z.object({ nodes: z.array(fulfillmentOrderSchema) }),
});
export type ShopifyOrder = z.infer<typeof shopifyOrderSchema>;

const orderAnswer = z.object({ order: shopifyOrderSchema.nullable() });
const foAnswer = z.object({ fulfillmentOrder: z.object({ id: z.string(), status: z.string(), order: idNode }).nullable() });
const userErrorSchema = z.object({ field: z.array(z.string()).nullish(), message: z.string() });
const movedSchema = z.object({ id: z.string(), status: z.string().nullish(), assignedLocation: z.object({ location: idNode.nullish() }).nullish() });
const moveAnswer = z.object({
  fulfillmentOrderMove: z
    .object({ movedFulfillmentOrder: movedSchema.nullish(), originalFulfillmentOrder: movedSchema.nullish(), userErrors: z.array(userErrorSchema) })
    .nullable(),
});
export type MoveAnswer = z.infer<typeof moveAnswer>["fulfillmentOrderMove"];

/** Shopify throttled the call: try again after `retryAfterMs`. */
export class ShopifyThrottledError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

const throttleSchema = z.object({
  cost: z.object({
    requestedQueryCost: z.number().nullish(),
    throttleStatus: z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() }),
  }),
});

/** How long until the bucket holds the cost asked (ms), from a response's `extensions`. */
export function throttleWaitMs(extensions: unknown, fallbackMs: number): number {
  const parsed = throttleSchema.safeParse(extensions);
  if (!parsed.success) return fallbackMs;
  const { requestedQueryCost, throttleStatus: t } = parsed.data.cost;
  const need = Math.min(requestedQueryCost ?? 50, t.maximumAvailable) - t.currentlyAvailable;
  if (need <= 0 || t.restoreRate <= 0) return fallbackMs;
  return Math.ceil((need / t.restoreRate) * 1000);
}

interface GraphqlBody {
  data?: unknown;
  errors?: unknown;
  extensions?: unknown;
}

/** GraphQL errors of a body, whatever shape the client gave them ([...] or { graphQLErrors }). */
function errorsOf(body: GraphqlBody): { message: string; extensions?: { code?: string } }[] {
  const e = body.errors as unknown;
  if (Array.isArray(e)) return e as { message: string }[];
  if (e && typeof e === "object" && Array.isArray((e as { graphQLErrors?: unknown }).graphQLErrors)) {
    return (e as { graphQLErrors: { message: string }[] }).graphQLErrors;
  }
  if (e && typeof e === "object" && typeof (e as { message?: unknown }).message === "string") return [{ message: (e as { message: string }).message }];
  return [];
}

/** One call: the parsed `data`, or ShopifyThrottledError, or an Error saying what Shopify answered. */
async function callOnce<T>(admin: AdminGraphql, query: string, variables: Record<string, unknown>, schema: z.ZodType<T>, attempt: number): Promise<T> {
  const backoff = Math.min(30_000, 500 * 2 ** (attempt - 1));
  let body: GraphqlBody;
  try {
    const response = await admin.graphql(query, { variables });
    body = (await response.json()) as GraphqlBody;
  } catch (error) {
    if (error instanceof Response) {
      if (error.status === 429) {
        const after = Number(error.headers.get("Retry-After"));
        throw new ShopifyThrottledError("Shopify answered HTTP 429", Number.isFinite(after) && after > 0 ? after * 1000 : backoff);
      }
      const text = await error.text().catch(() => "");
      throw new Error(`Shopify answered HTTP ${error.status} ${text.slice(0, 200)}`.trim());
    }
    // GraphqlQueryError (errors in a 200 answer) carries the body.
    const carried = (error as { body?: GraphqlBody }).body;
    if (carried && typeof carried === "object") body = carried;
    else if ((error as { name?: string }).name === "HttpThrottlingError") {
      const after = (error as { response?: { retryAfter?: number } }).response?.retryAfter;
      throw new ShopifyThrottledError("Shopify answered HTTP 429", after ? after * 1000 : backoff);
    } else throw error;
  }
  const errors = errorsOf(body);
  if (errors.some((e) => e.extensions?.code === "THROTTLED" || /throttled/i.test(e.message))) {
    throw new ShopifyThrottledError("Shopify throttled the request (THROTTLED)", throttleWaitMs(body.extensions, backoff));
  }
  if (errors.length > 0) throw new Error(`Shopify answered with errors: ${errors.map((e) => e.message).join("; ").slice(0, 300)}`);
  const parsed = schema.safeParse(body.data);
  if (!parsed.success) throw new Error(`Shopify's answer was not in the expected shape: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export interface CallOptions {
  maxAttempts?: number;
  /** Longest single wait inside a call; a longer one is thrown for the retry job to schedule. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A call retried while Shopify throttles, waiting as its cost bucket says. */
export async function callShopify<T>(
  admin: AdminGraphql,
  query: string,
  variables: Record<string, unknown>,
  schema: z.ZodType<T>,
  opts: CallOptions = {},
): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 4;
  const maxWaitMs = opts.maxWaitMs ?? 10_000;
  const sleep = opts.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await callOnce(admin, query, variables, schema, attempt);
    } catch (error) {
      if (!(error instanceof ShopifyThrottledError) || attempt >= maxAttempts || error.retryAfterMs > maxWaitMs) throw error;
      logger.info({ attempt, waitMs: error.retryAfterMs }, "routing: Shopify throttled, waiting for the cost bucket");
      await sleep(error.retryAfterMs);
    }
  }
}

export async function fetchOrder(admin: AdminGraphql, orderGid: string, opts?: CallOptions): Promise<ShopifyOrder | null> {
  return (await callShopify(admin, ORDER_QUERY, { id: orderGid }, orderAnswer, opts)).order;
}

export async function orderOfFulfillmentOrder(admin: AdminGraphql, foGid: string, opts?: CallOptions): Promise<string | null> {
  return (await callShopify(admin, FULFILLMENT_ORDER_QUERY, { id: foGid }, foAnswer, opts)).fulfillmentOrder?.order.id ?? null;
}

export async function moveFulfillmentOrder(
  admin: AdminGraphql,
  input: { id: string; newLocationId: string; lineItems: { id: string; quantity: number }[] | null },
  opts?: CallOptions,
): Promise<NonNullable<MoveAnswer>> {
  const variables = { id: input.id, newLocationId: input.newLocationId, fulfillmentOrderLineItems: input.lineItems };
  const answer = (await callShopify(admin, MOVE_MUTATION, variables, moveAnswer, opts)).fulfillmentOrderMove;
  if (!answer) throw new Error("Shopify answered fulfillmentOrderMove with no payload");
  return answer;
}

/** "gid://shopify/Order/123", "123" or 123 → "gid://shopify/Order/123". */
export function gid(type: string, id: string | number): string {
  const s = String(id);
  return s.startsWith("gid://") ? s : `gid://shopify/${type}/${s}`;
}
