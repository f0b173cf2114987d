// Real signed Shopify requests, made the way Shopify makes them: HMAC-SHA256 of the raw
// body with the app secret, base64, in X-Shopify-Hmac-Sha256.
import { createHmac, randomUUID } from "node:crypto";

export const TEST_SHOPIFY = {
  apiKey: "test-api-key",
  apiSecret: "test-api-secret-0123456789",
  appUrl: "http://127.0.0.1:3000",
  /** NEARHUB_ENCRYPTION_KEY in vitest.config.ts: base64 of "test-encryption-key-32-bytes-012". */
  encryptionKey: "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy0wMTI=",
} as const;

export function sign(rawBody: string | Uint8Array, secret: string = TEST_SHOPIFY.apiSecret): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

export interface WebhookOptions {
  shop: string;
  topic: string;
  webhookId?: string;
  /** X-Shopify-Event-Id: the same for every delivery of one event (default: a new one). */
  eventId?: string;
  secret?: string;
  /** Replace the computed signature (to test rejection). */
  hmac?: string;
  apiVersion?: string;
  /** Where to send it (a running server); default TEST_SHOPIFY.appUrl. */
  baseUrl?: string;
}

/** A webhook delivery as Shopify sends it; `body` may be an object (JSON-encoded), raw text or raw bytes. */
export function webhookRequest(path: string, body: unknown, opts: WebhookOptions): Request {
  const raw: string | Uint8Array<ArrayBuffer> = typeof body === "string" || body instanceof Uint8Array ? (body as string | Uint8Array<ArrayBuffer>) : JSON.stringify(body);
  return new Request(`${opts.baseUrl ?? TEST_SHOPIFY.appUrl}${path}`, {
    method: "POST",
    body: raw,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": opts.hmac ?? sign(raw, opts.secret),
      "X-Shopify-Topic": opts.topic,
      "X-Shopify-Shop-Domain": opts.shop,
      "X-Shopify-API-Version": opts.apiVersion ?? "2026-10",
      "X-Shopify-Webhook-Id": opts.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": opts.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
  });
}

/**
 * A session token as Shopify mints it (HS256 with the app secret): an admin one by default (App
 * Bridge, one-minute life); `claims` replace or add claims (an undefined value leaves one out).
 */
export function sessionToken(shop: string, claims: Record<string, unknown> = {}, secret: string = TEST_SHOPIFY.apiSecret): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: TEST_SHOPIFY.apiKey,
    sub: "1",
    exp: now + 60,
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: randomUUID(),
    ...claims,
  };
  const b64url = (v: string) => Buffer.from(v).toString("base64url");
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  return `${head}.${body}.${createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url")}`;
}

/** Shopify's app proxy signature: HMAC-SHA256 (hex) of the query's `key=value` pairs sorted by key, joined with nothing, without `signature`. */
export function appProxySignature(params: Record<string, string>, secret: string = TEST_SHOPIFY.apiSecret): string {
  const message = Object.keys(params)
    .sort((a, b) => a.localeCompare(b))
    .map((k) => `${k}=${params[k]}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}
