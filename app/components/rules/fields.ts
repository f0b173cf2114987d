// The one admin form generator for `{ code, args }` rules: a registry's strategies (code, label,
// zod args schema) plus optional help text become typed fields (zod → JSON Schema → fields), so a
// rule of any registry (pricing, surge, surcharges, return conditions and outcomes, and the ones
// still to come) gets its form by being registered. Pure: the editor draws the fields from it in
// the browser, the actions read posted values back with it (values.ts), and both validate with
// the strategy's own schema.
import { z } from "zod";

/** What the generator needs of a strategy (core's Strategy satisfies it). */
export interface StrategyLike {
  code: string;
  label: string;
  argsSchema: z.ZodType;
}

/** What the generator needs of a registry (core's Registry satisfies it). */
export interface RegistryLike {
  kind: string;
  strategies: ReadonlyMap<string, StrategyLike>;
}

export interface ArgHelp {
  label: string;
  help?: string;
}

/** Plain words for one strategy: shown above its fields. */
export interface RuleHelp {
  /** One or two sentences a merchant understands without knowing the code. */
  summary: string;
  /** An example of the rule at work. */
  example?: string;
  /** Labels and help per argument; nested arguments as "parent.child". */
  args?: Record<string, ArgHelp>;
}

/** A registry as a form: the per-page configuration the generator takes. */
export interface RuleForm {
  registry: RegistryLike;
  /** Per code; a strategy without help still works (labels from argument names, help from `.describe()`). */
  help?: Record<string, RuleHelp>;
  /** Labels for enum values shown as choices ("SAME_DAY" → "Same day"). */
  choiceLabels?: Record<string, string>;
}

export interface ChoiceOption {
  value: string;
  label: string;
}

interface FieldBase {
  /** The argument's name; nested fields carry only their own name (paths are built by the caller). */
  name: string;
  label: string;
  help: string | null;
  /** Must be given: no default and not nullable. */
  required: boolean;
  /** Empty means "none" (stored as null). */
  nullable: boolean;
}

export type NumberKind = "number" | "percent" | "money";

export type ArgField =
  | (FieldBase & { kind: "number"; integer: boolean; min: number | null; max: number | null; defaultValue: number | null })
  /** A percentage as typed (12.5 means 12.5 %). */
  | (FieldBase & { kind: "percent"; min: number | null; max: number | null; defaultValue: number | null })
  /** Minor units, typed as an amount in the shop currency ("2.50"). */
  | (FieldBase & { kind: "money"; min: number | null; max: number | null; defaultValue: number | null })
  | (FieldBase & { kind: "boolean"; defaultValue: boolean })
  | (FieldBase & { kind: "text"; multiline: boolean; defaultValue: string | null })
  | (FieldBase & { kind: "time"; defaultValue: string | null })
  | (FieldBase & { kind: "choice"; options: ChoiceOption[]; defaultValue: string | null })
  /** Tick boxes; when `nullable`, none ticked means "all" (stored as null). */
  | (FieldBase & { kind: "choices"; options: ChoiceOption[] })
  /** A list of words, comma-separated: "US, CA". */
  | (FieldBase & { kind: "list" })
  /** A list of small numeric records, one per line: "0.8, 1.2". */
  | (FieldBase & { kind: "rows"; columns: { name: string; label: string; kind: NumberKind }[] })
  /** A nested object: its own fields, named `${name}.${child}`. */
  | (FieldBase & { kind: "object"; fields: ArgField[] })
  /** Anything else, as JSON. */
  | (FieldBase & { kind: "json" });

export interface RuleSpec {
  code: string;
  label: string;
  summary: string | null;
  example: string | null;
  fields: ArgField[];
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
  maxLength?: number;
  default?: unknown;
  description?: string;
  title?: string;
};

/** core/network's localTimeSchema, as JSON Schema writes it. */
const TIME_PATTERN = "^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$";
const NUMERIC = new Set(["number", "integer"]);

