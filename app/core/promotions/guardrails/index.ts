// Campaign guardrails: one file per strategy, one line here per strategy (core/rules/registry).
// evaluateGuardrails asks every rule and combines: any PAUSE pauses, else any SHRINK shrinks (to
// the smallest share asked, never under the account minimum), else RUN. Every rule that fired is
// in the reasons; a RUN carries why it may run.
import { reason, type Reason } from "../../network/reasons";
import { createRegistry, type CompiledRule, type RuleRef } from "../../rules/registry";
import { profitRoasBps, roasBps, type RoasBasis } from "../roas";
import type { GuardrailDecision, GuardrailState } from "../types";
import { budgetSpent } from "./budgetSpent";
import { hubUnavailable } from "./hubUnavailable";
import { roasBelowTarget } from "./roas";
import { outsideSameDayHours } from "./sameDayHours";
import { lowStock, stockThin } from "./stock";
import { shrinkBudget, type Guardrail } from "./types";

export const guardrailRegistry = createRegistry<Guardrail>("campaign guardrail", [
  hubUnavailable,
  outsideSameDayHours,
  lowStock,
  stockThin,
  roasBelowTarget,
  budgetSpent,
]);

export type GuardrailCode = "HUB_UNAVAILABLE" | "OUTSIDE_SAME_DAY_HOURS" | "LOW_STOCK" | "STOCK_THIN" | "ROAS_BELOW_TARGET" | "BUDGET_SPENT";

export interface DefaultGuardrailArgs {
  /** LOW_STOCK: units an advertised product needs at the hub. */
  minUnits: number;
  /** STOCK_THIN: units per product at which the full budget runs (default 3 × minUnits). */
  healthyUnits?: number;
  /** ROAS_BELOW_TARGET: spend before ROAS is judged. */
  minSpendMinor: number;
  targetRoasBps: number;
  basis?: RoasBasis;
}

/** The rules every plan starts with, in the order they are asked. */
export function defaultGuardrails(args: DefaultGuardrailArgs): RuleRef[] {
  const minUnits = Math.max(1, Math.round(args.minUnits));
  const healthyUnits = Math.max(minUnits, Math.round(args.healthyUnits ?? minUnits * 3));
  return [
    { code: "HUB_UNAVAILABLE", args: {} },
    { code: "OUTSIDE_SAME_DAY_HOURS", args: {} },
    { code: "LOW_STOCK", args: { minUnits } },
    { code: "STOCK_THIN", args: { healthyUnits } },
    { code: "ROAS_BELOW_TARGET", args: { minSpendMinor: Math.max(0, Math.round(args.minSpendMinor)), targetBps: Math.round(args.targetRoasBps), basis: args.basis ?? "PROFIT" } },
    { code: "BUDGET_SPENT", args: {} },
  ];
}

/** Resolves stored rules once (throws RuleConfigError naming `guardrails[i]` for a bad one). */
export function compileGuardrails(rules: readonly RuleRef[]): CompiledRule<Guardrail>[] {
  return rules.map((ref, i) => guardrailRegistry.compile(ref, `guardrails[${i}]`));
}

/** Run, pause or shrink now, with every reason that fired (RUN: why it may run). */
export function evaluateGuardrails(state: GuardrailState, rules: readonly RuleRef[] | readonly CompiledRule<Guardrail>[]): GuardrailDecision {
  const compiled = rules.map((r, i) => ("run" in r ? r : guardrailRegistry.compile(r, `guardrails[${i}]`)));
  const fired: Reason[] = [];
  const passed: Reason[] = [];
  let pause = false;
  let shrink = false;
  let factor = 1;
  for (const rule of compiled) {
    const verdict = rule.run(state);
    if (verdict.action === "PAUSE") {
      pause = true;
      fired.push(verdict.reason);
    } else if (verdict.action === "SHRINK") {
      shrink = true;
      factor = Math.min(factor, verdict.factor);
      fired.push(verdict.reason);
    } else if (verdict.reason) {
      passed.push(verdict.reason);
    }
  }
  const planned = state.dailyBudgetMinor;
  const dailyBudgetMinor = shrink ? shrinkBudget(planned, state.minDailyBudgetMinor, factor) : planned;
  const roas = roasBps(state.revenueMinor, state.spendMinor);
  const profitRoas = profitRoasBps(state.revenueMinor, state.landedCostMinor, state.spendMinor);
  if (pause || shrink) {
    return { action: pause ? "PAUSE" : "SHRINK", dailyBudgetMinor, reasons: fired, roasBps: roas, profitRoasBps: profitRoas };
  }
  return {
    action: "RUN",
    dailyBudgetMinor,
    reasons: [reason("CAMPAIGN_RUNNING", { checks: compiled.length }), ...passed],
    roasBps: roas,
    profitRoasBps: profitRoas,
  };
}

export { shrinkBudget, type Guardrail, type GuardrailVerdict } from "./types";
