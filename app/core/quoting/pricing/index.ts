// Merchant pricing rules on top of cost: one file per strategy, one line here per strategy.
// Rules run in the merchant's order, each on the price the previous one left.
import { createRegistry, type CompiledRule } from "../../rules/registry";
import { freeOverDynamicThreshold } from "./freeOverDynamicThreshold";
import { freeOverSubtotal } from "./freeOverSubtotal";
import { marginPercent } from "./marginPercent";
import { roundCharm } from "./roundCharm";
import { roundWhole } from "./roundWhole";
import type { PricingContext, PricingRule } from "./types";

export const pricingRegistry = createRegistry<PricingRule>("pricing rule", [
  marginPercent,
  roundCharm,
  roundWhole,
  freeOverSubtotal,
  freeOverDynamicThreshold,
]);

export interface PricingStep {
  code: string;
  label: string;
  beforeMinor: number;
  afterMinor: number;
  detail: string;
}

export function applyPricing(
  rules: readonly CompiledRule<PricingRule>[],
  ctx: PricingContext,
): { priceMinor: number; steps: PricingStep[] } {
  let price = ctx.forwardCostMinor;
  const steps: PricingStep[] = [];
  for (const rule of rules) {
    const hit = rule.run(price, ctx);
    if (!hit) continue;
    const after = Math.max(0, Math.round(hit.priceMinor));
    steps.push({ code: rule.code, label: rule.label, beforeMinor: price, afterMinor: after, detail: hit.detail });
    price = after;
  }
  return { priceMinor: price, steps };
}
