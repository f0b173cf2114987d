// GET /api/v1/permits.ics: the shop's permit calendar (RFC 5545) for the API key's shop.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiShop, openApiRoute } from "~/services/open-api/v1.server";
import { calendarResponse, shopPermitCalendar } from "~/services/permits/calendar.server";

export const loader = openApiRoute(async ({ request }: LoaderFunctionArgs) => {
  const shop = await requireApiShop(request);
  return calendarResponse(await shopPermitCalendar(shop));
});
