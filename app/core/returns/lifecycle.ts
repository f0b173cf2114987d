// The life of one returned line as an explicit state machine:
//
//   requested → approved | declined | kept    (kept: refunded, the customer keeps the item or passes
//                                               it on; nothing travels back, nothing to receive)
//   approved → in_transit → received          (approved → received: dropped off at the hub)
//   received → inspected (grade A–D, disposition RESTOCK | REFURBISH | DISPOSE)
//   inspected → restocked | refurbishing | disposed   (as the inspection decided)
//   refurbishing → restocked | disposed
//   restocked → resold
//
// `transition` is pure: it returns the next state with the effects the service layer must carry
// out (each with a stable idempotency key), or an error and no change. A return of three lines is
// three machines sharing a returnId.
import { z } from "zod";
import { MINUTE_MS } from "../geo/localTime";
import { minorSchema } from "../money/money";
import { DECLINE_REASONS, type DeclineReason } from "./types";

export const RETURN_STATUSES = [
  "requested",
  "approved",
  "declined",
  "kept",
  "in_transit",
  "received",
  "inspected",
  "restocked",
  "refurbishing",
  "disposed",
  "resold",
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const RETURN_STATUS_LABELS: Record<ReturnStatus, string> = {
  requested: "requested",
  approved: "approved",
  declined: "declined",
  kept: "kept by the customer",
  in_transit: "in transit",
  received: "received",
  inspected: "inspected",
  restocked: "restocked",
  refurbishing: "being refurbished",
  disposed: "disposed of",
  resold: "resold",
};

export const GRADES = ["A", "B", "C", "D"] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_LABELS: Record<Grade, string> = {
  A: "A: as new",
  B: "B: light wear, resellable",
  C: "C: needs refurbishment",
  D: "D: not resellable",
};

export const DISPOSITIONS = ["RESTOCK", "REFURBISH", "DISPOSE"] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export interface ReturnState {
  returnId: string;
  lineId: string;
  productId: string;
  quantity: number;
  status: ReturnStatus;
  /** When each state was entered, UTC ms. */
  at: Partial<Record<ReturnStatus, number>>;
  /** The last change, UTC ms: events never go back before it. */
  updatedAt: number;
  /** The planned destination hub, then the hub that received the item. */
  hubId: string | null;
  /** What the customer got back (refund and store credit). */
  refundedMinor: number;
  /** What the return leg actually cost. */
  reverseCostMinor: number;
  /** What the resale brought in. */
  recoveredMinor: number;
  inspectionDeadlineAt: number | null;
  grade: Grade | null;
  disposition: Disposition | null;
}

export function openReturn(
  line: { returnId: string; lineId: string; productId: string; quantity: number },
  now: number,
): ReturnState {
  return {
    ...line,
    status: "requested",
    at: { requested: now },
    updatedAt: now,
    hubId: null,
    refundedMinor: 0,
    reverseCostMinor: 0,
    recoveredMinor: 0,
    inspectionDeadlineAt: null,
    grade: null,
    disposition: null,
  };
}

/** Grade D cannot go back on the shelf; null when the pair is fine. */
export function inspectionProblem(grade: Grade, disposition: Disposition): string | null {
  return grade === "D" && disposition === "RESTOCK" ? "a grade D item is not resellable: refurbish or dispose of it" : null;
}

const hubIdSchema = z.string().trim().min(1, "name the hub");

/** The events, as forms and webhooks send them: one schema for the form and the action. */
export const returnEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("APPROVE"), hubId: hubIdSchema.nullable().default(null), refundedMinor: minorSchema.default(0) }),
  // Approved without the item coming back (KEEP_ITEM, DONATE, RECYCLE): refunded, nothing to receive.
  z.object({ type: z.literal("KEEP"), refundedMinor: minorSchema.default(0) }),
  z.object({
    type: z.literal("DECLINE"),
    declineReason: z.enum(DECLINE_REASONS),
    customerMessage: z.string().trim().min(1, "tell the customer why").max(500, "at most 500 characters"),
  }),
  z.object({ type: z.literal("SHIP"), reverseCostMinor: minorSchema.default(0), trackingNumber: z.string().trim().min(1).nullable().default(null) }),
  z.object({ type: z.literal("RECEIVE"), hubId: hubIdSchema, inspectionHours: z.number().positive().max(720).default(48) }),
  z
    .object({
      type: z.literal("INSPECT"),
      grade: z.enum(GRADES),
      disposition: z.enum(DISPOSITIONS),
      note: z.string().trim().max(1000, "at most 1000 characters").nullable().default(null),
    })
    .superRefine((e, ctx) => {
      const problem = inspectionProblem(e.grade, e.disposition);
      if (problem) ctx.addIssue({ code: "custom", path: ["disposition"], message: problem });
    }),
  z.object({ type: z.literal("RESTOCK"), hubId: hubIdSchema.nullable().default(null) }),
  z.object({ type: z.literal("REFURBISH") }),
  z.object({ type: z.literal("DISPOSE") }),
  z.object({ type: z.literal("RESELL"), priceMinor: minorSchema, orderId: z.string().trim().min(1).nullable().default(null) }),
]);
export type ReturnEvent = z.output<typeof returnEventSchema>;
export type ReturnEventInput = z.input<typeof returnEventSchema>;
export type ReturnEventType = ReturnEvent["type"];

