// POST /api/v1/quotes: quote a cart to an address over the shop's network (Bearer API key).
// The body and the answer are described in /api/v1/openapi.json (QuoteRequest, Quote).
import type { ActionFunctionArgs } from "@remix-run/node";
import { parseQuoteRequest, quoteForApi } from "~/services/open-api/quotes.server";
import { apiError, requireApiShop, openApiRoute } from "~/services/open-api/v1.server";

export const action = openApiRoute(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw apiError(405, "use POST");
  const shop = await requireApiShop(request);
  const body = await parseQuoteRequest(request);
  return Response.json(await quoteForApi(shop, body), { headers: { "Cache-Control": "no-store" } });
});

export function loader() {
  return apiError(405, "use POST with a QuoteRequest body (see /api/v1/openapi.json)");
}
