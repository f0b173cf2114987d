// A return policy prepared for evaluation: parsed once, every rule's strategies compiled once.
import type { CompiledRule } from "../rules/registry";
import type { NetworkNode } from "../network/types";
import { returnPolicySchema, type ReturnPolicyConfig, type ReturnPolicyInput } from "./config";
import { conditionRegistry } from "./conditions";
import type { ReturnCondition } from "./conditions/types";
import { outcomeRegistry } from "./outcomes";
import type { ReturnOutcome } from "./outcomes/types";

export interface CompiledReturnRule {
  index: number;
  id: string;
  name: string;
  enabled: boolean;
  when: CompiledRule<ReturnCondition>[];
  then: CompiledRule<ReturnOutcome>;
}

export interface ReturnPolicy {
  config: ReturnPolicyConfig;
  rules: CompiledReturnRule[];
  defaultOutcome: CompiledRule<ReturnOutcome>;
}

/** Parses the policy (throws a ZodError naming the field) and compiles its rules. */
export function prepareReturnPolicy(input: ReturnPolicyInput): ReturnPolicy {
  const config = returnPolicySchema.parse(input);
  return {
    config,
    rules: config.rules.map((rule, index) => ({
      index,
      id: rule.id,
      name: rule.name,
      enabled: rule.enabled,
      when: rule.when.map((ref, j) => conditionRegistry.compile(ref, `rules[${index}].when[${j}]`)),
      then: outcomeRegistry.compile(rule.then, `rules[${index}].then`),
    })),
    defaultOutcome: outcomeRegistry.compile(config.defaultOutcome, "defaultOutcome"),
  };
}

/** What receiving and inspecting one unit costs at a hub. */
export function handlingAt(policy: ReturnPolicy, node: NetworkNode): number {
  return policy.config.hubs[node.id]?.handlingMinor ?? node.handlingCostMinor;
}

/** Hours from receipt to the inspection deadline at a hub: the RECEIVE event's inspectionHours. */
export function inspectionHoursAt(policy: ReturnPolicy, hubId: string): number {
  return policy.config.hubs[hubId]?.inspectionHours ?? policy.config.inspection.inspectionHours;
}
