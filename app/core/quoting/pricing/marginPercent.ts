import { z } from "zod";
import { percentOfMinor } from "../../money/money";
import { defineStrategy } from "../../rules/registry";
import { inScope, servicesArg, type PricingRule } from "./types";

export const marginPercent = defineStrategy({
  code: "MARGIN_PERCENT",
  label: "Margin on cost (%)",
  args: z.object({ percent: z.number().min(-100).max(1000), services: servicesArg }),
  build: ({ percent, services }): PricingRule => {
    const detail = `${percent >= 0 ? "+" : ""}${percent}%`;
    return (price, ctx) => (inScope(services, ctx) ? { priceMinor: price + percentOfMinor(price, percent), detail } : null);
  },
});
