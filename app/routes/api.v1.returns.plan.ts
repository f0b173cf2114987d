// POST /api/v1/returns/plan: the outcome and destination hub of a proposed return, with the reasons.
import type { ActionFunctionArgs } from "@remix-run/node";
import { planReturnForApi } from "~/services/open-api/returns.server";
import { apiError, requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

export const action = openApiRoute(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw apiError(405, "use POST");
  const shop = await requireApiShop(request);
  return Response.json(await planReturnForApi(shop, request), { headers: { "Cache-Control": "no-store" } });
});

export function loader() {
  return apiError(405, "use POST with a ReturnPlanRequest body (see /api/v1/openapi.json)");
}
