// Form values ↔ `{ code, args }`, for the generated rule forms (fields.ts). Values are what the
// inputs hold (text, lists of ticked options, booleans, nested objects); reading them parses the
// typed text (amounts in the shop currency, percentages, lines of numbers) and then validates with
// the strategy's own zod args schema, the one the engine compiles, so the browser and the action
// give the same answer. Errors are keyed by argument path ("to", "steps", "window.from") and say
// what is wrong in the merchant's words, with argument names replaced by their labels.
import { z } from "zod";
import { formatAmount, parseMoney } from "~/core/money/money";
import type { RuleRef } from "~/core/rules/registry";
import { ruleSpec, shortLabel, type ArgField, type NumberKind, type RuleForm } from "./fields";

export type FieldValue = string | string[] | boolean | FieldValues;
export interface FieldValues {
  [name: string]: FieldValue;
}

/** One rule as the form shows it. */
export interface RuleValue {
  code: string;
  values: FieldValues;
}

export type Errors = Record<string, string>;

const asString = (v: FieldValue | undefined): string => (typeof v === "string" ? v : "");
const asList = (v: FieldValue | undefined): string[] => (Array.isArray(v) ? v : typeof v === "string" && v !== "" ? [v] : []);
const asObject = (v: FieldValue | undefined): FieldValues => (v && typeof v === "object" && !Array.isArray(v) ? v : {});

// ---------------------------------------------------------------------------------------------
// Args → values

function numberText(value: number, kind: NumberKind, currency: string): string {
  return kind === "money" ? formatAmount(value, currency) : String(value);
}

/** The form values that show these args (defaults filled in, so the merchant sees them). */
export function argsToValues(fields: readonly ArgField[], args: unknown, currency: string): FieldValues {
  const a = (args && typeof args === "object" ? args : {}) as Record<string, unknown>;
  const out: FieldValues = {};
  for (const f of fields) {
    const v = a[f.name];
    switch (f.kind) {
      case "number":
      case "percent":
      case "money": {
        const n = typeof v === "number" ? v : v === undefined ? f.defaultValue : null;
        out[f.name] = n === null ? "" : numberText(n, f.kind, currency);
        break;
      }
      case "boolean":
        out[f.name] = typeof v === "boolean" ? v : f.defaultValue;
        break;
      case "time":
      case "text":
        out[f.name] = typeof v === "string" ? v : (f.defaultValue ?? "");
        break;
      case "choice":
        out[f.name] = typeof v === "string" ? v : v === null && f.nullable ? "" : (f.defaultValue ?? (f.nullable ? "" : (f.options[0]?.value ?? "")));
        break;
      case "choices":
        out[f.name] = Array.isArray(v) ? v.map(String) : [];
        break;
      case "list":
        out[f.name] = Array.isArray(v) ? v.map(String).join(", ") : "";
        break;
      case "rows":
        out[f.name] = Array.isArray(v)
          ? v.map((row) => f.columns.map((c) => numberText(Number((row as Record<string, unknown>)?.[c.name]), c.kind, currency)).join(", ")).join("\n")
          : "";
        break;
      case "object":
        out[f.name] = argsToValues(f.fields, v, currency);
        break;
      case "json":
        out[f.name] = v === undefined ? "" : JSON.stringify(v, null, 2);
        break;
    }
  }
  return out;
}

/** A new rule of this code with its defaults. */
export function newRuleValue(form: RuleForm, code: string, currency: string): RuleValue {
  const spec = ruleSpec(form, code);
  return { code, values: spec ? argsToValues(spec.fields, {}, currency) : {} };
}

/** Stored rules as form values (unknown codes are kept, so the merchant sees and removes them). */
export function rulesToValues(form: RuleForm, rules: readonly unknown[], currency: string): RuleValue[] {
  return rules.map((raw) => {
    const r = (raw && typeof raw === "object" ? raw : {}) as { code?: unknown; args?: unknown };
    const code = typeof r.code === "string" ? r.code : "";
    const spec = ruleSpec(form, code);
    return { code, values: spec ? argsToValues(spec.fields, r.args, currency) : {} };
  });
}

// ---------------------------------------------------------------------------------------------
// Values → args

type Parsed = { ok: true; value: number } | { ok: false; message: string };

function parseNumber(text: string, f: { label: string; kind: NumberKind; integer?: boolean }, currency: string): Parsed {
  if (f.kind === "money") {
    const p = parseMoney(text, currency);
    return p.ok ? { ok: true, value: p.minor } : { ok: false, message: `${f.label}: ${p.message}` };
  }
  const t = f.kind === "percent" ? text.replace(/\s*%$/, "") : text;
  const n = Number(t.trim());
  if (t.trim() === "" || !Number.isFinite(n)) return { ok: false, message: `${f.label} must be a number` };
  if (f.integer && !Number.isInteger(n)) return { ok: false, message: `${f.label} must be a whole number` };
  return { ok: true, value: n };
}

