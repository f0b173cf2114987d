// fulfillments/create, fulfillments/update and fulfillment_events/create, behind thin routes, through
// the one webhook mechanism (webhooks.server.ts: HMAC, topic, payload parsed with a 400 naming the
// field, the delivery recorded once, the resource's version). Payloads are Shopify's REST shapes:
//   Fulfillment       { id, admin_graphql_api_id, order_id, status, created_at, updated_at, location_id,
//                       tracking_company, shipment_status, service, … }
//   FulfillmentEvent  { id, admin_graphql_api_id, fulfillment_id, order_id, status, happened_at,
//                       message, created_at, updated_at, … }
// Both fulfillment topics share the resource key `fulfillment:<gid>` versioned by updated_at, so an
// older state arriving late (a create after an update) changes nothing; an event is once per its id.
// An event for a fulfillment not seen yet makes it from the event (its create fills it in). Nothing
// here calls Shopify: the webhook answers as soon as it is recorded.
import { z } from "zod";
import { deliveryStatusOf } from "~/core/deliveries";
import { logger } from "../logger.server";
import { timestampSchema } from "../shopify-payload";
import { gid } from "../shopify-admin.server";
import { handleWebhook, type WebhookRoute } from "../webhooks.server";
import { fulfillmentStub, recordDeliveryEvent, recordFulfillment, type FulfillmentInput } from "./record.server";

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^(gid:\/\/shopify\/\w+\/)?\d+$/, "must be a Shopify id")]);
/** A status word as Shopify writes them ("in_transit", "success"). */
const word = z.string().regex(/^[A-Za-z_]{1,40}$/, "must be a status word such as in_transit");

export const fulfillmentSchema = z
  .object({
    id,
    admin_graphql_api_id: z.string().nullish(),
    order_id: id,
    status: word,
    created_at: timestampSchema,
    updated_at: timestampSchema,
    location_id: id.nullish(),
    tracking_company: z.string().max(200).nullish(),
    shipment_status: word.nullish(),
    service: z.string().max(200).nullish(),
  })
  .passthrough();

export const fulfillmentEventSchema = z
  .object({
    id,
    admin_graphql_api_id: z.string().nullish(),
    fulfillment_id: id,
    order_id: id,
    status: word.refine((s) => deliveryStatusOf(s) !== null, { message: "is not a fulfillment event status (in_transit, out_for_delivery, delivered, …)" }),
    happened_at: timestampSchema,
    message: z.string().max(1000).nullish(),
  })
  .passthrough();

/** A fulfillments/* body as recordFulfillment takes it. */
export function fulfillmentFromWebhook(p: z.output<typeof fulfillmentSchema>): FulfillmentInput {
  return {
    gid: p.admin_graphql_api_id ?? gid("Fulfillment", p.id),
    orderGid: gid("Order", p.order_id),
    status: p.status.toUpperCase(),
    locationGid: p.location_id == null ? null : gid("Location", p.location_id),
    trackingCompany: p.tracking_company ?? null,
    shipmentStatus: deliveryStatusOf(p.shipment_status),
    service: p.service ?? null,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

const fulfillmentRoute = (topic: "fulfillments/create" | "fulfillments/update"): WebhookRoute<typeof fulfillmentSchema> => ({
  topic,
  schema: fulfillmentSchema,
  resource: (p) => ({ key: `fulfillment:${fulfillmentFromWebhook(p).gid}`, version: p.updated_at }),
  act: async (tx, ctx) => {
    if (!ctx.shop) {
      logger.info({ shop: ctx.shopDomain, topic }, "fulfillment webhook for an unknown shop: nothing done");
      return;
    }
    await recordFulfillment(tx, ctx.shop.id, fulfillmentFromWebhook(ctx.payload));
  },
});

const fulfillmentEventRoute: WebhookRoute<typeof fulfillmentEventSchema> = {
  topic: "fulfillment_events/create",
  schema: fulfillmentEventSchema,
  resource: (p) => ({ key: `fulfillment_event:${p.admin_graphql_api_id ?? gid("FulfillmentEvent", p.id)}`, version: null }),
  act: async (tx, ctx) => {
    if (!ctx.shop) {
      logger.info({ shop: ctx.shopDomain, topic: ctx.topic }, "fulfillment event for an unknown shop: nothing done");
      return;
    }
    const p = ctx.payload;
    const eventGid = p.admin_graphql_api_id ?? gid("FulfillmentEvent", p.id);
    const fulfillmentId = await fulfillmentStub(tx, ctx.shop.id, { gid: gid("Fulfillment", p.fulfillment_id), orderGid: gid("Order", p.order_id), seenAt: p.happened_at });
    await recordDeliveryEvent(tx, ctx.shop.id, {
      fulfillmentId,
      status: deliveryStatusOf(p.status)!,
      happenedAt: p.happened_at,
      source: "SHOPIFY",
      idempotencyKey: `shopify:event:${eventGid}`,
      message: p.message ?? null,
      shopifyEventGid: eventGid,
    });
  },
};

export const handleFulfillmentCreateWebhook = (request: Request) => handleWebhook(request, fulfillmentRoute("fulfillments/create"));
export const handleFulfillmentUpdateWebhook = (request: Request) => handleWebhook(request, fulfillmentRoute("fulfillments/update"));
export const handleFulfillmentEventWebhook = (request: Request) => handleWebhook(request, fulfillmentEventRoute);
