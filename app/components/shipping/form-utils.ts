// Small pieces shared by the shipping forms: reading FormData, unit fields as zod schemas that say
// which field is wrong in the merchant's words, and error maps. Amounts: core/money (moneyTextSchema).
import { z } from "zod";
import { formatAmount } from "~/core/money/money";
import type { FieldErrors } from "~/core/validation/issues";

export type { FieldErrors };


/** A text field; blank → undefined so "required" reads as such. */
export function text(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

export function texts(form: FormData, name: string): string[] {
  return form.getAll(name).filter((v): v is string => typeof v === "string" && v !== "");
}

export function numberField(label: string, opts: { min?: number; max?: number; integer?: boolean; above?: number } = {}) {
  return z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .transform((v, ctx) => {
      const n = Number(v);
      const fail = (message: string) => {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      };
      if (!Number.isFinite(n)) return fail(`${label} must be a number`);
      if (opts.integer && !Number.isInteger(n)) return fail(`${label} must be a whole number`);
      if (opts.above !== undefined && !(n > opts.above)) return fail(`${label} must be above ${opts.above}`);
      if (opts.min !== undefined && n < opts.min) return fail(`${label} must be at least ${opts.min}`);
      if (opts.max !== undefined && n > opts.max) return fail(`${label} must be at most ${opts.max}`);
      return n;
    });
}

/** Blank → null; otherwise as numberField. */
export function optionalNumberField(label: string, opts: { min?: number; max?: number; integer?: boolean; above?: number } = {}) {
  const required = numberField(label, opts);
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return null;
      const r = required.safeParse(v);
      if (!r.success) {
        ctx.addIssue({ code: "custom", message: r.error.issues[0].message });
        return z.NEVER;
      }
      return r.data;
    });
}

export function requiredText(label: string, max = 120) {
  return z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is at most ${max} characters`);
}

/** A URL-safe id from a name: "Bike Courier (BK)" → "bike-courier-bk". */
export function slugify(value: string): string {
  return (
    value
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || "item"
  );
}

/** A slug not yet taken: "bike", "bike-2", … */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const slug = slugify(base);
  if (!used.has(slug)) return slug;
  for (let i = 2; ; i++) if (!used.has(`${slug}-${i}`)) return `${slug}-${i}`;
}

export const money = (minor: number | null | undefined, currency: string) => (minor == null ? "" : formatAmount(minor, currency));

/** Numbers as a merchant types them (no trailing zeros): 1.3, 6, 0.25. */
export const num = (value: number | null | undefined) => (value == null ? "" : String(Number(value.toFixed(6))));

/** Name of the hidden field a configuration form posts its version in (the one its page read). */
export const VERSION_FIELD = "version";

/** The version a configuration form was opened at, or null when the form carries none. */
export function postedVersion(form: FormData): number | null {
  const parsed = z.coerce.number().int().positive().safeParse(form.get(VERSION_FIELD));
  return parsed.success ? parsed.data : null;
}

/** Said when a form posts no version: a page opened before versions existed, or a hand-made post. */
export const NO_VERSION_MESSAGE = "This form does not say which version of the settings it was opened at: reload the page and save again.";
