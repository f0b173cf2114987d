import type { ActionFunctionArgs } from "@remix-run/node";
import { shopRedactWebhook } from "~/services/privacy.server";
import { handleWebhook } from "~/services/webhooks.server";

// shop/redact (mandatory privacy topic, 48 hours after uninstall): every row of the shop is deleted.
export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request, shopRedactWebhook);
