// Amounts between Nearhub (integer minor units of the ad account's currency) and the platforms:
// Meta budgets are minor units too but its insights answer decimal strings of major units; Google
// counts micros (one millionth of the major unit), so 1 minor unit = 10^(6 − exponent) micros, with
// the exponent from Intl (core/money's currencyDigits: USD 2, JPY 0, KWD 3).
import { currencyDigits } from "~/core/money/money";

function microsPerMinor(currency: string): number {
  const digits = currencyDigits(currency);
  if (digits > 6) throw new Error(`${currency}: more than 6 minor digits cannot be counted in micros`);
  return 10 ** (6 - digits);
}

export function minorToMicros(minor: number, currency: string): number {
  return minor * microsPerMinor(currency);
}

/** Rounded half up to a whole minor unit (Google may answer micros finer than the currency). */
export function microsToMinor(micros: number, currency: string): number {
  return Math.round(micros / microsPerMinor(currency));
}

/** "12.34" (major units, as Meta's insights answer) → 1234 for USD; a missing or bad value → 0. */
export function decimalToMinor(text: string | number | null | undefined, currency: string): number {
  if (text === null || text === undefined || text === "") return 0;
  const value = typeof text === "number" ? text : Number(text);
  if (!Number.isFinite(value)) return 0;
  return Math.round(value * 10 ** currencyDigits(currency));
}
