import type { LoaderFunctionArgs } from "@remix-run/node";
import { listApiNodes, parsePagination, requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

export const loader = openApiRoute(async ({ request }: LoaderFunctionArgs) => {
  const shop = await requireApiShop(request);
  return Response.json(await listApiNodes(shop, parsePagination(request)));
});
