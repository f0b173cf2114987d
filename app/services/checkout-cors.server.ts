// CORS for the checkout UI extension's backend (/api/checkout/delivery-promise). The extension runs
// in Shopify's sandboxed web worker and fetches from https://extensions.shopifycdn.com; only the
// origins in NEARHUB_CHECKOUT_CORS_ORIGINS (that one by default) may read the answers, each told its
// own origin back (never "*"), errors included. A request from any other page still gets its answer,
// but the browser keeps it from that page. The session token, not the origin, is what authenticates.
import { env } from "~/env.server";

const ALLOWED_HEADERS = "Authorization, Content-Type";
/** How long a browser may reuse a preflight answer, in seconds (the figure Shopify's library uses). */
const PREFLIGHT_MAX_AGE_S = 7200;

export interface CheckoutCors {
  /** The request's origin when it may read answers, else null. */
  allowedOrigin: string | null;
  /** The response with Vary: Origin and, for an allowed origin, Access-Control-Allow-Origin. */
  apply(response: Response): Response;
  /** The answer to an OPTIONS preflight: 204 for an allowed origin, 403 for any other. */
  preflight(): Response;
}

export function checkoutCors(request: Request, allowed: readonly string[] = env().checkoutCorsOrigins): CheckoutCors {
  const origin = request.headers.get("origin");
  const allowedOrigin = origin !== null && allowed.includes(origin) ? origin : null;
  const apply = (response: Response, extra: Record<string, string> = {}) => {
    const headers = new Headers(response.headers);
    headers.append("Vary", "Origin");
    if (allowedOrigin) headers.set("Access-Control-Allow-Origin", allowedOrigin);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
  return {
    allowedOrigin,
    apply: (response) => apply(response),
    preflight: () =>
      allowedOrigin
        ? apply(new Response(null, { status: 204 }), {
            "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": ALLOWED_HEADERS,
            "Access-Control-Max-Age": String(PREFLIGHT_MAX_AGE_S),
          })
        : apply(Response.json({ error: `Origin ${origin ?? "(none)"} may not call this endpoint` }, { status: 403 })),
  };
}
