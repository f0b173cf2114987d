// A large return against the real built server, as the red team sent it (issue 9): a signed
// returns/request with N lines for a known order of the demo shop, and, meanwhile, signed
// carrier-service rate requests and /healthz probes, each timed. Used by the regression test
// (test/routes/returns-large-http.test.ts) and by the benchmark (bench/returns-http.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PrismaClient } from "@prisma/client";
import { sign, webhookRequest } from "./shopify";

/**
 * The demo shop, and the secret the server (demo mode, started with this process's environment)
 * verifies with: SHOPIFY_API_SECRET when set (vitest sets it), else the documented demo secret
 * (app/env.server.ts DEMO_DEFAULTS).
 */
export const DEMO_SHOP = "nearhub-demo.myshopify.com";
const SECRET = process.env.SHOPIFY_API_SECRET ?? "nearhub-demo-secret";

const RATE_REQUEST = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/carrier-service/rate-request.json"), "utf8");

export interface KnownOrder {
  shopifyOrderId: string;
  skus: string[];
}

/**
 * Gives the demo shop's most recent order a Shopify id (the demo seed has none) so a returns/request
 * for it is recorded, and returns the shop's SKUs to return.
 */
export async function knownDemoOrder(db: PrismaClient, shopifyOrderId = "gid://shopify/Order/990000001"): Promise<KnownOrder> {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
  const order = await db.order.findFirstOrThrow({ where: { shopId: shop.id }, orderBy: { placedAt: "desc" } });
  await db.order.update({ where: { id: order.id }, data: { shopifyOrderId } });
  const products = await db.product.findMany({ where: { shopId: shop.id }, select: { sku: true }, orderBy: { sku: "asc" } });
  return { shopifyOrderId, skus: products.map((p) => p.sku) };
}

/** A returns/request payload (Shopify's Return resource) with `lines` line items cycling through `skus`. */
export function largeReturnPayload(returnId: number, order: KnownOrder, lines: number) {
  const orderId = order.shopifyOrderId.split("/").pop()!;
  return {
    id: returnId,
    admin_graphql_api_id: `gid://shopify/Return/${returnId}`,
    status: "requested",
    name: `#L-${returnId}`,
    order: { id: Number(orderId), admin_graphql_api_id: order.shopifyOrderId },
    total_return_line_items: lines,
    return_line_items: Array.from({ length: lines }, (_, i) => ({
      id: returnId * 10_000 + i,
      admin_graphql_api_id: `gid://shopify/ReturnLineItem/${returnId * 10_000 + i}`,
      fulfillment_line_item: {
        id: 640_000_000 + i,
        line_item: { id: 487_000_000 + i, sku: order.skus[i % order.skus.length], quantity: 1, price: "35.00" },
      },
      quantity: 1,
      return_reason: i % 3 === 0 ? "size_too_small" : i % 3 === 1 ? "defective" : "unwanted",
      customer_note: `line ${i + 1}`,
    })),
    return_shipping_fees: [],
    exchange_line_items: [],
  };
}

export interface Timed {
  status: number;
  ms: number;
  /** When it was sent (performance.now()). */
  sentAt: number;
  /** The response body, or the error when the request failed or timed out. */
  body: string;
}

async function timed(request: Request, timeoutMs: number): Promise<Timed> {
  const sentAt = performance.now();
  try {
    const res = await fetch(request, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return { status: res.status, ms: performance.now() - sentAt, sentAt, body };
  } catch (error) {
    return { status: 0, ms: performance.now() - sentAt, sentAt, body: (error as Error).message };
  }
}

/** A signed webhook delivery to the server at `base`. */
export function postWebhook(base: string, topic: string, payload: unknown, webhookId?: string, timeoutMs = 120_000): Promise<Timed> {
  return timed(webhookRequest(`/webhooks/${topic}`, payload, { shop: DEMO_SHOP, topic, secret: SECRET, webhookId, baseUrl: base }), timeoutMs);
}

/** A signed carrier-service rate request (Shopify's fixture: Brooklyn, two demo SKUs). */
export function postRateRequest(base: string, timeoutMs = 30_000): Promise<Timed> {
  return timed(
    new Request(`${base}/api/carrier-service/rates`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": sign(RATE_REQUEST, SECRET), "X-Shopify-Shop-Domain": DEMO_SHOP },
      body: RATE_REQUEST,
    }),
    timeoutMs,
  );
}

export function getHealthz(base: string, timeoutMs = 30_000): Promise<Timed> {
  return timed(new Request(`${base}/healthz`), timeoutMs);
}

export interface Probes {
  rates: Timed[];
  healthz: Timed[];
}

/**
 * Runs `work` while a rate request and a /healthz probe are sent every `everyMs` (each on its own,
 * not waiting for the previous answer, as independent shoppers would), and for `tailMs` after it
 * ends; returns the work's result and every probe's timing.
 */
export async function withProbes<T>(base: string, work: () => Promise<T>, opts: { everyMs?: number; tailMs?: number; timeoutMs?: number } = {}) {
  const everyMs = opts.everyMs ?? 150;
  const probes: Probes = { rates: [], healthz: [] };
  const pending: Promise<void>[] = [];
  const fire = () => {
    pending.push(postRateRequest(base, opts.timeoutMs).then((t) => void probes.rates.push(t)));
    pending.push(getHealthz(base, opts.timeoutMs).then((t) => void probes.healthz.push(t)));
  };
  fire();
  const timer = setInterval(fire, everyMs);
  try {
    const result = await work();
    await new Promise((r) => setTimeout(r, opts.tailMs ?? 0));
    return { result, probes };
  } finally {
    clearInterval(timer);
    await Promise.all(pending);
  }
}

export const slowest = (list: readonly Timed[]) => list.reduce((a, b) => (b.ms > a.ms ? b : a), { status: 0, ms: 0, sentAt: 0, body: "" });
