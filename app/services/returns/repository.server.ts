// Persistent returns: one core state machine per returned line (ReturnLine.status + stateJson),
// and the ReturnCase as the return's aggregate view.
//
// Aggregate rule (ReturnCase.status): the least advanced line still open (requested < approved <
// in transit < received < inspected < refurbishing < restocked); a line that has ended (declined,
// disposed of, resold) no longer holds the return back. When every line has ended, the furthest
// end reached: resold, else disposed, else declined. Each ReturnCase timestamp is the earliest time
// any line entered that state; inspectionDueAt is the earliest deadline of a line received and not
// yet inspected, else the earliest deadline any line had (kept to show whether it was met).
//
// Every accepted event is one transaction: the lines' new states, the aggregate (guarded by the
// optimistic lock on ReturnCase.version), and one ReturnEvent row per line with its idempotency
// key and the effects still to perform (effectsJson, the outbox). The effects run after commit
// (effects.server.ts); a crash in between leaves them pending for the outbox runner.
import type { Prisma, ReturnCase, ReturnLine } from "@prisma/client";
import { z } from "zod";
import {
  itemComesBackAfter,
  OUTCOME_CODES,
  openReturn,
  transition,
  type OutcomeCode,
  type ReturnEffect,
  type ReturnEvent,
  type ReturnState,
  type ReturnStatus,
} from "~/core/returns";
import { db } from "~/db.server";
import type { Tx } from "../webhooks.server";

export type CaseWithLines = ReturnCase & { lines: ReturnLine[] };

/** A refused change: the message says why; nothing was written. HTTP 409. */
export class IllegalTransitionError extends Error {
  readonly status = 409;
}
/** Someone else changed the return between our read and our write. HTTP 409; retry. */
export class ConcurrentChangeError extends Error {
  readonly status = 409;
}
export class ReturnNotFoundError extends Error {
  readonly status = 404;
}

/** Core status → the column's value (REQUESTED ... RESOLD, as the schema documents). */
export function toDbStatus(s: ReturnStatus): string {
  return s === "resold" ? "RESOLD" : s.toUpperCase();
}
export function fromDbStatus(s: string): ReturnStatus {
  return (s === "RESOLD" ? "resold" : s.toLowerCase()) as ReturnStatus;
}

const OPEN_RANK: Partial<Record<ReturnStatus, number>> = {
  requested: 0,
  approved: 1,
  in_transit: 2,
  received: 3,
  inspected: 4,
  refurbishing: 5,
  restocked: 6,
};
const END_RANK: Partial<Record<ReturnStatus, number>> = { declined: 0, kept: 1, disposed: 2, resold: 3 };

const stateSchema = z.object({
  returnId: z.string(),
  lineId: z.string(),
  productId: z.string(),
  quantity: z.number(),
  status: z.string(),
  at: z.record(z.string(), z.number()),
  updatedAt: z.number(),
  hubId: z.string().nullable(),
  refundedMinor: z.number(),
  reverseCostMinor: z.number(),
  recoveredMinor: z.number(),
  inspectionDeadlineAt: z.number().nullable(),
  grade: z.string().nullable(),
  disposition: z.string().nullable(),
});

/** The line's stored machine state; a line stored without one starts as requested at the case's request. */
export function lineState(line: ReturnLine, requestedAt: Date): ReturnState {
  const parsed = stateSchema.safeParse(JSON.parse(line.stateJson || "{}"));
  if (parsed.success) return parsed.data as ReturnState;
  return openReturn(
    { returnId: line.returnId, lineId: line.id, productId: line.productId ?? line.sku ?? line.id, quantity: line.quantity },
    requestedAt.getTime(),
  );
}

export interface Aggregate {
  status: string;
  approvedAt: Date | null;
  declinedAt: Date | null;
  inTransitAt: Date | null;
  receivedAt: Date | null;
  inspectedAt: Date | null;
  restockedAt: Date | null;
  refurbishingAt: Date | null;
  disposedAt: Date | null;
  resoldAt: Date | null;
  inspectionDueAt: Date | null;
  grade: string | null;
  disposition: string | null;
  refundedMinor: number;
  recoveredMinor: number;
  reverseCostMinor: number;
}