/**
 * Typed values → raw args (not yet validated), plus errors for text that does not read (keyed by
 * argument path). Empty means: null when the argument is nullable, left out when it has a default
 * (the engine applies it), and otherwise passed on so the strategy's own message speaks.
 */
export function valuesToArgs(fields: readonly ArgField[], values: FieldValues, currency: string, errors: Errors = {}, path = ""): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = values[f.name];
    const key = `${path}${f.name}`;
    const text = asString(raw).trim();
    const empty = (passOn: unknown) => {
      if (f.nullable) args[f.name] = null;
      else if (f.required) args[f.name] = passOn;
    };
    switch (f.kind) {
      case "number":
      case "percent":
      case "money": {
        if (text === "") {
          if (f.required) errors[key] = `${f.label} is required`;
          empty(undefined);
          break;
        }
        const n = parseNumber(text, f, currency);
        if (n.ok) args[f.name] = n.value;
        else errors[key] = n.message;
        break;
      }
      case "boolean":
        args[f.name] = raw === true || raw === "true" || raw === "on";
        break;
      case "time":
      case "text":
      case "choice":
        if (text === "") empty("");
        else args[f.name] = text;
        break;
      case "choices": {
        const list = asList(raw);
        args[f.name] = list.length === 0 && f.nullable ? null : list;
        break;
      }
      case "list": {
        const list = text.split(",").map((t) => t.trim()).filter(Boolean);
        if (list.length === 0) empty([]);
        else args[f.name] = list;
        break;
      }
      case "rows": {
        const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
        const rows: Record<string, number>[] = [];
        lines.forEach((line, li) => {
          const parts = line.split(/\s*[,;×x*\s]\s*/).filter(Boolean);
          if (parts.length !== f.columns.length) {
            errors[key] ??= `Line ${li + 1}: write ${f.columns.map((c) => c.label.toLowerCase()).join(", ")} (${f.columns.length} numbers)`;
            return;
          }
          const row: Record<string, number> = {};
          f.columns.forEach((c, ci) => {
            const n = parseNumber(parts[ci], c, currency);
            if (n.ok) row[c.name] = n.value;
            else errors[key] ??= `Line ${li + 1}: ${n.message}`;
          });
          rows.push(row);
        });
        if (lines.length === 0) {
          if (f.required) errors[key] = `${f.label}: add at least one line`;
          empty([]);
        } else args[f.name] = rows;
        break;
      }
      case "object":
        args[f.name] = valuesToArgs(f.fields, asObject(raw), currency, errors, `${key}.`);
        break;
      case "json":
        if (text === "") {
          empty(undefined);
          break;
        }
        try {
          args[f.name] = JSON.parse(text);
        } catch {
          errors[key] = `${f.label} must be valid JSON`;
        }
        break;
    }
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// Validation with the strategy's schema, in the merchant's words

/** Marks zod's own messages, so a strategy's own ("tell the customer why") is kept as written. */
const DEFAULT_MESSAGE = "\u0000default";
const byDefault = () => DEFAULT_MESSAGE;

type Issue = z.core.$ZodIssue & { minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean; origin?: string };

interface Located {
  /** The field the issue lands on (null: the rule as a whole). */
  field: ArgField | null;
  key: string;
  /** The row (1-based) of a rows field, or the item of a list. */
  line: number | null;
  column: { label: string; kind: NumberKind } | null;
}

function locate(fields: readonly ArgField[], path: readonly PropertyKey[], prefix = ""): Located {
  const f = fields.find((x) => x.name === path[0]);
  if (!f) return { field: null, key: "", line: null, column: null };
  const key = `${prefix}${f.name}`;
  if (f.kind === "object" && path.length > 1) {
    const inner = locate(f.fields, path.slice(1), `${key}.`);
    return inner.field ? inner : { field: f, key, line: null, column: null };
  }
  const line = typeof path[1] === "number" ? path[1] + 1 : null;
  const column = f.kind === "rows" ? (f.columns.find((c) => c.name === path[2]) ?? null) : null;
  return { field: f, key, line, column };
}

function allFields(fields: readonly ArgField[]): ArgField[] {
  return fields.flatMap((f) => (f.kind === "object" ? [f, ...allFields(f.fields)] : [f]));
}

/** "from must be before to" → "From must be before until": argument names as their labels. */
function inWords(message: string, fields: readonly ArgField[], label: string): string {
  const labels = new Map(allFields(fields).map((f) => [f.name, shortLabel(f.label)]));
  let m = labels.size === 0 ? message : message.replace(new RegExp(`\\b(${[...labels.keys()].join("|")})\\b`, "g"), (name) => labels.get(name) ?? name);
  if (/^(must|is|are|should) /.test(m)) m = `${label} ${m}`;
  return m.charAt(0).toUpperCase() + m.slice(1);
}

