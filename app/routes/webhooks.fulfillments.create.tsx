import type { ActionFunctionArgs } from "@remix-run/node";
import { handleFulfillmentCreateWebhook } from "~/services/deliveries/webhooks.server";

// fulfillments/create: the order's fulfillment (where it shipped from, when, its delivery status) is
// recorded; a late delivery of an older state changes nothing. See app/services/deliveries/webhooks.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleFulfillmentCreateWebhook(request);
