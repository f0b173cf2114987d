import type { ActionFunctionArgs } from "@remix-run/node";
import { customerRedactWebhook } from "~/services/privacy.server";
import { handleWebhook } from "~/services/webhooks.server";

// customers/redact (mandatory privacy topic): the customer's orders lose what identifies them.
export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request, customerRedactWebhook);
