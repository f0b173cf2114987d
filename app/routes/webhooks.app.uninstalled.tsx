import type { ActionFunctionArgs } from "@remix-run/node";
import { uninstalledWebhook } from "~/services/app-lifecycle.server";
import { handleWebhook } from "~/services/webhooks.server";

// app/uninstalled: the offline token is dead; sessions go, the data stays until shop/redact.
export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request, uninstalledWebhook);
