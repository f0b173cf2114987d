// GET /api/v1/campaigns: the shop's campaigns with status, reasons and totals (paginated like nodes);
// POST /api/v1/campaigns: create and launch one (201; pending until the platform confirms; 400
// naming the field).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { launchApiCampaign, listApiCampaigns } from "~/services/open-api/campaigns.server";
import { apiError, requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

const noStore = { "Cache-Control": "no-store" };

export const loader = openApiRoute(async ({ request }: LoaderFunctionArgs) => {
  const shop = await requireApiShop(request);
  return Response.json(await listApiCampaigns(shop, request), { headers: noStore });
});

export const action = openApiRoute(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw apiError(405, "use GET or POST");
  const shop = await requireApiShop(request);
  return Response.json(await launchApiCampaign(shop, request), { status: 201, headers: noStore });
});
