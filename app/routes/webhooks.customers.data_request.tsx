import type { ActionFunctionArgs } from "@remix-run/node";
import { dataRequestWebhook } from "~/services/privacy.server";
import { handleWebhook } from "~/services/webhooks.server";

// customers/data_request (mandatory privacy topic): what Nearhub holds about the customer, kept for the merchant.
export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request, dataRequestWebhook);
