// GET /api/v1/orders: the shop's order history (lines, destination cell, Nearhub's shipments, Shopify's
// fulfilments and when they were delivered), paged like nodes (?limit, ?cursor), filtered by
// ?createdFrom / ?createdTo and ?nodeId. See app/services/open-api/orders.server.ts.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { listApiOrders } from "~/services/open-api/orders.server";
import { requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

export const loader = openApiRoute(async ({ request }: LoaderFunctionArgs) => {
  const shop = await requireApiShop(request);
  return Response.json(await listApiOrders(shop, request), { headers: { "Cache-Control": "no-store" } });
});
