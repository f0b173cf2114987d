import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { inScope, servicesArg, type PricingRule } from "./types";

const ROUND = { up: Math.ceil, nearest: Math.round, down: Math.floor } as const;

/** Rounds to a multiple of `unitMinor` (100: whole dollars); free stays free. */
export const roundWhole = defineStrategy({
  code: "ROUND_WHOLE",
  label: "Round to whole units",
  args: z.object({
    unitMinor: z.number().int().positive().default(100),
    mode: z.enum(["up", "nearest", "down"]).default("up"),
    services: servicesArg,
  }),
  build: ({ unitMinor, mode, services }): PricingRule => {
    const detail = `${mode} to a multiple of ${unitMinor}`;
    const round = ROUND[mode];
    return (price, ctx) =>
      price === 0 || !inScope(services, ctx) ? null : { priceMinor: round(price / unitMinor) * unitMinor, detail };
  },
});
