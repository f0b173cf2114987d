// GET /api/v1/campaigns/{id}: one campaign with its status, reasons, guardrail log and results.
// Another shop's campaign is a 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getApiCampaign } from "~/services/open-api/campaigns.server";
import { requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

const noStore = { "Cache-Control": "no-store" };

export const loader = openApiRoute(async ({ request, params }: LoaderFunctionArgs) => {
  const shop = await requireApiShop(request);
  return Response.json(await getApiCampaign(shop, params.id ?? ""), { headers: noStore });
});
