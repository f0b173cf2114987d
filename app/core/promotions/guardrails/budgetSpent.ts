import { z } from "zod";
import { reason } from "../../network/reasons";
import { defineStrategy } from "../../rules/registry";
import type { Guardrail } from "./types";

/** Pause when the test has spent its planned budget (daily budget × days): nothing runs past the plan. */
export const budgetSpent = defineStrategy({
  code: "BUDGET_SPENT",
  label: "Pause when the planned budget is spent",
  args: z.object({}),
  build: (): Guardrail => (s) => {
    const args = { spendMinor: s.spendMinor, plannedMinor: s.plannedBudgetMinor, currency: s.currency };
    if (s.plannedBudgetMinor > 0 && s.spendMinor >= s.plannedBudgetMinor) return { action: "PAUSE", reason: reason("CAMPAIGN_BUDGET_SPENT", args) };
    return { action: "RUN", reason: s.plannedBudgetMinor > 0 ? reason("CAMPAIGN_BUDGET_LEFT", args) : null };
  },
});
