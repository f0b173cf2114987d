import type { ActionFunctionArgs } from "@remix-run/node";
import { shopRedactSchema, redactShop } from "~/services/compliance.server";
import { handleWebhook } from "~/services/webhooks.server";

export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request, shopRedactSchema, redactShop, "natural");
