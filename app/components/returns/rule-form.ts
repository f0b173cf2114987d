// The return rules editor's form model, generated from each registered condition's and outcome's
// zod args schema (zod → JSON Schema → fields), so a new return rule gets its admin form by being
// registered. Pure: the page draws the fields from it, the action reads the posted values back with
// it, and returnSettingsSchema (the one schema of the settings) validates the result; its issue
// paths (rules.2.when.0.args.maxDays) are the fields' names, so errors land next to the field.
import { z } from "zod";
import type { RuleRef } from "~/core/costing/registry";
import { formatMinor } from "~/core/money/money";
import { conditionRegistry, outcomeRegistry } from "~/core/returns";
import { ITEM_CONDITION_LABELS, RETURN_REASON_LABELS } from "~/core/returns/types";

interface StrategyLike {
  code: string;
  label: string;
  argsSchema: z.ZodType;
}

export type FieldKind = "number" | "money" | "choice" | "choices" | "list" | "text";

export interface ArgField {
  name: string;
  label: string;
  help: string | null;
  kind: FieldKind;
  options: string[];
  /** An empty value means "no bound" (nullable). */
  optional: boolean;
}

export interface StrategySpec {
  code: string;
  label: string;
  fields: ArgField[];
}

type Json = {
  type?: string;
  enum?: unknown[];
  anyOf?: Json[];
  items?: Json;
  properties?: Record<string, Json>;
  description?: string;
  default?: unknown;
};

/** Plain labels for enum values shown as choices. */
export const CHOICE_LABELS: Record<string, string> = {
  ...RETURN_REASON_LABELS,
  ...ITEM_CONDITION_LABELS,
  REFUND: "Refund",
  STORE_CREDIT: "Store credit",
  FINAL_SALE: "Final sale",
  RETURN_PERIOD_ENDED: "Return period ended",
};

