import type { ActionFunctionArgs } from "@remix-run/node";
import { handleBulkOperationFinishWebhook } from "~/services/orders/import.server";

// bulk_operations/finish: Shopify finished (or failed) the bulk operation of the order history
// import; the import's collect step is queued at once. See app/services/orders/import.server.ts.
export const action = ({ request }: ActionFunctionArgs) => handleBulkOperationFinishWebhook(request);
