// POST /api/v1/routing/plan: where the given orders would ship from over the shop's nodes and
// stock, with costs, alternatives and reasons (Bearer API key). Nothing is stored and Shopify is
// not touched. Body and answer: RoutingPlanRequest / RoutingPlan in /api/v1/openapi.json.
import type { ActionFunctionArgs } from "@remix-run/node";
import { apiError, requireApiShop, openApiRoute } from "~/services/open-api/v1.server";
import { parseRoutingPlanRequest, planForApi } from "~/services/routing/plan-api.server";

export const action = openApiRoute(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw apiError(405, "use POST");
  const shop = await requireApiShop(request);
  const body = await parseRoutingPlanRequest(request);
  return Response.json(await planForApi(shop, body), { headers: { "Cache-Control": "no-store" } });
});

export function loader() {
  return apiError(405, "use POST with a RoutingPlanRequest body (see /api/v1/openapi.json)");
}
