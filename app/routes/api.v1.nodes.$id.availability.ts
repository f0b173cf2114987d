// GET /api/v1/nodes/{id}/availability: per purpose, whether the node may serve now and every
// reason it may not (the one availability gate). Another shop's node is a 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiNodeAvailability } from "~/services/open-api/permits.server";
import { requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

export const loader = openApiRoute(async ({ request, params }: LoaderFunctionArgs) => {
  const shop = await requireApiShop(request);
  return Response.json(await apiNodeAvailability(shop, params.id ?? ""), { headers: { "Cache-Control": "no-store" } });
});
