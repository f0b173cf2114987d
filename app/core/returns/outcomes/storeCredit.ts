import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { formatMinor, percentOfMinor } from "../../money/money";
import { applied, itemComesBackAfter, percentSchema, type ReturnOutcome } from "./types";

export const storeCredit = defineStrategy({
  code: "STORE_CREDIT",
  label: "Store credit when the item comes back",
  args: z.object({
    bonusPercent: percentSchema.default(0).describe("Added to the credit, percent of the price paid, to keep the sale"),
  }),
  build: ({ bonusPercent }): ReturnOutcome => {
    return ({ paidMinor, currency }) => {
      const bonus = percentOfMinor(paidMinor, bonusPercent);
      return applied({
        code: "STORE_CREDIT",
        label: "Store credit",
        itemComesBack: itemComesBackAfter("STORE_CREDIT"),
        refundMinor: 0,
        storeCreditMinor: paidMinor + bonus,
        detail:
          bonus > 0
            ? `store credit ${formatMinor(paidMinor + bonus, currency)} (${formatMinor(paidMinor, currency)} + ${bonusPercent}% bonus)`
            : `store credit ${formatMinor(paidMinor, currency)}`,
      });
    };
  },
});
