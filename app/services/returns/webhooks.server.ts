// Shopify's returns/* webhooks, behind thin routes (app/routes/webhooks.returns.*.tsx). Each runs
// inside handleWebhook's transaction (delivery recorded with the change); effects run after
// commit. A return, order or line Nearhub does not know is logged and answered 200, nothing done.
// The signed body must fit its topic (a return's `status`: requested, open, declined, canceled,
// closed), and each topic happens once per return (natural key `<topic>:<return gid>`), so a
// captured body replayed to another route, or under a new webhook id, changes nothing.
//  - returns/request: record, answer, then decide by the rules in the background (request.server.ts);
//  - returns/approve, returns/decline: the merchant decided in Shopify; our lines follow (our own
//    approve/decline echoes back as a webhook and is then a no-op);
//  - returns/cancel: the return ends (ReturnCase.status CANCELLED; further events are refused);
//  - returns/close: recorded; inspection and resale go on after Shopify closes a return.
import type { ReturnLine, Shop } from "@prisma/client";
import type { DeclineReason, ReturnEvent } from "~/core/returns";
import { DECLINE_REASONS } from "~/core/returns";
import { logger } from "../logger.server";
import { handleWebhook, stateMismatch, type Tx, type WebhookContext, type WebhookRoute } from "../webhooks.server";
import { afterChange } from "./effects.server";
import { applyReturnEventTx, IllegalTransitionError } from "./repository.server";
import { decideAfterCommit, recordReturnRequest, returnWebhookSchema, type ReturnWebhook } from "./request.server";

/** The return's status in each topic's body, as Shopify's Return resource spells it (lower case). */
const STATUS_OF = {
  "returns/request": ["requested"],
  "returns/approve": ["open"],
  "returns/decline": ["declined"],
  "returns/cancel": ["canceled", "cancelled"],
  "returns/close": ["closed"],
} as const;
type ReturnTopic = keyof typeof STATUS_OF;
const RETURN_GID = /^gid:\/\/shopify\/Return\/\d{1,20}$/;

function returnRoute(topic: ReturnTopic, act: WebhookRoute<typeof returnWebhookSchema>["act"]): WebhookRoute<typeof returnWebhookSchema> {
  return {
    topic,
    schema: returnWebhookSchema,
    fits: (p) =>
      (RETURN_GID.test(p.admin_graphql_api_id) ? null : `admin_graphql_api_id: ${JSON.stringify(p.admin_graphql_api_id.slice(0, 60))} is not a Return gid`) ??
      stateMismatch(topic, "status", p.status, STATUS_OF[topic]),
    resource: (p) => ({ key: `${topic}:${p.admin_graphql_api_id}`, version: null }),
    act,
  };
}

export async function handleReturnRequestWebhook(request: Request): Promise<Response> {
  return handleWebhook(
    request,
    returnRoute("returns/request", async (tx, ctx) => {
      if (!ctx.shop) return;
      const caseId = await recordReturnRequest(tx, ctx.shop, ctx.payload, Date.now());
      // Recorded: decided after this answer, by its job (enqueued in this transaction).
      if (caseId) await decideAfterCommit(tx, ctx.shop, caseId);
    }),
  );
}

type Follow = (tx: Tx, ctx: WebhookContext<ReturnWebhook> & { shop: Shop }, c: { id: string }) => Promise<string[]>;

async function follow(request: Request, topic: ReturnTopic, act: Follow): Promise<Response> {
  const eventIds: string[] = [];
  const response = await handleWebhook(request, returnRoute(topic, async (tx, ctx) => {
    if (!ctx.shop) return;
    const c = await tx.returnCase.findFirst({
      where: { shopId: ctx.shop.id, shopifyReturnGid: ctx.payload.admin_graphql_api_id },
      select: { id: true },
    });
    if (!c) {
      logger.warn({ shop: ctx.shopDomain, topic: ctx.topic, returnGid: ctx.payload.admin_graphql_api_id }, "returns webhook for an unknown return: recorded, nothing done");
      return;
    }
    eventIds.push(...(await act(tx, { ...ctx, shop: ctx.shop }, c)));
  }));
  try {
    await afterChange(eventIds);
  } catch (error) {
    logger.error({ err: (error as Error).message }, "returns webhook: effects deferred to the returns job");
  }
  return response;
}

/**
 * Applies each line's event to every line, in one pass (applyReturnEventTx); the lines already
 * there (our own change echoed back) are left as they are.
 */
async function applyToLines(tx: Tx, shopId: string, returnId: string, key: string, eventOf: (line: ReturnLine) => ReturnEvent, source: string) {
  try {
    const r = await applyReturnEventTx(tx, shopId, returnId, eventOf, { idempotencyKey: key, now: Date.now(), source });
    return r.eventIds;
  } catch (error) {
    if (!(error instanceof IllegalTransitionError)) throw error;
    logger.info({ returnId, why: error.message }, `${source}: no line moved`);
    return [];
  }
}

export const handleReturnApproveWebhook = (request: Request) =>
  follow(request, "returns/approve", (tx, ctx, c) =>
    applyToLines(tx, ctx.shop.id, c.id, `shopify:${ctx.webhookId}`, (line) => ({ type: "APPROVE", hubId: line.destinationNodeId, refundedMinor: line.valueMinor * line.quantity }), "shopify:returns/approve"),
  );

export const handleReturnDeclineWebhook = (request: Request) =>
  follow(request, "returns/decline", (tx, ctx, c) => {
    const raw = (ctx.payload.decline?.reason ?? "OTHER").toUpperCase();
    const declineReason: DeclineReason = (DECLINE_REASONS as readonly string[]).includes(raw) ? (raw as DeclineReason) : "OTHER";
    const customerMessage = ctx.payload.decline?.note?.trim() || "Declined in Shopify";
    return applyToLines(tx, ctx.shop.id, c.id, `shopify:${ctx.webhookId}`, () => ({ type: "DECLINE", declineReason, customerMessage: customerMessage.slice(0, 500) }), "shopify:returns/decline");
  });

async function record(tx: Tx, shopId: string, returnId: string, type: string, key: string, status: string | null) {
  const c = await tx.returnCase.findFirstOrThrow({ where: { id: returnId, shopId } });
  await tx.returnEvent.create({
    data: { shopId, returnId, type, fromStatus: c.status, toStatus: status ?? c.status, idempotencyKey: key, payloadJson: "{}", effectsJson: "[]", effectsDoneAt: new Date() },
  });
  if (status) await tx.returnCase.update({ where: { id: returnId }, data: { status, version: { increment: 1 } } });
}

export const handleReturnCancelWebhook = (request: Request) =>
  follow(request, "returns/cancel", async (tx, ctx, c) => {
    await record(tx, ctx.shop.id, c.id, "CANCEL", `shopify:${ctx.webhookId}#cancel`, "CANCELLED");
    return [];
  });

export const handleReturnCloseWebhook = (request: Request) =>
  follow(request, "returns/close", async (tx, ctx, c) => {
    await record(tx, ctx.shop.id, c.id, "CLOSE", `shopify:${ctx.webhookId}#close`, null);
    return [];
  });
