// Receiving Shopify webhooks: the one mechanism every webhook route goes through (ADR 0010).
//
// Each route declares a WebhookRoute: its topic, the zod schema of its payload, whether the body's
// own state fits the topic, and the natural key and update time of the resource it is about. Then
// handleWebhook, in this order:
//  1. the body must be UTF-8 and X-Shopify-Shop-Domain one shop domain (400 naming it);
//  2. the HMAC is verified as the Shopify library verifies it (verifyWebhook: 401 otherwise; 400 for
//     missing headers), without loading the shop's session;
//  3. X-Shopify-Topic must be the route's topic (400): the HMAC covers the body only, so a signed
//     body posted to another route, or under another topic, is refused;
//  4. the payload must be well-formed Unicode (no lone surrogate, no NUL) and parse (400 naming the
//     field), and its state must fit the topic (422 naming the field, e.g. a return's `status`);
//  5. in one transaction with the effects: the delivery is skipped (200) when its X-Shopify-Webhook-Id
//     or its X-Shopify-Event-Id was seen, or when what the signed body says about its resource was
//     applied already (same natural key, and not newer); otherwise the delivery and the resource's
//     version are recorded and the route acts.
// Headers are not signed: the ids in them stop Shopify's own retries cheaply, the signed body's
// natural key and updated_at stop a captured body replayed under new ids or delivered late.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { isUtf8 } from "node:buffer";
import type { Prisma, Shop } from "@prisma/client";
import type { z } from "zod";
import { db } from "~/db.server";
import { issueSummary } from "~/core/validation/issues";
import { env } from "~/env.server";
import { logger } from "./logger.server";
import { webhooksTotal } from "./metrics.server";
import { setRequestShop } from "./request-context.server";

export type Tx = Prisma.TransactionClient;

export interface WebhookContext<T> {
  shopDomain: string;
  shop: Shop | null;
  /** The route's topic as Shopify names it (`returns/cancel`); the header said the same. */
  topic: string;
  webhookId: string;
  eventId: string | null;
  payload: T;
}

/** What a delivery is about, read from the signed body. */
export interface ResourceRef {
  /** The resource's natural key, unique in the shop: `inventory_level:<item>:<location>`, `returns/cancel:<gid>`. */
  key: string;
  /**
   * The resource's update time in the body (`updated_at`): the delivery is applied only if it is
   * newer than the version stored for the key (a "latest state" topic). null: an event that happens
   * once per key, applied the first time only.
   */
  version: Date | null;
  /** What identifies the state at that version (default: SHA-256 of the body). */
  digest?: string;
}

export interface WebhookRoute<S extends z.ZodType> {
  topic: string;
  schema: S;
  /** Whether the signed body's own state fits the topic: null, or a message naming the field. */
  fits?: (payload: z.output<S>, shopDomain: string) => string | null;
  /**
   * The natural key and update time of what the delivery is about (from the signed body; `digest`
   * is the body's SHA-256, for keys of events that may recur with a different body), or "natural":
   * the effect is idempotent by nature (deleting everything of a shop) and nothing is recorded.
   */
  resource: "natural" | ((payload: z.output<S>, body: { digest: string }) => ResourceRef);
  act: (tx: Tx, ctx: WebhookContext<z.output<S>>) => Promise<void>;
}

export type Claim = "new" | "duplicate" | "stale";

export function badRequest(message: string, status = 400): Response {
  return new Response(JSON.stringify({ error: message }), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

// ---------------------------------------------------------------------------------------------
// Input checks shared with the app proxy

/** The shop domains the Shopify library accepts (its sanitizeShop), without its trailing slashes. */
function shopDomainPattern(): RegExp {
  const custom = env().shopCustomDomain;
  const domains = ["myshopify\\.com", "shopify\\.com", "myshopify\\.io", "shop\\.dev", ...(custom ? [custom] : [])];
  return new RegExp(`^[a-zA-Z0-9][a-zA-Z0-9-_]*\\.(${domains.join("|")})$`);
}

/** null when `values` (every occurrence of the header or parameter) is exactly one shop domain; else why not. */
export function shopDomainProblem(values: readonly string[], field: string): string | null {
  const all = values.flatMap((v) => v.split(",")).map((v) => v.trim());
  if (all.length === 0 || (all.length === 1 && all[0] === "")) return `${field}: is required`;
  if (all.length > 1) return `${field}: must appear once (got ${all.length} values)`;
  if (!shopDomainPattern().test(all[0])) return `${field}: ${JSON.stringify(all[0].slice(0, 100))} is not a shop domain such as example.myshopify.com`;
  return null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The path of the first string (key or value) in `value` that no database can store as text: a
 * lone UTF-16 surrogate (JSON can carry one as "\ud800") or NUL. null when there is none.
 * Iterative, so a deeply nested body cannot overflow the stack.
 */
export function brokenUnicodeAt(value: unknown): string | null {
  const bad = (s: string) => s.includes("\u0000") || LONE_SURROGATE.test(s);
  const stack: { v: unknown; path: string }[] = [{ v: value, path: "" }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      if (bad(v)) return path || "body";
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: path ? `${path}.${i}` : String(i) });
    } else if (v !== null && typeof v === "object") {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i];
        const at = path ? `${path}.${k}` : k;
        if (bad(k)) return `${path || "body"} (a key)`;
        stack.push({ v: child, path: at });
      }
    }
  }
  return null;
}

