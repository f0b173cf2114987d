// Admin GraphQL for routing (API 2026-10): the order with its fulfillment orders, the order of a
// fulfillment order, and fulfillmentOrderMove, through the one client (../shopify-admin.server.ts),
// which parses every answer with the schemas below and waits out Shopify's throttling.
import { z } from "zod";
import { adminMutation, adminQuery, userErrorSchema, type AdminGraphql, type CallOptions } from "../shopify-admin.server";

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
const movedSchema = z.object({ id: z.string(), status: z.string().nullish(), assignedLocation: z.object({ location: idNode.nullish() }).nullish() });
const movePayload = z.object({ movedFulfillmentOrder: movedSchema.nullish(), originalFulfillmentOrder: movedSchema.nullish(), userErrors: z.array(userErrorSchema) });
export type MoveAnswer = z.infer<typeof movePayload>;

export async function fetchOrder(admin: AdminGraphql, orderGid: string, opts?: CallOptions): Promise<ShopifyOrder | null> {
  return (await adminQuery(admin, ORDER_QUERY, { id: orderGid }, orderAnswer, opts)).order;
}

export async function orderOfFulfillmentOrder(admin: AdminGraphql, foGid: string, opts?: CallOptions): Promise<string | null> {
  return (await adminQuery(admin, FULFILLMENT_ORDER_QUERY, { id: foGid }, foAnswer, opts)).fulfillmentOrder?.order.id ?? null;
}

/** The move Shopify made; Shopify's refusal is ShopifyUserErrors, recorded by the caller. */
export async function moveFulfillmentOrder(
  admin: AdminGraphql,
  input: { id: string; newLocationId: string; lineItems: { id: string; quantity: number }[] | null },
  opts?: CallOptions,
): Promise<MoveAnswer> {
  const variables = { id: input.id, newLocationId: input.newLocationId, fulfillmentOrderLineItems: input.lineItems };
  return adminMutation(admin, MOVE_MUTATION, variables, "fulfillmentOrderMove", movePayload, opts);
}
