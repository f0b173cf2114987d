import { describe, expect, it } from "vitest";
import { currencyDigits, formatMinor, percentOfMinor } from "../../../app/core/money/money";

describe("money", () => {
  it("knows the minor-unit digits of a currency", () => {
    expect(currencyDigits("USD")).toBe(2);
    expect(currencyDigits("JPY")).toBe(0);
    expect(currencyDigits("KWD")).toBe(3);
  });

  it("formats minor units with the currency code", () => {
    expect(formatMinor(123_456, "USD")).toBe("1234.56 USD");
    expect(formatMinor(5, "USD")).toBe("0.05 USD");
    expect(formatMinor(1500, "JPY")).toBe("1500 JPY");
    expect(formatMinor(1234, "KWD")).toBe("1.234 KWD");
    expect(formatMinor(-250, "EUR")).toBe("-2.50 EUR");
  });

  it("takes a percentage rounded half up to whole minor units", () => {
    expect(percentOfMinor(1000, 15)).toBe(150);
    expect(percentOfMinor(999, 15)).toBe(150); // 149.85
    expect(percentOfMinor(10, 15)).toBe(2); // 1.5
  });
});
