import type { ActionFunctionArgs } from "@remix-run/node";
import { customerRedactWebhook } from "~/services/compliance.server";
import { handleWebhook } from "~/services/webhooks.server";

// customers/redact (mandatory compliance topic): the customer's orders lose what identifies them.
export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request, customerRedactWebhook);
