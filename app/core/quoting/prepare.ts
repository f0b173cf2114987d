// A network prepared for quoting, built once per snapshot and config and reused for every quote.
import { prepareCosting, type CostingNetwork, type PreparedNode } from "../costing/network";
import type { CompiledRule } from "../rules/registry";
import { orderPurpose } from "../network/availability";
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
  /** What the availability gate is asked when this node takes an order: SHIP, or MAKE at a micro-factory. */
  purpose: "SHIP" | "MAKE";
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
      purpose: orderPurpose(node),
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

/** Anything above this is "unlimited" (a micro-factory whose making takes no time). */
export const UNLIMITED = 1_000_000_000;

/** Opening minutes of the production day: today, or the next opening day when closed today. */
function productionMinutes(qn: QuoteNode, now: number): number {
  const cal = qn.calendar;
  const today = cal.clock.local(now).day;
  let day: number | null = today;
  if (cal.plan(today).intervals.length === 0) day = cal.nextOpenDay(today, 14);
  if (day === null) return 0;
  let ms = 0;
  for (const [a, b] of cal.plan(day).intervals) ms += b - a;
  return ms / 60_000;
}

/**
 * Units a micro-factory can still make on its production day: the day's opening minutes (less one
 * set-up) divided by the minutes per unit, unlimited when making takes no time, less what it made
 * today already (NetworkSnapshot.today). 0 for every other node.
 */
export function makeUnitsLeft(qn: QuoteNode, now: number): number {
  if (qn.purpose !== "MAKE") return 0;
  const ops = qn.prepared.ops;
  if (ops.makeMinutesPerUnit <= 0) return UNLIMITED;
  const budget = Math.floor((productionMinutes(qn, now) - ops.makeSetupMinutes) / ops.makeMinutesPerUnit);
  return Math.max(0, budget - qn.prepared.gate.madeToday);
}
