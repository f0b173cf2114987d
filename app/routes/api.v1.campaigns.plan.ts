// POST /api/v1/campaigns/plan: a hub (and optionally the platform, daily budget, days, radius) →
// the plan with its reasons and the exact platform payloads. Nothing is created or spent.
import type { ActionFunctionArgs } from "@remix-run/node";
import { planApiCampaign } from "~/services/open-api/campaigns.server";
import { apiError, requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

const noStore = { "Cache-Control": "no-store" };

export const action = openApiRoute(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw apiError(405, "use POST");
  const shop = await requireApiShop(request);
  return Response.json(await planApiCampaign(shop, request), { headers: noStore });
});

export function loader() {
  return apiError(405, "use POST with a CampaignPlanRequest body (see /api/v1/openapi.json)");
}
