import type { ActionFunctionArgs } from "@remix-run/node";
import { handleOrderUpdatedWebhook } from "~/services/orders/webhooks.server";

// orders/updated: the order's latest state is stored (lines, destination, shipping line, fulfillments);
// a late delivery of an older state changes nothing. See app/services/orders/webhooks.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleOrderUpdatedWebhook(request);
