import { z } from "zod";
import { minorSchema } from "../../money/money";
import { reason } from "../../network/reasons";
import { defineStrategy } from "../../rules/registry";
import { ROAS_BASES, roasOn } from "../roas";
import type { Guardrail } from "./types";

/**
 * After a minimum spend (before it, a few orders more or less swing the figure), pause when the
 * return on ad spend is under the target. PROFIT (the default) judges the profit after landed cost
 * and ad spend per unit of spend; REVENUE the platforms' plain revenue ÷ spend.
 */
export const roasBelowTarget = defineStrategy({
  code: "ROAS_BELOW_TARGET",
  label: "Pause when return on ad spend falls under target after a minimum spend",
  args: z.object({
    minSpendMinor: minorSchema.describe("Spend before ROAS is judged, minor units"),
    targetBps: z.number().int().min(-10_000).max(1_000_000).describe("Target ROAS in basis points (10000 = 1.00x)"),
    basis: z.enum(ROAS_BASES).default("PROFIT").describe("PROFIT: after landed cost and ad spend; REVENUE: revenue ÷ spend"),
  }),
  build: ({ minSpendMinor, targetBps, basis }): Guardrail => (s) => {
    const spendMinor = s.spendMinor;
    const roas = roasOn(basis, s.revenueMinor, s.landedCostMinor, spendMinor);
    if (roas === null || spendMinor < minSpendMinor) {
      return { action: "RUN", reason: reason("CAMPAIGN_ROAS_LEARNING", { spendMinor, minSpendMinor, currency: s.currency }) };
    }
    const args = { basis, roasBps: roas, targetBps, spendMinor, currency: s.currency };
    return roas < targetBps ? { action: "PAUSE", reason: reason("CAMPAIGN_ROAS_BELOW", args) } : { action: "RUN", reason: reason("CAMPAIGN_ROAS_OK", args) };
  },
});
