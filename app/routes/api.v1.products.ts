import type { LoaderFunctionArgs } from "@remix-run/node";
import { listApiProducts, parsePagination, requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

export const loader = openApiRoute(async ({ request }: LoaderFunctionArgs) => {
  const shop = await requireApiShop(request);
  return Response.json(await listApiProducts(shop, parsePagination(request)));
});
