// A stored rule in plain words, from the same generated fields the form shows:
// "Surge by hour and weekday (days: Mon/Tue, from 17:00, until 19:00, multiplier 1.25)".
import { formatMinor, parseMoney } from "~/core/money/money";
import type { RuleRef } from "~/core/rules/registry";
import { ruleSpec, shortLabel, type ArgField, type RuleForm } from "./fields";
import type { NestedRuleForm } from "./nested";
import { argsToValues, type FieldValues } from "./values";

function parts(fields: readonly ArgField[], values: FieldValues, currency: string): string[] {
  return fields.flatMap((f): string[] => {
    const v = values[f.name];
    const label = shortLabel(f.label);
    const option = (value: string) => (f.kind === "choice" || f.kind === "choices" ? (f.options.find((o) => o.value === value)?.label ?? value) : value);
    if (f.kind === "object") {
      const inner = parts(f.fields, (v ?? {}) as FieldValues, currency);
      return inner.length ? [`${label} (${inner.join(", ")})`] : [];
    }
    if (typeof v === "boolean") return [`${label}: ${v ? "yes" : "no"}`];
    if (Array.isArray(v)) return v.length ? [`${label}: ${v.map(option).join("/")}`] : [];
    if (typeof v !== "string" || v === "") return [];
    if (f.kind === "list") return [`${label}: ${v.split(/\s*,\s*/).join("/")}`];
    if (f.kind === "rows") return [`${label} ${v.split("\n").map((line) => line.replace(/,\s*/g, " × ")).join("; ")}`];
    if (f.kind === "money") {
      const amount = parseMoney(String(v), currency);
      return [`${label} ${amount.ok ? formatMinor(amount.minor, currency) : `${v} ${currency}`}`];
    }
    if (f.kind === "percent") return [`${label} ${v}%`];
    if (f.kind === "json") return [`${label} ${v.replace(/\s+/g, " ")}`];
    return [`${label} ${option(v)}`];
  });
}

/** One line for a stored rule: its strategy's label and what its arguments are set to. */
export function describeRule(form: RuleForm, rule: RuleRef, currency: string): string {
  const spec = ruleSpec(form, rule.code);
  if (!spec) return `unknown ${form.registry.kind} ${rule.code}`;
  const shown = parts(spec.fields, argsToValues(spec.fields, rule.args, currency), currency);
  return shown.length ? `${spec.label} (${shown.join(", ")})` : spec.label;
}

/** One sentence for a stored nested rule: "When …, and … → …." ("(Off)" first when it is switched off). */
export function describeNestedRule(form: NestedRuleForm, rule: { [own: string]: unknown; when: RuleRef[]; then: RuleRef }, currency: string): string {
  const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
  const when = rule.when.length ? rule.when.map((c) => lower(describeRule(form.conditions, c, currency))).join(", and ") : form.always;
  const off = form.enabledField && rule[form.enabledField] === false ? "(Off) " : "";
  return `${off}When ${when} → ${describeRule(form.outcome, rule.then, currency)}.`;
}
