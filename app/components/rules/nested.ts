// The generator's nested mode: a list of rules that each pair an outcome (`then`, a rule of one
// registry) with the conditions it needs (`when`, rules of another), plus the rule's own fields
// (a name, an on/off switch, a stable id) generated from a zod object like any args. The return
// rules are this shape; field names follow the stored shape (`rules.2.when.0.args.maxDays`), so a
// server schema's issue paths land on the same fields.
import type { z } from "zod";
import type { RuleRef } from "~/core/rules/registry";
import { ruleSpec, schemaFields, type ArgField, type ArgHelp, type RuleForm } from "./fields";
import { argsToValues, checkArgs, newRuleValue, readRuleAt, rulesToValues, valuesToArgs, type Errors, type FieldValues, type RuleValue } from "./values";

export interface NestedRuleForm {
  /** Rules under the outcome, all of which must hold. */
  conditions: RuleForm;
  outcome: RuleForm;
  /** The rule's own fields (e.g. id, name, enabled), validated by this schema. */
  own: z.ZodType;
  ownHelp?: Record<string, ArgHelp>;
  /** An own field kept but not shown: a stable id, made fresh for a new rule as `${idPrefix}-${n}`. */
  idField?: string;
  idPrefix?: string;
  /** An own boolean field that switches the rule off without deleting it. */
  enabledField?: string;
  /** The outcome a new rule starts with. */
  newOutcome: string;
  /** Said for a rule without conditions: "every returned line". */
  always: string;
}

export interface NestedRuleValue {
  own: FieldValues;
  when: RuleValue[];
  then: RuleValue;
}

const ownCache = new WeakMap<NestedRuleForm, ArgField[]>();

/** The rule's own fields, as generated from `own`. */
export function ownFields(form: NestedRuleForm): ArgField[] {
  let fields = ownCache.get(form);
  if (!fields) ownCache.set(form, (fields = schemaFields(form.own, { help: form.ownHelp })));
  return fields;
}

/** Stored rules (`{ ...own, when: [{code,args}], then: {code,args} }`) as form values. */
export function nestedToValues(form: NestedRuleForm, rules: readonly unknown[], currency: string): NestedRuleValue[] {
  return rules.map((raw, i) => {
    const r = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    const own = argsToValues(ownFields(form), r, currency);
    if (form.idField && !own[form.idField]) own[form.idField] = `${form.idPrefix ?? "rule"}-${i + 1}`;
    return {
      own,
      when: rulesToValues(form.conditions, Array.isArray(r.when) ? r.when : [], currency),
      then: rulesToValues(form.outcome, [r.then], currency)[0],
    };
  });
}

/** A new rule: own defaults, a fresh id, no conditions, the configured outcome. */
export function newNestedValue(form: NestedRuleForm, existing: readonly NestedRuleValue[], currency: string): NestedRuleValue {
  const own = argsToValues(ownFields(form), {}, currency);
  if (form.idField) {
    const taken = new Set(existing.map((r) => r.own[form.idField!]));
    let n = existing.length + 1;
    while (taken.has(`${form.idPrefix ?? "rule"}-${n}`)) n++;
    own[form.idField] = `${form.idPrefix ?? "rule"}-${n}`;
  }
  return { own, when: [], then: newRuleValue(form.outcome, form.newOutcome, currency) };
}

export interface ReadNested {
  /** Each rule as stored: its own fields, `when` and `then`; rules with a problem are left out. */
  rules: (Record<string, unknown> & { when: RuleRef[]; then: RuleRef })[];
  errors: Errors;
}

/**
 * Reads nested rules; errors keyed by full field name (`rules.0.name`,
 * `rules.0.when.1.args.maxDays`, `rules.0.then.code`; `rules.0` for the rule as a whole).
 */
export function readNestedRules(form: NestedRuleForm, values: readonly NestedRuleValue[], name: string, currency: string): ReadNested {
  const errors: Errors = {};
  const rules: ReadNested["rules"] = [];
  values.forEach((value, i) => {
    const at = `${name}.${i}`;
    const before = Object.keys(errors).length;
    const fields = ownFields(form);
    const ownErrors: Errors = {};
    const own = valuesToArgs(fields, value.own, currency, ownErrors);
    if (Object.keys(ownErrors).length === 0) Object.assign(ownErrors, checkArgs(form.own, fields, own, currency));
    for (const [path, message] of Object.entries(ownErrors)) errors[path ? `${at}.${path}` : at] = message;
    const when = value.when.map((c, j) => readRuleAt(form.conditions, c, `${at}.when.${j}`, currency, errors));
    const then = readRuleAt(form.outcome, value.then, `${at}.then`, currency, errors);
    if (Object.keys(errors).length === before && then) rules.push({ ...own, when: when.filter((c): c is RuleRef => c !== null), then });
  });
  return { rules, errors };
}

/** The rule as far as it reads, in its stored shape (for its sentence while it is being edited). */
export function nestedDraft(form: NestedRuleForm, value: NestedRuleValue, currency: string): Record<string, unknown> & { when: RuleRef[]; then: RuleRef } {
  const refOf = (f: RuleForm, v: RuleValue): RuleRef => ({ code: v.code, args: valuesToArgs(ruleSpec(f, v.code)?.fields ?? [], v.values, currency) });
  return {
    ...valuesToArgs(ownFields(form), value.own, currency),
    when: value.when.map((c) => refOf(form.conditions, c)),
    then: refOf(form.outcome, value.then),
  };
}

