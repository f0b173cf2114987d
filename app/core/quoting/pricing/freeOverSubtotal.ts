import { z } from "zod";
import { formatMinor, minorSchema } from "../../money/money";
import { defineStrategy } from "../../rules/registry";
import { inScope, servicesArg, type PricingRule } from "./types";

export const freeOverSubtotal = defineStrategy({
  code: "FREE_OVER_SUBTOTAL",
  label: "Free shipping over a cart subtotal",
  args: z.object({ minSubtotalMinor: minorSchema, services: servicesArg }),
  build: ({ minSubtotalMinor, services }): PricingRule => (price, ctx) =>
    inScope(services, ctx) && ctx.subtotalMinor >= minSubtotalMinor
      ? { priceMinor: 0, detail: `free: subtotal ${formatMinor(ctx.subtotalMinor, ctx.currency)} ≥ ${formatMinor(minSubtotalMinor, ctx.currency)}` }
      : null,
});
