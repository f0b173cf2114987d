// What a guardrail is: a small strategy ({code,args} through core/rules/registry) that looks at a
// running campaign's state and says run, pause or shrink, and why in the reasons vocabulary.
// Guardrails hold no memory: a campaign paused for low stock runs again on the first check
// after the stock is back, because the same rule then answers RUN.
import type { Reason } from "../../network/reasons";
import type { GuardrailState } from "../types";

export type GuardrailVerdict =
  | { action: "RUN"; reason: Reason | null }
  | { action: "PAUSE"; reason: Reason }
  /** Run at `factor` (0..1) of the planned daily budget, never under the account minimum. */
  | { action: "SHRINK"; factor: number; reason: Reason };

export type Guardrail = (state: GuardrailState) => GuardrailVerdict;

/** The daily budget at a share of the plan: never under the account minimum, never over the plan. */
export function shrinkBudget(dailyMinor: number, minDailyMinor: number, factor: number): number {
  if (dailyMinor <= minDailyMinor) return dailyMinor;
  const f = Number.isFinite(factor) ? Math.min(1, Math.max(0, factor)) : 1;
  return Math.max(minDailyMinor, Math.floor(dailyMinor * f));
}
