// GET /api/v1/returns: the shop's returns, paginated like nodes (?limit, ?cursor), ?status= filter.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { listApiReturns } from "~/services/open-api/returns.server";
import { requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

export const loader = openApiRoute(async ({ request }: LoaderFunctionArgs) => {
  const shop = await requireApiShop(request);
  return Response.json(await listApiReturns(shop, request), { headers: { "Cache-Control": "no-store" } });
});
