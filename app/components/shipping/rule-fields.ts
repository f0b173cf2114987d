// Forms for `{ code, args }` rules, generated from each registered strategy's argument schema
// (zod → JSON Schema), so a new pricing, surge or surcharge rule gets its admin form by being
// registered. Pure: used by the page to draw the fields and by the action to read them back,
// validated by the same schema the engine compiles.
import { z } from "zod";
import { formatPriceCell, parsePriceCell } from "~/core/costing/rate-card-csv";
import type { RuleRef } from "~/core/costing/registry";
import { humanise, RULE_HELP } from "./rule-help";

interface StrategyLike {
  code: string;
  label: string;
  argsSchema: z.ZodType;
}

export interface RegistryLike {
  kind: string;
  strategies: ReadonlyMap<string, StrategyLike>;
}

interface FieldBase {
  name: string;
  label: string;
  help: string | null;
  required: boolean;
}

export type ArgField =
  | (FieldBase & { kind: "number"; integer: boolean; money: boolean; min: number | null; max: number | null; defaultValue: number | null })
  | (FieldBase & { kind: "time"; defaultValue: string | null })
  | (FieldBase & { kind: "text"; defaultValue: string | null })
  | (FieldBase & { kind: "choice"; options: string[]; defaultValue: string | null })
  /** Tick boxes; when `nullable`, none ticked means "all" (stored as null). */
  | (FieldBase & { kind: "choices"; options: string[]; nullable: boolean })
  /** An array of small records, one per line: "0.8, 1.2". */
  | (FieldBase & { kind: "rows"; columns: { name: string; label: string; money: boolean }[] })
  | (FieldBase & { kind: "json" });

export interface RuleSpec {
  code: string;
  label: string;
  summary: string | null;
  example: string | null;
  fields: ArgField[];
}

/** Form values of one rule: strings, or lists of strings for tick boxes. */
export type RuleValues = Record<string, string | string[]>;
export interface RuleFormValue {
  code: string;
  values: RuleValues;
}

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
};

const TIME_PATTERN = "^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$";
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function fieldOf(name: string, schema: JsonSchema, required: boolean, help: { label: string; help?: string } | undefined): ArgField {
  const label = help?.label ?? humanise(name);
  const base = { name, label, help: help?.help ?? null, required: required && schema.default === undefined };
  const nonNull = schema.anyOf?.filter((s) => s.type !== "null");
  const nullable = schema.anyOf?.some((s) => s.type === "null") ?? false;
  const s: JsonSchema = nonNull && nonNull.length === 1 ? { ...nonNull[0], default: schema.default } : schema;
  if (s.type === "number" || s.type === "integer") {
    const min = s.minimum ?? s.exclusiveMinimum ?? null;
    const max = s.maximum ?? s.exclusiveMaximum ?? null;
    return {
      ...base,
      kind: "number",
      integer: s.type === "integer",
      money: /Minor$/.test(name),
      min,
      max: max !== null && max >= MAX_SAFE ? null : max,
      defaultValue: typeof s.default === "number" ? s.default : null,
    };
  }
  if (s.type === "string" && s.enum) {
    return { ...base, kind: "choice", options: s.enum.map(String), defaultValue: typeof s.default === "string" ? s.default : null };
  }
  if (s.type === "string") {
    const defaultValue = typeof s.default === "string" ? s.default : null;
    return s.pattern === TIME_PATTERN ? { ...base, kind: "time", defaultValue } : { ...base, kind: "text", defaultValue };
  }
  if (s.type === "array" && s.items?.enum) {
    return { ...base, kind: "choices", options: s.items.enum.map(String), nullable };
  }
  if (s.type === "array" && s.items?.type === "object" && s.items.properties) {
    const props = Object.entries(s.items.properties);
    if (props.every(([, p]) => p.type === "number" || p.type === "integer")) {
      return {
        ...base,
        kind: "rows",
        columns: props.map(([n]) => ({ name: n, label: humanise(n), money: /Minor$/.test(n) })),
      };
    }
  }
  return { ...base, kind: "json" };
}

