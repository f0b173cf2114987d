// The registries of permits: what kinds a shop can hold, what a permit may gate, how it recurs, and
// the jurisdictions Nearhub has templates for. Data, not branches: a new kind is one entry here.
import type { Purpose } from "../network/gates/types";

/** What a lapsed permit takes away: the whole node, or one activity of it. */
export const PERMIT_GATES = ["OPERATE", "COURIER_DISPATCH", "ROBOT_DELIVERY", "RECEIVE_RETURNS", "RESELL_RETURNS"] as const;
export type PermitGate = (typeof PERMIT_GATES)[number];

export const PERMIT_GATE_WORDS: Record<PermitGate, { title: string; loses: string }> = {
  OPERATE: { title: "Operating at all", loses: "it is out of service" },
  COURIER_DISPATCH: { title: "Same-day courier dispatch", loses: "it dispatches no courier deliveries" },
  ROBOT_DELIVERY: { title: "Robot delivery on a corridor", loses: "its autonomous corridor is closed" },
  RECEIVE_RETURNS: { title: "Receiving returns", loses: "it receives no returns" },
  RESELL_RETURNS: { title: "Reselling returns", loses: "it receives no returns for resale" },
};

/** The availability-gate purposes a lapsed permit's gate removes from a node (courier dispatch and robot delivery are services, not purposes). */
export const GATE_PURPOSES: Record<PermitGate, readonly Purpose[]> = {
  OPERATE: ["SHIP", "MAKE", "PICKUP", "RETURN", "CAMPAIGN"],
  COURIER_DISPATCH: [],
  ROBOT_DELIVERY: [],
  RECEIVE_RETURNS: ["RETURN"],
  // Every return a hub receives is inspected for resale (core/returns): without the licence it takes none.
  RESELL_RETURNS: ["RETURN"],
};

export const RECURRENCES = ["FIXED_TERM", "ANNUAL_INSPECTION", "ON_NOTICE", "PER_DEVICE"] as const;
export type Recurrence = (typeof RECURRENCES)[number];

export const RECURRENCE_WORDS: Record<Recurrence, string> = {
  FIXED_TERM: "Fixed term",
  ANNUAL_INSPECTION: "Annual inspection",
  ON_NOTICE: "Renewed on notice",
  PER_DEVICE: "Per device or phase",
};

export const PERMIT_SUBJECTS = ["NODE", "CORRIDOR", "SELLER"] as const;
export type PermitSubjectType = (typeof PERMIT_SUBJECTS)[number];

export interface PermitKind {
  code: string;
  label: string;
  /** What it gates unless the merchant says otherwise. */
  gates: readonly PermitGate[];
  recurrence: Recurrence;
  /** Months between renewals for a fixed term or inspection; null: on notice. */
  termMonths: number | null;
}

const kind = (code: string, label: string, gates: PermitGate[], recurrence: Recurrence, termMonths: number | null): PermitKind => ({
  code,
  label,
  gates,
  recurrence,
  termMonths,
});

export const PERMIT_KINDS: readonly PermitKind[] = [
  kind("CERTIFICATE_OF_OCCUPANCY", "Certificate of occupancy", ["OPERATE"], "ON_NOTICE", null),
  kind("FIRE_INSPECTION", "Fire inspection", ["OPERATE"], "ANNUAL_INSPECTION", 12),
  kind("SALES_TAX_REGISTRATION", "Sales-tax registration", ["OPERATE"], "ON_NOTICE", null),
  kind("SECONDHAND_DEALER", "Secondhand dealer licence", ["RESELL_RETURNS"], "FIXED_TERM", 24),
  kind("E_WASTE", "E-waste registration", ["RECEIVE_RETURNS"], "FIXED_TERM", 12),
  kind("ROBOT_OPERATION", "Robot operation authorization", ["ROBOT_DELIVERY"], "PER_DEVICE", 12),
  kind("BUSINESS_LICENCE", "Business licence", ["OPERATE"], "FIXED_TERM", 12),
  kind("COURIER_FLEET", "Courier fleet permit", ["COURIER_DISPATCH"], "FIXED_TERM", 12),
  kind("CUSTOM", "Other permit", [], "FIXED_TERM", 12),
];

export const PERMIT_KIND_CODES = PERMIT_KINDS.map((k) => k.code) as [string, ...string[]];
const KINDS_BY_CODE = new Map(PERMIT_KINDS.map((k) => [k.code, k]));

export function permitKind(code: string): PermitKind | undefined {
  return KINDS_BY_CODE.get(code);
}

/** The kind's label, "Other permit" for a code this build does not know. */
export function permitKindLabel(code: string): string {
  return KINDS_BY_CODE.get(code)?.label ?? "Other permit";
}

export interface Jurisdiction {
  code: string;
  name: string;
}

/** Jurisdictions as "US", "US-TX", "US-TX-AUSTIN": country, state, city. Templates exist for the named ones; OTHER is anywhere else. */
export const JURISDICTIONS: readonly Jurisdiction[] = [
  { code: "US-NY-NYC", name: "New York City, NY" },
  { code: "US-NY", name: "New York State" },
  { code: "US-TX-AUSTIN", name: "Austin, TX" },
  { code: "US-TX", name: "Texas" },
  { code: "US-PA", name: "Pennsylvania" },
  { code: "US-PA-PHILADELPHIA", name: "Philadelphia, PA" },
  { code: "US-NJ", name: "New Jersey" },
  { code: "US-CA", name: "California" },
  { code: "US", name: "United States (federal)" },
  { code: "OTHER", name: "Elsewhere" },
];
export const JURISDICTION_CODES = JURISDICTIONS.map((j) => j.code) as [string, ...string[]];
const JURISDICTIONS_BY_CODE = new Map(JURISDICTIONS.map((j) => [j.code, j]));

export function jurisdictionName(code: string): string {
  return JURISDICTIONS_BY_CODE.get(code)?.name ?? code;
}
