import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { markUninstalled } from "~/services/compliance.server";
import { handleWebhook } from "~/services/webhooks.server";

// The payload is the shop resource; nothing in it is needed beyond the verified shop domain.
export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, z.object({}).passthrough(), markUninstalled);