/** "minSubtotalMinor" → "Min subtotal", "restockingFeePercent" → "Restocking fee". */
export function humanise(name: string): string {
  const words = name
    .replace(/Minor$/, "")
    .replace(/(.)Percent$/, "$1")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** How a numeric argument is typed, from its name: amounts end in Minor, percentages in Percent. */
export function numberKindOf(name: string): NumberKind {
  if (/Minor$/.test(name)) return "money";
  if (/(^p|P)ercent$/.test(name)) return "percent";
  return "number";
}

const bound = (n: number | undefined) => (n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER ? null : n);
const choiceOptions = (values: unknown[], labels: Record<string, string>): ChoiceOption[] =>
  values.map((v) => ({ value: String(v), label: labels[String(v)] ?? String(v) }));

function fieldOf(name: string, path: string, raw: JsonSchema, inRequired: boolean, labels: Record<string, string>, help: Record<string, ArgHelp>): ArgField {
  const nonNull = raw.anyOf?.filter((s) => s.type !== "null");
  const nullable = raw.anyOf?.some((s) => s.type === "null") ?? false;
  const s: JsonSchema = nonNull && nonNull.length === 1 ? { ...nonNull[0], default: raw.default, description: raw.description ?? nonNull[0].description } : raw;
  const given = help[path];
  const kind = typeof s.type === "string" && NUMERIC.has(s.type) ? numberKindOf(name) : null;
  let label = given?.label ?? s.title ?? humanise(name);
  if (!given && !s.title && kind === "percent") label = `${label} (%)`;
  // Amounts are typed in the shop currency, so "minor units" in a description does not apply.
  const described = s.description?.replace(/,? ?minor units/, "") ?? null;
  const base: FieldBase = { name, label, help: given?.help ?? described, required: inRequired && raw.default === undefined && !nullable, nullable };
  if (kind) {
    const min = bound(s.minimum ?? s.exclusiveMinimum);
    const max = bound(s.maximum ?? s.exclusiveMaximum);
    const defaultValue = typeof s.default === "number" ? s.default : null;
    if (kind === "number") return { ...base, kind, integer: s.type === "integer", min, max, defaultValue };
    return { ...base, kind, min, max, defaultValue };
  }
  if (s.type === "boolean") return { ...base, kind: "boolean", defaultValue: s.default === true };
  if (s.type === "string" && s.enum) return { ...base, kind: "choice", options: choiceOptions(s.enum, labels), defaultValue: typeof s.default === "string" ? s.default : null };
  if (s.type === "string") {
    const defaultValue = typeof s.default === "string" ? s.default : null;
    if (s.pattern === TIME_PATTERN) return { ...base, kind: "time", defaultValue };
    return { ...base, kind: "text", multiline: (s.maxLength ?? 0) > 120, defaultValue };
  }
  if (s.type === "array" && s.items?.enum) return { ...base, kind: "choices", options: choiceOptions(s.items.enum, labels) };
  if (s.type === "array" && s.items?.type === "string") return { ...base, kind: "list" };
  if (s.type === "array" && s.items?.type === "object" && s.items.properties) {
    const props = Object.entries(s.items.properties);
    if (props.every(([, p]) => typeof p.type === "string" && NUMERIC.has(p.type))) {
      return {
        ...base,
        kind: "rows",
        columns: props.map(([n, p]) => ({ name: n, label: help[`${path}.${n}`]?.label ?? p.title ?? humanise(n), kind: numberKindOf(n) })),
      };
    }
  }
  if (s.type === "object" && s.properties) return { ...base, kind: "object", fields: fieldsOf(s, labels, help, `${path}.`) };
  return { ...base, kind: "json" };
}

function fieldsOf(json: JsonSchema, labels: Record<string, string>, help: Record<string, ArgHelp>, prefix = ""): ArgField[] {
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, schema]) => fieldOf(name, `${prefix}${name}`, schema, required.has(name), labels, help));
}

/** The fields of any zod object schema (a strategy's args, or a nested rule's own fields). */
export function schemaFields(schema: z.ZodType, opts: { help?: Record<string, ArgHelp>; choiceLabels?: Record<string, string> } = {}): ArgField[] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return fieldsOf(json, opts.choiceLabels ?? {}, opts.help ?? {});
}

const specCache = new WeakMap<RuleForm, Map<string, RuleSpec>>();

/** The form of one strategy of a registry; null for a code the registry does not know. */
export function ruleSpec(form: RuleForm, code: string): RuleSpec | null {
  const strategy = form.registry.strategies.get(code);
  if (!strategy) return null;
  let byCode = specCache.get(form);
  if (!byCode) specCache.set(form, (byCode = new Map()));
  const hit = byCode.get(code);
  if (hit) return hit;
  const help = form.help?.[code];
  const spec: RuleSpec = {
    code,
    label: strategy.label,
    summary: help?.summary ?? null,
    example: help?.example ?? null,
    fields: schemaFields(strategy.argsSchema, { help: help?.args, choiceLabels: form.choiceLabels }),
  };
  byCode.set(code, spec);
  return spec;
}

/** Every strategy's form, in the registry's order. */
export function ruleSpecs(form: RuleForm): RuleSpec[] {
  return [...form.registry.strategies.keys()].map((code) => ruleSpec(form, code)!);
}

/** A label without its unit, for sentences: "Fuel surcharge (%)" → "fuel surcharge". */
export function shortLabel(label: string): string {
  return label.replace(/\s*\(.*\)$/, "").toLowerCase();
}
