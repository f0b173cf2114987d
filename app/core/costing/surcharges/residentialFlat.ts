import { z } from "zod";
import { minorSchema } from "../../money/money";
import { defineStrategy } from "../../rules/registry";
import type { Surcharge } from "./types";

export const residentialFlat = defineStrategy({
  code: "RESIDENTIAL_FLAT",
  label: "Residential delivery surcharge (flat)",
  args: z.object({ amountMinor: minorSchema }),
  build: ({ amountMinor }): Surcharge => (ctx) => {
    if (!ctx.toResidence) return null;
    return {
      amountMinor,
      detail: ctx.destination.residential == null ? "address type unknown, charged as residential" : "residential address",
    };
  },
});
