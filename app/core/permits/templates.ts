// Jurisdiction templates: the permits a hub, a micro-factory, a returns hub and a robot corridor
// typically need in New York City, Austin/Texas and Pennsylvania, with how each recurs, its lead
// time and a renewal checklist. Adding a node (or corridor) in such a place proposes them; the
// merchant accepts, edits or dismisses each. `source` says where a fact was read; facts without one
// are Nearhub's defaults, marked `sourced: false`, to be checked with the issuer.
//
// Sources are listed in ../shared/reference/ads-permits-pilot.md (checked December 2026).
import type { NodeKind } from "../network/types";
import type { PermitGate, Recurrence } from "./kinds";

export type TemplateRole = "HUB" | "MICRO_FACTORY" | "RETURNS_HUB" | "ROBOT_CORRIDOR";

export interface TemplateSource {
  sourced: boolean;
  where: string;
}

export interface PermitTemplate {
  /** Stable: a dismissed proposal is remembered by it. */
  id: string;
  jurisdiction: string;
  roles: readonly TemplateRole[];
  kind: string;
  title: string | null;
  issuer: string;
  recurrence: Recurrence;
  /** Months from issue to expiry for a new permit; null: renewed on notice (no expiry date). */
  termMonths: number | null;
  leadDays: number;
  graceDays: number;
  feeMinor: number | null;
  gates: readonly PermitGate[];
  checklist: readonly string[];
  source: TemplateSource;
}

const t = (x: PermitTemplate) => x;
const NYC = "US-NY-NYC";
const NY = "US-NY";
const AUSTIN = "US-TX-AUSTIN";
const TX = "US-TX";
const PA = "US-PA";

