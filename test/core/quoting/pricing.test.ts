import { describe, expect, it } from "vitest";
import { applyPricing, pricingRegistry } from "../../../app/core/quoting/pricing";
import type { PricingContext } from "../../../app/core/quoting/pricing/types";
import type { RuleRef } from "../../../app/core/rules/registry";

const rules = (...refs: RuleRef[]) => refs.map((r, i) => pricingRegistry.compile(r, `pricingRules[${i}]`));
const ctx = (over: Partial<PricingContext> = {}): PricingContext => ({
  service: "SAME_DAY",
  currency: "USD",
  forwardCostMinor: 1380,
  landedCostMinor: 1595,
  subtotalMinor: 8000,
  ...over,
});
const price = (refs: RuleRef[], over: Partial<PricingContext> = {}) => applyPricing(rules(...refs), ctx(over)).priceMinor;

describe("margin and rounding", () => {
  it("starts from the forward cost when there is no rule", () => {
    expect(applyPricing([], ctx())).toEqual({ priceMinor: 1380, steps: [] });
  });

  it("adds a margin and records each step", () => {
    const r = applyPricing(rules({ code: "MARGIN_PERCENT", args: { percent: 10 } }, { code: "ROUND_CHARM" }), ctx());
    expect(r.steps).toEqual([
      { code: "MARGIN_PERCENT", label: "Margin on cost (%)", beforeMinor: 1380, afterMinor: 1518, detail: "+10%" },
      { code: "ROUND_CHARM", label: "Round up to a charm price (e.g. .99)", beforeMinor: 1518, afterMinor: 1599, detail: "up to the next price ending in 99 per 100" },
    ]);
    expect(r.priceMinor).toBe(1599);
  });

  it("rounds up to .99 and leaves a .99 price and a free price alone", () => {
    const charm = [{ code: "ROUND_CHARM" }];
    expect(price(charm, { forwardCostMinor: 1599 })).toBe(1599);
    expect(price(charm, { forwardCostMinor: 1600 })).toBe(1699);
    expect(price(charm, { forwardCostMinor: 50 })).toBe(99);
    expect(price(charm, { forwardCostMinor: 0 })).toBe(0);
  });

  it("supports other charm endings, e.g. ¥980 per ¥1000", () => {
    expect(price([{ code: "ROUND_CHARM", args: { unitMinor: 1000, endingMinor: 980 } }], { currency: "JPY", forwardCostMinor: 1234 })).toBe(1980);
  });

  it("rounds to whole units up, to nearest or down", () => {
    expect(price([{ code: "ROUND_WHOLE" }], { forwardCostMinor: 1518 })).toBe(1600);
    expect(price([{ code: "ROUND_WHOLE", args: { mode: "nearest" } }], { forwardCostMinor: 1549 })).toBe(1500);
    expect(price([{ code: "ROUND_WHOLE", args: { mode: "nearest" } }], { forwardCostMinor: 1550 })).toBe(1600);
    expect(price([{ code: "ROUND_WHOLE", args: { mode: "down" } }], { forwardCostMinor: 1599 })).toBe(1500);
  });

  it("never goes below zero, even with a subsidy", () => {
    expect(price([{ code: "MARGIN_PERCENT", args: { percent: -100 } }])).toBe(0);
    expect(price([{ code: "MARGIN_PERCENT", args: { percent: -50 } }])).toBe(690);
  });
});

describe("free shipping", () => {
  const threshold = { code: "FREE_OVER_SUBTOTAL", args: { minSubtotalMinor: 15000, services: ["STANDARD"] } };

  it("is free from the threshold, for the services it names", () => {
    expect(price([threshold], { service: "STANDARD", subtotalMinor: 15000 })).toBe(0);
    expect(price([threshold], { service: "STANDARD", subtotalMinor: 14999 })).toBe(1380);
    expect(price([threshold], { service: "SAME_DAY", subtotalMinor: 50000 })).toBe(1380);
  });

  it("stays free when a rounding rule comes after it", () => {
    expect(price([threshold, { code: "ROUND_CHARM" }], { service: "STANDARD", subtotalMinor: 20000 })).toBe(0);
  });

  it("computes a dynamic threshold from the target margin", () => {
    // 40% product margin, 30% target: 10% headroom; landed cost 15.95 → threshold 159.50
    const dynamic = { code: "FREE_OVER_DYNAMIC_THRESHOLD", args: { productMarginPercent: 40, targetMarginPercent: 30 } };
    const free = applyPricing(rules(dynamic), ctx({ subtotalMinor: 15950 }));
    expect(free.priceMinor).toBe(0);
    expect(free.steps[0].detail).toBe("free: subtotal $159.50 ≥ $159.50 (landed cost $15.95 ÷ 10% margin headroom)");
    expect(price([dynamic], { subtotalMinor: 15949 })).toBe(1380);
    // A dearer route raises the threshold: landed 30.00 → 300.00
    expect(price([dynamic], { subtotalMinor: 20000, landedCostMinor: 3000 })).toBe(1380);
  });
});

describe("rule config", () => {
  it("rejects unknown codes and bad args, naming the rule", () => {
    expect(() => rules({ code: "HALF_PRICE" })).toThrow(/pricingRules\[0\]: unknown pricing rule "HALF_PRICE"/);
    expect(() => rules({ code: "ROUND_CHARM", args: { endingMinor: 100 } })).toThrow(
      "pricingRules[0]: ROUND_CHARM: args.endingMinor: endingMinor must be below unitMinor",
    );
    expect(() => rules({ code: "FREE_OVER_DYNAMIC_THRESHOLD", args: { productMarginPercent: 30, targetMarginPercent: 30 } })).toThrow(
      /args\.targetMarginPercent: targetMarginPercent must be below productMarginPercent/,
    );
    expect(() => rules({ code: "MARGIN_PERCENT", args: { percent: 10, services: ["TELEPORT"] } })).toThrow(/args\.services\.0/);
  });

  it("exposes every strategy's args schema for admin forms", () => {
    expect([...pricingRegistry.strategies.keys()]).toEqual([
      "MARGIN_PERCENT", "ROUND_CHARM", "ROUND_WHOLE", "FREE_OVER_SUBTOTAL", "FREE_OVER_DYNAMIC_THRESHOLD",
    ]);
  });
});
