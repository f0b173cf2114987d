import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { applied, itemComesBackAfter, type ReturnOutcome } from "./types";

export const exchange = defineStrategy({
  code: "EXCHANGE",
  label: "Exchange for another item when it comes back",
  args: z.object({}),
  build: (): ReturnOutcome => {
    return ({ line }) =>
      applied({
        code: "EXCHANGE",
        label: "Exchange",
        itemComesBack: itemComesBackAfter("EXCHANGE"),
        refundMinor: 0,
        storeCreditMinor: 0,
        detail: `exchange ${line.quantity} × ${line.product.sku} for a replacement`,
      });
  },
});
