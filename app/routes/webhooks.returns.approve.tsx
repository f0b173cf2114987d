import type { ActionFunctionArgs } from "@remix-run/node";
import { handleReturnApproveWebhook } from "~/services/returns/webhooks.server";

// returns/approve: see app/services/returns/webhooks.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleReturnApproveWebhook(request);