export function aggregate(states: readonly ReturnState[]): Aggregate {
  const open = states.filter((s) => OPEN_RANK[s.status] !== undefined);
  let status: ReturnStatus;
  if (open.length > 0) status = open.reduce((a, b) => (OPEN_RANK[b.status]! < OPEN_RANK[a.status]! ? b : a)).status;
  else status = states.reduce((a, b) => ((END_RANK[b.status] ?? -1) > (END_RANK[a.status] ?? -1) ? b : a), states[0]).status;
  const first = (s: ReturnStatus) => {
    const times = states.flatMap((x) => (x.at[s] !== undefined ? [x.at[s]!] : []));
    return times.length ? new Date(Math.min(...times)) : null;
  };
  const minDeadline = (list: readonly ReturnState[]) => {
    const d = list.flatMap((x) => (x.inspectionDeadlineAt !== null ? [x.inspectionDeadlineAt] : []));
    return d.length ? new Date(Math.min(...d)) : null;
  };
  const inspectedStates = states.filter((s) => s.grade !== null);
  const sum = (f: (s: ReturnState) => number) => states.reduce((t, s) => t + f(s), 0);
  return {
    status: toDbStatus(status),
    // A kept line was approved when it was kept (approved without the item coming back).
    approvedAt: [first("approved"), first("kept")].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0] ?? null,
    declinedAt: first("declined"),
    inTransitAt: first("in_transit"),
    receivedAt: first("received"),
    inspectedAt: first("inspected"),
    restockedAt: first("restocked"),
    refurbishingAt: first("refurbishing"),
    disposedAt: first("disposed"),
    resoldAt: first("resold"),
    inspectionDueAt: minDeadline(states.filter((s) => s.status === "received")) ?? minDeadline(states),
    // The worst grade seen, and its disposition, summarise the inspection.
    grade: inspectedStates.length ? inspectedStates.map((s) => s.grade!).sort().at(-1)! : null,
    disposition: inspectedStates.length ? inspectedStates.sort((a, b) => (a.grade! < b.grade! ? 1 : -1))[0].disposition : null,
    refundedMinor: sum((s) => s.refundedMinor),
    recoveredMinor: sum((s) => s.recoveredMinor),
    reverseCostMinor: sum((s) => s.reverseCostMinor),
  };
}

export async function getReturnCase(shopId: string, id: string, tx: Tx = db): Promise<CaseWithLines> {
  const row = await tx.returnCase.findFirst({ where: { id, shopId }, include: { lines: { orderBy: { id: "asc" } } } });
  if (!row) throw new ReturnNotFoundError(`return ${id} not found`);
  return row;
}

export function caseStates(c: CaseWithLines): ReturnState[] {
  return c.lines.map((l) => lineState(l, c.requestedAt));
}

export interface NewReturnLine {
  productId: string | null;
  sku: string | null;
  shopifyLineGid: string | null;
  quantity: number;
  valueMinor: number;
  reason: string | null;
  condition: string | null;
  outcome: string | null;
  destinationNodeId: string | null;
}

export interface NewReturnCase {
  shopId: string;
  shopifyReturnGid: string | null;
  orderGid: string | null;
  orderName: string | null;
  currency: string;
  outcome: string | null;
  destinationNodeId: string | null;
  decision: unknown;
  lines: NewReturnLine[];
}

/** Creates the case and its lines, each line's machine opened as requested at `now`. */
export async function createReturnCase(tx: Tx, input: NewReturnCase, now: number): Promise<CaseWithLines> {
  const created = await tx.returnCase.create({
    data: {
      shopId: input.shopId,
      shopifyReturnGid: input.shopifyReturnGid,
      orderGid: input.orderGid,
      orderName: input.orderName,
      status: "REQUESTED",
      outcome: input.outcome,
      destinationNodeId: input.destinationNodeId,
      decisionJson: JSON.stringify(input.decision ?? {}),
      currency: input.currency,
      requestedAt: new Date(now),
    },
  });
  for (const l of input.lines) {
    const line = await tx.returnLine.create({ data: { shopId: input.shopId, returnId: created.id, ...l, status: "REQUESTED" } });
    const state = openReturn({ returnId: created.id, lineId: line.id, productId: l.productId ?? l.sku ?? line.id, quantity: l.quantity }, now);
    await tx.returnLine.update({ where: { id: line.id }, data: { stateJson: JSON.stringify(state) } });
  }
  return getReturnCase(input.shopId, created.id, tx);
}

/** Effects that concern the whole return in Shopify: carried out once, on the first line's event. */
const RETURN_LEVEL_EFFECTS = new Set<ReturnEffect["type"]>(["APPROVE_IN_SHOPIFY", "DECLINE_IN_SHOPIFY"]);

export interface ApplyOptions {
  /** Webhook id, API Idempotency-Key, or a natural key: the same key never applies twice. */
  idempotencyKey: string;
  now: number;
  /** Only these lines; default: every line the event can move (refused when none can). */
  lineIds?: readonly string[] | null;
  /** The caller's view of ReturnCase.version: refused (409) when it moved. */
  expectedVersion?: number | null;
  source: string;
  /** false: leave out the whole-return Shopify effects (another line's event carries them). */
  returnLevelEffects?: boolean;
}

export interface ApplyResult {
  returnCase: CaseWithLines;
  /** ReturnEvent ids whose effects are pending. */
  eventIds: string[];
  duplicate: boolean;
}

/**
 * Applies one event to a return inside `tx`. Throws IllegalTransitionError (the core's message)
 * or ConcurrentChangeError and writes nothing; a repeated idempotency key is a no-op.
 */
/**
 * Approving a line whose decided outcome leaves the item with the customer (KEEP_ITEM, DONATE,
 * RECYCLE) is a KEEP: refunded, nothing to receive. Every way of approving (the rules, the admin,
 * Shopify's returns/approve, the open API) comes through here.
 */
