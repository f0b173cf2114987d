// Open API v1 for returns: POST /returns/plan (outcome and destination of a proposed return, with
// the reasons), GET /returns (paginated like nodes), POST /returns/{id}/events (move a return
// through its life; an illegal change is a 409 with the reason and changes nothing).
import { randomUUID } from "node:crypto";
import type { Shop } from "@prisma/client";
import { z } from "zod";
import { DISPOSITIONS, GRADES, ITEM_CONDITIONS, MAX_PLAN_LINES, MAX_RETURN_LINES, RETURN_REASONS, RETURN_STATUSES, type ReturnRequest } from "~/core/returns";
import { db } from "~/db.server";
import { lineIdsSchema, moveInputSchema, moveReturn, parseReturnEvent } from "~/services/returns/move.server";
import { loadReturnContext, planReturn, PlanningUnavailableError } from "~/services/returns/plan.server";
import { ConcurrentChangeError, IllegalTransitionError, ReturnNotFoundError, lineState, type CaseWithLines } from "~/services/returns/repository.server";
import { issueSummary } from "~/core/validation/issues";
import { apiRegistry, paginationQuerySchema } from "./schemas";
import { apiError } from "./v1.server";

const money = z.object({ amountMinor: z.number().int(), currency: z.string().length(3) });

export const returnPlanRequestSchema = z
  .object({
    from: z.object({
      latitude: z.number().min(-90).max(90).nullish(),
      longitude: z.number().min(-180).max(180).nullish(),
      postalCode: z.string().trim().max(20).nullish(),
      province: z.string().trim().max(50).nullish(),
      country: z.string().trim().length(2, "an ISO 3166-1 alpha-2 country code").toUpperCase(),
    }),
    deliveredAt: z.iso.datetime({ offset: true, error: "an ISO 8601 date-time" }).nullish().describe("When the order was delivered"),
    lines: z
      .array(
        z.object({
          sku: z.string().trim().min(1, "the SKU of the returned item"),
          quantity: z.number().int().min(1).max(1000).default(1),
          unitPriceMinor: z.number().int().min(0).nullish().describe("What the customer paid per unit; default: the product's value"),
          reason: z.enum(RETURN_REASONS).default("UNKNOWN"),
          condition: z.enum(ITEM_CONDITIONS).nullish(),
          tags: z.array(z.string()).max(50).default([]),
        }),
      )
      .min(1, "at least one line")
      .max(MAX_PLAN_LINES, `at most ${MAX_PLAN_LINES} lines`),
  })
  .register(apiRegistry, { id: "ReturnPlanRequest" });

const hubSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  distanceM: z.number().nullable(),
  reverseCostMinor: z.number().int(),
  handlingMinor: z.number().int(),
  resaleProbability: z.number(),
  expectedDaysToResale: z.number().nullable(),
  netRecoveryMinor: z.number().int(),
  detail: z.string(),
});

export const returnPlanSchema = z
  .object({
    plannedAt: z.string(),
    currency: z.string(),
    decision: z.enum(["APPROVE", "DECLINE", "PARTIAL"]),
    refund: money,
    storeCredit: money,
    lines: z.array(
      z.object({
        sku: z.string(),
        quantity: z.number().int(),
        outcome: z.object({
          code: z.string(),
          label: z.string(),
          itemComesBack: z.boolean(),
          refundMinor: z.number().int(),
          storeCreditMinor: z.number().int(),
          declineReason: z.string().nullable(),
          customerMessage: z.string().nullable(),
          detail: z.string(),
        }),
        rule: z.object({ id: z.string(), name: z.string() }).nullable().describe("The rule that decided; null: the default outcome"),
        keptBecause: z
          .object({ code: z.string(), message: z.string() })
          .nullable()
          .describe("Why the customer keeps an item the rule's outcome would bring back (every hub would lose money on it, or none can take it); null otherwise"),
        rulesTried: z.array(z.object({ id: z.string(), name: z.string(), matched: z.boolean(), why: z.string() })),
        destination: z
          .object({
            mode: z.enum(["NEAREST", "BEST_RECOVERY"]),
            hub: hubSchema.nullable(),
            considered: z.array(hubSchema),
            excluded: z.array(z.object({ nodeId: z.string(), name: z.string(), code: z.string(), message: z.string() })),
            reasons: z.array(z.string()),
          })
          .nullable(),
      }),
    ),
    unknownSkus: z.array(z.string()),
  })
  .register(apiRegistry, { id: "ReturnPlan" });

