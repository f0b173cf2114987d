import { describe, expect, it } from "vitest";
import { currencyDigits, formatAmount, formatMinor, moneyTextSchema, optionalMoneyTextSchema, parseMoney, percentOfMinor } from "../../../app/core/money/money";

describe("money", () => {
  it("knows the minor-unit digits of a currency", () => {
    expect(currencyDigits("USD")).toBe(2);
    expect(currencyDigits("JPY")).toBe(0);
    expect(currencyDigits("KWD")).toBe(3);
  });

  it("formats minor units as money in the currency's own style and decimals", () => {
    expect(formatMinor(123_456, "USD")).toBe("$1,234.56");
    expect(formatMinor(5, "USD")).toBe("$0.05");
    expect(formatMinor(1500, "JPY")).toBe("¥1,500");
    expect(formatMinor(1234, "KWD")).toBe("KWD\u00a01.234");
    expect(formatMinor(-250, "EUR")).toBe("-€2.50");
  });

  it("takes a percentage rounded half up to whole minor units", () => {
    expect(percentOfMinor(1000, 15)).toBe(150);
    expect(percentOfMinor(999, 15)).toBe(150); // 149.85
    expect(percentOfMinor(10, 15)).toBe(2); // 1.5
  });
});

describe("parseMoney: the one place a typed amount becomes minor units", () => {
  it("shifts the digits exactly, per the currency's decimals", () => {
    expect(parseMoney("12.34", "USD")).toEqual({ ok: true, minor: 1234 });
    expect(parseMoney("0.29", "USD")).toEqual({ ok: true, minor: 29 }); // 0.29 * 100 is 28.999… in floats
    expect(parseMoney("2.5", "EUR")).toEqual({ ok: true, minor: 250 });
    expect(parseMoney(".5", "USD")).toEqual({ ok: true, minor: 50 });
    expect(parseMoney("1200", "JPY")).toEqual({ ok: true, minor: 1200 });
    expect(parseMoney("1.234", "KWD")).toEqual({ ok: true, minor: 1234 });
    expect(parseMoney(" $1,234.50 ", "USD")).toEqual({ ok: true, minor: 123450 });
    expect(parseMoney("8.95 USD", "USD")).toEqual({ ok: true, minor: 895 });
    expect(parseMoney("USD 8.95", "USD")).toEqual({ ok: true, minor: 895 });
  });

  it("reads a decimal comma only when asked to", () => {
    expect(parseMoney("12,34", "EUR", { decimalComma: true })).toEqual({ ok: true, minor: 1234 });
    expect(parseMoney("1.234,50", "EUR", { decimalComma: true })).toEqual({ ok: true, minor: 123450 });
    expect(parseMoney("12,34", "EUR")).toEqual({ ok: false, message: '"12,34" is not a price (write it like 8.95)' });
  });

  it("refuses bad input with a sentence naming what was typed", () => {
    expect(parseMoney("", "USD")).toEqual({ ok: false, message: "enter an amount such as 8.95" });
    expect(parseMoney("  ", "JPY")).toEqual({ ok: false, message: "enter an amount such as 900" });
    expect(parseMoney("9.4o", "USD")).toEqual({ ok: false, message: '"9.4o" is not a price (write it like 8.95)' });
    expect(parseMoney("-3", "USD")).toEqual({ ok: false, message: '"-3" is negative; prices cannot be' });
    expect(parseMoney("8.955", "USD")).toEqual({ ok: false, message: '"8.955" has more than 2 decimals, which USD does not have' });
    expect(parseMoney("12.5", "JPY")).toEqual({ ok: false, message: '"12.5" has decimals, which JPY does not have' });
    expect(parseMoney("1.2345", "KWD")).toEqual({ ok: false, message: '"1.2345" has more than 3 decimals, which KWD does not have' });
    expect(parseMoney("1".repeat(20), "USD")).toEqual({ ok: false, message: `"${"1".repeat(20)}" is too large` });
    expect(parseMoney("1e3", "USD").ok).toBe(false);
  });

  it("round-trips with formatAmount, the amount as a person types it", () => {
    expect(formatAmount(1234, "USD")).toBe("12.34");
    expect(formatAmount(5, "USD")).toBe("0.05");
    expect(formatAmount(1200, "JPY")).toBe("1200");
    expect(formatAmount(1234, "KWD")).toBe("1.234");
    expect(formatAmount(-250, "EUR")).toBe("-2.50");
    for (const [minor, currency] of [[0, "USD"], [99, "USD"], [123456, "EUR"], [7, "JPY"], [1001, "KWD"]] as const) {
      expect(parseMoney(formatAmount(minor, currency), currency)).toEqual({ ok: true, minor });
    }
  });

  it("gives forms a zod field in the field's words", () => {
    const fee = moneyTextSchema("Fee", "USD");
    expect(fee.parse("2.50")).toBe(250);
    expect(fee.safeParse("").error?.issues[0].message).toBe("Fee is required");
    expect(fee.safeParse("2.505").error?.issues[0].message).toBe('Fee: "2.505" has more than 2 decimals, which USD does not have');
    const extra = optionalMoneyTextSchema("Extra", "JPY");
    expect(extra.parse("")).toBeNull();
    expect(extra.parse(undefined)).toBeNull();
    expect(extra.parse("300")).toBe(300);
    expect(extra.safeParse("3.5").success).toBe(false);
  });
});
