// Backend of the checkout UI extension (extensions/delivery-promise): POST the shipping address
// and cart lines with the checkout session token, get the delivery promise back.
//
// - The session token (a JWT Shopify signs with the app secret, 5-minute TTL) is verified by
//   authenticate.public.checkout; its audience must be this app's API key and its `dest` names
//   the shop. Anything else is 401.
// - The extension runs in a web worker on Shopify's checkout origin, so every answer, errors
//   included, carries CORS headers; the OPTIONS preflight (which Remix routes to the loader) is
//   answered by the same helper with 204.
// - A shop we do not know gets an empty promise (200), never a 500: checkout goes on. So does one
//   this process has not seen lately while the database is unavailable ("not available right now").
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { env } from "~/env.server";
import {
  findInstalledShop,
  noShopPromise,
  promiseForShop,
  promiseRequestSchema,
} from "~/services/delivery-promise.server";
import { logger } from "~/services/logger.server";
import { zodMessage } from "~/services/webhooks.server";
import { authenticate } from "~/shopify.server";

type Cors = (response: Response) => Response;

/** The same headers the library's cors() adds, for the answers it throws (401, 204). */
function withCorsHeaders(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set("Access-Control-Allow-Origin", "*");
  headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function json(cors: Cors, body: unknown, status = 200): Response {
  return cors(Response.json(body, { status, headers: { "Cache-Control": "no-store" } }));
}

/** The shop's domain from the token's `dest` ("https://shop.myshopify.com"); null when unusable. */
export function shopDomainOf(dest: unknown): string | null {
  if (typeof dest !== "string") return null;
  try {
    const url = new URL(dest.includes("://") ? dest : `https://${dest}`);
    return url.hostname || null;
  } catch {
    return null;
  }
}

async function verify(request: Request): Promise<{ cors: Cors; shopDomain: string } | Response> {
  let auth: Awaited<ReturnType<typeof authenticate.public.checkout>>;
  try {
    auth = await authenticate.public.checkout(request);
  } catch (thrown) {
    if (thrown instanceof Response) {
      // OPTIONS already carries CORS from the library when the origin is foreign; 401s do not.
      return thrown.headers.has("Access-Control-Allow-Origin") ? thrown : withCorsHeaders(thrown);
    }
    throw thrown;
  }
  const { sessionToken, cors } = auth;
  // The library skips the audience check for checkout tokens; a token minted for another app
  // (even by a party holding our secret by mistake) is not ours to answer.
  if (sessionToken.aud !== env().apiKey) {
    return withCorsHeaders(Response.json({ error: "session token: wrong audience" }, { status: 401 }));
  }
  const shopDomain = shopDomainOf(sessionToken.dest);
  if (!shopDomain) return withCorsHeaders(Response.json({ error: "session token: no shop in dest" }, { status: 401 }));
  return { cors, shopDomain };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const verified = await verify(request);
  if (verified instanceof Response) return verified;
  return verified.cors(
    Response.json({ error: "POST the address and cart lines" }, { status: 405, headers: { Allow: "POST, OPTIONS" } }),
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const verified = await verify(request);
  if (verified instanceof Response) return verified;
  const { cors, shopDomain } = verified;
  if (request.method !== "POST") {
    return cors(Response.json({ error: "POST only" }, { status: 405, headers: { Allow: "POST, OPTIONS" } }));
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json(cors, { error: "body: not valid JSON" }, 400);
  }
  const parsed = promiseRequestSchema.safeParse(body);
  if (!parsed.success) return json(cors, { error: zodMessage(parsed.error) }, 400);

  const now = new Date();
  const lookup = await findInstalledShop(shopDomain);
  if (lookup.status !== "found") {
    logger.info({ shop: shopDomain, lookup: lookup.status }, "delivery promise for a shop not found");
    return json(cors, noShopPromise(lookup, now));
  }
  return json(cors, await promiseForShop(lookup.shop, parsed.data, "CHECKOUT_EXTENSION", now));
}
