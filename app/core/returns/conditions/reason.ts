import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { RETURN_REASON_LABELS, RETURN_REASONS } from "../types";
import type { ReturnCondition } from "./types";

export const reasonIs = defineStrategy({
  code: "REASON",
  label: "Return reason is one of",
  args: z.object({
    reasons: z.array(z.enum(RETURN_REASONS)).min(1, "pick at least one reason").describe("Shopify return reasons"),
  }),
  build: ({ reasons }): ReturnCondition => {
    const wanted = new Set(reasons);
    const listed = reasons.map((r) => RETURN_REASON_LABELS[r]).join(", ");
    return ({ line }) => {
      const label = `reason "${RETURN_REASON_LABELS[line.reason]}"`;
      return wanted.has(line.reason)
        ? { met: true, detail: `${label} is one of: ${listed}` }
        : { met: false, detail: `${label} is not one of: ${listed}` };
    };
  },
});