const specCache = new WeakMap<StrategyLike, RuleSpec>();

export function ruleSpec(strategy: StrategyLike): RuleSpec {
  const cached = specCache.get(strategy);
  if (cached) return cached;
  const json = z.toJSONSchema(strategy.argsSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const help = RULE_HELP[strategy.code];
  const required = new Set(json.required ?? []);
  const fields = Object.entries(json.properties ?? {}).map(([name, schema]) =>
    fieldOf(name, schema, required.has(name), help?.args?.[name]),
  );
  const spec = { code: strategy.code, label: strategy.label, summary: help?.summary ?? null, example: help?.example ?? null, fields };
  specCache.set(strategy, spec);
  return spec;
}

export function registrySpecs(registry: RegistryLike): RuleSpec[] {
  return [...registry.strategies.values()].map(ruleSpec);
}

// ---------------------------------------------------------------------------------------------
// Values ↔ args

function numberText(value: number, money: boolean, currency: string): string {
  return money ? formatPriceCell(value, currency) : String(value);
}

/** The form values that show a stored rule's args. */
export function ruleValues(spec: RuleSpec, args: unknown, currency: string): RuleValues {
  const a = (args ?? {}) as Record<string, unknown>;
  const out: RuleValues = {};
  for (const f of spec.fields) {
    const v = a[f.name];
    switch (f.kind) {
      case "number":
        out[f.name] = typeof v === "number" ? numberText(v, f.money, currency) : f.defaultValue !== null ? numberText(f.defaultValue, f.money, currency) : "";
        break;
      case "time":
      case "text":
      case "choice":
        out[f.name] = typeof v === "string" ? v : (f.defaultValue ?? (f.kind === "choice" ? f.options[0] : ""));
        break;
      case "choices":
        out[f.name] = Array.isArray(v) ? v.map(String) : [];
        break;
      case "rows":
        out[f.name] = Array.isArray(v)
          ? v.map((row) => f.columns.map((c) => numberText(Number((row as Record<string, unknown>)[c.name]), c.money, currency)).join(", ")).join("\n")
          : "";
        break;
      case "json":
        out[f.name] = v === undefined ? "" : JSON.stringify(v, null, 2);
        break;
    }
  }
  return out;
}

/** A new rule of this kind with its defaults. */
export function newRuleValue(spec: RuleSpec, currency: string): RuleFormValue {
  return { code: spec.code, values: ruleValues(spec, {}, currency) };
}

function parseNumber(text: string, f: { label: string; money: boolean; integer?: boolean }, currency: string): { ok: true; value: number } | { ok: false; message: string } {
  if (f.money) {
    const p = parsePriceCell(text, currency);
    if (!p.ok || p.minor === null) return { ok: false, message: `${f.label}: ${p.ok ? "enter an amount such as 2.50" : p.message}` };
    return { ok: true, value: p.minor };
  }
  const n = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(n)) return { ok: false, message: `${f.label} must be a number` };
  if (f.integer && !Number.isInteger(n)) return { ok: false, message: `${f.label} must be a whole number` };
  return { ok: true, value: n };
}

