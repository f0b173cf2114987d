// POST /api/v1/returns/{id}/events: move a return ({type, ...}); 409 with the reason when illegal.
import type { ActionFunctionArgs } from "@remix-run/node";
import { postReturnEvent } from "~/services/open-api/returns.server";
import { apiError, requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

export const action = openApiRoute(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw apiError(405, "use POST");
  const shop = await requireApiShop(request);
  return Response.json(await postReturnEvent(shop, params.id ?? "", request), { headers: { "Cache-Control": "no-store" } });
});

export function loader() {
  return apiError(405, "use POST with a ReturnEventRequest body (see /api/v1/openapi.json)");
}
