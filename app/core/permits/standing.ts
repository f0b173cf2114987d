// What a shop's permits take away right now: per node, the availability-gate purposes it may not
// serve and why; per node, whether it may dispatch couriers; per corridor, whether robots may run.
// Computed once per network snapshot at an instant, with the next instant any of it changes by
// itself (validUntil): the snapshot is rebuilt then, so quotes, routing and returns read one
// consistent view and a lapse takes effect at its moment, not at the next cache reload.
import { reason, type Reason } from "../network/reasons";
import type { PermitHolds } from "../network/types";
import { GATE_PURPOSES, PERMIT_GATE_WORDS, permitKindLabel, type PermitGate } from "./kinds";
import { formatPermitDate, GATING_STATUSES, permitState, type PermitState } from "./status";
import type { Permit } from "./types";

export type PermitReasonCode = "PERMIT_LAPSED" | "PERMIT_SUSPENDED";
export type PermitReason = Reason<PermitReasonCode>;

export interface PermitSubjects {
  nodes: readonly { id: string; name: string; timezone: string; sellerId: string | null }[];
  corridors: readonly { id: string; name: string; nodeId: string }[];
  sellers: readonly { id: string; name: string }[];
  /** For permits of a seller, and of anything whose node is unknown. */
  shopTimezone: string;
}

/** What the permits take away at an instant: the snapshot's `permits` (core/network/types PermitHolds). */
export type PermitStanding = PermitHolds;
export type NodeStanding = PermitHolds["nodes"][string];

export const NO_STANDING: PermitStanding = Object.freeze({ at: 0, validUntil: null, nodes: {}, corridors: {} }) as PermitStanding;

export interface ResolvedSubject {
  name: string;
  timezone: string;
  /** Nodes the permit acts on: the node, the corridor's node, or the seller's studios. */
  nodeIds: string[];
  /** Corridors the permit acts on (a node's permit acts on its corridors). */
  corridorIds: string[];
}

export function resolveSubject(p: Pick<Permit, "subjectType" | "subjectId">, s: PermitSubjects): ResolvedSubject | null {
  if (p.subjectType === "NODE") {
    const n = s.nodes.find((x) => x.id === p.subjectId);
    if (!n) return null;
    return { name: n.name, timezone: n.timezone, nodeIds: [n.id], corridorIds: s.corridors.filter((c) => c.nodeId === n.id).map((c) => c.id) };
  }
  if (p.subjectType === "CORRIDOR") {
    const c = s.corridors.find((x) => x.id === p.subjectId);
    if (!c) return null;
    const n = s.nodes.find((x) => x.id === c.nodeId);
    return { name: c.name, timezone: n?.timezone ?? s.shopTimezone, nodeIds: [], corridorIds: [c.id] };
  }
  const seller = s.sellers.find((x) => x.id === p.subjectId);
  if (!seller) return null;
  const studios = s.nodes.filter((n) => n.sellerId === seller.id);
  return { name: seller.name, timezone: studios[0]?.timezone ?? s.shopTimezone, nodeIds: studios.map((n) => n.id), corridorIds: [] };
}

/** The permit's name in a sentence: its own title ("Certificate of Authority"), else its kind's ("fire inspection"). */
export function permitWords(p: Pick<Permit, "kind" | "title">): string {
  if (p.title) return p.title;
  const label = permitKindLabel(p.kind);
  return label.charAt(0).toLowerCase() + label.slice(1);
}

function permitReason(p: Permit, state: PermitState, subject: string, gate: PermitGate, now: number): PermitReason {
  const loses = gate === "OPERATE" ? null : PERMIT_GATE_WORDS[gate].loses;
  if (state.status === "SUSPENDED") return reason("PERMIT_SUSPENDED", { permit: permitWords(p), subject, why: p.suspendedReason, loses });
  return reason("PERMIT_LAPSED", { permit: permitWords(p), subject, date: formatPermitDate(state.lapseDate!, now), loses });
}

/** What the permits take away at `now`. A permit whose subject is gone takes nothing. */
export function permitStanding(permits: readonly Permit[], subjects: PermitSubjects, now: number): PermitStanding {
  const standing: PermitStanding = { at: now, validUntil: null, nodes: {}, corridors: {} };
  const nodeStanding = (id: string): NodeStanding => (standing.nodes[id] ??= { purposes: {}, courier: null });
  for (const p of permits) {
    const subject = resolveSubject(p, subjects);
    if (!subject) continue;
    const state = permitState(p, subject.timezone, now);
    if (state.changesAt !== null && (standing.validUntil === null || state.changesAt < standing.validUntil)) standing.validUntil = state.changesAt;
    if (!GATING_STATUSES.has(state.status)) continue;
    for (const gate of p.gates) {
      const why = permitReason(p, state, subject.name, gate, now);
      for (const nodeId of subject.nodeIds) {
        const ns = nodeStanding(nodeId);
        for (const purpose of GATE_PURPOSES[gate]) ns.purposes[purpose] ??= why;
        if (gate === "COURIER_DISPATCH") ns.courier ??= why;
      }
      if (gate === "ROBOT_DELIVERY" || gate === "OPERATE") {
        const happened = state.status === "SUSPENDED" ? "is suspended" : `lapsed on ${formatPermitDate(state.lapseDate!, now)}`;
        for (const corridorId of subject.corridorIds) standing.corridors[corridorId] ??= `${permitWords(p)} ${happened}`;
      }
    }
  }
  return standing;
}
