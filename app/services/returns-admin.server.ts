// Reads behind the returns admin (queue, detail, analytics, rules tester), every query scoped by
// shop. State changes never happen here: they go through the returns use cases
// (app/services/returns/*), which keep ReturnCase as the aggregate of its lines' machines (see
// returns/repository.server.ts for the rule). The queue's countdown for a return is that of its
// earliest open inspection deadline among its received lines, computed by core inspectionStatus
// from each line's stored state, so a line inspected on time never hides a sibling still waiting.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "~/db.server";
import {
  inspectionStatus,
  prepareReturnPolicy,
  RETURN_STATUS_LABELS,
  RETURN_STATUSES,
  type Disposition,
  type Grade,
  type InspectionStatus,
  type ReturnEvaluation,
  type ReturnMetrics,
  type ReturnPolicyInput,
  type ReturnState,
  type ReturnStatus,
} from "~/core/returns";
import type { ItemCondition, ReturnReason } from "~/core/returns/types";
import { returnAnalytics } from "./returns/analytics.server";
import { approveReturn } from "./returns/approve.server";
import { inspectReturn } from "./returns/inspect.server";
import type { MoveResult } from "./returns/move.server";
import { receiveReturn } from "./returns/receive.server";
import {
  ConcurrentChangeError,
  fromDbStatus,
  IllegalTransitionError,
  lineState,
  ReturnNotFoundError as RepoNotFound,
  toDbStatus,
} from "./returns/repository.server";
import type { Placement } from "./geocode.server";
import { loadReturnContext, planReturn, PlanningUnavailableError, type ReturnPlanningContext } from "./returns/plan.server";
import { findInBatches } from "./batch.server";

export class ReturnNotFoundError extends Error {}

const statusSchema = z.enum(RETURN_STATUSES);
export function asStatus(s: string): ReturnStatus {
  const lower = s.toLowerCase();
  return statusSchema.safeParse(lower).success ? (lower as ReturnStatus) : "requested";
}

// ---------------------------------------------------------------------------------------------
// Countdown

export interface Countdown {
  status: InspectionStatus["status"];
  /** "due in 5 h", "overdue by 3 h", "inspected on time", "not received yet". */
  text: string;
  deadlineAt: number | null;
}

