// Real signed Shopify requests, made the way Shopify makes them: HMAC-SHA256 of the raw
// body with the app secret, base64, in X-Shopify-Hmac-Sha256.
import { createHmac, randomUUID } from "node:crypto";

export const TEST_SHOPIFY = {
  apiKey: "test-api-key",
  apiSecret: "test-api-secret-0123456789",
  appUrl: "http://127.0.0.1:3000",
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
