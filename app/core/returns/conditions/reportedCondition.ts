import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { ITEM_CONDITION_LABELS, ITEM_CONDITIONS } from "../types";
import type { ReturnCondition } from "./types";

export const reportedCondition = defineStrategy({
  code: "REPORTED_CONDITION",
  label: "Condition the customer reports is one of",
  args: z.object({
    conditions: z.array(z.enum(ITEM_CONDITIONS)).min(1, "pick at least one condition").describe("Conditions a customer can report"),
  }),
  build: ({ conditions }): ReturnCondition => {
    const wanted = new Set(conditions);
    const listed = conditions.map((c) => ITEM_CONDITION_LABELS[c]).join(", ");
    return ({ line }) => {
      if (line.condition === null) return { met: false, detail: "the customer reported no condition" };
      const label = `reported "${ITEM_CONDITION_LABELS[line.condition]}"`;
      return wanted.has(line.condition)
        ? { met: true, detail: `${label}, one of: ${listed}` }
        : { met: false, detail: `${label}, not one of: ${listed}` };
    };
  },
});
