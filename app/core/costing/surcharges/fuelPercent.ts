import { z } from "zod";
import { percentOfMinor } from "../../money/money";
import { defineStrategy } from "../../rules/registry";
import type { Surcharge } from "./types";

export const fuelPercent = defineStrategy({
  code: "FUEL_PERCENT",
  label: "Fuel surcharge (% of freight)",
  args: z.object({ percent: z.number().min(0).max(100) }),
  build: ({ percent }): Surcharge => {
    const detail = `${percent}% of freight`;
    return (ctx) => ({ amountMinor: percentOfMinor(ctx.freightMinor, percent), detail });
  },
});
