// Persistent returns: one core state machine per returned line, and the ReturnCase as the return's
// aggregate view (ADR 0006).
//
// A line's state (the core's ReturnState) is stored once, in the ReturnLine's own columns: status,
// hubId, the time it entered each state (requestedAt ... resoldAt), changedAt, inspectionDueAt,
// grade, disposition and the three amounts. lineState() reads a row as the core's state and
// lineStateColumns() writes one back; nothing else reads or writes those columns.
//
// Aggregate rule (ReturnCase.status), derived from the lines on every change and never written
// otherwise: the least advanced line still open (requested < approved < in transit < received <
// inspected < refurbishing < restocked); a line that has ended (declined, kept, disposed of,
// resold) no longer holds the return back. When every line has ended, the furthest end reached:
// resold, else disposed, else kept, else declined. Each ReturnCase timestamp is the earliest time
// any line entered that state (a kept line counts as approved); inspectionDueAt is the earliest
// deadline of a line received and not yet inspected, else the earliest deadline any line had (kept
// to show whether it was met).
//
// Every accepted event is one transaction: the lines' new states, the aggregate (guarded by the
// optimistic lock on ReturnCase.version), and one ReturnEvent row per line with its idempotency
// key and the effects still to perform (effectsJson, the outbox). The effects run after commit
// (effects.server.ts); a crash in between leaves them pending for the outbox runner. An event is
// applied to all its lines in one pass, linear in the lines, and written in a bounded number of
// statements whatever their number (bulk-sql.server.ts): one for the case, one for the lines, one
// for the events.
import type { Prisma, ReturnCase, ReturnLine } from "@prisma/client";
import {
  itemComesBackAfter,
  MAX_RETURN_LINES,
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
import { insertRows, sortableId, updateRows } from "../bulk-sql.server";
import type { Tx } from "../webhooks.server";
import { enqueue } from "../jobs/index.server";
import { EFFECTS_JOB_DELAY_MS, OUTBOX_EFFECTS, returnEffectsJob } from "./effects.server";

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

/** The column each state's entry time is stored in. */
const ENTERED_AT = {
  requested: "requestedAt",
  approved: "approvedAt",
  declined: "declinedAt",
  kept: "keptAt",
  in_transit: "inTransitAt",
  received: "receivedAt",
  inspected: "inspectedAt",
  restocked: "restockedAt",
  refurbishing: "refurbishingAt",
  disposed: "disposedAt",
  resold: "resoldAt",
} as const satisfies Record<ReturnStatus, keyof ReturnLine>;
type EnteredAtColumn = (typeof ENTERED_AT)[ReturnStatus];

/** The columns that hold a line's state: written by lineStateColumns, read by lineState. */
export type LineStateColumns = Pick<
  ReturnLine,
  EnteredAtColumn | "status" | "hubId" | "changedAt" | "inspectionDueAt" | "grade" | "disposition" | "refundedMinor" | "reverseCostMinor" | "recoveredMinor"
>;
const STATE_COLUMNS = [
  "status", "hubId", "changedAt", ...Object.values(ENTERED_AT), "inspectionDueAt", "grade", "disposition", "refundedMinor", "reverseCostMinor", "recoveredMinor",
] as const satisfies readonly (keyof LineStateColumns)[];

const ms = (d: Date | null) => (d === null ? null : d.getTime());
const date = (t: number | null | undefined) => (t === null || t === undefined ? null : new Date(t));

/** A stored line as the core's machine state. */
export function lineState(line: ReturnLine): ReturnState {
  const at: ReturnState["at"] = {};
  for (const [status, column] of Object.entries(ENTERED_AT) as [ReturnStatus, EnteredAtColumn][]) {
    const t = ms(line[column]);
    if (t !== null) at[status] = t;
  }
  return {
    returnId: line.returnId,
    lineId: line.id,
    productId: line.productId ?? line.sku ?? line.id,
    quantity: line.quantity,
    status: fromDbStatus(line.status),
    at,
    updatedAt: line.changedAt.getTime(),
    hubId: line.hubId,
    refundedMinor: line.refundedMinor,
    reverseCostMinor: line.reverseCostMinor,
    recoveredMinor: line.recoveredMinor,
    inspectionDeadlineAt: ms(line.inspectionDueAt),
    grade: line.grade as ReturnState["grade"],
    disposition: line.disposition as ReturnState["disposition"],
  };
}

/** The core's state of a line as the columns that store it. */
export function lineStateColumns(s: ReturnState): LineStateColumns {
  const entered = Object.fromEntries(Object.entries(ENTERED_AT).map(([status, column]) => [column, date(s.at[status as ReturnStatus])])) as Record<EnteredAtColumn, Date | null>;
  return {
    ...entered,
    requestedAt: entered.requestedAt ?? new Date(s.updatedAt),
    status: toDbStatus(s.status),
    hubId: s.hubId,
    changedAt: new Date(s.updatedAt),
    inspectionDueAt: date(s.inspectionDeadlineAt),
    grade: s.grade,
    disposition: s.disposition,
    refundedMinor: s.refundedMinor,
    reverseCostMinor: s.reverseCostMinor,
    recoveredMinor: s.recoveredMinor,
  };
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
  return c.lines.map(lineState);
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

const LINE_COLUMNS = [
  "id", "shopId", "returnId", "productId", "sku", "shopifyLineGid", "reverseFoLineGid", "quantity", "valueMinor", "reason", "condition",
  "outcome", "destinationNodeId", ...STATE_COLUMNS,
] as const satisfies readonly (keyof ReturnLine)[];
/** What a decision (outcome, destination) or an event (the state) changes on a line. */
const LINE_CHANGE_COLUMNS = ["outcome", "destinationNodeId", ...STATE_COLUMNS] as const;
const EVENT_COLUMNS = [
  "id", "shopId", "returnId", "type", "fromStatus", "toStatus", "idempotencyKey", "payloadJson", "effectsJson", "effectsDoneAt", "at",
] as const;
type EventRow = Prisma.ReturnEventUncheckedCreateInput & { id: string };

/**
 * Creates the case and its lines, each line's machine opened as requested at `now`: two
 * statements whatever the number of lines (at most MAX_RETURN_LINES).
 */
export async function createReturnCase(tx: Tx, input: NewReturnCase, now: number): Promise<CaseWithLines> {
  if (input.lines.length > MAX_RETURN_LINES) throw new RangeError(`a return holds at most ${MAX_RETURN_LINES} lines, not ${input.lines.length}`);
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
  const lines: ReturnLine[] = input.lines.map((l) => {
    const id = sortableId();
    const state = openReturn({ returnId: created.id, lineId: id, productId: l.productId ?? l.sku ?? id, quantity: l.quantity }, now);
    return { ...l, id, shopId: input.shopId, returnId: created.id, reverseFoLineGid: null, ...lineStateColumns(state) };
  });
  await insertRows(tx, "ReturnLine", LINE_COLUMNS, lines);
  return { ...created, lines };
}

/** Effects that concern the whole return in Shopify: carried out once, on the first line's event. */
const RETURN_LEVEL_EFFECTS = new Set<ReturnEffect["type"]>(["APPROVE_IN_SHOPIFY", "DECLINE_IN_SHOPIFY"]);
export type ReturnLevelEffect = "APPROVE_IN_SHOPIFY" | "DECLINE_IN_SHOPIFY";

export interface ApplyOptions {
  /** Webhook id, API Idempotency-Key, or a natural key: the same key never applies twice. */
  idempotencyKey: string;
  now: number;
  /** Only these lines; default: every line the event can move (refused when none can). */
  lineIds?: readonly string[] | null;
  /** The caller's view of ReturnCase.version: refused (409) when it moved. */
  expectedVersion?: number | null;
  source: string;
  /**
   * The whole-return Shopify effect, carried by one line's event: true (default) the first line's;
   * false none (another event carries it); or only this one (the first line that has it).
   */
  returnLevelEffects?: boolean | ReturnLevelEffect;
}

export interface ApplyResult {
  returnCase: CaseWithLines;
  /** ReturnEvent ids whose effects are pending. */
  eventIds: string[];
  duplicate: boolean;
}

/** One event for every line, or each line's own (null: leave that line alone). */
export type EventOf = ReturnEvent | ((line: ReturnLine) => ReturnEvent | null);
const eventFor = (event: EventOf, line: ReturnLine) => (typeof event === "function" ? event(line) : event);

/**
 * Approving a line whose decided outcome leaves the item with the customer (KEEP_ITEM, DONATE,
 * RECYCLE) is a KEEP: refunded, nothing to receive. Every way of approving (the rules, the admin,
 * Shopify's returns/approve, the open API) comes through here.
 */
function asDecided(event: ReturnEvent, line: { outcome: string | null }): ReturnEvent {
  if (event.type !== "APPROVE" || !line.outcome || !(OUTCOME_CODES as readonly string[]).includes(line.outcome)) return event;
  return itemComesBackAfter(line.outcome as OutcomeCode) ? event : { type: "KEEP", refundedMinor: event.refundedMinor };
}

interface Change {
  /** Every line of the return as it will be. */
  lines: ReturnLine[];
  moved: ReturnLine[];
  events: EventRow[];
  /** The events whose effects reach outside the database (the outbox runs them). */
  eventIds: string[];
  caseData: Aggregate & { destinationNodeId: string | null };
}

/**
 * One pass over the return's lines: each targeted line's transition, its new row and its event
 * row, then the aggregate of all lines. Linear in the lines; nothing is written. Throws
 * IllegalTransitionError (the core's message) when no line can move, or when a line named in
 * `lineIds` cannot.
 */
function prepareChange(c: CaseWithLines, event: EventOf, opts: ApplyOptions): Change {
  const wanted = opts.lineIds ? new Set(opts.lineIds) : null;
  if (opts.lineIds) {
    const ids = new Set(c.lines.map((l) => l.id));
    const missing = opts.lineIds.find((id) => !ids.has(id));
    if (missing !== undefined) throw new IllegalTransitionError(`return ${c.id} has no line ${missing}`);
  }
  const accepted: { line: ReturnLine; lineEvent: ReturnEvent; before: ReturnState; state: ReturnState; effects: ReturnEffect[] }[] = [];
  let refusal: string | null = null;
  for (const line of c.lines) {
    if (wanted && !wanted.has(line.id)) continue;
    const asked = eventFor(event, line);
    if (!asked) continue;
    const lineEvent = asDecided(asked, line);
    const before = lineState(line);
    const result = transition(before, lineEvent, opts.now);
    if (result.ok) accepted.push({ line, lineEvent, before, state: result.state, effects: result.effects });
    else refusal ??= result.error;
  }
  if (accepted.length === 0 || (wanted && refusal !== null)) {
    throw new IllegalTransitionError(refusal ?? `return ${c.id} has no lines`);
  }

  const carry = opts.returnLevelEffects ?? true;
  let carried = carry === false;
  const kept = (e: ReturnEffect) => {
    if (!RETURN_LEVEL_EFFECTS.has(e.type)) return true;
    if (carried || (carry !== true && e.type !== carry)) return false;
    carried = true;
    return true;
  };
  const at = new Date(opts.now);
  const moved = new Map<string, ReturnLine>();
  const states = new Map<string, ReturnState>();
  const events: EventRow[] = [];
  const eventIds: string[] = [];
  for (const { line, lineEvent, before, state: s, effects: all } of accepted) {
    states.set(line.id, s);
    moved.set(line.id, { ...line, ...lineStateColumns(s) });
    const effects = all.filter(kept);
    // Effects that need nothing outside the database (instructions, the inspection clock, the
    // resale record) are done when they are written; the rest wait in the outbox.
    const pending = effects.some((e) => OUTBOX_EFFECTS.has(e.type));
    const id = sortableId();
    events.push({
      id,
      shopId: c.shopId,
      returnId: c.id,
      type: lineEvent.type,
      fromStatus: toDbStatus(before.status),
      toStatus: toDbStatus(s.status),
      idempotencyKey: `${opts.idempotencyKey}#${line.id}`,
      payloadJson: JSON.stringify({ lineId: line.id, source: opts.source, event: lineEvent }),
      effectsJson: JSON.stringify(effects),
      effectsDoneAt: pending ? null : at,
      at,
    });
    if (pending) eventIds.push(id);
  }
  const lines = c.lines.map((l) => moved.get(l.id) ?? l);
  const allStates = c.lines.map((l) => states.get(l.id) ?? lineState(l));
  const hubs = [...new Set(allStates.flatMap((s) => (s.hubId ? [s.hubId] : [])))];
  return {
    lines,
    moved: [...moved.values()],
    events,
    eventIds,
    caseData: { ...aggregate(allStates), destinationNodeId: hubs.length === 1 ? hubs[0] : c.destinationNodeId },
  };
}

/**
 * Writes a change to a return read as version `c.version`: the case first, guarded by that
 * version (and `guard`), then every changed line in one statement and every event in another.
 * False, with nothing written, when the case moved meanwhile.
 */
async function writeChange(
  tx: Tx,
  c: CaseWithLines,
  change: { caseData: Prisma.ReturnCaseUpdateManyMutationInput; lines: readonly ReturnLine[]; events: readonly EventRow[] },
  guard: Prisma.ReturnCaseWhereInput = {},
): Promise<boolean> {
  const written = await tx.returnCase.updateMany({
    where: { ...guard, id: c.id, shopId: c.shopId, version: c.version },
    data: { ...change.caseData, version: c.version + 1 },
  });
  if (written.count !== 1) return false;
  await updateRows(tx, "ReturnLine", c.shopId, LINE_CHANGE_COLUMNS, change.lines);
  await insertRows(tx, "ReturnEvent", EVENT_COLUMNS, change.events);
  // Effects that reach outside the database: their job, in this transaction (the outbox's guarantee).
  if (change.events.some((e) => e.effectsDoneAt === null)) {
    await enqueue(tx, returnEffectsJob, { shopId: c.shopId, returnId: c.id }, { key: c.id, delayMs: EFFECTS_JOB_DELAY_MS });
  }
  return true;
}

const after = (c: CaseWithLines, change: Pick<Change, "caseData" | "lines">): CaseWithLines => ({
  ...c,
  ...change.caseData,
  version: c.version + 1,
  updatedAt: new Date(),
  lines: change.lines,
});

/**
 * Applies one event to a return's lines inside `tx`, in one pass whatever the number of lines: a
 * bounded number of statements (read the return, check the key, write the case, the lines, the
 * events). Throws IllegalTransitionError (the core's message) or ConcurrentChangeError and writes
 * nothing; a repeated idempotency key is a no-op.
 */
export async function applyReturnEventTx(tx: Tx, shopId: string, returnId: string, event: EventOf, opts: ApplyOptions): Promise<ApplyResult> {
  const c = await getReturnCase(shopId, returnId, tx);
  const keyPrefix = `${opts.idempotencyKey}#`;
  const seen = await tx.returnEvent.findFirst({ where: { shopId, returnId, idempotencyKey: { startsWith: keyPrefix } }, select: { id: true } });
  if (seen) return { returnCase: c, eventIds: [], duplicate: true };
  if (c.status === "CANCELLED") throw new IllegalTransitionError(`Return ${returnId} was cancelled in Shopify: it cannot change any more.`);
  if (opts.expectedVersion != null && opts.expectedVersion !== c.version) {
    throw new ConcurrentChangeError(`return ${returnId} changed (version ${c.version}, you had ${opts.expectedVersion}): reload and retry`);
  }
  const change = prepareChange(c, event, opts);
  if (!(await writeChange(tx, c, { caseData: change.caseData, lines: change.moved, events: change.events }))) {
    throw new ConcurrentChangeError(`return ${returnId} was changed by someone else meanwhile: reload and retry`);
  }
  return { returnCase: after(c, change), eventIds: change.eventIds, duplicate: false };
}

/** What the rules decided for a return: stored on the case, each line's outcome and hub on the line. */
export interface Decision {
  json: string;
  outcome: string | null;
  destinationNodeId: string | null;
  lines: ReadonlyMap<string, { outcome: string | null; destinationNodeId: string | null }>;
}

export const isDecided = (c: Pick<ReturnCase, "decisionJson">) => c.decisionJson !== "{}" && c.decisionJson !== "";

/** A decision and the events it applies, prepared from a return as read: nothing written yet. */
export interface DecisionWrite {
  caseData: Prisma.ReturnCaseUpdateManyMutationInput;
  lines: ReturnLine[];
  events: EventRow[];
  eventIds: string[];
}

/**
 * Prepares the recording of a decision planned from `c` as read before planning (planning is long
 * and runs outside any transaction) and, with `approval`, the events it applies to the lines: one
 * pass over the lines, nothing written (writeDecisionTx writes it).
 */
export function prepareDecision(c: CaseWithLines, decision: Decision, approval: { event: EventOf; opts: ApplyOptions } | null): DecisionWrite {
  const decided: CaseWithLines = {
    ...c,
    outcome: decision.outcome,
    destinationNodeId: decision.destinationNodeId,
    lines: c.lines.map((l) => ({ ...l, ...decision.lines.get(l.id) })),
  };
  // A line the merchant already approved or declined in Shopify keeps that decision; a cancelled
  // return keeps its lines as they are.
  const moves = approval !== null && c.status !== "CANCELLED" && decided.lines.some((l) => eventFor(approval.event, l) !== null);
  const change = moves ? prepareChange(decided, approval.event, approval.opts) : null;
  return {
    caseData: { decisionJson: decision.json, outcome: decision.outcome, destinationNodeId: decision.destinationNodeId, ...change?.caseData },
    lines: change?.lines ?? decided.lines,
    events: change?.events ?? [],
    eventIds: change?.eventIds ?? [],
  };
}

/**
 * Writes a prepared decision, only if the return is still undecided and unchanged since `c` was
 * read: false otherwise, with nothing written (read it again and plan again, or it was decided
 * meanwhile). A bounded number of statements, whatever the number of lines.
 */
export async function writeDecisionTx(tx: Tx, c: CaseWithLines, write: DecisionWrite): Promise<boolean> {
  return writeChange(tx, c, write, { decisionJson: { in: ["{}", ""] } });
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
