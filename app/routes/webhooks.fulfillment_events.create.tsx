import type { ActionFunctionArgs } from "@remix-run/node";
import { handleFulfillmentEventWebhook } from "~/services/deliveries/webhooks.server";

// fulfillment_events/create: what happened to a fulfillment on its way (in transit, out for delivery,
// delivered), once per event; one Nearhub posted itself is recognised, not counted twice.
// See app/services/deliveries/webhooks.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleFulfillmentEventWebhook(request);
