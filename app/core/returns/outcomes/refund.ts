import { defineStrategy } from "../../rules/registry";
import { formatMinor, percentOfMinor } from "../../money/money";
import { z } from "zod";
import { applied, itemComesBackAfter, percentSchema, type ReturnOutcome } from "./types";

export const refund = defineStrategy({
  code: "REFUND",
  label: "Refund when the item comes back",
  args: z.object({
    restockingFeePercent: percentSchema.default(0).describe("Kept from the refund, percent of the price paid"),
  }),
  build: ({ restockingFeePercent }): ReturnOutcome => {
    return ({ paidMinor, currency }) => {
      const fee = percentOfMinor(paidMinor, restockingFeePercent);
      return applied({
        code: "REFUND",
        label: "Refund",
        itemComesBack: itemComesBackAfter("REFUND"),
        refundMinor: paidMinor - fee,
        storeCreditMinor: 0,
        detail:
          fee > 0
            ? `refund ${formatMinor(paidMinor - fee, currency)} (${formatMinor(paidMinor, currency)} less a ${restockingFeePercent}% restocking fee)`
            : `refund ${formatMinor(paidMinor, currency)}`,
      });
    };
  },
});
