import type { ActionFunctionArgs } from "@remix-run/node";
import { scopesUpdateSchema, updateScopes } from "~/services/compliance.server";
import { handleWebhook } from "~/services/webhooks.server";

export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request, scopesUpdateSchema, updateScopes, "delivery");