const ts = z.string().nullable();
export const apiReturnSchema = z
  .object({
    id: z.string(),
    shopifyReturnId: z.string().nullable(),
    orderName: z.string().nullable(),
    status: z.string().describe(`The return's aggregate state: the least advanced open line (${RETURN_STATUSES.join(", ")}, or CANCELLED)`),
    outcome: z.string().nullable(),
    destinationNodeId: z.string().nullable(),
    version: z.number().int().describe("Pass as expectedVersion to refuse a change if someone moved the return meanwhile"),
    refunded: money,
    recovered: money,
    reverseCost: money,
    grade: z.enum(GRADES).nullable(),
    disposition: z.enum(DISPOSITIONS).nullable(),
    timestamps: z.object({
      requestedAt: z.string(),
      approvedAt: ts,
      declinedAt: ts,
      inTransitAt: ts,
      receivedAt: ts,
      inspectionDueAt: ts,
      inspectedAt: ts,
      restockedAt: ts,
      refurbishingAt: ts,
      disposedAt: ts,
      resoldAt: ts,
    }),
    lines: z.array(
      z.object({
        id: z.string(),
        sku: z.string().nullable(),
        quantity: z.number().int(),
        status: z.string(),
        destinationNodeId: z.string().nullable(),
        grade: z.string().nullable(),
        disposition: z.string().nullable(),
        inspectionDeadlineAt: ts,
      }),
    ),
  })
  .register(apiRegistry, { id: "Return" });

export const returnListSchema = z
  .object({ data: z.array(apiReturnSchema), pagination: z.object({ limit: z.number().int(), nextCursor: z.string().nullable() }) })
  .register(apiRegistry, { id: "ReturnList" });

export const returnListQuerySchema = paginationQuerySchema.extend({
  status: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z_]+$/, "a status such as RECEIVED")
    .optional(),
});

export const returnEventRequestSchema = z
  .object({
    type: z.enum(["APPROVE", "KEEP", "DECLINE", "SHIP", "RECEIVE", "INSPECT", "RESTOCK", "REFURBISH", "DISPOSE", "RESELL"]),
    lineIds: lineIdsSchema.nullish().describe(`Only these lines (at most ${MAX_RETURN_LINES}); default: every line the event can move`),
    expectedVersion: z.number().int().nullish(),
  })
  .passthrough()
  .describe("An event and its fields: APPROVE {hubId?, refundedMinor?} (a line whose outcome leaves the item with the customer is kept), KEEP {refundedMinor?}, DECLINE {declineReason, customerMessage}, SHIP {reverseCostMinor?, trackingNumber?}, RECEIVE {hubId, inspectionHours?}, INSPECT {grade, disposition, note?}, RESTOCK {hubId?}, REFURBISH, DISPOSE, RESELL {priceMinor, orderId?}")
  .register(apiRegistry, { id: "ReturnEventRequest" });

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw apiError(400, "body: not valid JSON");
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toApiReturn(c: CaseWithLines): z.infer<typeof apiReturnSchema> {
  const m = (amountMinor: number) => ({ amountMinor, currency: c.currency });
  return {
    id: c.id,
    shopifyReturnId: c.shopifyReturnGid,
    orderName: c.orderName,
    status: c.status,
    outcome: c.outcome,
    destinationNodeId: c.destinationNodeId,
    version: c.version,
    refunded: m(c.refundedMinor),
    recovered: m(c.recoveredMinor),
    reverseCost: m(c.reverseCostMinor),
    grade: (c.grade as (typeof GRADES)[number] | null) ?? null,
    disposition: (c.disposition as (typeof DISPOSITIONS)[number] | null) ?? null,
    timestamps: {
      requestedAt: c.requestedAt.toISOString(),
      approvedAt: iso(c.approvedAt),
      declinedAt: iso(c.declinedAt),
      inTransitAt: iso(c.inTransitAt),
      receivedAt: iso(c.receivedAt),
      inspectionDueAt: iso(c.inspectionDueAt),
      inspectedAt: iso(c.inspectedAt),
      restockedAt: iso(c.restockedAt),
      refurbishingAt: iso(c.refurbishingAt),
      disposedAt: iso(c.disposedAt),
      resoldAt: iso(c.resoldAt),
    },
    lines: c.lines.map((l) => {
      const s = lineState(l);
      return {
        id: l.id,
        sku: l.sku,
        quantity: l.quantity,
        status: l.status,
        destinationNodeId: l.destinationNodeId,
        grade: l.grade,
        disposition: l.disposition,
        inspectionDeadlineAt: s.inspectionDeadlineAt === null ? null : new Date(s.inspectionDeadlineAt).toISOString(),
      };
    }),
  };
}