/** "`field`: "value" does not fit `topic` (expects …)" when `actual` is not one of `expected` (case-insensitive). */
export function stateMismatch(topic: string, field: string, actual: string | null | undefined, expected: readonly string[]): string | null {
  if (actual != null && expected.includes(actual.toLowerCase())) return null;
  const got = actual == null ? "missing" : JSON.stringify(actual.slice(0, 40));
  return `${field}: ${got} does not fit ${topic} (expects ${expected.map((e) => JSON.stringify(e)).join(" or ")})`;
}

/** The body names the shop (compliance payloads' `shop_domain`): it must be the header's shop. */
export function sameShop(field: string, bodyDomain: string | null | undefined, headerDomain: string): string | null {
  if (bodyDomain == null || bodyDomain.toLowerCase() === headerDomain.toLowerCase()) return null;
  return `${field}: ${JSON.stringify(bodyDomain.slice(0, 100))} is not the shop in X-Shopify-Shop-Domain`;
}

// ---------------------------------------------------------------------------------------------
// Versions of resources, by natural key

/**
 * Claims `ref` for this shop in `tx`: "new" (recorded; act on it), "duplicate" (this state, or this
 * once-only event, was applied already) or "stale" (a newer version is stored). A versioned ref is
 * new when its version is newer than the stored one, or equal with a different digest (two states
 * in one second of Shopify's clock: the later arrival wins). The conditional update re-checks the
 * stored version under the row lock, so two concurrent deliveries cannot both apply out of order.
 * Used by handleWebhook and by the catalogue sync, so both writers of a level agree on what is newest.
 */
export async function claimResource(tx: Tx, shopId: string, ref: ResourceRef & { digest: string }, webhookId: string | null): Promise<Claim> {
  const { key, version, digest } = ref;
  if (version) {
    const moved = await tx.webhookResource.updateMany({
      where: { shopId, key, OR: [{ version: null }, { version: { lt: version } }, { version, digest: { not: digest } }] },
      data: { version, digest, webhookId },
    });
    if (moved.count > 0) return "new";
  }
  const stored = await tx.webhookResource.findUnique({ where: { shopId_key: { shopId, key } }, select: { version: true } });
  if (!stored) {
    await tx.webhookResource.create({ data: { shopId, key, version, digest, webhookId } });
    return "new";
  }
  return version && stored.version && stored.version > version ? "stale" : "duplicate";
}

// ---------------------------------------------------------------------------------------------

/** Delivery and event ids are stored: a header longer than any id Shopify sends is refused. */
const tooLong = (name: string, value: string | null) => (value !== null && value.length > 255 ? `${name}: longer than 255 characters` : null);

/**
 * Prisma ends an interactive transaction after 5 s by default. A webhook's may take longer on a busy
 * machine (10,000 order ids of a GDPR request, shop/redact of a large shop), and ending it there would
 * fail Shopify's every retry the same way. Shopify gives up waiting after 5 s and retries later; the
 * committed work then answers that retry as a duplicate.
 */
const WEBHOOK_TRANSACTION = { maxWait: 10_000, timeout: 60_000 };

/** The library's form of a topic (`RETURNS_CANCEL`). */
const topicKey = (topic: string) => topic.toUpperCase().replace(/\/|\./g, "_");

/** The headers Shopify's library requires of a webhook delivery (its WEBHOOK_HEADER_NAMES). */
const REQUIRED_HEADERS = ["X-Shopify-Hmac-Sha256", "X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id"] as const;

/**
 * Verifies a delivery as Shopify's library does (@shopify/shopify-api's webhooks.validate): 405 unless
 * POST; 400 without a body or one of its headers (named); 401 unless X-Shopify-Hmac-Sha256 is the
 * base64 HMAC-SHA256 of the raw body with the app's secret (compared in constant time); 400 when the
 * signed body is not JSON. Not the library's authenticate.webhook, which after the same checks loads
 * the shop's offline session and, when its token has expired, refreshes it with a call to Shopify,
 * inside the delivery's answer: nothing a webhook does before answering needs the session (the jobs
 * behind it load it when they run), and the session's query and decryption were a fifth of the CPU
 * an acknowledgement cost (bench/webhooks.ts, two processes on PostgreSQL: 7.9 → 6.4 ms a delivery).
 */
