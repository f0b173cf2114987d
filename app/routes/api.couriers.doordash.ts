import type { ActionFunctionArgs } from "@remix-run/node";
import { handleDoorDashWebhook } from "~/services/deliveries/doordash.server";

// DoorDash Drive's delivery status webhooks (configured in the DoorDash developer portal with the
// Authorization header in DOORDASH_WEBHOOK_AUTHORIZATION). See app/services/deliveries/doordash.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleDoorDashWebhook(request);

export const loader = () => new Response(JSON.stringify({ error: "POST only" }), { status: 405, headers: { "Content-Type": "application/json", Allow: "POST" } });
