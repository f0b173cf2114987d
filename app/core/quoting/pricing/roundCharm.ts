import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { inScope, servicesArg, type PricingRule } from "./types";

/** Rounds up to the next price ending in `endingMinor` per `unitMinor` (12.34 → 12.99); free stays free. */
export const roundCharm = defineStrategy({
  code: "ROUND_CHARM",
  label: "Round up to a charm price (e.g. .99)",
  args: z
    .object({
      unitMinor: z.number().int().positive().default(100),
      endingMinor: z.number().int().nonnegative().default(99),
      services: servicesArg,
    })
    .refine((a) => a.endingMinor < a.unitMinor, { message: "endingMinor must be below unitMinor", path: ["endingMinor"] }),
  build: ({ unitMinor, endingMinor, services }): PricingRule => {
    const detail = `up to the next price ending in ${endingMinor} per ${unitMinor}`;
    return (price, ctx) => {
      if (price === 0 || !inScope(services, ctx)) return null;
      const k = Math.max(0, Math.ceil((price - endingMinor) / unitMinor));
      return { priceMinor: k * unitMinor + endingMinor, detail };
    };
  },
});