export function verifyWebhook(request: Request, bytes: Uint8Array): { shop: string; topic: string; webhookId: string; payload: unknown } | Response {
  if (request.method !== "POST") return new Response(undefined, { status: 405, statusText: "Method not allowed", headers: { Allow: "POST" } });
  if (bytes.length === 0) return badRequest("body: is empty");
  const missing = REQUIRED_HEADERS.filter((h) => !request.headers.get(h));
  if (missing.length) return badRequest(`${missing.join(", ")}: required (Shopify sends ${missing.length === 1 ? "it" : "them"} with every webhook)`);
  const expected = createHmac("sha256", env().apiSecret).update(bytes).digest();
  const given = Buffer.from(request.headers.get("X-Shopify-Hmac-Sha256")!, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return new Response(undefined, { status: 401, statusText: "Unauthorized" });
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return badRequest("body: not valid JSON");
  }
  return { shop: request.headers.get("X-Shopify-Shop-Domain")!, topic: topicKey(request.headers.get("X-Shopify-Topic")!), webhookId: request.headers.get("X-Shopify-Webhook-Id")!, payload };
}

/** Every webhook route's handler: receives it (below) and counts it by topic and outcome (metrics.server.ts). */
export async function handleWebhook<S extends z.ZodType>(request: Request, route: WebhookRoute<S>): Promise<Response> {
  let outcome = "applied";
  const response = await receiveWebhook(request, route, (o) => (outcome = o));
  webhooksTotal.inc({ topic: route.topic, outcome: response.status >= 400 ? "refused" : outcome });
  return response;
}

async function receiveWebhook<S extends z.ZodType>(request: Request, route: WebhookRoute<S>, note: (outcome: string) => void): Promise<Response> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (!isUtf8(bytes)) return badRequest("body: not valid UTF-8");
  const domainProblem = shopDomainProblem(request.headers.has("X-Shopify-Shop-Domain") ? [request.headers.get("X-Shopify-Shop-Domain")!] : [], "X-Shopify-Shop-Domain");
  if (domainProblem) return badRequest(domainProblem);

  const verified = verifyWebhook(request, bytes);
  if (verified instanceof Response) return verified; // 401 bad HMAC, 400 missing headers or not JSON, 405
  if (verified.topic !== topicKey(route.topic)) {
    return badRequest(`X-Shopify-Topic: ${JSON.stringify(request.headers.get("X-Shopify-Topic")?.slice(0, 80) ?? "")} is not this route's topic (${route.topic})`);
  }
  const eventId = request.headers.get("X-Shopify-Event-Id") || null;
  const idProblem = tooLong("X-Shopify-Webhook-Id", verified.webhookId) ?? tooLong("X-Shopify-Event-Id", eventId);
  if (idProblem) return badRequest(idProblem);

  const broken = brokenUnicodeAt(verified.payload);
  if (broken) return badRequest(`${broken}: not well-formed Unicode (a lone surrogate or NUL)`);
  const parsed = route.schema.safeParse(verified.payload);
  if (!parsed.success) return badRequest(issueSummary(parsed.error));
  const misfit = route.fits?.(parsed.data, verified.shop) ?? null;
  if (misfit) return badRequest(misfit, 422);

  setRequestShop(verified.shop);
  const shop = await db.shop.findUnique({ where: { domain: verified.shop } });
  const ctx: WebhookContext<z.output<S>> = {
    shopDomain: verified.shop,
    shop,
    topic: route.topic,
    webhookId: verified.webhookId,
    eventId,
    payload: parsed.data,
  };

  if (route.resource === "natural" || !shop) {
    // Unknown shop: nothing of it is stored, so there is nothing to record against.
    await db.$transaction((tx) => route.act(tx, ctx), WEBHOOK_TRANSACTION);
    return new Response(null, { status: 200 });
  }

  const digest = createHash("sha256").update(bytes).digest("hex");
  const resourceOf = route.resource;
  try {
    const outcome = await db.$transaction(async (tx) => {
      const seen = await tx.webhookDelivery.findFirst({
        where: { shopId: shop.id, OR: [{ webhookId: ctx.webhookId }, ...(eventId ? [{ topic: ctx.topic, eventId }] : [])] },
        select: { id: true },
      });
      if (seen) return "duplicate" as const;
      const ref = resourceOf(ctx.payload, { digest });
      const claim = await claimResource(tx, shop.id, { ...ref, digest: ref.digest ?? digest }, ctx.webhookId);
      if (claim !== "new") return claim;
      await tx.webhookDelivery.create({ data: { shopId: shop.id, webhookId: ctx.webhookId, topic: ctx.topic, eventId } });
      await route.act(tx, ctx);
      return "applied" as const;
    }, WEBHOOK_TRANSACTION);
    note(outcome);
    logger.info({ topic: ctx.topic, shop: ctx.shopDomain, webhookId: ctx.webhookId, eventId, outcome }, "webhook");
  } catch (error) {
    if (isUniqueViolation(error)) {
      // A concurrent copy of the same delivery, event or resource state won the race and did the work.
      note("duplicate");
      return new Response(null, { status: 200 });
    }
    throw error;
  }
  return new Response(null, { status: 200 });
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
