import type { LoaderFunctionArgs } from "@remix-run/node";
import { listApiNodes, parsePagination, requireApiShop } from "~/services/open-api/v1.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const shop = await requireApiShop(request);
  return Response.json(await listApiNodes(shop, parsePagination(request)));
}