/** A zod issue in the merchant's words, with argument names replaced by their labels. */
function issueMessage(issue: z.core.$ZodIssue, field: ArgField | undefined, spec: RuleSpec, currency: string): string {
  const label = field?.label ?? "This rule";
  const money = field?.kind === "number" && field.money;
  const bound = (n: number) => (money ? formatPriceCell(n, currency) : String(n));
  const i = issue as z.core.$ZodIssue & { minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean; origin?: string };
  if (issue.code === "too_small" && i.origin === "array") return `${label}: choose at least ${i.minimum}`;
  if (issue.code === "too_small") return `${label} must be ${i.inclusive ? "at least" : "above"} ${bound(Number(i.minimum))}`;
  if (issue.code === "too_big") return `${label} must be ${i.inclusive ? "at most" : "below"} ${bound(Number(i.maximum))}`;
  if (issue.code === "invalid_type") return `${label} is required`;
  if (issue.code === "invalid_format" || (issue.code === "invalid_value" && field?.kind === "time")) return `${label} must be a time as HH:MM`;
  // A rule's own message ("from must be before to") with its argument names as the labels the
  // merchant sees ("From must be before until").
  let message = issue.message;
  for (const f of spec.fields) {
    message = message.replace(new RegExp(`\\b${f.name}\\b`, "g"), f.label.replace(/\s*\(.*\)$/, "").toLowerCase());
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export type ReadRule = { ok: true; rule: RuleRef } | { ok: false; errors: Record<string, string> };

/**
 * Reads one rule's values (as posted) into `{ code, args }`, validated by the strategy's own
 * argument schema. Errors are keyed by argument name (or "code").
 */
export function readRule(registry: RegistryLike, value: RuleFormValue, currency: string): ReadRule {
  const strategy = registry.strategies.get(value.code);
  if (!strategy) {
    return { ok: false, errors: { code: `Choose a ${registry.kind} (known: ${[...registry.strategies.keys()].join(", ")})` } };
  }
  const spec = ruleSpec(strategy);
  const args: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of spec.fields) {
    const raw = value.values[f.name];
    const text = typeof raw === "string" ? raw.trim() : "";
    switch (f.kind) {
      case "number": {
        if (text === "") {
          if (f.required) errors[f.name] = `${f.label} is required`;
          break;
        }
        const n = parseNumber(text, f, currency);
        if (n.ok) args[f.name] = n.value;
        else errors[f.name] = n.message;
        break;
      }
      case "time":
      case "text":
      case "choice":
        if (text === "") {
          if (f.required) errors[f.name] = `${f.label} is required`;
        } else args[f.name] = text;
        break;
      case "choices": {
        const list = Array.isArray(raw) ? raw : typeof raw === "string" && raw !== "" ? [raw] : [];
        args[f.name] = list.length === 0 && f.nullable ? null : list;
        break;
      }
      case "rows": {
        const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
        const rows: Record<string, number>[] = [];
        lines.forEach((line, li) => {
          const parts = line.split(/\s*[,;×x*\s]\s*/).filter(Boolean);
          if (parts.length !== f.columns.length) {
            errors[f.name] ??= `Line ${li + 1}: write ${f.columns.map((c) => c.label.toLowerCase()).join(", ")} (${f.columns.length} numbers)`;
            return;
          }
          const row: Record<string, number> = {};
          f.columns.forEach((c, ci) => {
            const n = parseNumber(parts[ci], c, currency);
            if (n.ok) row[c.name] = n.value;
            else errors[f.name] ??= `Line ${li + 1}: ${n.message}`;
          });
          rows.push(row);
        });
        if (lines.length === 0 && f.required) errors[f.name] = `${f.label}: add at least one line`;
        else args[f.name] = rows;
        break;
      }
      case "json":
        if (text === "") break;
        try {
          args[f.name] = JSON.parse(text);
        } catch {
          errors[f.name] = `${f.label} must be valid JSON`;
        }
        break;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const parsed = strategy.argsSchema.safeParse(args);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? "");
      const field = spec.fields.find((f) => f.name === name);
      const key = field ? name : "code";
      let message = issueMessage(issue, field, spec, currency);
      if (field?.kind === "rows" && typeof issue.path[1] === "number") {
        const column = field.columns.find((c) => c.name === issue.path[2]);
        const line = `Line ${issue.path[1] + 1}`;
        const inner = issueMessage(issue, column ? { ...field, label: column.label } : field, spec, currency);
        message = `${line}: ${inner}`;
      }
      errors[key] ??= message;
    }
    return { ok: false, errors };
  }
  // Store what the merchant entered (defaults stay implicit, as the engine applies them).
  return { ok: true, rule: { code: strategy.code, args } };
}

// ---------------------------------------------------------------------------------------------
// FormData names: `${prefix}.${index}.code` and `${prefix}.${index}.args.${name}`

