// The one availability gate: whether a node may serve a purpose (ship an order, make to order,
// offer pickup, receive a return, take part in a campaign) and, when it may not, why. Quoting,
// routing, return destinations, density, the courier prefetch and the location rule all ask here,
// so they agree on every node and give the same reasons (core/network/reasons.ts).
//
// The gates are a {code, args} registry (./gates); a network is prepared once (prepareAvailability:
// one GateSubject per node, the gates compiled per purpose), then every question is a loop over a
// few gates that allocates nothing and builds no sentence when the node passes (isAvailable).
//
//   const av = prepareAvailability(snapshot, { returnHubIds });
//   nodeAvailability(av.subjects[i], "SHIP", { demand: { lines, onHand }, ordersLeft }) → { available, reasons }
import { NODE_KIND_LABELS, type NetworkNode, type NetworkSnapshot } from "./types";
import type { Reason } from "./reasons";
import { gateRegistry } from "./gates";
import { PURPOSES, type Gate, type GateCode, type GateContext, type GateRun, type GateSubject, type Purpose } from "./gates/types";

export { PURPOSES, PURPOSE_WORDS, type DayFacts, type Gate, type GateCode, type GateContext, type GateSubject, type Purpose } from "./gates/types";
export { gateRegistry } from "./gates";
export { LISTED_SHORTFALLS } from "./gates/stock";

/** The gates of every purpose, in registry order, compiled once. */
export type CompiledGates = Record<Purpose, readonly Gate[]>;

function compileGates(): CompiledGates {
  const all = [...gateRegistry.strategies.keys()].map((code, i) => gateRegistry.compile({ code }, `gates[${i}]`).run);
  return Object.fromEntries(PURPOSES.map((p) => [p, all.filter((g) => g.purposes.includes(p))])) as unknown as CompiledGates;
}

export const GATES: CompiledGates = compileGates();

export interface NetworkAvailability {
  /** One per snapshot node, in the same order. */
  subjects: GateSubject[];
  byNodeId: Map<string, GateSubject>;
  gates: CompiledGates;
}

export interface AvailabilityOptions {
  /** The shop's return hubs (costing config returns.hubNodeIds); null: its micro-hubs and central warehouses. */
  returnHubIds?: readonly string[] | null;
}

const DEFAULT_RETURN_KINDS: readonly NetworkNode["kind"][] = ["MICRO_HUB", "CENTRAL_WAREHOUSE"];

/** A node as the gates read it, with today's figures from the snapshot. */
export function gateSubject(node: NetworkNode, snapshot: Pick<NetworkSnapshot, "today" | "permits"> = {}, opts: AvailabilityOptions = {}): GateSubject {
  const listed = opts.returnHubIds ?? null;
  const day = snapshot.today?.byNode[node.id];
  const ordersToday = Math.max(0, day?.orders ?? 0);
  return {
    node,
    kindWords: NODE_KIND_LABELS[node.kind].toLowerCase(),
    makesToOrder: node.kind === "MICRO_FACTORY",
    returnHub: listed ? listed.includes(node.id) : DEFAULT_RETURN_KINDS.includes(node.kind),
    returnHubsListed: listed !== null,
    ordersToday,
    madeToday: Math.max(0, day?.madeUnits ?? 0),
    ordersLeft: Math.max(0, node.dailyCapacity - ordersToday),
    permitHolds: snapshot.permits?.nodes[node.id]?.purposes ?? null,
  };
}

export function prepareAvailability(snapshot: Pick<NetworkSnapshot, "nodes" | "today" | "permits">, opts: AvailabilityOptions = {}): NetworkAvailability {
  const subjects = snapshot.nodes.map((n) => gateSubject(n, snapshot, opts));
  return { subjects, byNodeId: new Map(subjects.map((s) => [s.node.id, s])), gates: GATES };
}

/** What a node is asked when it takes an order: a micro-factory makes to order, every other node ships from its shelf. */
export function orderPurpose(node: Pick<NetworkNode, "kind">): "SHIP" | "MAKE" {
  return node.kind === "MICRO_FACTORY" ? "MAKE" : "SHIP";
}

export interface Availability {
  available: boolean;
  /** Why not, from the first gate the node fails (built only for a node that fails); empty when available. */
  reasons: Reason<GateCode>[];
}

export interface CheckedAvailability extends Availability {
  /** Bit i set: line i of ctx.demand can be supplied here (the first 30 lines). */
  supplied: number;
}

const NO_REASONS: readonly Reason<GateCode>[] = Object.freeze([]);
const scratch: GateRun = { reasons: null, supplied: 0 };

function allLines(ctx: GateContext): number {
  const n = ctx.demand ? Math.min(30, ctx.demand.lines.length) : 0;
  return n === 30 ? 0x3fffffff : (1 << n) - 1;
}

/** The fast path: whether the node passes every gate of the purpose, with no reason built and nothing allocated. */
export function isAvailable(subject: GateSubject, purpose: Purpose, ctx: GateContext = {}, gates: CompiledGates = GATES): boolean {
  scratch.reasons = null;
  scratch.supplied = allLines(ctx);
  for (const gate of gates[purpose]) if (!gate.run(subject, purpose, ctx, scratch)) return false;
  return true;
}

/**
 * Whether the node may serve the purpose, why not (the first failing gate's reasons), and which
 * of the asked lines it can supply. Allocates only for a node that fails.
 */
export function checkAvailability(subject: GateSubject, purpose: Purpose, ctx: GateContext, gates: CompiledGates = GATES): CheckedAvailability {
  const run: GateRun = { reasons: null, supplied: allLines(ctx) };
  for (const gate of gates[purpose]) {
    const before = run.supplied;
    if (gate.run(subject, purpose, ctx, run)) continue;
    const reasons: Reason<GateCode>[] = [];
    run.reasons = reasons;
    run.supplied = before;
    gate.run(subject, purpose, ctx, run);
    // A node ruled out before its stock is looked at supplies nothing.
    return { available: false, reasons, supplied: run.supplied !== before ? run.supplied : 0 };
  }
  return { available: true, reasons: NO_REASONS as Reason<GateCode>[], supplied: run.supplied };
}

/** nodeAvailability(node, purpose, ctx) → { available, reasons }: the question every path asks. */
export function nodeAvailability(subject: GateSubject, purpose: Purpose, ctx: GateContext = {}, gates: CompiledGates = GATES): Availability {
  const r = checkAvailability(subject, purpose, ctx, gates);
  return { available: r.available, reasons: r.reasons };
}

/**
 * Every reason the node may not serve the purpose, from every gate it fails (not only the first):
 * for a caller that shows the whole picture (the open API's node availability). Whether it is
 * available is the same answer nodeAvailability gives.
 */
export function everyReason(subject: GateSubject, purpose: Purpose, ctx: GateContext = {}, gates: CompiledGates = GATES): Reason<GateCode>[] {
  const reasons: Reason<GateCode>[] = [];
  for (const gate of gates[purpose]) gate.run(subject, purpose, ctx, { reasons, supplied: allLines(ctx) });
  return reasons;
}