export const PERMIT_TEMPLATES: readonly PermitTemplate[] = [
  // ---- New York City and State
  t({
    id: "nyc-co", jurisdiction: NYC, roles: ["HUB", "MICRO_FACTORY", "RETURNS_HUB"], kind: "CERTIFICATE_OF_OCCUPANCY", title: null,
    issuer: "NYC Department of Buildings", recurrence: "ON_NOTICE", termMonths: null, leadDays: 30, graceDays: 0, feeMinor: null, gates: ["OPERATE"],
    checklist: ["Confirm the certificate's use group covers storage and distribution", "Keep a copy on site"],
    source: { sourced: true, where: "A certificate of occupancy per hub (ads-permits-pilot.md, Permits)" },
  }),
  t({
    id: "nyc-fire", jurisdiction: NYC, roles: ["HUB", "MICRO_FACTORY", "RETURNS_HUB"], kind: "FIRE_INSPECTION", title: null,
    issuer: "FDNY Bureau of Fire Prevention", recurrence: "ANNUAL_INSPECTION", termMonths: 12, leadDays: 60, graceDays: 0, feeMinor: null, gates: ["OPERATE"],
    checklist: ["Book the inspection", "Check extinguishers, exits and battery storage", "Upload the inspection certificate"],
    source: { sourced: false, where: "Annual fire inspection or operational permit per hub (reference); FDNY fees not checked" },
  }),
  t({
    id: "ny-cert-authority", jurisdiction: NY, roles: ["HUB", "MICRO_FACTORY", "RETURNS_HUB"], kind: "SALES_TAX_REGISTRATION", title: "Certificate of Authority",
    issuer: "New York State Department of Taxation and Finance", recurrence: "ON_NOTICE", termMonths: null, leadDays: 30, graceDays: 0, feeMinor: 0, gates: ["OPERATE"],
    checklist: ["Register at least 20 days before selling from the place", "Renew when the Department gives notice (at most every 3 years)", "Display the certificate"],
    source: { sourced: true, where: "NY Certificate of Authority: register 20 days before selling, renewal on notice at most every 3 years" },
  }),
  t({
    id: "nyc-secondhand", jurisdiction: NYC, roles: ["RETURNS_HUB"], kind: "SECONDHAND_DEALER", title: "Secondhand Dealer – General",
    issuer: "NYC Department of Consumer and Worker Protection", recurrence: "FIXED_TERM", termMonths: 24, leadDays: 60, graceDays: 0, feeMinor: null, gates: ["RESELL_RETURNS"],
    checklist: ["Renew the 1,000 USD bond", "Fingerprinting for new principals", "Renew with DCWP before the term ends"],
    source: { sourced: true, where: "DCWP Secondhand Dealer – General: 2-year term, 1,000 USD bond, fingerprinting" },
  }),
  t({
    id: "ny-ewaste", jurisdiction: NY, roles: ["RETURNS_HUB"], kind: "E_WASTE", title: null,
    issuer: "NYS Department of Environmental Conservation", recurrence: "FIXED_TERM", termMonths: 12, leadDays: 30, graceDays: 0, feeMinor: null, gates: ["RECEIVE_RETURNS"],
    checklist: ["Post return information for electronic waste", "Sell only registered brands", "Keep records of electronics taken back"],
    source: { sourced: false, where: "Retailer duties under ECL 27-26 are sourced; an annual cycle is Nearhub's default" },
  }),
  t({
    id: "nyc-courier-battery", jurisdiction: NYC, roles: ["HUB"], kind: "COURIER_FLEET", title: "Delivery-worker and lithium-ion battery compliance",
    issuer: "NYC Department of Consumer and Worker Protection / FDNY", recurrence: "FIXED_TERM", termMonths: 12, leadDays: 30, graceDays: 0, feeMinor: null, gates: ["COURIER_DISPATCH"],
    checklist: ["UL-certified batteries for every e-bike", "Charging-cabinet permit if charging on the sidewalk", "Delivery-worker rules posted"],
    source: { sourced: true, where: "NYC delivery-worker rules (2025), UL-certified lithium-ion batteries; annual review is Nearhub's default" },
  }),
  // ---- Austin and Texas
  t({
    id: "austin-co", jurisdiction: AUSTIN, roles: ["HUB", "MICRO_FACTORY", "RETURNS_HUB"], kind: "CERTIFICATE_OF_OCCUPANCY", title: null,
    issuer: "City of Austin Development Services", recurrence: "ON_NOTICE", termMonths: null, leadDays: 30, graceDays: 0, feeMinor: null, gates: ["OPERATE"],
    checklist: ["Confirm the certificate covers warehouse use", "Keep a copy on site"],
    source: { sourced: true, where: "A certificate of occupancy per hub" },
  }),
  t({
    id: "austin-fire", jurisdiction: AUSTIN, roles: ["HUB", "MICRO_FACTORY", "RETURNS_HUB"], kind: "FIRE_INSPECTION", title: "Fire operational permit",
    issuer: "Austin Fire Department", recurrence: "ANNUAL_INSPECTION", termMonths: 12, leadDays: 60, graceDays: 0, feeMinor: 10000, gates: ["OPERATE"],
    checklist: ["Maintenance inspection within the prior 12 months", "Pay the 100 USD permit fee", "Upload the permit"],
    source: { sourced: true, where: "Austin Fire Department: 100 USD, inspection within the prior 12 months" },
  }),
  t({
    id: "tx-sales-tax", jurisdiction: TX, roles: ["HUB", "MICRO_FACTORY", "RETURNS_HUB"], kind: "SALES_TAX_REGISTRATION", title: "Texas sales and use tax permit",
    issuer: "Texas Comptroller of Public Accounts", recurrence: "ON_NOTICE", termMonths: null, leadDays: 30, graceDays: 0, feeMinor: 0, gates: ["OPERATE"],
    checklist: ["One permit per place of business that takes orders", "Display the permit at the location"],
    source: { sourced: true, where: "Texas: one permit per location, no fee; a warehouse counts only if it takes orders" },
  }),
  t({
    id: "tx-robots", jurisdiction: TX, roles: ["ROBOT_CORRIDOR"], kind: "ROBOT_OPERATION", title: "Personal delivery device operator insurance",
    issuer: "Operator's insurer (Texas needs no state permit)", recurrence: "FIXED_TERM", termMonths: 12, leadDays: 30, graceDays: 0, feeMinor: null, gates: ["ROBOT_DELIVERY"],
    checklist: ["A business-entity operator with remote supervision", "Renew the liability insurance"],
    source: { sourced: true, where: "Texas: business-entity operator, remote supervision and insurance, no state permit" },
  }),
  // ---- Pennsylvania
  t({
    id: "pa-pdd", jurisdiction: PA, roles: ["ROBOT_CORRIDOR"], kind: "ROBOT_OPERATION", title: "PennDOT personal delivery device authorization",
    issuer: "Pennsylvania Department of Transportation", recurrence: "PER_DEVICE", termMonths: 12, leadDays: 60, graceDays: 0, feeMinor: null, gates: ["ROBOT_DELIVERY"],
    checklist: ["Each device ≤ 550 lb and ≤ 32 × 42 × 72 in", "Markings on every device", "Apply for the next year's authorization"],
    source: { sourced: true, where: "PennDOT PDD authorization; a year at a time per secondary sources" },
  }),
  t({
    id: "pa-sales-tax", jurisdiction: PA, roles: ["HUB", "MICRO_FACTORY", "RETURNS_HUB"], kind: "SALES_TAX_REGISTRATION", title: "Pennsylvania sales tax licence",
    issuer: "Pennsylvania Department of Revenue", recurrence: "FIXED_TERM", termMonths: 60, leadDays: 60, graceDays: 0, feeMinor: null, gates: ["OPERATE"],
    checklist: ["Renew through myPATH before the licence ends"],
    source: { sourced: false, where: "Not in the reference; a 5-year licence is Nearhub's default" },
  }),
  t({
    id: "pa-fire", jurisdiction: PA, roles: ["HUB", "MICRO_FACTORY", "RETURNS_HUB"], kind: "FIRE_INSPECTION", title: null,
    issuer: "Local fire marshal", recurrence: "ANNUAL_INSPECTION", termMonths: 12, leadDays: 60, graceDays: 0, feeMinor: null, gates: ["OPERATE"],
    checklist: ["Book the inspection", "Upload the inspection certificate"],
    source: { sourced: false, where: "Annual fire inspection per hub (reference, not Pennsylvania-specific)" },
  }),
];

