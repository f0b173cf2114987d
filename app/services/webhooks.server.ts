// Receiving Shopify webhooks: HMAC verified by the Shopify library (401 otherwise), payload
// parsed with zod (400 naming the field), and the delivery recorded in the same transaction
// as its effects, so a retried delivery changes nothing the second time.
import type { Prisma, Shop } from "@prisma/client";
import type { z } from "zod";
import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { logger } from "./logger.server";

export type Tx = Prisma.TransactionClient;

export interface WebhookContext<T> {
  shopDomain: string;
  shop: Shop | null;
  topic: string;
  webhookId: string;
  payload: T;
}

export type Idempotency =
  /** Record X-Shopify-Webhook-Id with the effects; a repeat is answered 200 and skipped. */
  | "delivery"
  /** The effect is idempotent by nature (e.g. deleting everything of a shop): nothing recorded. */
  | "natural";

export function badRequest(message: string): Response {
  return new Response(JSON.stringify({ error: message }), {
    status: 400,
    headers: { "Content-Type": "application/json" },
  });
}

export function zodMessage(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`)
    .join("; ");
}

export async function handleWebhook<S extends z.ZodType>(
  request: Request,
  schema: S,
  act: (tx: Tx, ctx: WebhookContext<z.output<S>>) => Promise<void>,
  idempotency: Idempotency = "delivery",
): Promise<Response> {
  let verified: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    verified = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof Response) return error; // 401 bad HMAC, 400 missing headers, 405
    if (error instanceof SyntaxError) return badRequest("body: not valid JSON");
    throw error;
  }
  const parsed = schema.safeParse(verified.payload);
  if (!parsed.success) return badRequest(zodMessage(parsed.error));

  const shop = await db.shop.findUnique({ where: { domain: verified.shop } });
  const ctx: WebhookContext<z.output<S>> = {
    shopDomain: verified.shop,
    shop,
    topic: verified.topic,
    webhookId: verified.webhookId,
    payload: parsed.data,
  };

  if (idempotency === "natural" || !shop) {
    // Unknown shop: nothing of it is stored, so there is nothing to record against.
    await db.$transaction((tx) => act(tx, ctx));
    return new Response(null, { status: 200 });
  }

  try {
    const outcome = await db.$transaction(async (tx) => {
      const seen = await tx.webhookDelivery.findUnique({
        where: { shopId_webhookId: { shopId: shop.id, webhookId: ctx.webhookId } },
      });
      if (seen) return "duplicate" as const;
      await tx.webhookDelivery.create({ data: { shopId: shop.id, webhookId: ctx.webhookId, topic: ctx.topic } });
      await act(tx, ctx);
      return "done" as const;
    });
    logger.info({ topic: ctx.topic, shop: ctx.shopDomain, webhookId: ctx.webhookId, outcome }, "webhook");
  } catch (error) {
    if (isUniqueViolation(error)) {
      // A concurrent copy of the same delivery won the race and did the work.
      return new Response(null, { status: 200 });
    }
    throw error;
  }
  return new Response(null, { status: 200 });
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