function humanise(name: string): string {
  const words = name.replace(/Minor$/, "").replace(/([A-Z])/g, " $1").toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fieldOf(name: string, raw: Json): ArgField {
  const nonNull = raw.anyOf?.filter((s) => s.type !== "null");
  const optional = raw.anyOf?.some((s) => s.type === "null") ?? false;
  const s: Json = nonNull && nonNull.length === 1 ? { ...nonNull[0], description: raw.description ?? nonNull[0].description } : raw;
  const base = { name, label: humanise(name), help: s.description ?? null, optional, options: [] as string[] };
  if (s.type === "number" || s.type === "integer") {
    // Money is typed as an amount (24.00) in the shop currency, not in minor units.
    if (/Minor$/.test(name)) return { ...base, kind: "money", help: base.help?.replace(/,? ?minor units/, "") ?? null };
    return { ...base, kind: "number" };
  }
  if (s.type === "string" && s.enum) return { ...base, kind: "choice", options: s.enum.map(String) };
  if (s.type === "array" && s.items?.enum) return { ...base, kind: "choices", options: s.items.enum.map(String) };
  if (s.type === "array") return { ...base, kind: "list" };
  return { ...base, kind: "text" };
}

const cache = new WeakMap<StrategyLike, StrategySpec>();
export function specOf(strategy: StrategyLike): StrategySpec {
  const hit = cache.get(strategy);
  if (hit) return hit;
  const json = z.toJSONSchema(strategy.argsSchema, { io: "input", unrepresentable: "any" }) as Json;
  const spec = {
    code: strategy.code,
    label: strategy.label,
    fields: Object.entries(json.properties ?? {}).map(([name, s]) => fieldOf(name, s)),
  };
  cache.set(strategy, spec);
  return spec;
}

export const conditionSpecs = (): StrategySpec[] => [...conditionRegistry.strategies.values()].map(specOf);
export const outcomeSpecs = (): StrategySpec[] => [...outcomeRegistry.strategies.values()].map(specOf);

// ---------------------------------------------------------------------------------------------
// Form values: every field as text (lists comma-separated), choices as string arrays.

export type ArgValues = Record<string, string | string[]>;
export interface RefValues {
  code: string;
  args: ArgValues;
}
export interface RuleValues {
  id: string;
  name: string;
  enabled: boolean;
  when: RefValues[];
  then: RefValues;
}
export interface RulesFormValues {
  rules: RuleValues[];
  defaultOutcome: string;
}

const digits = (currency: string) => (currency === "JPY" || currency === "KRW" ? 0 : 2);

function argsToValues(spec: StrategySpec, args: unknown, currency: string): ArgValues {
  const a = (args && typeof args === "object" ? args : {}) as Record<string, unknown>;
  const out: ArgValues = {};
  for (const f of spec.fields) {
    const v = a[f.name];
    if (f.kind === "choices") out[f.name] = Array.isArray(v) ? v.map(String) : [];
    else if (f.kind === "list") out[f.name] = Array.isArray(v) ? v.map(String).join(", ") : "";
    else if (f.kind === "money") out[f.name] = typeof v === "number" ? (v / 10 ** digits(currency)).toFixed(digits(currency)) : "";
    else if (f.kind === "choice") out[f.name] = typeof v === "string" ? v : f.options[0];
    else out[f.name] = v === undefined || v === null ? "" : String(v);
  }
  return out;
}

export function newRef(registry: "condition" | "outcome", code: string, currency: string): RefValues {
  const strategy = (registry === "condition" ? conditionRegistry : outcomeRegistry).strategies.get(code);
  return { code, args: strategy ? argsToValues(specOf(strategy), {}, currency) : {} };
}

function refToValues(registry: "condition" | "outcome", ref: unknown, currency: string): RefValues {
  const r = (ref && typeof ref === "object" ? ref : {}) as { code?: unknown; args?: unknown };
  const code = typeof r.code === "string" ? r.code : "";
  const strategy = (registry === "condition" ? conditionRegistry : outcomeRegistry).strategies.get(code);
  return { code, args: strategy ? argsToValues(specOf(strategy), r.args, currency) : {} };
}

/** Stored rules (ReturnSettings.rulesJson) as form values. */
export function rulesToValues(rules: readonly unknown[], defaultOutcome: string, currency: string): RulesFormValues {
  return {
    defaultOutcome,
    rules: rules.map((raw, i) => {
      const r = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
      return {
        id: typeof r.id === "string" ? r.id : `rule-${i + 1}`,
        name: typeof r.name === "string" ? r.name : "",
        enabled: r.enabled !== false,
        when: Array.isArray(r.when) ? r.when.map((c) => refToValues("condition", c, currency)) : [],
        then: refToValues("outcome", r.then, currency),
      };
    }),
  };
}

function valuesToArgs(spec: StrategySpec | undefined, values: ArgValues, currency: string, path: string, errors: Record<string, string>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (!spec) return args;
  for (const f of spec.fields) {
    const raw = values[f.name];
    const text = typeof raw === "string" ? raw.trim() : "";
    const key = `${path}.args.${f.name}`;
    switch (f.kind) {
      case "choices":
        args[f.name] = Array.isArray(raw) ? raw : text ? [text] : [];
        break;
      case "list":
        args[f.name] = text ? text.split(",").map((t) => t.trim()).filter(Boolean) : [];
        break;
      case "number":
      case "money": {
        if (text === "") {
          if (f.optional) args[f.name] = null;
          break;
        }
        const n = Number(text.replace(/,/g, ""));
        if (!Number.isFinite(n)) {
          errors[key] = `${f.label} must be a number`;
          break;
        }
        args[f.name] = f.kind === "money" ? Math.round(n * 10 ** digits(currency)) : n;
        break;
      }
      default:
        // Empty text is sent as such, so the strategy's own message ("tell the customer why") shows.
        args[f.name] = text;
    }
  }
  return args;
}

/** Posted form values → the settings' rules (not yet validated), plus errors for unreadable numbers. */
export function valuesToRules(values: RulesFormValues, currency: string): { rules: unknown[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const rules = values.rules.map((r, i) => {
    const when = r.when.map((c, j) => {
      const strategy = conditionRegistry.strategies.get(c.code);
      return { code: c.code, args: valuesToArgs(strategy && specOf(strategy), c.args, currency, `rules.${i}.when.${j}`, errors) };
    });
    const strategy = outcomeRegistry.strategies.get(r.then.code);
    const then = { code: r.then.code, args: valuesToArgs(strategy && specOf(strategy), r.then.args, currency, `rules.${i}.then`, errors) };
    return { id: r.id, name: r.name, enabled: r.enabled, when, then };
  });
  return { rules, errors };
}

/** Zod issues keyed by their path ("rules.0.when.1.args.maxDays"), first message per path. */
export function issuesByPath(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    out[key] ??= issue.message;
  }
  return out;
}

/** The posted editor state: one JSON field, parsed with this schema at the boundary. */
const argValuesSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
const refValuesSchema = z.object({ code: z.string(), args: argValuesSchema.default({}) });
export const rulesFormSchema = z.object({
  defaultOutcome: z.string(),
  rules: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        enabled: z.boolean(),
        when: z.array(refValuesSchema),
        then: refValuesSchema,
      }),
    )
    .max(100, "at most 100 rules"),
});

// ---------------------------------------------------------------------------------------------
// Plain language

function showValue(f: ArgField, v: unknown, currency: string): string | null {
  if (v === null || v === undefined || v === "") return null;
  if (Array.isArray(v)) return v.length ? v.map((x) => CHOICE_LABELS[String(x)] ?? String(x)).join(", ") : null;
  if (f.kind === "money" && typeof v === "number") return formatMinor(v, currency);
  if (f.kind === "choice") return CHOICE_LABELS[String(v)] ?? String(v);
  return String(v);
}

/** "Return reason is one of: Color, Style". */
export function describeRef(kind: "condition" | "outcome", ref: RuleRef, currency: string): string {
  const strategy = (kind === "condition" ? conditionRegistry : outcomeRegistry).strategies.get(ref.code);
  if (!strategy) return `unknown ${kind} ${ref.code}`;
  const spec = specOf(strategy);
  const a = (ref.args ?? {}) as Record<string, unknown>;
  const parts = spec.fields.flatMap((f) => {
    const shown = showValue(f, a[f.name], currency);
    return shown === null ? [] : [`${f.label.toLowerCase()} ${shown}`];
  });
  return parts.length ? `${strategy.label}: ${parts.join("; ")}` : strategy.label;
}

/** One sentence for a whole rule: "If reason is …, and …, then …". */
export function describeRule(rule: { when: RuleRef[]; then: RuleRef; enabled?: boolean }, currency: string): string {
  const when = rule.when.length ? rule.when.map((c) => describeRef("condition", c, currency)).join(", and ") : "Every returned line";
  return `${rule.enabled === false ? "(Off) " : ""}When ${when.charAt(0).toLowerCase()}${when.slice(1)} → ${describeRef("outcome", rule.then, currency)}.`;
}
