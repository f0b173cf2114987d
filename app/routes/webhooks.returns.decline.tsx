import type { ActionFunctionArgs } from "@remix-run/node";
import { handleReturnDeclineWebhook } from "~/services/returns/webhooks.server";

// returns/decline: see app/services/returns/webhooks.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleReturnDeclineWebhook(request);
