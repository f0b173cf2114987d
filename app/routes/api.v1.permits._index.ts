// GET /api/v1/permits: the shop's permits with their status now (paginated like nodes);
// POST /api/v1/permits: record one (201; 400 naming the field).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createApiPermit, listApiPermits } from "~/services/open-api/permits.server";
import { apiError, requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

const noStore = { "Cache-Control": "no-store" };

export const loader = openApiRoute(async ({ request }: LoaderFunctionArgs) => {
  const shop = await requireApiShop(request);
  return Response.json(await listApiPermits(shop, request), { headers: noStore });
});

export const action = openApiRoute(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw apiError(405, "use GET or POST");
  const shop = await requireApiShop(request);
  return Response.json(await createApiPermit(shop, request), { status: 201, headers: noStore });
});
