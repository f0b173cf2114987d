// The platforms' limits on changing a running campaign. Meta takes at most 4 budget changes per ad
// set per hour (dayparting switches `status`, which is not a budget change); Google Ads has no such
// per-campaign limit (its daily operation quota is the services' concern). A guardrail's SHRINK
// that may not go out yet waits for the instant this answers, it is never reported as done.
import type { AdPlatform } from "./types";

const HOUR_MS = 3_600_000;

export const BUDGET_CHANGES_PER_HOUR: Record<AdPlatform, number | null> = { META: 4, GOOGLE: null, SANDBOX: 4 };

export type ChangeAllowance = { allowed: true } | { allowed: false; nextAt: number };

/** Whether a budget change may go to the platform at `now`, given the UTC instants of the earlier ones. */
export function budgetChangeAllowed(platform: AdPlatform, changedAt: readonly number[], now: number): ChangeAllowance {
  const limit = BUDGET_CHANGES_PER_HOUR[platform];
  if (limit === null) return { allowed: true };
  const recent = changedAt.filter((t) => t <= now && now - t < HOUR_MS).sort((a, b) => a - b);
  if (recent.length < limit) return { allowed: true };
  // The change that must leave the window before one more fits.
  return { allowed: false, nextAt: recent[recent.length - limit] + HOUR_MS };
}

/** What a campaign is doing on the platform now, as the services last applied it. */
export interface AppliedState {
  status: "ACTIVE" | "PAUSED";
  dailyBudgetMinor: number;
}

export interface GuardrailTransition {
  status: "ACTIVE" | "PAUSED";
  dailyBudgetMinor: number;
  /** What must go to the platform: a status switch, a budget change, both or neither. */
  switchStatus: boolean;
  changeBudget: boolean;
}

/**
 * From what is applied to what a decision asks. A paused campaign keeps its budget until it
 * resumes (a budget change on a paused ad set spends one of Meta's hourly changes for nothing).
 */
export function guardrailTransition(applied: AppliedState | null, decision: { action: "RUN" | "PAUSE" | "SHRINK"; dailyBudgetMinor: number }): GuardrailTransition {
  const status = decision.action === "PAUSE" ? "PAUSED" : "ACTIVE";
  const current = applied ?? { status: "PAUSED", dailyBudgetMinor: decision.dailyBudgetMinor };
  const dailyBudgetMinor = status === "PAUSED" ? current.dailyBudgetMinor : decision.dailyBudgetMinor;
  return {
    status,
    dailyBudgetMinor,
    switchStatus: applied === null ? true : applied.status !== status,
    changeBudget: dailyBudgetMinor !== current.dailyBudgetMinor,
  };
}