function issueMessage(issue: Issue, at: Located, fields: readonly ArgField[], currency: string): string {
  const f = at.field;
  const label = at.column?.label ?? f?.label ?? "This rule";
  if (issue.message !== DEFAULT_MESSAGE) return inWords(issue.message, fields, label);
  const kind = at.column?.kind ?? f?.kind;
  const show = (n: number | bigint | undefined) => (kind === "money" ? formatAmount(Number(n), currency) : String(n));
  if (issue.code === "too_small" && issue.origin === "array") return `${label}: choose at least ${issue.minimum}`;
  if (issue.code === "too_big" && issue.origin === "array") return `${label}: at most ${issue.maximum}`;
  if (issue.code === "too_small" && issue.origin === "string") return `${label} is required`;
  if (issue.code === "too_big" && issue.origin === "string") return `${label} is at most ${issue.maximum} characters`;
  if (issue.code === "too_small") return `${label} must be ${issue.inclusive ? "at least" : "above"} ${show(issue.minimum)}`;
  if (issue.code === "too_big") return `${label} must be ${issue.inclusive ? "at most" : "below"} ${show(issue.maximum)}`;
  if (issue.code === "invalid_type") return `${label} is required`;
  if (issue.code === "invalid_format" || (issue.code === "invalid_value" && f?.kind === "time")) return `${label} must be a time as HH:MM`;
  if (issue.code === "invalid_value" && (f?.kind === "choice" || f?.kind === "choices")) return `${label}: choose one of the options`;
  return `${label} is not valid`;
}

/**
 * Validates args with a zod schema (a strategy's args, or a nested rule's own fields); errors keyed
 * by the field they land on (`""` for the rule as a whole).
 */
export function checkArgs(schema: z.ZodType, fields: readonly ArgField[], args: unknown, currency: string): Errors {
  const parsed = schema.safeParse(args, { error: byDefault });
  const errors: Errors = {};
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues as Issue[]) {
    const at = locate(fields, issue.path);
    const message = issueMessage(issue, at, fields, currency);
    errors[at.key] ??= at.line !== null && at.field?.kind === "rows" ? `Line ${at.line}: ${message}` : message;
  }
  return errors;
}

export type ReadRule = { ok: true; rule: RuleRef } | { ok: false; errors: Errors };

/**
 * Reads one rule's values into `{ code, args }`, validated by the strategy's own args schema.
 * Errors are keyed by argument path, "code" for the rule itself. The args stored are those the
 * merchant entered (defaults stay implicit, as the engine applies them).
 */
export function readRule(form: RuleForm, value: RuleValue, currency: string): ReadRule {
  const strategy = form.registry.strategies.get(value.code);
  const spec = ruleSpec(form, value.code);
  if (!strategy || !spec) {
    return { ok: false, errors: { code: `Choose a ${form.registry.kind} (known: ${[...form.registry.strategies.keys()].join(", ")})` } };
  }
  const errors: Errors = {};
  const args = valuesToArgs(spec.fields, value.values, currency, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const checked = checkArgs(strategy.argsSchema, spec.fields, args, currency);
  if (Object.keys(checked).length > 0) {
    const { "": whole, ...byField } = checked;
    return { ok: false, errors: whole === undefined ? byField : { ...byField, code: whole } };
  }
  return { ok: true, rule: { code: strategy.code, args } };
}

/** Field names of a rule list: `${name}.${index}.code` and `${name}.${index}.args.${path}`. */
export const codeName = (at: string) => `${at}.code`;
export const argName = (at: string, path: string) => `${at}.args.${path}`;
/** An input's id from its name: "surcharges.0.args.percent" → "surcharges-0-percent". */
export const inputId = (name: string) => name.replace(/\.args\./g, ".").replace(/\./g, "-");

/** Reads one rule at a position (`at` = "pricingRules.1"); errors keyed by full field name. */
export function readRuleAt(form: RuleForm, value: RuleValue, at: string, currency: string, errors: Errors): RuleRef | null {
  const read = readRule(form, value, currency);
  if (read.ok) return read.rule;
  for (const [path, message] of Object.entries(read.errors)) errors[path === "code" ? codeName(at) : argName(at, path)] = message;
  return null;
}

/** Reads a list of rules; errors keyed by full field name (`pricingRules.1.args.percent`), ready to show next to the field. */
export function readRules(form: RuleForm, values: readonly RuleValue[], name: string, currency: string): { rules: RuleRef[]; errors: Errors } {
  const errors: Errors = {};
  const rules = values.flatMap((value, i) => readRuleAt(form, value, `${name}.${i}`, currency, errors) ?? []);
  return { rules, errors };
}
