// Pricing rules, backup rates and the checkout time budget: one schema each for page and action.
import { backupRateSchema, type BackupRate } from "~/core/quoting/backup";
import { pricingRegistry, applyPricing } from "~/core/quoting/pricing";
import { readRules, type RuleValue } from "~/components/rules/values";
import type { ServiceKind } from "~/core/costing/types";
import { money, numberField, type FieldErrors } from "./form-utils";
import { formatMinor, parseMoney } from "~/core/money/money";
import { pricingRuleForm } from "./rule-forms";

export const PRICING_PREFIX = "pricingRules";

// ---------------------------------------------------------------------------------------------
// Backup rates

export const BACKUP_FIELDS = ["serviceName", "serviceCode", "description", "price", "freeOver", "transitDaysMin", "transitDaysMax"] as const;
export type BackupField = (typeof BACKUP_FIELDS)[number];
export type BackupFormValues = Record<BackupField, string>;
export const backupName = (i: number, f: BackupField) => `backup.${i}.${f}`;

export const BACKUP_LABELS: Record<BackupField, string> = {
  serviceName: "Name shoppers see",
  serviceCode: "Service code",
  description: "Description",
  price: "Price",
  freeOver: "Free from a subtotal of",
  transitDaysMin: "Fewest days",
  transitDaysMax: "Most days",
};

export function backupToForm(rate: BackupRate, currency: string): BackupFormValues {
  return {
    serviceName: rate.serviceName,
    serviceCode: rate.serviceCode,
    description: rate.description,
    price: money(rate.priceMinor, currency),
    freeOver: money(rate.freeOverMinor, currency),
    transitDaysMin: String(rate.transitDaysMin),
    transitDaysMax: String(rate.transitDaysMax),
  };
}

export function newBackupForm(index: number): BackupFormValues {
  return {
    serviceName: index === 0 ? "Standard shipping" : "",
    serviceCode: `NH:BACKUP:${index === 0 ? "STANDARD" : `RATE${index + 1}`}`,
    description: "",
    price: "",
    freeOver: "",
    transitDaysMin: "3",
    transitDaysMax: "7",
  };
}

export function backupFormValues(form: FormData): BackupFormValues[] {
  const indices = new Set<number>();
  for (const key of form.keys()) {
    const m = /^backup\.(\d+)\.serviceName$/.exec(key);
    if (m) indices.add(Number(m[1]));
  }
  return [...indices]
    .sort((a, b) => a - b)
    .map((i) => Object.fromEntries(BACKUP_FIELDS.map((f) => [f, String(form.get(backupName(i, f)) ?? "")])) as BackupFormValues);
}

const FIELD_OF: Record<string, BackupField> = {
  serviceName: "serviceName",
  serviceCode: "serviceCode",
  description: "description",
  priceMinor: "price",
  freeOverMinor: "freeOver",
  transitDaysMin: "transitDaysMin",
  transitDaysMax: "transitDaysMax",
};

export function readBackupForm(rows: BackupFormValues[], currency: string): { rates: BackupRate[] | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const rates: BackupRate[] = [];
  if (rows.length === 0) errors["backup"] = "Keep at least one backup rate: it is what shoppers see when live quoting cannot answer";
  if (rows.length > 10) errors["backup"] = "At most 10 backup rates";
  const codes = new Map<string, number>();
  rows.forEach((row, i) => {
    const amount = (f: "price" | "freeOver", required: boolean): number | null | undefined => {
      const text = row[f].trim();
      if (text === "") {
        if (required) errors[backupName(i, f)] = `${BACKUP_LABELS[f]} is required`;
        return required ? undefined : null;
      }
      const p = parseMoney(text, currency);
      if (!p.ok) {
        errors[backupName(i, f)] = `${BACKUP_LABELS[f]}: ${p.message}`;
        return undefined;
      }
      return p.minor;
    };
    const days = (f: "transitDaysMin" | "transitDaysMax") => {
      const t = row[f].trim();
      if (!/^\d+$/.test(t)) {
        errors[backupName(i, f)] = `${BACKUP_LABELS[f]} must be a whole number of days`;
        return undefined;
      }
      return Number(t);
    };
    const candidate = {
      serviceName: row.serviceName,
      serviceCode: row.serviceCode,
      description: row.description,
      priceMinor: amount("price", true),
      freeOverMinor: amount("freeOver", false),
      transitDaysMin: days("transitDaysMin"),
      transitDaysMax: days("transitDaysMax"),
    };
    const parsed = backupRateSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const f = FIELD_OF[String(issue.path[0])];
        if (f) errors[backupName(i, f)] ??= issue.message.startsWith("Invalid input") ? `${BACKUP_LABELS[f]} is required` : issue.message;
      }
      return;
    }
    const r = parsed.data;
    if (r.transitDaysMax < r.transitDaysMin) errors[backupName(i, "transitDaysMax")] = "Must be at least the fewest days";
    const seen = codes.get(r.serviceCode);
    if (seen !== undefined) errors[backupName(i, "serviceCode")] = `Rate ${seen + 1} already uses this code`;
    codes.set(r.serviceCode, i);
    rates.push(r);
  });
  return Object.keys(errors).length > 0 ? { rates: null, errors } : { rates, errors };
}

export const quoteBudgetField = numberField("Checkout time budget", { min: 50, max: 5000, integer: true });

// ---------------------------------------------------------------------------------------------
// Pricing rules and a worked example

export interface PricingExample {
  ok: boolean;
  message: string | null;
  steps: { label: string; before: string; after: string; detail: string }[];
  final: string | null;
}

/** What the rules make of one delivery cost, to show the merchant (pure; runs in the browser). */
export function workExample(
  rules: RuleValue[],
  ctx: { currency: string; costMinor: number; landedMinor: number; subtotalMinor: number; service: ServiceKind },
): PricingExample {
  const read = readRules(pricingRuleForm, rules, PRICING_PREFIX, ctx.currency);
  if (Object.keys(read.errors).length > 0) return { ok: false, message: "Fix the rules above to see the example.", steps: [], final: null };
  try {
    const compiled = read.rules.map((r, i) => pricingRegistry.compile(r, `pricingRules[${i}]`));
    const result = applyPricing(compiled, {
      service: ctx.service,
      currency: ctx.currency,
      forwardCostMinor: ctx.costMinor,
      landedCostMinor: ctx.landedMinor,
      subtotalMinor: ctx.subtotalMinor,
    });
    return {
      ok: true,
      message: null,
      steps: result.steps.map((s) => ({ label: s.label, before: formatMinor(s.beforeMinor, ctx.currency), after: formatMinor(s.afterMinor, ctx.currency), detail: s.detail })),
      final: formatMinor(result.priceMinor, ctx.currency),
    };
  } catch (error) {
    return { ok: false, message: (error as Error).message, steps: [], final: null };
  }
}
