import type { ActionFunctionArgs } from "@remix-run/node";
import { dataRequestSchema, recordDataRequest } from "~/services/compliance.server";
import { handleWebhook } from "~/services/webhooks.server";

export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request, dataRequestSchema, recordDataRequest, "delivery");