/** What the service layer must do after a transition. */
export type ReturnEffectBody =
  | { type: "APPROVE_IN_SHOPIFY"; refundedMinor: number }
  | { type: "SEND_RETURN_INSTRUCTIONS"; hubId: string }
  | { type: "DECLINE_IN_SHOPIFY"; declineReason: DeclineReason; customerMessage: string }
  | { type: "EXPECT_AT_HUB"; hubId: string; trackingNumber: string | null }
  | { type: "START_INSPECTION_CLOCK"; hubId: string; deadlineAt: number }
  | { type: "STOP_INSPECTION_CLOCK"; onTime: boolean }
  | { type: "RESTOCK_AT"; hubId: string; productId: string; quantity: number }
  | { type: "MARK_PROCESSING_REQUIRED"; hubId: string; productId: string; quantity: number }
  | { type: "DISPOSE_IN_SHOPIFY"; hubId: string; productId: string; quantity: number }
  | { type: "RECORD_RESALE"; priceMinor: number; orderId: string | null };

/** `key` is stable per return line and effect type ("R1/L1/RESTOCK_AT"): execute each key at most once. */
export type ReturnEffect = ReturnEffectBody & { key: string };

export type TransitionResult = { ok: true; state: ReturnState; effects: ReturnEffect[] } | { ok: false; error: string };

/** Where each event may start from, and where it leads. */
const MOVES: Record<ReturnEventType, { from: ReturnStatus[]; to: ReturnStatus; verb: string; done: string }> = {
  APPROVE: { from: ["requested"], to: "approved", verb: "approve", done: "approved" },
  DECLINE: { from: ["requested"], to: "declined", verb: "decline", done: "declined" },
  KEEP: { from: ["requested"], to: "kept", verb: "let the customer keep", done: "kept" },
  SHIP: { from: ["approved"], to: "in_transit", verb: "ship", done: "shipped" },
  RECEIVE: { from: ["approved", "in_transit"], to: "received", verb: "receive", done: "received" },
  INSPECT: { from: ["received"], to: "inspected", verb: "inspect", done: "inspected" },
  RESTOCK: { from: ["inspected", "refurbishing"], to: "restocked", verb: "restock", done: "restocked" },
  REFURBISH: { from: ["inspected"], to: "refurbishing", verb: "refurbish", done: "refurbished" },
  DISPOSE: { from: ["inspected", "refurbishing"], to: "disposed", verb: "dispose of", done: "disposed of" },
  RESELL: { from: ["restocked"], to: "resold", verb: "record the resale of", done: "marked resold" },
};

/** Events that, from `inspected`, must follow the disposition the inspection decided. */
const DISPOSITION_OF: Partial<Record<ReturnEventType, Disposition>> = { RESTOCK: "RESTOCK", REFURBISH: "REFURBISH", DISPOSE: "DISPOSE" };

