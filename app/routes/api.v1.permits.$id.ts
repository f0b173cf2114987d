// GET /api/v1/permits/{id}; PATCH /api/v1/permits/{id} (a renewal sends new dates; a stale
// `version` is a 409). Another shop's permit is a 404.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getApiPermit, patchApiPermit } from "~/services/open-api/permits.server";
import { apiError, requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

const noStore = { "Cache-Control": "no-store" };

export const loader = openApiRoute(async ({ request, params }: LoaderFunctionArgs) => {
  const shop = await requireApiShop(request);
  return Response.json(await getApiPermit(shop, params.id ?? ""), { headers: noStore });
});

export const action = openApiRoute(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "PATCH") throw apiError(405, "use GET or PATCH");
  const shop = await requireApiShop(request);
  return Response.json(await patchApiPermit(shop, params.id ?? "", request), { headers: noStore });
});
