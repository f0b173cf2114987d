// Posted rule forms back into values and `{ code, args }`: the one reader both the shipping and
// the returns actions use. Inputs are named after the stored shape (`pricingRules.1.args.percent`,
// `rules.0.when.1.args.maxDays`), so errors come back keyed by the name of the field they concern.
import { ruleSpec, type ArgField, type RuleForm } from "./fields";
import { ownFields, readNestedRules, type NestedRuleForm, type NestedRuleValue, type ReadNested } from "./nested";
import { readRules, type Errors, type FieldValues, type RuleValue } from "./values";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The positions posted under `at` that have `suffix` ("pricingRules" + "code" → 0, 1, 2), in order. */
function positions(form: FormData, at: string, suffix: string): number[] {
  const key = new RegExp(`^${escape(at)}\\.(\\d+)\\.${escape(suffix)}$`);
  const found = new Set<number>();
  for (const k of form.keys()) {
    const m = key.exec(k);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

function fieldValues(form: FormData, fields: readonly ArgField[], prefix: string): FieldValues {
  const out: FieldValues = {};
  for (const f of fields) {
    const key = `${prefix}${f.name}`;
    if (f.kind === "choices") out[f.name] = form.getAll(key).filter((v): v is string => typeof v === "string" && v !== "");
    else if (f.kind === "object") out[f.name] = fieldValues(form, f.fields, `${key}.`);
    else if (f.kind === "boolean") out[f.name] = ["true", "on"].includes(String(form.get(key) ?? ""));
    else {
      const v = form.get(key);
      out[f.name] = typeof v === "string" ? v : "";
    }
  }
  return out;
}

function ruleAt(form: FormData, rules: RuleForm, at: string): RuleValue {
  const code = String(form.get(`${at}.code`) ?? "");
  return { code, values: fieldValues(form, ruleSpec(rules, code)?.fields ?? [], `${at}.args.`) };
}

/** The rules posted under `name`, in the order shown. */
export function ruleValuesFromForm(form: FormData, rules: RuleForm, name: string): RuleValue[] {
  return positions(form, name, "code").map((i) => ruleAt(form, rules, `${name}.${i}`));
}

/** The nested rules posted under `name` (found by their outcome), in the order shown. */
export function nestedValuesFromForm(form: FormData, nested: NestedRuleForm, name: string): NestedRuleValue[] {
  return positions(form, name, "then.code").map((i) => {
    const at = `${name}.${i}`;
    return {
      own: fieldValues(form, ownFields(nested), `${at}.`),
      when: positions(form, `${at}.when`, "code").map((j) => ruleAt(form, nested.conditions, `${at}.when.${j}`)),
      then: ruleAt(form, nested.outcome, `${at}.then`),
    };
  });
}

/** Reads a posted rule list: the values (to show the form again), the rules, errors by field name. */
export function readPostedRules(form: FormData, rules: RuleForm, name: string, currency: string): { values: RuleValue[]; rules: ReturnType<typeof readRules>["rules"]; errors: Errors } {
  const values = ruleValuesFromForm(form, rules, name);
  return { values, ...readRules(rules, values, name, currency) };
}

/** Reads posted nested rules: the values, the rules, errors by field name. */
export function readPostedNestedRules(form: FormData, nested: NestedRuleForm, name: string, currency: string): ReadNested & { values: NestedRuleValue[] } {
  const values = nestedValuesFromForm(form, nested, name);
  return { values, ...readNestedRules(nested, values, name, currency) };
}