export async function planReturnForApi(shop: Shop, request: Request, now = Date.now()) {
  const parsed = returnPlanRequestSchema.safeParse(await jsonBody(request));
  if (!parsed.success) throw apiError(400, issueSummary(parsed.error));
  const body = parsed.data;
  const ctx = await loadReturnContext(shop, now).catch((error: unknown) => {
    if (error instanceof PlanningUnavailableError) throw apiError(503, error.message);
    throw error;
  });
  const unknownSkus: string[] = [];
  const lines: ReturnRequest["lines"][number][] = [];
  body.lines.forEach((l, i) => {
    const product = ctx.snapshot.bySku.get(l.sku);
    if (!product) {
      unknownSkus.push(l.sku);
      return;
    }
    lines.push({ lineId: `line-${i + 1}`, product, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor ?? product.valueMinor, reason: l.reason, condition: l.condition ?? null, tags: l.tags });
  });
  if (lines.length === 0) throw apiError(400, `lines: no known SKU (${unknownSkus.join(", ")})`);
  const evaluation = await planReturn(
    ctx,
    { returnId: "plan", deliveredAt: body.deliveredAt ? Date.parse(body.deliveredAt) : null, from: body.from, lines },
    now,
  );
  const hub = (h: NonNullable<NonNullable<(typeof evaluation.lines)[number]["destination"]>["hub"]>) => ({
    nodeId: h.nodeId,
    name: h.name,
    distanceM: h.distanceM,
    reverseCostMinor: h.reverseCostMinor,
    handlingMinor: h.handlingMinor,
    resaleProbability: h.resaleProbability,
    expectedDaysToResale: h.expectedDaysToResale,
    netRecoveryMinor: h.netRecoveryMinor,
    detail: h.detail,
  });
  return returnPlanSchema.parse({
    plannedAt: new Date(now).toISOString(),
    currency: evaluation.currency,
    decision: evaluation.decision,
    refund: { amountMinor: evaluation.refundMinor, currency: evaluation.currency },
    storeCredit: { amountMinor: evaluation.storeCreditMinor, currency: evaluation.currency },
    lines: evaluation.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      outcome: l.outcome,
      rule: l.rule && { id: l.rule.id, name: l.rule.name },
      keptBecause: l.keptBecause && { code: l.keptBecause.code, message: l.keptBecause.message },
      rulesTried: l.trace.map((t) => ({ id: t.id, name: t.name, matched: t.matched, why: t.why })),
      destination: l.destination && {
        mode: l.destination.mode,
        hub: l.destination.hub && hub(l.destination.hub),
        considered: l.destination.considered.map(hub),
        excluded: l.destination.excluded,
        reasons: l.destination.reasons,
      },
    })),
    unknownSkus,
  });
}

export async function listApiReturns(shop: Shop, request: Request) {
  const parsed = returnListQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw apiError(400, issueSummary(parsed.error));
  const q = parsed.data;
  const rows = await db.returnCase.findMany({
    where: { shopId: shop.id, ...(q.status ? { status: q.status } : {}), ...(q.cursor ? { id: { gt: q.cursor } } : {}) },
    orderBy: { id: "asc" },
    take: q.limit + 1,
    include: { lines: { orderBy: { id: "asc" } } },
  });
  const more = rows.length > q.limit;
  const data = more ? rows.slice(0, q.limit) : rows;
  return { data: data.map(toApiReturn), pagination: { limit: q.limit, nextCursor: more ? data[data.length - 1].id : null } };
}

export async function postReturnEvent(shop: Shop, returnId: string, request: Request, now = Date.now()) {
  const raw = await jsonBody(request);
  const envelope = moveInputSchema.safeParse(raw);
  if (!envelope.success) throw apiError(400, issueSummary(envelope.error));
  let event;
  try {
    event = await parseReturnEvent(shop.id, raw);
  } catch (error) {
    if (error instanceof z.ZodError) throw apiError(400, issueSummary(error));
    throw error;
  }
  const key = request.headers.get("idempotency-key")?.trim() || randomUUID();
  if (key.length > 200) throw apiError(400, "Idempotency-Key: at most 200 characters");
  try {
    const result = await moveReturn(shop, returnId, [event], {
      idempotencyKey: `api:${key}`,
      now,
      lineIds: envelope.data.lineIds ?? null,
      expectedVersion: envelope.data.expectedVersion ?? null,
      source: "api",
    });
    return { return: toApiReturn(result.returnCase), duplicate: result.duplicate };
  } catch (error) {
    if (error instanceof ReturnNotFoundError) throw apiError(404, error.message);
    if (error instanceof IllegalTransitionError || error instanceof ConcurrentChangeError) throw apiError(409, error.message);
    throw error;
  }
}