export function transition(state: ReturnState, event: ReturnEvent, now: number): TransitionResult {
  const name = `return ${state.returnId}/${state.lineId}`;
  const move = MOVES[event.type];
  const fail = (why: string): TransitionResult => ({ ok: false, error: `Cannot ${move.verb} ${name}: ${why}.` });
  if (!Number.isFinite(now)) return fail("the time of the event is not a valid instant");
  if (now < state.updatedAt) {
    return fail(`the event at ${new Date(now).toISOString()} is before its last change at ${new Date(state.updatedAt).toISOString()}`);
  }
  if (!move.from.includes(state.status)) {
    const is = `${state.status === move.to ? "already " : ""}${RETURN_STATUS_LABELS[state.status]}`;
    const needs = move.from.map((s) => RETURN_STATUS_LABELS[s]).join(" or ");
    return fail(`it is ${is}; only a return that is ${needs} can be ${move.done}`);
  }
  const required = DISPOSITION_OF[event.type];
  if (state.status === "inspected" && required && state.disposition !== required) {
    return fail(`the inspection decided ${state.disposition}`);
  }

  const next: ReturnState = { ...state, status: move.to, at: { ...state.at, [move.to]: now }, updatedAt: now };
  const effects: ReturnEffectBody[] = [];
  switch (event.type) {
    case "APPROVE":
      next.hubId = event.hubId;
      next.refundedMinor = event.refundedMinor;
      effects.push({ type: "APPROVE_IN_SHOPIFY", refundedMinor: event.refundedMinor });
      if (event.hubId) effects.push({ type: "SEND_RETURN_INSTRUCTIONS", hubId: event.hubId });
      break;
    case "KEEP":
      next.hubId = null;
      next.refundedMinor = event.refundedMinor;
      effects.push({ type: "APPROVE_IN_SHOPIFY", refundedMinor: event.refundedMinor });
      break;
    case "DECLINE":
      effects.push({ type: "DECLINE_IN_SHOPIFY", declineReason: event.declineReason, customerMessage: event.customerMessage });
      break;
    case "SHIP":
      next.reverseCostMinor = event.reverseCostMinor;
      if (state.hubId) effects.push({ type: "EXPECT_AT_HUB", hubId: state.hubId, trackingNumber: event.trackingNumber });
      break;
    case "RECEIVE":
      next.hubId = event.hubId;
      next.inspectionDeadlineAt = now + Math.round(event.inspectionHours * 60) * MINUTE_MS;
      effects.push({ type: "START_INSPECTION_CLOCK", hubId: event.hubId, deadlineAt: next.inspectionDeadlineAt });
      break;
    case "INSPECT": {
      const problem = inspectionProblem(event.grade, event.disposition);
      if (problem) return fail(problem);
      next.grade = event.grade;
      next.disposition = event.disposition;
      effects.push({ type: "STOP_INSPECTION_CLOCK", onTime: now <= (state.inspectionDeadlineAt ?? Infinity) });
      break;
    }
    case "RESTOCK":
    case "REFURBISH":
    case "DISPOSE": {
      const hubId = (event.type === "RESTOCK" ? event.hubId : null) ?? state.hubId;
      if (!hubId) return fail("no hub is known to hold it");
      next.hubId = hubId;
      const item = { hubId, productId: state.productId, quantity: state.quantity };
      const type = event.type === "RESTOCK" ? "RESTOCK_AT" : event.type === "REFURBISH" ? "MARK_PROCESSING_REQUIRED" : "DISPOSE_IN_SHOPIFY";
      effects.push({ type, ...item });
      break;
    }
    case "RESELL":
      next.recoveredMinor = event.priceMinor;
      effects.push({ type: "RECORD_RESALE", priceMinor: event.priceMinor, orderId: event.orderId });
      break;
  }
  return { ok: true, state: next, effects: effects.map((e) => ({ ...e, key: `${state.returnId}/${state.lineId}/${e.type}` })) };
}
