import type { LoaderFunctionArgs } from "@remix-run/node";
import { listApiProducts, parsePagination, requireApiShop } from "~/services/open-api/v1.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const shop = await requireApiShop(request);
  return Response.json(await listApiProducts(shop, parsePagination(request)));
}
