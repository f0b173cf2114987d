import type { ActionFunctionArgs } from "@remix-run/node";
import { handleReturnCloseWebhook } from "~/services/returns/webhooks.server";

// returns/close: see app/services/returns/webhooks.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleReturnCloseWebhook(request);
