// A network prepared for quoting, built once per snapshot and config and reused for every quote.
import { prepareCosting, type CostingNetwork, type PreparedNode } from "../costing/network";
import type { CompiledRule } from "../rules/registry";
import type { ServiceKind } from "../costing/types";
import type { NetworkSnapshot } from "../network/types";
import { NodeCalendar } from "./calendar";
import { quoteConfigSchema, type QuoteConfig, type QuoteConfigInput } from "./config";
import { pricingRegistry } from "./pricing";
import type { PricingRule } from "./pricing/types";

export interface QuoteNode {
  prepared: PreparedNode;
  calendar: NodeCalendar;
  /** The services this node could offer at all, given its kind and the config. */
  services: ServiceKind[];
}

export interface QuoteNetwork {
  costing: CostingNetwork;
  config: QuoteConfig;
  nodes: QuoteNode[];
  pricing: CompiledRule<PricingRule>[];
  warnings: string[];
}

/** Parses the config (throws a ZodError or RuleConfigError naming the field) and indexes the network. */
export function prepareNetwork(snapshot: NetworkSnapshot, configInput: QuoteConfigInput): QuoteNetwork {
  const config = quoteConfigSchema.parse(configInput);
  const costing = prepareCosting(snapshot, config);
  const explicitCarrierOrigins = new Set(config.rateCards.flatMap((c) => c.originNodeIds ?? []));
  const nodes = costing.nodes.map((prepared): QuoteNode => {
    const node = prepared.node;
    const services: ServiceKind[] = [];
    if (prepared.area && node.sameDayCutoff !== null) services.push("SAME_DAY");
    if (prepared.area) services.push("NEXT_DAY");
    if (node.kind === "CENTRAL_WAREHOUSE" || explicitCarrierOrigins.has(node.id)) services.push("STANDARD");
    if (prepared.corridors.length > 0) services.push("AUTONOMOUS");
    if (config.pickup.nodeKinds.includes(node.kind)) services.push("PICKUP");
    return {
      prepared,
      calendar: new NodeCalendar(prepared.clock, node.openingHours, prepared.ops.holidays, node.sameDayCutoff),
      services,
    };
  });
  return {
    costing,
    config,
    nodes,
    pricing: config.pricingRules.map((ref, i) => pricingRegistry.compile(ref, `pricingRules[${i}]`)),
    warnings: costing.warnings,
  };
}
