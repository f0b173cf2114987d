// Backend of the checkout UI extension (extensions/delivery-promise): POST the shipping address
// and cart lines with the checkout session token, get the delivery promise back.
//
// - The session token (a JWT Shopify signs with the app secret, 5-minute TTL) is verified by
//   authenticate.public.checkout; then sessionTokenProblem (auth.server.ts) refuses what the library
//   lets through: no exp, nbf in the future, an audience other than this app's API key. Its `dest`
//   names the shop. Anything else is 401 with a message.
// - The extension runs in Shopify's web worker on https://extensions.shopifycdn.com: answers carry
//   CORS headers for the allowed origins only (checkout-cors.server.ts), the OPTIONS preflight too.
// - The body is JSON (415 otherwise) of at most 64 KiB (413; http-guards.server.ts).
// - A shop we do not know gets an empty promise (200), never a 500: checkout goes on. So does one
//   this process has not seen lately while the database is unavailable ("not available right now").
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { env } from "~/env.server";
import { sessionTokenProblem } from "~/services/auth.server";
import { checkoutCors, type CheckoutCors } from "~/services/checkout-cors.server";
import {
  findInstalledShop,
  noShopPromise,
  promiseForShop,
  promiseRequestSchema,
} from "~/services/delivery-promise.server";
import { mediaType, readBody } from "~/services/http-guards.server";
import { logger } from "~/services/logger.server";
import { issueSummary } from "~/core/validation/issues";
import { authenticate } from "~/shopify.server";

function json(cors: CheckoutCors, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return cors.apply(Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } }));
}

const POST_ONLY = { Allow: "POST, OPTIONS" };

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

async function verify(request: Request, cors: CheckoutCors): Promise<{ shopDomain: string } | Response> {
  let sessionToken: Awaited<ReturnType<typeof authenticate.public.checkout>>["sessionToken"];
  try {
    ({ sessionToken } = await authenticate.public.checkout(request));
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    // The library's refusals carry no body (and its CORS headers allow every origin): say why, ours.
    const error = thrown.status === 401 ? "session token: missing, malformed, expired or not signed for this app" : thrown.statusText;
    return json(cors, { error }, thrown.status);
  }
  const problem = sessionTokenProblem({ ...sessionToken }, env().apiKey);
  if (problem) return json(cors, { error: problem }, 401);
  const shopDomain = shopDomainOf(sessionToken.dest);
  if (!shopDomain) return json(cors, { error: "session token: no shop in dest" }, 401);
  return { shopDomain };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const cors = checkoutCors(request);
  if (request.method === "OPTIONS") return cors.preflight();
  return json(cors, { error: "POST the address and cart lines" }, 405, POST_ONLY);
}

export async function action({ request }: ActionFunctionArgs) {
  const cors = checkoutCors(request);
  if (request.method === "OPTIONS") return cors.preflight();
  if (request.method !== "POST") return json(cors, { error: "POST only" }, 405, POST_ONLY);
  const verified = await verify(request, cors);
  if (verified instanceof Response) return verified;
  if (mediaType(request) !== "application/json") {
    return json(cors, { error: "Content-Type: must be application/json" }, 415);
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(await readBody(request, "json")));
  } catch (error) {
    if (error instanceof Response) return cors.apply(error);
    return json(cors, { error: "body: not valid JSON" }, 400);
  }
  const parsed = promiseRequestSchema.safeParse(body);
  if (!parsed.success) return json(cors, { error: issueSummary(parsed.error) }, 400);

  const now = new Date();
  const lookup = await findInstalledShop(verified.shopDomain);
  if (lookup.status !== "found") {
    logger.info({ shop: verified.shopDomain, lookup: lookup.status }, "delivery promise for a shop not found");
    return json(cors, noShopPromise(lookup, now));
  }
  return json(cors, await promiseForShop(lookup.shop, parsed.data, "CHECKOUT_EXTENSION", now));
}
