// Money in the core is an integer amount of minor units (cents, pence, yen) plus an ISO 4217 code.
// Arithmetic that can produce fractions (percentages, multipliers, per-km rates) rounds once,
// half up, at the point where the figure becomes a component of a bill.
import { z } from "zod";

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
 * "12.34 USD": cheap to build (reasons are written on every quote, Intl formatting is not),
 * unambiguous in logs and admin. Pages that want "$12.34" format the numbers themselves.
 */
export function formatMinor(amountMinor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = amountMinor < 0 ? "-" : "";
  const abs = Math.abs(amountMinor);
  if (digits === 0) return `${sign}${abs} ${currency}`;
  const unit = 10 ** digits;
  const major = Math.floor(abs / unit);
  const minor = String(abs - major * unit).padStart(digits, "0");
  return `${sign}${major}.${minor} ${currency}`;
}
