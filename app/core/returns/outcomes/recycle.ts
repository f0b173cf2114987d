import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { formatMinor } from "../../money/money";
import { applied, itemComesBackAfter, paidAs, resolutionSchema, type ReturnOutcome } from "./types";

export const recycle = defineStrategy({
  code: "RECYCLE",
  label: "Recycle the item instead of sending it back",
  args: z.object({
    resolution: resolutionSchema,
    instructions: z
      .string()
      .trim()
      .min(1, "tell the customer how to recycle it")
      .max(500, "at most 500 characters")
      .describe("Shown to the customer: where and how to recycle"),
  }),
  build: ({ resolution, instructions }): ReturnOutcome => {
    return ({ paidMinor, currency, line }) =>
      applied({
        code: "RECYCLE",
        label: "Recycle",
        itemComesBack: itemComesBackAfter("RECYCLE"),
        ...paidAs(resolution, paidMinor),
        customerMessage: instructions,
        detail: `recycles ${line.product.sku} and gets ${formatMinor(paidMinor, currency)} ${resolution === "REFUND" ? "back" : "in store credit"}`,
      });
  },
});
