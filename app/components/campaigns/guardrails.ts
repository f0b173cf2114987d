// A campaign's guardrails ({code,args} rules, core/promotions/guardrails) as sentences a merchant
// reads on the review step and the campaign's page: what makes Nearhub pause, shrink or resume. A
// rule this file has no sentence for is said with its strategy's label from the registry, never
// its bare code.
import { guardrailRegistry, type GuardrailCode } from "~/core/promotions/guardrails";
import type { RuleRef } from "~/core/rules/registry";
import { money, roasText } from "./format";

type Args = Record<string, unknown>;
const n = (a: Args, key: string): number | null => (typeof a[key] === "number" ? (a[key] as number) : null);
const units = (k: number) => `${k} ${k === 1 ? "unit" : "units"}`;

const SENTENCES: Record<GuardrailCode, (a: Args, currency: string) => string | null> = {
  HUB_UNAVAILABLE: () =>
    "Pause while the hub may not serve (switched off, capacity full, a permit lapsed or closed today); resume when it can again.",
  OUTSIDE_SAME_DAY_HOURS: () => "Run only from the hub's opening until its same-day cut-off; pause outside those hours.",
  LOW_STOCK: (a) => {
    const k = n(a, "minUnits");
    return k === null ? null : `Pause when no advertised product has ${units(k)} left at the hub; resume when it is restocked.`;
  },
  STOCK_THIN: (a) => {
    const k = n(a, "healthyUnits");
    return k === null
      ? null
      : `Shrink the daily budget as advertised products fall under ${units(k)} each at the hub (never under the account's minimum).`;
  },
  ROAS_BELOW_TARGET: (a, currency) => {
    const target = n(a, "targetBps");
    const after = n(a, "minSpendMinor");
    if (target === null) return null;
    const what = a.basis === "REVENUE" ? "revenue per unit of ad spend" : "profit after landed cost per unit of ad spend";
    return `Pause when the ${what} falls under ${roasText(target)}${after ? `, judged once ${money(after, currency)} has been spent` : ""}.`;
  },
  BUDGET_SPENT: () => "Pause when the planned budget (daily budget × days) has been spent: nothing runs past the plan.",
};

export function guardrailSentence(rule: RuleRef, currency: string): string {
  const args = rule.args && typeof rule.args === "object" && !Array.isArray(rule.args) ? (rule.args as Args) : {};
  const known = (SENTENCES as Record<string, ((a: Args, c: string) => string | null) | undefined>)[rule.code]?.(args, currency);
  if (known) return known;
  const label = guardrailRegistry.strategies.get(rule.code)?.label;
  return label ? `${label}.` : "A guardrail this version of Nearhub does not know (it is kept as it was stored).";
}
