import type { ActionFunctionArgs } from "@remix-run/node";
import { scopesUpdateWebhook } from "~/services/app-lifecycle.server";
import { handleWebhook } from "~/services/webhooks.server";

// app/scopes_update: the sessions and the shop take the granted scopes (newest grant wins).
export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request, scopesUpdateWebhook);
