import { z } from "zod";
import { formatMinor } from "../../money/money";
import { defineStrategy } from "../../rules/registry";
import { inScope, servicesArg, type PricingRule } from "./types";

/**
 * Free shipping when the merchant can absorb the landed cost and still make its target margin:
 * subtotal × productMargin − landedCost ≥ subtotal × targetMargin
 * ⇔ subtotal ≥ landedCost ÷ (productMargin − targetMargin).
 */
export const freeOverDynamicThreshold = defineStrategy({
  code: "FREE_OVER_DYNAMIC_THRESHOLD",
  label: "Free shipping when the target margin survives it",
  args: z
    .object({
      /** Gross margin on the goods, before shipping, in %. */
      productMarginPercent: z.number().gt(0).max(100),
      /** Margin the merchant keeps after paying for shipping, in %. */
      targetMarginPercent: z.number().min(0).max(100),
      services: servicesArg,
    })
    .refine((a) => a.targetMarginPercent < a.productMarginPercent, {
      message: "targetMarginPercent must be below productMarginPercent",
      path: ["targetMarginPercent"],
    }),
  build: ({ productMarginPercent, targetMarginPercent, services }): PricingRule => {
    const headroom = (productMarginPercent - targetMarginPercent) / 100;
    return (price, ctx) => {
      if (!inScope(services, ctx)) return null;
      const threshold = Math.ceil(ctx.landedCostMinor / headroom);
      if (ctx.subtotalMinor < threshold) return null;
      return {
        priceMinor: 0,
        detail: `free: subtotal ${formatMinor(ctx.subtotalMinor, ctx.currency)} ≥ ${formatMinor(threshold, ctx.currency)} (landed cost ${formatMinor(ctx.landedCostMinor, ctx.currency)} ÷ ${Number((headroom * 100).toFixed(2))}% margin headroom)`,
      };
    };
  },
});
