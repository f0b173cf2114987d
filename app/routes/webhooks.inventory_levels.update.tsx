import type { ActionFunctionArgs } from "@remix-run/node";
import { handleInventoryLevelWebhook } from "~/services/catalog-sync.server";

// inventory_levels/update: keeps the stock of the node linked to the location current.
// See app/services/catalog-sync.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleInventoryLevelWebhook(request);
