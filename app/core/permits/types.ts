// A permit or licence as the core sees it: plain values, dates as ISO calendar dates in the local
// time of what it is attached to. Services load these from the Permit table; the open API and the
// admin form parse input with permitInputSchema, whose messages name the field.
import { z } from "zod";
import { JURISDICTION_CODES, PERMIT_GATES, PERMIT_KIND_CODES, PERMIT_SUBJECTS, RECURRENCES, type PermitGate, type PermitSubjectType, type Recurrence } from "./kinds";

/** "YYYY-MM-DD", a real calendar date. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "is not a calendar date");

export const DEFAULT_REMINDER_OFFSETS = [60, 30, 7, 1] as const;

const nullableText = (max: number) => z.string().trim().max(max).nullable().default(null).transform((s) => (s === "" ? null : s));

/** What a merchant (or the API) sends to create a permit; a renewal sends new dates. */
export const permitInputSchema = z
  .object({
    subjectType: z.enum(PERMIT_SUBJECTS),
    subjectId: z.string().min(1, "names no node, corridor or seller"),
    kind: z.enum(PERMIT_KIND_CODES, { error: `must be one of ${PERMIT_KIND_CODES.join(", ")}` }),
    /** The kind's name for a CUSTOM permit (else the registry's label is used). */
    title: nullableText(120),
    jurisdiction: z.enum(JURISDICTION_CODES, { error: `must be one of ${JURISDICTION_CODES.join(", ")}` }),
    number: nullableText(80),
    issuer: nullableText(120),
    issuedOn: isoDateSchema,
    /** null: valid until the issuer gives notice (e.g. New York's Certificate of Authority). */
    expiresOn: isoDateSchema.nullable(),
    recurrence: z.enum(RECURRENCES),
    graceDays: z.number().int().min(0).max(365).default(0),
    leadDays: z.number().int().min(0).max(730).default(60),
    feeMinor: z.number().int().nonnegative().nullable().default(null),
    owner: nullableText(120),
    /** Where reminders go besides the shop's contact address. */
    ownerEmail: z.email("must be an email address").nullable().default(null),
    gates: z.array(z.enum(PERMIT_GATES)).max(PERMIT_GATES.length).default([]).transform((g) => [...new Set(g)]),
    suspended: z.boolean().default(false),
    suspendedReason: nullableText(200),
    reminderOffsetsDays: z
      .array(z.number().int().min(0).max(365))
      .max(8)
      .default([...DEFAULT_REMINDER_OFFSETS])
      .transform((o) => [...new Set(o)].sort((a, b) => b - a)),
    notes: nullableText(2000),
  })
  .superRefine((p, ctx) => {
    if (p.expiresOn !== null && p.expiresOn < p.issuedOn) {
      ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "must not be before issuedOn" });
    }
    if (p.expiresOn === null && p.recurrence !== "ON_NOTICE") {
      ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "is required unless the permit is renewed on notice" });
    }
  });
export type PermitInput = z.input<typeof permitInputSchema>;
export type PermitFields = z.output<typeof permitInputSchema>;

/** A stored permit. */
export interface Permit extends PermitFields {
  id: string;
  /** Moves on every save: a renewal from an older page is refused. */
  version: number;
}

export interface PermitSubjectRef {
  type: PermitSubjectType;
  id: string;
}

export type { PermitGate, Recurrence };