export function formatSpan(minutes: number): string {
  const m = Math.abs(minutes);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function countdownOf(states: readonly ReturnState[], now: number, dueSoonHours = 12): Countdown {
  const open = states.map((s) => inspectionStatus(s, now, dueSoonHours)).filter((s) => s.status === "on_time" || s.status === "due_soon" || s.status === "overdue");
  if (open.length > 0) {
    const first = open.reduce((a, b) => ("deadlineAt" in a && "deadlineAt" in b && b.deadlineAt < a.deadlineAt ? b : a));
    if (first.status === "overdue") return { status: first.status, text: `overdue by ${formatSpan(first.minutesLeft)}`, deadlineAt: first.deadlineAt };
    if (first.status === "on_time" || first.status === "due_soon") return { status: first.status, text: `due in ${formatSpan(first.minutesLeft)}`, deadlineAt: first.deadlineAt };
  }
  const done = states.map((s) => inspectionStatus(s, now, dueSoonHours)).filter((s) => s.status === "inspected");
  if (done.length > 0) {
    const late = Math.max(...done.map((d) => (d.status === "inspected" ? d.minutesLate : 0)));
    return { status: "inspected", text: late > 0 ? `inspected ${formatSpan(late)} late` : "inspected on time", deadlineAt: null };
  }
  return { status: "not_received", text: "not received yet", deadlineAt: null };
}

// ---------------------------------------------------------------------------------------------
// Queue

export interface QueueFilters {
  hubId?: string | null;
  status?: ReturnStatus | null;
}

export interface QueueRow {
  id: string;
  orderName: string | null;
  status: ReturnStatus;
  outcome: string | null;
  hubId: string | null;
  hubName: string | null;
  requestedAt: string;
  lines: number;
  units: number;
  valueMinor: number;
  currency: string;
  countdown: Countdown;
  /** Line states the bulk actions may move, by line status. */
  lineStatuses: ReturnStatus[];
}

export async function listReturnQueue(shopId: string, filters: QueueFilters, now: number): Promise<QueueRow[]> {
  const where: Prisma.ReturnCaseWhereInput = { shopId };
  if (filters.hubId) where.destinationNodeId = filters.hubId;
  if (filters.status) where.status = toDbStatus(filters.status);
  const [cases, nodes] = await Promise.all([
    db.returnCase.findMany({
      where,
      include: { lines: { where: { shopId } } },
      orderBy: [{ requestedAt: "desc" }],
      take: 500,
    }),
    db.node.findMany({ where: { shopId }, select: { id: true, name: true } }),
  ]);
  const names = new Map(nodes.map((n) => [n.id, n.name]));
  const rows = cases.map((c): QueueRow => {
    const states = c.lines.map(lineState);
    return {
      id: c.id,
      orderName: c.orderName,
      status: asStatus(c.status),
      outcome: c.outcome,
      hubId: c.destinationNodeId,
      hubName: c.destinationNodeId ? (names.get(c.destinationNodeId) ?? null) : null,
      requestedAt: c.requestedAt.toISOString(),
      lines: c.lines.length,
      units: c.lines.reduce((s, l) => s + l.quantity, 0),
      valueMinor: c.lines.reduce((s, l) => s + l.valueMinor * l.quantity, 0),
      currency: c.currency,
      countdown: countdownOf(states, now),
      lineStatuses: c.lines.map((l) => asStatus(l.status)),
    };
  });
  // Open inspections first, most urgent first; then the rest, newest first.
  const urgency = (r: QueueRow) => (r.countdown.deadlineAt !== null ? r.countdown.deadlineAt : Infinity);
  return rows.sort((a, b) => urgency(a) - urgency(b));
}

export async function returnHubs(shopId: string) {
  return db.node.findMany({
    where: { shopId },
    select: { id: true, name: true, acceptsReturns: true, inspectionHours: true, status: true, kind: true },
    orderBy: { name: "asc" },
  });
}

// ---------------------------------------------------------------------------------------------
// Detail

export interface ReturnDetail {
  id: string;
  orderName: string | null;
  status: ReturnStatus;
  outcome: string | null;
  currency: string;
  hubId: string | null;
  hubName: string | null;
  requestedAt: string;
  refundedMinor: number;
  recoveredMinor: number;
  reverseCostMinor: number;
  countdown: Countdown;
  decision: unknown;
  lines: {
    id: string;
    sku: string | null;
    title: string | null;
    quantity: number;
    valueMinor: number;
    reason: string | null;
    condition: string | null;
    status: ReturnStatus;
    grade: string | null;
    disposition: string | null;
    hubName: string | null;
    /** A restocked line: the units of its product its hub holds now (Shopify's level, or the demo's). */
    stockAtHub: number | null;
  }[];
  events: { id: string; type: string; fromStatus: string | null; toStatus: string | null; at: string; note: string | null; lineId: string | null }[];
}

export async function getReturnDetail(shopId: string, id: string, now: number): Promise<ReturnDetail> {
  const c = await db.returnCase.findFirst({
    where: { id, shopId },
    include: { lines: { where: { shopId } }, events: { where: { shopId }, orderBy: { at: "asc" } } },
  });
  if (!c) throw new ReturnNotFoundError(`No return ${id} in this shop`);
  const productIds = c.lines.map((l) => l.productId).filter((p): p is string => p !== null);
  const [products, nodes] = await Promise.all([
    findInBatches(productIds, (batch) => db.product.findMany({ where: { shopId, id: { in: batch } }, select: { id: true, sku: true, title: true } })),
    db.node.findMany({ where: { shopId }, select: { id: true, name: true } }),
  ]);
  const restocked = c.lines.filter((l) => l.status === "RESTOCKED" && l.hubId && l.productId);
  // A return holds up to 2,000 lines: their products are listed in batches (the hubs are the shop's few).
  const hubIds = [...new Set(restocked.map((l) => l.hubId!))];
  const levels = await findInBatches(
    restocked.map((l) => l.productId!),
    (batch) => db.stockLevel.findMany({ where: { shopId, nodeId: { in: hubIds }, productId: { in: batch } }, select: { nodeId: true, productId: true, available: true } }),
    { perValue: 1 },
  );
  const stockAt = new Map(levels.map((l) => [`${l.nodeId}|${l.productId}`, l.available]));
  const titles = new Map(products.map((p) => [p.id, p.title]));
  const names = new Map(nodes.map((n) => [n.id, n.name]));
  const states = c.lines.map(lineState);
  let decision: unknown = {};
  try {
    decision = JSON.parse(c.decisionJson);
  } catch {
    decision = {};
  }
  return {
    id: c.id,
    orderName: c.orderName,
    status: asStatus(c.status),
    outcome: c.outcome,
    currency: c.currency,
    hubId: c.destinationNodeId,
    hubName: c.destinationNodeId ? (names.get(c.destinationNodeId) ?? null) : null,
    requestedAt: c.requestedAt.toISOString(),
    refundedMinor: c.refundedMinor,
    recoveredMinor: c.recoveredMinor,
    reverseCostMinor: c.reverseCostMinor,
    countdown: countdownOf(states, now),
    decision,
    lines: c.lines.map((l) => {
      const hub = l.hubId ?? l.destinationNodeId;
      return {
        id: l.id,
        sku: l.sku,
        title: l.productId ? (titles.get(l.productId) ?? null) : null,
        quantity: l.quantity,
        valueMinor: l.valueMinor,
        reason: l.reason,
        condition: l.condition,
        status: asStatus(l.status),
        grade: l.grade,
        disposition: l.disposition,
        hubName: hub ? (names.get(hub) ?? null) : null,
        stockAtHub: l.status === "RESTOCKED" && l.hubId && l.productId ? (stockAt.get(`${l.hubId}|${l.productId}`) ?? 0) : null,
      };
    }),
    events: c.events.map((e) => {
      let payload: Record<string, unknown> = {};
      try {
        payload = JSON.parse(e.payloadJson) as Record<string, unknown>;
      } catch {
        payload = {};
      }
      return {
        id: e.id,
        type: e.type,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        at: e.at.toISOString(),
        note: noteOf(payload),
        lineId: typeof payload.lineId === "string" ? payload.lineId : null,
      };
    }),
  };
}

/** The inspector's note, at the top of the event payload or inside the event the use case stored. */
function noteOf(payload: Record<string, unknown>): string | null {
  if (typeof payload.note === "string") return payload.note;
  const event = payload.event as Record<string, unknown> | undefined;
  return event && typeof event.note === "string" ? event.note : null;
}

// ---------------------------------------------------------------------------------------------
// Rules tester

export interface TesterSample {
  sku: string;
  reason: ReturnReason;
  condition: ItemCondition | null;
  unitPriceMinor: number;
  quantity: number;
  daysSinceDelivery: number | null;
  country: string;
  province: string | null;
  postalCode: string | null;
  tags: string[];
}

export interface TesterResult {
  evaluation: ReturnEvaluation;
  productTitle: string;
  placedBy: Placement;
  /** Hubs taken out because the merchant said they do not accept returns. */
  notAccepting: string[];
  warnings: string[];
  /** How many rules the tested policy has. */
  ruleCount: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Evaluates a sample return against rules as the merchant is editing them (saved or not), with
 * the shop's real network, stock, local sales and hubs (loadReturnContext, as real returns).
 */
export async function testReturnRules(
  shop: { id: string; currency: string },
  rules: { rules: unknown[]; defaultOutcome: string },
  sample: TesterSample,
  now: number,
): Promise<TesterResult | { error: string; field: string }> {
  let ctx: ReturnPlanningContext;
  try {
    ctx = await loadReturnContext(shop, now);
  } catch (error) {
    if (error instanceof PlanningUnavailableError) return { error: error.message, field: "sku" };
    throw error;
  }
  const product = ctx.snapshot.bySku.get(sample.sku);
  if (!product) return { error: `No product with SKU ${sample.sku} in this shop`, field: "sku" };
  const policy = prepareReturnPolicy({
    ...ctx.policy.config,
    rules: rules.rules as ReturnPolicyInput["rules"],
    defaultOutcome: { code: rules.defaultOutcome, args: {} },
  });
  // The same planning as real returns and the open API: the address placed by the one geocoder.
  const evaluation = await planReturn(
    ctx,
    {
      returnId: "sample",
      deliveredAt: sample.daysSinceDelivery === null ? null : now - sample.daysSinceDelivery * DAY_MS,
      from: { country: sample.country, province: sample.province, postalCode: sample.postalCode },
      lines: [
        {
          lineId: "line-1",
          product,
          quantity: sample.quantity,
          unitPriceMinor: sample.unitPriceMinor,
          reason: sample.reason,
          condition: sample.condition,
          tags: sample.tags,
        },
      ],
    },
    now,
    policy,
  );
  return {
    evaluation,
    productTitle: product.title,
    placedBy: evaluation.placed,
    notAccepting: ctx.costing.nodes.filter((n) => !n.node.acceptsReturns).map((n) => n.node.name),
    warnings: [...ctx.settings.warnings, ...ctx.costing.warnings],
    ruleCount: policy.rules.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Analytics

export interface ReturnAnalyticsView {
  currency: string;
  byHub: (ReturnMetrics & { name: string })[];
  byProduct: (ReturnMetrics & { name: string })[];
  total: ReturnMetrics | null;
  /** Share of inspected lines inspected within 48 h of receipt. */
  within48h: { inspected: number; within: number; share: number | null };
}

/** The service layer's returnAnalytics, products ranked by returns, plus the 48-hour inspection share. */
export async function returnAnalyticsView(shop: { id: string; currency: string }): Promise<ReturnAnalyticsView> {
  const [analytics, lines] = await Promise.all([
    returnAnalytics(shop.id),
    db.returnLine.findMany({ where: { shopId: shop.id, receivedAt: { not: null }, inspectedAt: { not: null } }, select: { receivedAt: true, inspectedAt: true } }),
  ]);
  const inspected = lines.length;
  const within = lines.filter((l) => l.inspectedAt!.getTime() - l.receivedAt!.getTime() <= 48 * 60 * 60 * 1000).length;
  return {
    currency: shop.currency,
    byHub: analytics.byHub.map((h) => (h.key === "unassigned" ? { ...h, name: "No hub yet" } : h)),
    byProduct: [...analytics.byProduct].sort((a, b) => b.returns - a.returns || a.name.localeCompare(b.name)).slice(0, 12),
    total: analytics.overall,
    within48h: { inspected, within, share: inspected > 0 ? within / inspected : null },
  };
}

// ---------------------------------------------------------------------------------------------
// State changes from admin: each through a returns use case, one result per return.

export interface ChangeResult {
  returnId: string;
  ok: boolean;
  message: string;
}

/** Runs a use case; a refused change (the core's message), a conflict or an unknown id is ok: false. */
async function attempt(returnId: string, run: () => Promise<MoveResult>, lineId?: string): Promise<ChangeResult> {
  try {
    const result = await run();
    if (result.duplicate) return { returnId, ok: true, message: "Already done (the same request was sent twice)" };
    const status = fromDbStatus(result.returnCase.status);
    const line = lineId ? result.returnCase.lines.find((l) => l.id === lineId) : undefined;
    const lineStatus = line ? fromDbStatus(line.status) : null;
    if (lineStatus && lineStatus !== status) {
      return {
        returnId,
        ok: true,
        message: `Now ${RETURN_STATUS_LABELS[lineStatus]}; the return as a whole stays ${RETURN_STATUS_LABELS[status]} until its other items catch up`,
      };
    }
    return { returnId, ok: true, message: `Now ${RETURN_STATUS_LABELS[status]}` };
  } catch (error) {
    if (error instanceof IllegalTransitionError || error instanceof ConcurrentChangeError || error instanceof RepoNotFound) {
      return { returnId, ok: false, message: error.message };
    }
    if (error instanceof z.ZodError) return { returnId, ok: false, message: error.issues.map((i) => i.message).join("; ") };
    throw error;
  }
}

const ADMIN = "admin";

/**
 * Approve a requested return (approveReturn): every requested line at once, each refunded what it
 * was paid and sent to its planned hub.
 */
export async function approveFromAdmin(shopId: string, returnId: string, key: string, now: number): Promise<ChangeResult> {
  const c = await db.returnCase.findFirst({ where: { id: returnId, shopId }, select: { lines: { where: { shopId }, select: { id: true, status: true } } } });
  if (!c) return { returnId, ok: false, message: "No such return in this shop" };
  // Every line when none is requested: a repeated form is then recognised by its key ("already
  // done"), anything else is refused by the life cycle with its reason.
  const requested = c.lines.filter((l) => asStatus(l.status) === "requested").map((l) => l.id);
  return attempt(returnId, () =>
    approveReturn({ id: shopId }, returnId, {}, { idempotencyKey: key, now, lineIds: requested.length > 0 ? requested : null, source: ADMIN }),
  );
}

/** Mark a return received at its destination hub (receiveReturn): the hub's inspection clock starts. */
export async function receiveFromAdmin(shopId: string, returnId: string, key: string, now: number): Promise<ChangeResult> {
  const c = await db.returnCase.findFirst({ where: { id: returnId, shopId }, select: { destinationNodeId: true } });
  if (!c) return { returnId, ok: false, message: "No such return in this shop" };
  if (!c.destinationNodeId) return { returnId, ok: false, message: "No destination hub is set for this return: approve it first" };
  const hubId = c.destinationNodeId;
  return attempt(returnId, () => receiveReturn({ id: shopId }, returnId, { hubId }, { idempotencyKey: key, now, source: ADMIN }));
}

/** Inspect one received line and carry out its disposition at once (inspectReturn). */
export async function inspectFromAdmin(
  shopId: string,
  returnId: string,
  input: { lineId: string; grade: Grade; disposition: Disposition; note: string | null },
  key: string,
  now: number,
): Promise<ChangeResult> {
  return attempt(returnId, () =>
    inspectReturn({ id: shopId }, returnId, { grade: input.grade, disposition: input.disposition, note: input.note }, { idempotencyKey: key, now, lineIds: [input.lineId], source: ADMIN }),
    input.lineId,
  );
}
