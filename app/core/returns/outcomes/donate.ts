import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { formatMinor } from "../../money/money";
import { applied, itemComesBackAfter, paidAs, resolutionSchema, type ReturnOutcome } from "./types";

export const donate = defineStrategy({
  code: "DONATE",
  label: "Donate the item instead of sending it back",
  args: z.object({
    resolution: resolutionSchema,
    instructions: z
      .string()
      .trim()
      .min(1, "tell the customer where to donate it")
      .max(500, "at most 500 characters")
      .describe("Shown to the customer: where and how to donate"),
  }),
  build: ({ resolution, instructions }): ReturnOutcome => {
    return ({ paidMinor, currency, line }) =>
      applied({
        code: "DONATE",
        label: "Donate",
        itemComesBack: itemComesBackAfter("DONATE"),
        ...paidAs(resolution, paidMinor),
        customerMessage: instructions,
        detail: `donates ${line.product.sku} locally and gets ${formatMinor(paidMinor, currency)} ${resolution === "REFUND" ? "back" : "in store credit"}`,
      });
  },
});
