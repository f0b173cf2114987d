// A network prepared for costing: config parsed and strategies compiled once, per-node lookups
// built, so pricing an order allocates only its own result.
import { isAvailable, prepareAvailability, type GateSubject, type NetworkAvailability } from "../network/availability";
import type { NetworkNode, NetworkSnapshot } from "../network/types";
import type { Reason } from "../network/reasons";
import { clockFor, type ZoneClock } from "../geo/localTime";
import { prepareServiceArea, type PreparedServiceArea } from "../geo/serviceArea";
import { compileRateCard, type CompiledRateCard } from "./carrier";
import { costingConfigSchema, nodeOpsSchema, type CostingConfig, type CostingConfigInput, type NodeOps } from "./config";
import { compileCorridor, type CompiledCorridor } from "./corridor";
import type { CompiledCourier } from "./courier";
import { prepareRounds, type PreparedRounds } from "./rounds";
import type { LeadTime } from "./types";
import { surgeRegistry } from "./surge";

export interface PreparedNode {
  node: NetworkNode;
  /** The node as core/network/availability's gates read it (status, return hub, today's orders). */
  gate: GateSubject;
  ops: NodeOps;
  clock: ZoneClock;
  area: PreparedServiceArea | null;
  couriers: CompiledCourier[];
  rateCards: CompiledRateCard[];
  corridors: CompiledCorridor[];
  /** Orders taken today ÷ daily capacity (1 when the capacity is 0). */
  loadRatio: number;
  /** The lead time when nothing is made to order (preparation only), one shared object per node. */
  readyLead: LeadTime;
  /** A lapsed or suspended permit stops courier dispatch from the node (same-day and next-day): why; else null. */
  courierHold: Reason<"PERMIT_LAPSED" | "PERMIT_SUSPENDED"> | null;
  /** The hub's own delivery rounds (rounds.ts), priced beside its on-demand couriers; null: none. */
  rounds: PreparedRounds | null;
}

export interface CostingNetwork {
  snapshot: NetworkSnapshot;
  config: CostingConfig;
  currency: string;
  nodes: PreparedNode[];
  byId: Map<string, PreparedNode>;
  /** The availability gates, prepared for this network. */
  availability: NetworkAvailability;
  /** Nodes that may receive a return (the RETURN gate): expected return legs are priced to these. */
  returnHubs: PreparedNode[];
  /** Config that was ignored, and why (shown in admin). */
  warnings: string[];
}

/** Parses the config (throws a ZodError or RuleConfigError naming the field) and indexes the network. */
export function prepareCosting(snapshot: NetworkSnapshot, configInput: CostingConfigInput): CostingNetwork {
  const config = costingConfigSchema.parse(configInput);
  const warnings: string[] = [];
  const nodeIds = new Set(snapshot.nodes.map((n) => n.id));

  const rateCards: CompiledRateCard[] = [];
  config.rateCards.forEach((card, i) => {
    if (card.currency !== snapshot.currency) {
      warnings.push(`rate card ${card.id} is in ${card.currency}, the shop sells in ${snapshot.currency}: ignored`);
      return;
    }
    rateCards.push(compileRateCard(card, `rateCards[${i}]`));
  });
  const couriers: CompiledCourier[] = config.couriers.map((c, i) => ({
    config: c,
    surge: c.surge.map((ref, j) => surgeRegistry.compile(ref, `couriers[${i}].surge[${j}]`)),
  }));
  const corridors = config.corridors.flatMap((c) => {
    if (nodeIds.has(c.nodeId)) return [compileCorridor(c, snapshot.permits?.corridors[c.id] ?? null)];
    warnings.push(`corridor ${c.id} names unknown node ${c.nodeId}: ignored`);
    return [];
  });
  const roundsByNode = new Map<string, (typeof config.rounds)[number]>();
  for (const r of config.rounds) {
    if (!nodeIds.has(r.nodeId)) warnings.push(`rounds ${r.id} name unknown node ${r.nodeId}: ignored`);
    else if (roundsByNode.has(r.nodeId)) warnings.push(`rounds ${r.id}: node ${r.nodeId} already has rounds (${roundsByNode.get(r.nodeId)!.id}): ignored`);
    else roundsByNode.set(r.nodeId, r);
  }
  for (const id of Object.keys(config.nodes)) {
    if (!nodeIds.has(id)) warnings.push(`operating settings for unknown node ${id}: ignored`);
  }

  const defaults = nodeOpsSchema.parse({});
  const availability = prepareAvailability(snapshot, { returnHubIds: config.returns.hubNodeIds });
  const nodes = snapshot.nodes.map((node, i): PreparedNode => {
    const gate = availability.subjects[i];
    const ops = config.nodes[node.id] ?? defaults;
    const servedBy = (ids: string[] | null) => ids === null || ids.includes(node.id);
    return {
      node,
      gate,
      ops,
      clock: clockFor(node.timezone),
      area: prepareServiceArea(node.serviceArea),
      couriers: couriers.filter((c) => servedBy(c.config.nodeIds)),
      rateCards: rateCards.filter((c) => servedBy(c.card.originNodeIds)),
      corridors: corridors.filter((c) => c.corridor.nodeId === node.id),
      loadRatio: node.dailyCapacity > 0 ? gate.ordersToday / node.dailyCapacity : 1,
      readyLead: Object.freeze({ minutes: ops.prepMinutes, unitsToMake: 0, detail: `${ops.prepMinutes} min preparation` }),
      courierHold: snapshot.permits?.nodes[node.id]?.courier ?? null,
      rounds: roundsByNode.has(node.id) ? prepareRounds(node, roundsByNode.get(node.id)!, snapshot.localDemand?.[node.id], snapshot.currency, warnings) : null,
    };
  });
  const byId = new Map(nodes.map((n) => [n.node.id, n]));
  const returnHubs = nodes.filter((n) => isAvailable(n.gate, "RETURN"));
  if (returnHubs.length === 0) warnings.push("no node may receive returns: expected returns use the fallback unit cost");
  return { snapshot, config, currency: snapshot.currency, nodes, byId, availability, returnHubs, warnings };
}