const NYC_CITIES = new Set(["new york", "brooklyn", "queens", "bronx", "the bronx", "staten island", "manhattan", "long island city", "astoria", "williamsburg"]);

/** The template jurisdictions a place falls in, most local first ("US-NY-NYC", "US-NY"). */
export function jurisdictionsOf(place: { country: string; province: string | null; city: string | null }): string[] {
  if (place.country !== "US") return [];
  const state = (place.province ?? "").trim().toUpperCase();
  const city = (place.city ?? "").trim().toLowerCase();
  const out: string[] = [];
  if (state === "NY" && NYC_CITIES.has(city)) out.push(NYC);
  if (state === "TX" && city === "austin") out.push(AUSTIN);
  if (state) out.push(`US-${state}`);
  return out;
}

/** What a node does, for templates. */
export function rolesOf(node: { kind: NodeKind; acceptsReturns: boolean }, hasCorridor: boolean): TemplateRole[] {
  const roles: TemplateRole[] = [];
  if (node.kind === "MICRO_FACTORY") roles.push("MICRO_FACTORY");
  else if (node.kind === "MICRO_HUB" || node.kind === "CENTRAL_WAREHOUSE" || node.kind === "STORE") roles.push("HUB");
  if (node.acceptsReturns && node.kind !== "SELLER_STUDIO") roles.push("RETURNS_HUB");
  if (hasCorridor) roles.push("ROBOT_CORRIDOR");
  return roles;
}

/** The templates proposed for a place and its roles, minus those already held or dismissed (by template id). */
export function proposeTemplates(jurisdictions: readonly string[], roles: readonly TemplateRole[], skip: ReadonlySet<string> = new Set()): PermitTemplate[] {
  return PERMIT_TEMPLATES.filter((tpl) => jurisdictions.includes(tpl.jurisdiction) && tpl.roles.some((r) => roles.includes(r)) && !skip.has(tpl.id));
}

/** The expiry date of a permit issued on `issuedOn` under the template (null: on notice). */
export function templateExpiry(tpl: Pick<PermitTemplate, "termMonths">, issuedOn: string): string | null {
  if (tpl.termMonths === null) return null;
  const [y, m, d] = issuedOn.split("-").map(Number);
  const end = new Date(Date.UTC(y, m - 1 + tpl.termMonths, d) - 86_400_000);
  return end.toISOString().slice(0, 10);
}
