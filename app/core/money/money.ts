// Money in the core is an integer amount of minor units (cents, pence, yen) plus an ISO 4217 code.
// Arithmetic that can produce fractions (percentages, multipliers, per-km rates) rounds once,
// half up, at the point where the figure becomes a component of a bill.
import { z } from "zod";
import { formatMoney } from "../format/format";

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD");

/** A non-negative integer amount of minor units. */
export const minorSchema = z.number().int().nonnegative();

const digitsCache = new Map<string, number>();

/** Number of minor-unit digits of a currency (USD 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** `percent` % of an amount, rounded to minor units. */
export function percentOfMinor(amountMinor: number, percent: number): number {
  return Math.round((amountMinor * percent) / 100);
}

/**
 * "$12.34", "¥900", "€8.80": money for people, in the one style of core/format (Intl, the shop's
 * currency and locale). Kept under this name because every core sentence already writes money with it.
 */
export function formatMinor(amountMinor: number, currency: string, locale?: string): string {
  return formatMoney(amountMinor, { currency, locale });
}

// ---------------------------------------------------------------------------------------------
// Amounts as people type them, and back. The one place a typed "8.95" becomes minor units: forms,
// rate-card cells, order files and webhook prices all come here, so every currency's decimals
// (JPY 0, USD 2, KWD 3) are honoured the same way and no float ever rounds a cent away.

export type MoneyParse = { ok: true; minor: number } | { ok: false; message: string };

export interface ParseMoneyOptions {
  /** Also read "8,95" and "1.234,50" (a decimal comma, dots for thousands), as European files write them. */
  decimalComma?: boolean;
}

const DECIMAL = /^\d+(?:\.\d+)?$|^\.\d+$/;

/** An amount written the way the currency writes it: "8.95" (USD), "900" (JPY), "8.950" (KWD). */
export function exampleAmount(currency: string): string {
  const digits = currencyDigits(currency);
  return digits === 0 ? "900" : `8.${"95".padEnd(digits, "0").slice(0, digits)}`;
}

/**
 * A typed amount → integer minor units of `currency`, exactly (digits are shifted as text, so
 * "0.29" is 29, never 28.999…). Reads "8.95", "$1,234.50", "8.95 USD", "USD 8.95", and with
 * `decimalComma` "8,95" and "1.234,50". Refuses a blank, a negative amount, more decimals than the
 * currency has, and anything that is not a number, each with a sentence naming what was typed.
 */
export function parseMoney(raw: string, currency: string, options: ParseMoneyOptions = {}): MoneyParse {
  const text = raw.trim();
  const example = exampleAmount(currency);
  if (text === "") return { ok: false, message: `enter an amount such as ${example}` };
  let t = text.replace(/^[$€£¥]|^[A-Z]{3}\s*|\s*[A-Z]{3}$/g, "").replace(/\s+/g, "");
  if (options.decimalComma && /^-?\d+(?:\.\d{3})*,\d+$/.test(t)) t = t.replace(/\./g, "").replace(",", ".");
  else if (/^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(t)) t = t.replace(/,/g, "");
  if (t.startsWith("-")) return { ok: false, message: `${JSON.stringify(text)} is negative; prices cannot be` };
  if (!DECIMAL.test(t)) return { ok: false, message: `${JSON.stringify(text)} is not a price (write it like ${example})` };
  const digits = currencyDigits(currency);
  const [whole, fraction = ""] = t.split(".");
  if (fraction.length > digits) {
    const more = digits === 0 ? "decimals" : `more than ${digits} decimal${digits === 1 ? "" : "s"}`;
    return { ok: false, message: `${JSON.stringify(text)} has ${more}, which ${currency} does not have` };
  }
  const minor = Number(whole || "0") * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(minor)) return { ok: false, message: `${JSON.stringify(text)} is too large` };
  return { ok: true, minor };
}

/** Minor units back to the amount a person types ("8.95", "900"): form values, CSV cells. */
export function formatAmount(amountMinor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = amountMinor < 0 ? "-" : "";
  const abs = Math.abs(amountMinor);
  if (digits === 0) return `${sign}${abs}`;
  const unit = 10 ** digits;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(digits, "0")}`;
}

function moneyText(label: string, currency: string, optional: boolean) {
  return z
    .string({ error: `${label} is required` })
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") {
        if (optional) return null;
        ctx.addIssue({ code: "custom", message: `${label} is required` });
        return z.NEVER;
      }
      const parsed = parseMoney(value, currency);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: `${label}: ${parsed.message}` });
        return z.NEVER;
      }
      return parsed.minor;
    });
}

/** A form field holding an amount in `currency` → minor units, errors in the field's words ("Handling cost: enter an amount such as 8.95"). */
export function moneyTextSchema(label: string, currency: string) {
  return moneyText(label, currency, false).pipe(z.number());
}

/** As moneyTextSchema, but a blank field is null. */
export function optionalMoneyTextSchema(label: string, currency: string) {
  return moneyText(label, currency, true);
}
