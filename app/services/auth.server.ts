// Who is asking: the merchant in Shopify admin (session token), or, in demo mode only,
// the demo shop without Shopify. Before either, a request that changes something must be a form
// posted from the app's own pages (http-guards.server.ts): 403 across origins, 415/400/413 otherwise.
import type { Shop } from "@prisma/client";
import { env, DEMO_SHOP_DOMAIN } from "~/env.server";
import { authenticate } from "~/shopify.server";
// The after-install work, run by authenticate.admin on a store's first request (token exchange).
import "./after-install.server";
import { assertReadableForm, crossOriginProblem, isLoopbackHost, refusal } from "./http-guards.server";
import { ensureShop } from "./shops.server";
import { shopConventions, type ShopConventions } from "~/core/format/format";

type ShopifyAdmin = Awaited<ReturnType<typeof authenticate.admin>>["admin"];

export interface AdminContext {
  shop: Shop;
  /** Admin GraphQL client; null in demo mode, where no store is connected. */
  admin: ShopifyAdmin | null;
  demo: boolean;
  /** The shop's currency, locale, units and zone, built once per request from its row (core/format). */
  conventions: ShopConventions;
}

/** Seconds of clock difference allowed, as Shopify's library allows. */
const CLOCK_TOLERANCE_S = 10;
/** Shopify's session tokens live one minute (admin) or five (checkout); a longer life is not theirs. */
export const MAX_SESSION_TOKEN_LIFETIME_S = 60 * 60;

/**
 * What Shopify's library does not check about a session token: it verifies the signature, and exp
 * and nbf only when they are present. A token without exp would never expire, so it is refused, as is
 * one living longer than Shopify's tokens do.
 */
export function sessionTokenLifetimeProblem(payload: Record<string, unknown>, nowMs = Date.now()): string | null {
  if (typeof payload.exp !== "number") return "session token: no exp (expiry) claim";
  if (payload.exp - nowMs / 1000 > MAX_SESSION_TOKEN_LIFETIME_S) return "session token: expires too far in the future";
  return null;
}

/** Every claim this app relies on: the lifetime, not expired, not before its nbf, for this app. */
export function sessionTokenProblem(payload: Record<string, unknown>, audience: string, nowMs = Date.now()): string | null {
  const now = nowMs / 1000;
  const { exp, nbf, aud } = payload;
  const lifetime = sessionTokenLifetimeProblem(payload, nowMs);
  if (lifetime) return lifetime;
  if ((exp as number) + CLOCK_TOLERANCE_S < now) return "session token: expired";
  if (nbf !== undefined && (typeof nbf !== "number" || nbf - CLOCK_TOLERANCE_S > now)) return "session token: not valid yet (nbf)";
  if (aud !== audience) return "session token: wrong audience";
  return null;
}

/** The claims of a JWT without checking its signature (the library checks it next), or null. */
function unverifiedClaims(token: string): Record<string, unknown> | null {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    return claims && typeof claims === "object" ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Origin, content type and size checks every admin request passes before authentication (and the
 * login form's post): throws a 403, 413, 415 or 400 Response with a sentence saying why.
 */
export async function guardAdminRequest(request: Request): Promise<void> {
  const config = env();
  const url = new URL(request.url);
  // A page of another site that resolves its own name to 127.0.0.1 (DNS rebinding) is not the demo's.
  if (config.demo && !isLoopbackHost(url.hostname)) {
    throw refusal(403, "Demo mode answers only on 127.0.0.1 or localhost.", "text");
  }
  if (SAFE_METHODS.has(request.method)) return;
  const problem = crossOriginProblem(request, [config.demo ? url.origin : new URL(config.appUrl).origin]);
  if (problem) throw refusal(403, `Refused: ${problem}. Nearhub's admin forms are posted from its own pages.`, "text");
  await assertReadableForm(request);
}

export async function requireAdmin(request: Request): Promise<AdminContext> {
  await guardAdminRequest(request);
  const config = env();
  if (config.demo) {
    const shop = await ensureShop(DEMO_SHOP_DOMAIN, { name: "Nearhub Demo Market" });
    return { shop, admin: null, demo: true, conventions: shopConventions(shop) };
  }
  const token = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") || new URL(request.url).searchParams.get("id_token");
  // Expired or foreign tokens are the library's to answer (it fetches a fresh one through its bounce
  // page); only what it never checks is refused here, before any token exchange.
  const claims = token ? unverifiedClaims(token) : null;
  const problem = claims && sessionTokenLifetimeProblem(claims);
  if (problem) throw refusal(401, problem, "text");
  const { session, admin } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  return { shop, admin, demo: false, conventions: shopConventions(shop) };
}