export const ruleFieldName = (prefix: string, index: number, arg: string) => `${prefix}.${index}.args.${arg}`;
export const ruleCodeName = (prefix: string, index: number) => `${prefix}.${index}.code`;

/** The rules posted under a prefix, in the order shown (by index). */
export function ruleValuesFromForm(form: FormData, prefix: string): RuleFormValue[] {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const codeKey = new RegExp(`^${escaped}\\.(\\d+)\\.code$`);
  const indices = new Set<number>();
  for (const key of form.keys()) {
    const m = codeKey.exec(key);
    if (m) indices.add(Number(m[1]));
  }
  return [...indices]
    .sort((a, b) => a - b)
    .map((i) => {
      const values: RuleValues = {};
      const argPrefix = `${prefix}.${i}.args.`;
      for (const key of new Set(form.keys())) {
        if (!key.startsWith(argPrefix)) continue;
        const all = form.getAll(key).filter((v): v is string => typeof v === "string");
        values[key.slice(argPrefix.length)] = all.length > 1 || key.endsWith("[]") ? all : (all[0] ?? "");
      }
      return { code: String(form.get(`${prefix}.${i}.code`) ?? ""), values };
    });
}

/**
 * Reads every rule under a prefix. Errors are keyed by full field name
 * (`pricingRules.1.args.percent`), ready to show next to the field.
 */
export function readRules(
  registry: RegistryLike,
  values: RuleFormValue[],
  prefix: string,
  currency: string,
): { rules: RuleRef[]; errors: Record<string, string> } {
  const rules: RuleRef[] = [];
  const errors: Record<string, string> = {};
  values.forEach((value, i) => {
    const spec = registry.strategies.get(value.code);
    const read = readRule(registry, value, currency);
    if (read.ok) rules.push(read.rule);
    else {
      for (const [name, message] of Object.entries(read.errors)) {
        errors[name === "code" ? ruleCodeName(prefix, i) : ruleFieldName(prefix, i, name)] = message;
      }
    }
    // Tick boxes with one value arrive as a string; normalise so the form shows them back.
    if (spec) {
      for (const f of ruleSpec(spec).fields) {
        if (f.kind === "choices" && typeof value.values[f.name] === "string") {
          value.values[f.name] = value.values[f.name] ? [value.values[f.name] as string] : [];
        }
      }
    }
  });
  return { rules, errors };
}

/** Stored rules as form values (unknown codes are kept so the merchant sees and removes them). */
export function rulesToValues(registry: RegistryLike, rules: readonly RuleRef[], currency: string): RuleFormValue[] {
  return rules.map((r) => {
    const strategy = registry.strategies.get(r.code);
    return strategy ? { code: r.code, values: ruleValues(ruleSpec(strategy), r.args, currency) } : { code: r.code, values: {} };
  });
}

/** One line for a stored rule: "Surge by hour and weekday (days mon/tue, from 17:00, until 19:00, multiplier 1.25)". */
export function describeRule(registry: RegistryLike, rule: RuleRef, currency: string): string {
  const strategy = registry.strategies.get(rule.code);
  if (!strategy) return `unknown ${registry.kind} ${rule.code}`;
  const spec = ruleSpec(strategy);
  const values = ruleValues(spec, rule.args, currency);
  const parts: string[] = [];
  for (const f of spec.fields) {
    const v = values[f.name];
    const label = f.label.replace(/\s*\(.*\)$/, "").toLowerCase();
    if (Array.isArray(v)) {
      if (v.length > 0) parts.push(`${label}: ${v.join("/")}`);
    } else if (v !== "") {
      const text = f.kind === "rows" ? v.split("\n").map((line) => line.replace(", ", " × ")).join("; ") : v;
      const unit = f.kind === "number" && f.money ? ` ${currency}` : /\(%\)$/.test(f.label) ? "%" : "";
      parts.push(`${label} ${text}${unit}`);
    }
  }
  return parts.length ? `${strategy.label} (${parts.join(", ")})` : strategy.label;
}
