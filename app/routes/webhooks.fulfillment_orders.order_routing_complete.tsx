import type { ActionFunctionArgs } from "@remix-run/node";
import { handleRoutingCompleteWebhook } from "~/services/routing/webhooks.server";

// fulfillment_orders/order_routing_complete: Shopify assigned the order's fulfillment orders;
// Nearhub decides and (AUTO mode) moves them. See app/services/routing/webhooks.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleRoutingCompleteWebhook(request);
