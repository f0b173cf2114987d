import type { ActionFunctionArgs } from "@remix-run/node";
import { handleOrderCreateWebhook } from "~/services/routing/webhooks.server";

// orders/create: routes the order as soon as it exists (whichever of this and
// order_routing_complete comes first decides; the other changes nothing).
// See app/services/routing/webhooks.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleOrderCreateWebhook(request);
