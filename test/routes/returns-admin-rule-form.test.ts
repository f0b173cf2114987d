// The return rules form behind /app/returns/rules: the generator's nested mode with fields
// generated from the registries' zod args schemas, values read back into { code, args } (money
// typed in the shop currency), and each rule said in plain words for the merchant.
import { describe, expect, it } from "vitest";
import { conditionForm, outcomeForm, returnRulesForm } from "~/components/returns/rule-forms";
import { describeNestedRule } from "~/components/rules/describe";
import { ruleSpecs } from "~/components/rules/fields";
import { nestedToValues, readNestedRules } from "~/components/rules/nested";
import { conditionRegistry, outcomeRegistry } from "~/core/returns";
import { DEMO_RETURN_RULES } from "../../prisma/seed/demo-returns";

describe("return rule forms", () => {
  it("has a form for every registered condition and outcome", () => {
    const conditionSpecs = ruleSpecs(conditionForm);
    expect(conditionSpecs.map((s) => s.code)).toEqual([...conditionRegistry.strategies.keys()]);
    expect(ruleSpecs(outcomeForm).map((s) => s.code)).toEqual([...outcomeRegistry.strategies.keys()]);
    const region = conditionSpecs.find((s) => s.code === "CUSTOMER_REGION")!;
    expect(region.fields.map((f) => `${f.name}:${f.kind}`)).toEqual(["countries:list", "provinces:list", "postalPrefixes:list"]);
    const reason = conditionSpecs.find((s) => s.code === "REASON")!;
    expect(reason.fields[0]).toMatchObject({ kind: "choices" });
    const value = conditionSpecs.find((s) => s.code === "ITEM_VALUE")!;
    expect(value.fields[0]).toMatchObject({ kind: "money", nullable: true, help: "At least this much; empty: no lower bound" });
    const days = conditionSpecs.find((s) => s.code === "DAYS_SINCE_DELIVERY")!;
    expect(days.fields.map((f) => `${f.name}:${f.kind}`)).toEqual(["minDays:number", "maxDays:number"]);
  });

  it("round-trips stored rules through the form values", () => {
    const values = nestedToValues(returnRulesForm, DEMO_RETURN_RULES, "USD");
    expect(values[2].when[1].values).toEqual({ minMinor: "", maxMinor: "15.00" });
    const { rules, errors } = readNestedRules(returnRulesForm, values, "rules", "USD");
    expect(errors).toEqual({});
    expect(rules[2]).toMatchObject({ when: [{ code: "REPORTED_CONDITION", args: { conditions: ["DAMAGED"] } }, { code: "ITEM_VALUE", args: { minMinor: null, maxMinor: 1500 } }] });
    expect(rules[0]).toMatchObject({ when: [{ args: { minDays: 31, maxDays: 60 } }], then: { code: "STORE_CREDIT", args: { bonusPercent: 5 } } });
  });

  it("says each rule in plain words", () => {
    expect(describeNestedRule(returnRulesForm, DEMO_RETURN_RULES[2], "USD")).toBe(
      "When condition the customer reports is one of (conditions: Damaged), and price paid per item is within a range (max $15.00) → Keep the item when bringing it back costs more than it recovers (resolution Refund).",
    );
    expect(describeNestedRule(returnRulesForm, { when: [], then: { code: "REFUND", args: {} }, enabled: false }, "USD")).toBe(
      "(Off) When every returned line → Refund when the item comes back (restocking fee 0%).",
    );
  });
});