function asDecided(event: ReturnEvent, line: { outcome: string | null }): ReturnEvent {
  if (event.type !== "APPROVE" || !line.outcome || !(OUTCOME_CODES as readonly string[]).includes(line.outcome)) return event;
  return itemComesBackAfter(line.outcome as OutcomeCode) ? event : { type: "KEEP", refundedMinor: event.refundedMinor };
}

export async function applyReturnEventTx(
  tx: Tx,
  shopId: string,
  returnId: string,
  event: ReturnEvent,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  const c = await getReturnCase(shopId, returnId, tx);
  const keyPrefix = `${opts.idempotencyKey}#`;
  const seen = await tx.returnEvent.findFirst({ where: { shopId, returnId, idempotencyKey: { startsWith: keyPrefix } } });
  if (seen) return { returnCase: c, eventIds: [], duplicate: true };
  if (c.status === "CANCELLED") throw new IllegalTransitionError(`Return ${returnId} was cancelled in Shopify: it cannot change any more.`);
  if (opts.expectedVersion != null && opts.expectedVersion !== c.version) {
    throw new ConcurrentChangeError(`return ${returnId} changed (version ${c.version}, you had ${opts.expectedVersion}): reload and retry`);
  }

  const targets = opts.lineIds ? c.lines.filter((l) => opts.lineIds!.includes(l.id)) : c.lines;
  if (opts.lineIds && targets.length !== opts.lineIds.length) {
    throw new IllegalTransitionError(`return ${returnId} has no line ${opts.lineIds.find((id) => !c.lines.some((l) => l.id === id))}`);
  }
  const results = targets.map((line) => {
    const lineEvent = asDecided(event, line);
    return { line, lineEvent, before: lineState(line, c.requestedAt), result: transition(lineState(line, c.requestedAt), lineEvent, opts.now) };
  });
  const accepted = results.filter((r) => r.result.ok);
  const refused = results.filter((r) => !r.result.ok);
  if (accepted.length === 0 || (opts.lineIds && refused.length > 0)) {
    const first = refused[0]?.result;
    throw new IllegalTransitionError(first && !first.ok ? first.error : `return ${returnId} has no lines`);
  }

  const newStates = new Map<string, ReturnState>();
  const eventIds: string[] = [];
  let returnLevelDone = opts.returnLevelEffects === false;
  for (const { line, lineEvent, before, result } of accepted) {
    if (!result.ok) continue;
    const s = result.state;
    newStates.set(line.id, s);
    await tx.returnLine.update({
      where: { id: line.id },
      data: {
        status: toDbStatus(s.status),
        stateJson: JSON.stringify(s),
        destinationNodeId: s.hubId ?? line.destinationNodeId,
        grade: s.grade,
        disposition: s.disposition,
        resoldAt: s.at.resold !== undefined ? new Date(s.at.resold) : null,
      },
    });
    const effects = result.effects.filter((e) => !RETURN_LEVEL_EFFECTS.has(e.type) || !returnLevelDone);
    if (result.effects.some((e) => RETURN_LEVEL_EFFECTS.has(e.type))) returnLevelDone = true;
    const row = await tx.returnEvent.create({
      data: {
        shopId,
        returnId,
        type: lineEvent.type,
        fromStatus: toDbStatus(before.status),
        toStatus: toDbStatus(s.status),
        idempotencyKey: `${keyPrefix}${line.id}`,
        payloadJson: JSON.stringify({ lineId: line.id, source: opts.source, event: lineEvent }),
        effectsJson: JSON.stringify(effects),
        effectsDoneAt: effects.length === 0 ? new Date(opts.now) : null,
        at: new Date(opts.now),
      },
    });
    if (effects.length) eventIds.push(row.id);
  }

  const states = c.lines.map((l) => newStates.get(l.id) ?? lineState(l, c.requestedAt));
  const agg = aggregate(states);
  const hubs = [...new Set(states.flatMap((s) => (s.hubId ? [s.hubId] : [])))];
  const written = await tx.returnCase.updateMany({
    where: { id: returnId, shopId, version: c.version },
    data: { ...agg, destinationNodeId: hubs.length === 1 ? hubs[0] : c.destinationNodeId, version: c.version + 1 },
  });
  if (written.count !== 1) throw new ConcurrentChangeError(`return ${returnId} was changed by someone else meanwhile: reload and retry`);
  return { returnCase: await getReturnCase(shopId, returnId, tx), eventIds, duplicate: false };
}

/** Retries once on a concurrent change (the second read sees the other writer's result). */
export async function applyReturnEvent(shopId: string, returnId: string, event: ReturnEvent, opts: ApplyOptions): Promise<ApplyResult> {
  const run = () => db.$transaction((tx) => applyReturnEventTx(tx, shopId, returnId, event, opts));
  try {
    return await run();
  } catch (error) {
    if (error instanceof ConcurrentChangeError && opts.expectedVersion == null) return run();
    if (isUniqueViolation(error)) return { returnCase: await getReturnCase(shopId, returnId), eventIds: [], duplicate: true };
    throw error;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

export type ReturnCaseWhere = Prisma.ReturnCaseWhereInput;
