import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { DECLINE_REASON_LABELS, DECLINE_REASONS } from "../types";
import { applied, itemComesBackAfter, type ReturnOutcome } from "./types";

export const decline = defineStrategy({
  code: "DECLINE",
  label: "Decline the return",
  args: z.object({
    declineReason: z.enum(DECLINE_REASONS).describe("Shopify's decline reason"),
    customerMessage: z
      .string()
      .trim()
      .min(1, "tell the customer why")
      .max(500, "at most 500 characters (Shopify's limit for a decline note)")
      .describe("Shown to the customer"),
  }),
  build: ({ declineReason, customerMessage }): ReturnOutcome => {
    return () =>
      applied({
        code: "DECLINE",
        label: "Decline",
        itemComesBack: itemComesBackAfter("DECLINE"),
        refundMinor: 0,
        storeCreditMinor: 0,
        declineReason,
        customerMessage,
        detail: `declined (${DECLINE_REASON_LABELS[declineReason]}): "${customerMessage}"`,
      });
  },
});
