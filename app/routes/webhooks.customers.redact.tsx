import type { ActionFunctionArgs } from "@remix-run/node";
import { customerRedactSchema, redactCustomer } from "~/services/compliance.server";
import { handleWebhook } from "~/services/webhooks.server";

export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request, customerRedactSchema, redactCustomer, "delivery");
