import type { ActionFunctionArgs } from "@remix-run/node";
import { handleReturnRequestWebhook } from "~/services/returns/webhooks.server";

// returns/request: see app/services/returns/webhooks.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleReturnRequestWebhook(request);
