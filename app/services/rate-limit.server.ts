// Rate limits on the open API and the app proxy (issue 17 item 6), counted in the database with
// rate-limiter-flexible's Prisma store, so every process behind a load balancer shares one count:
//   - per client address on /api/v1, counted before the API key is checked (a flood of guessed keys
//     is refused like any other);
//   - per API key on /api/v1, once the key is known;
//   - per shop on the app proxy: the address Nearhub sees there is Shopify's proxy, so a per-address
//     limit would act per proxy, not per shopper (ADR 0033).
// Over a limit: 429 with Retry-After (seconds) and a sentence. When the database cannot count (it is
// away), the request goes on: the limit protects the database, it does not add a way to fail.
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { logger } from "./logger.server";

export type LimitName = "apiKey" | "apiAddress" | "proxyShop";

const limiters = new Map<LimitName, RateLimiterPrisma>();

function limiter(name: LimitName): RateLimiterPrisma {
  let l = limiters.get(name);
  if (!l) {
    const r = env().rateLimits;
    const points = name === "apiKey" ? r.perApiKey : name === "apiAddress" ? r.perApiAddress : r.perProxyShop;
    l = new RateLimiterPrisma({ storeClient: db, tableName: "rateLimit", keyPrefix: name, points, duration: 60, clearExpiredByTimeout: false });
    limiters.set(name, l);
  }
  return l;
}

const WHAT: Record<LimitName, string> = {
  apiKey: "this API key",
  apiAddress: "your address",
  proxyShop: "this shop's storefront",
};

/** Counts one request of `key` against the limit; throws a 429 Response when it is over. */
export async function enforceRateLimit(name: LimitName, key: string): Promise<void> {
  try {
    await limiter(name).consume(key, 1);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      const perMinute = limiter(name).points;
      throw Response.json(
        { error: `Too many requests from ${WHAT[name]}: at most ${perMinute} a minute. Try again in ${seconds} s.` },
        { status: 429, headers: { "Retry-After": String(seconds), "Cache-Control": "no-store" } },
      );
    }
    logger.warn({ limit: name, err: (rejection as Error).message }, "rate limit: could not count the request; let through");
  }
}

/** The caller's address as server.mjs recorded it (X-Nearhub-Client-Ip, set on every request it serves). */
export function clientAddress(request: Request): string {
  return request.headers.get("x-nearhub-client-ip") ?? "unknown";
}
