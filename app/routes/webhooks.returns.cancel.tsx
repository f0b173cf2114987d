import type { ActionFunctionArgs } from "@remix-run/node";
import { handleReturnCancelWebhook } from "~/services/returns/webhooks.server";

// returns/cancel: see app/services/returns/webhooks.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleReturnCancelWebhook(request);
