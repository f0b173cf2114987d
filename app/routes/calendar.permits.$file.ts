// GET /calendar/permits/<token>.ics: the shop's permit calendar at its secret subscription URL
// (no session: calendar apps cannot sign in; the token is the credential, only its hash is stored).
// An unknown, revoked or malformed token is a 404 that says no more.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarResponse, shopForCalendarToken, shopPermitCalendar } from "~/services/permits/calendar.server";

const notFound = () =>
  new Response("No calendar at this address: the link may have been revoked in Nearhub's settings.", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
  });

export async function loader({ params }: LoaderFunctionArgs) {
  const match = /^(.+)\.ics$/.exec(params.file ?? "");
  const shop = match ? await shopForCalendarToken(match[1]) : null;
  if (!shop) return notFound();
  return calendarResponse(await shopPermitCalendar(shop));
}
