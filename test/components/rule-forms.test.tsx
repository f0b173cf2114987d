// The one rule-form generator (app/components/rules) on a registry made for the test, whose one
// strategy has an argument of every kind: the fields it generates, the editor rendered as the
// server renders it, the browser's post of that markup read back by the actions' reader, and the
// args that come out (and back in). Errors land on the field's name, in the merchant's words, the
// same in the browser (values) as in the action (FormData). Then the nested mode, as the return
// rules use it.
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { Window } from "happy-dom";
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeNestedRule, describeRule } from "~/components/rules/describe";
import { ruleSpec, ruleSpecs, type RuleForm } from "~/components/rules/fields";
import { readPostedNestedRules, readPostedRules, ruleValuesFromForm } from "~/components/rules/form-data";
import { nestedToValues, readNestedRules, type NestedRuleForm } from "~/components/rules/nested";
import { NestedRuleListEditor, RuleListEditor } from "~/components/rules/RuleListEditor";
import { readRules, rulesToValues } from "~/components/rules/values";
import { createRegistry, defineStrategy } from "~/core/rules/registry";
import { serviceKindSchema } from "~/core/costing/types";
import { minorSchema } from "~/core/money/money";
import { localTimeSchema, WEEKDAYS } from "~/core/network/types";

const everyKind = defineStrategy({
  code: "EVERY_KIND",
  label: "Every kind of argument",
  args: z
    .object({
      count: z.number().int().min(1).max(10),
      sharePercent: z.number().min(0).max(100),
      feeMinor: minorSchema,
      capMinor: minorSchema.nullable().default(null).describe("At most this much, minor units; empty: no cap"),
      express: z.boolean().default(false),
      note: z.string().trim().min(1, "say why").max(500),
      from: localTimeSchema,
      to: localTimeSchema,
      mode: z.enum(["up", "nearest", "down"]).default("up"),
      days: z.array(z.enum(WEEKDAYS)).min(1),
      services: z.array(serviceKindSchema).nullable().default(null),
      tags: z.array(z.string().trim().min(1)).default([]),
      steps: z.array(z.object({ atLeast: z.number().min(0), multiplier: z.number().min(1) })).min(1),
      window: z.object({ opensAt: localTimeSchema, minutes: z.number().int().positive() }),
      weights: z.record(z.string(), z.number()).optional(),
    })
    .refine((a) => a.from < a.to, { message: "from must be before to", path: ["to"] }),
  build: () => () => null,
});
const plain = defineStrategy({ code: "PLAIN", label: "Nothing to set", args: z.object({}), build: () => () => null });
const testRules: RuleForm = {
  registry: createRegistry("test rule", [everyKind, plain]),
  help: { EVERY_KIND: { summary: "Has every kind.", args: { to: { label: "Until" }, "window.opensAt": { label: "Opens at" } } } },
  choiceLabels: { mon: "Mon", SAME_DAY: "Same day" },
};

const STORED = {
  code: "EVERY_KIND",
  args: {
    count: 3,
    sharePercent: 12.5,
    feeMinor: 250,
    capMinor: null,
    express: true,
    note: "Busy hours",
    from: "17:00",
    to: "19:00",
    mode: "down",
    days: ["mon", "fri"],
    services: ["SAME_DAY"],
    tags: ["a", "b"],
    steps: [
      { atLeast: 0.8, multiplier: 1.2 },
      { atLeast: 0.95, multiplier: 1.5 },
    ],
    window: { opensAt: "09:30", minutes: 90 },
    weights: { x: 1 },
  },
};

/** The markup as the server renders it, posted as a browser posts it (checked boxes, selected options). */
function post(element: ReactElement, extra: [string, string][] = []): FormData {
  const window = new Window();
  window.document.body.innerHTML = `<form>${renderToStaticMarkup(<AppProvider i18n={en}>{element}</AppProvider>)}</form>`;
  // Read by hand rather than with happy-dom's FormData, which picks the wrong option of a select.
  const form = new FormData();
  for (const el of window.document.querySelectorAll("input[name], textarea[name], select[name]")) {
    const name = el.getAttribute("name")!;
    if (el.tagName === "SELECT") {
      const option = el.querySelector("option[selected]") ?? el.querySelector("option");
      form.append(name, option?.getAttribute("value") ?? "");
    } else if (el.tagName === "TEXTAREA") form.append(name, el.textContent ?? "");
    else if (el.getAttribute("type") !== "checkbox" || el.hasAttribute("checked")) form.append(name, el.getAttribute("value") ?? "");
  }
  for (const [name, value] of extra) form.set(name, value);
  return form;
}

const editor = (rules: unknown[]) => (
  <RuleListEditor form={testRules} name="rules" initial={rulesToValues(testRules, rules, "USD")} currency="USD" ordered addLabel="Add rule" emptyText="None" />
);

describe("rule form generator: fields from a zod args schema", () => {
  it("makes a typed field of each argument, with labels from the help, the name or .describe()", () => {
    const spec = ruleSpec(testRules, "EVERY_KIND")!;
    expect(spec.fields.map((f) => `${f.name}:${f.kind}`)).toEqual([
      "count:number",
      "sharePercent:percent",
      "feeMinor:money",
      "capMinor:money",
      "express:boolean",
      "note:text",
      "from:time",
      "to:time",
      "mode:choice",
      "days:choices",
      "services:choices",
      "tags:list",
      "steps:rows",
      "window:object",
      "weights:json",
    ]);
    const field = (name: string) => spec.fields.find((f) => f.name === name)!;
    expect(field("count")).toMatchObject({ label: "Count", required: true, integer: true, min: 1, max: 10 });
    expect(field("sharePercent")).toMatchObject({ label: "Share (%)", required: true });
    expect(field("capMinor")).toMatchObject({ label: "Cap", nullable: true, required: false, help: "At most this much; empty: no cap" });
    expect(field("to").label).toBe("Until");
    expect(field("mode")).toMatchObject({ defaultValue: "up", options: [{ value: "up", label: "up" }, { value: "nearest", label: "nearest" }, { value: "down", label: "down" }] });
    expect(field("days")).toMatchObject({ required: true, options: expect.arrayContaining([{ value: "mon", label: "Mon" }]) });
    expect(field("services")).toMatchObject({ nullable: true });
    expect(field("note")).toMatchObject({ multiline: true });
    expect(field("window")).toMatchObject({ fields: [{ name: "opensAt", kind: "time", label: "Opens at" }, { name: "minutes", kind: "number", integer: true }] });
    expect(ruleSpecs(testRules).map((s) => [s.code, s.fields.length])).toEqual([["EVERY_KIND", 15], ["PLAIN", 0]]);
  });

  it("renders stored args, and the browser's post of that form reads back to the same args", () => {
    const posted = post(editor([STORED, { code: "PLAIN", args: {} }]));
    // Names follow the stored shape; ids are those names with dashes.
    expect(posted.get("rules.0.code")).toBe("EVERY_KIND");
    expect(posted.get("rules.0.args.feeMinor")).toBe("2.50");
    expect(posted.getAll("rules.0.args.days")).toEqual(["mon", "fri"]);
    expect(posted.get("rules.0.args.window.opensAt")).toBe("09:30");
    expect(posted.get("rules.1.code")).toBe("PLAIN");
    const read = readPostedRules(posted, testRules, "rules", "USD");
    expect(read.errors).toEqual({});
    expect(read.rules).toEqual([STORED, { code: "PLAIN", args: {} }]);
    expect(read.values).toEqual(rulesToValues(testRules, read.rules, "USD"));
  });

  it("reads what a merchant types: amounts in the shop currency, percent signs, lines of numbers, commas, empty bounds", () => {
    const posted = post(editor([STORED]), [
      ["rules.0.args.feeMinor", "1,250"],
      ["rules.0.args.sharePercent", "7.5 %"],
      ["rules.0.args.steps", "0.5 × 1.1\n\n0.9; 2"],
      ["rules.0.args.tags", " final-sale ,, gift "],
      ["rules.0.args.capMinor", "40"],
      ["rules.0.args.weights", ""],
    ]);
    posted.delete("rules.0.args.express");
    posted.delete("rules.0.args.services");
    const { rules, errors } = readPostedRules(posted, testRules, "rules", "JPY");
    expect(errors).toEqual({});
    expect(rules[0].args).toMatchObject({
      feeMinor: 1250,
      sharePercent: 7.5,
      steps: [
        { atLeast: 0.5, multiplier: 1.1 },
        { atLeast: 0.9, multiplier: 2 },
      ],
      tags: ["final-sale", "gift"],
      capMinor: 40,
      // An unticked box is false; no service ticked means every service (null).
      express: false,
      services: null,
    });
    expect(rules[0].args).not.toHaveProperty("weights");
  });

  it("leaves an empty argument with a default out (the engine applies it), and shows the default in the form", () => {
    const values = rulesToValues(testRules, [{ code: "EVERY_KIND", args: { ...STORED.args, mode: undefined, tags: undefined } }], "USD");
    expect(values[0].values).toMatchObject({ mode: "up", tags: "", capMinor: "" });
    const { rules } = readRules(testRules, [{ code: "EVERY_KIND", values: { ...values[0].values, mode: "", tags: "" } }], "rules", "USD");
    expect(rules[0].args).not.toHaveProperty("mode");
    expect(rules[0].args).not.toHaveProperty("tags");
    expect(rules[0].args).toHaveProperty("capMinor", null);
  });

  it("says what is wrong next to each field, in words, the same from the browser's values and from the post", () => {
    const posted = post(editor([STORED, STORED, { code: "NOPE", args: {} }]), [
      ["rules.0.args.count", "2.5"],
      ["rules.0.args.sharePercent", "lots"],
      ["rules.0.args.feeMinor", "-1"],
      ["rules.0.args.steps", "0.8"],
      ["rules.0.args.weights", "{"],
      ["rules.1.args.count", "11"],
      ["rules.1.args.note", "  "],
      ["rules.1.args.to", "16:00"],
      ["rules.1.args.window.opensAt", "9am"],
      ["rules.1.args.window.minutes", "0"],
      ["rules.1.args.steps", "0.8, 0.5"],
    ]);
    posted.delete("rules.1.args.days");
    const read = readPostedRules(posted, testRules, "rules", "USD");
    const expected = {
      // Text that does not read as its kind: caught before the schema.
      "rules.0.args.count": "Count must be a whole number",
      "rules.0.args.sharePercent": "Share (%) must be a number",
      "rules.0.args.feeMinor": 'Fee: "-1" is negative; prices cannot be',
      "rules.0.args.steps": "Line 1: write at least, multiplier (2 numbers)",
      "rules.0.args.weights": "Weights must be valid JSON",
      // The strategy's schema: zod's checks in words, the strategy's own messages as written
      // (argument names as labels, "from must be before to"), nested fields and lines by their path.
      "rules.1.args.count": "Count must be at most 10",
      "rules.1.args.note": "Say why",
      "rules.1.args.days": "Days: choose at least 1",
      "rules.1.args.window.opensAt": "Opens at must be a time as HH:MM (24-hour)",
      "rules.1.args.window.minutes": "Minutes must be above 0",
      "rules.1.args.to": "From must be before until",
      "rules.1.args.steps": "Line 1: Multiplier must be at least 1",
      "rules.2.code": "Choose a test rule (known: EVERY_KIND, PLAIN)",
    };
    expect(read.errors).toEqual(expected);
    expect(read.rules).toEqual([]);
    // The editor checks the values it holds with the same reader.
    expect(readRules(testRules, read.values, "rules", "USD").errors).toEqual(expected);
  });

  it("renders each error next to its field, with the field's id", () => {
    const html = renderToStaticMarkup(
      <AppProvider i18n={en}>
        <RuleListEditor
          form={testRules}
          name="rules"
          initial={rulesToValues(testRules, [STORED], "USD")}
          errors={{ "rules.0.args.to": "From must be before until", "rules.0.args.days": "Days: choose at least 1" }}
          currency="USD"
          addLabel="Add rule"
          emptyText="None"
        />
      </AppProvider>,
    );
    const window = new Window();
    window.document.body.innerHTML = html;
    expect(window.document.getElementById("rules-0-toError")?.textContent).toContain("From must be before until");
    expect(window.document.getElementById("rules-0-days-error")?.textContent).toBe("Days: choose at least 1");
    expect(window.document.querySelector("#rules-0-feeMinor")?.getAttribute("name")).toBe("rules.0.args.feeMinor");
  });

  it("describes a stored rule in plain words from the same fields", () => {
    expect(describeRule(testRules, STORED, "USD")).toBe(
      "Every kind of argument (count 3, share 12.5%, fee $2.50, express: yes, note Busy hours, from 17:00, until 19:00, mode down, days: Mon/fri, services: Same day, tags: a/b, steps 0.8 × 1.2; 0.95 × 1.5, window (opens at 09:30, minutes 90), weights { \"x\": 1 })",
    );
    expect(describeRule(testRules, { code: "GONE", args: {} }, "USD")).toBe("unknown test rule GONE");
  });
});

// ---------------------------------------------------------------------------------------------

const unless = defineStrategy({
  code: "AT_MOST",
  label: "At most",
  args: z
    .object({ maxDays: z.number().int().nonnegative().nullable().default(null) })
    .refine((a) => a.maxDays !== null, { message: "set a maximum", path: ["maxDays"] }),
  build: () => () => null,
});
const give = defineStrategy({ code: "GIVE", label: "Give", args: z.object({ amountMinor: minorSchema.default(0) }), build: () => () => null });
const nested: NestedRuleForm = {
  conditions: { registry: createRegistry("test condition", [unless]) },
  outcome: { registry: createRegistry("test outcome", [give]) },
  own: z.object({ id: z.string().min(1), name: z.string().trim().min(1, "give the rule a name"), enabled: z.boolean().default(true) }),
  ownHelp: { enabled: { label: "On" } },
  idField: "id",
  enabledField: "enabled",
  newOutcome: "GIVE",
  always: "every line",
};
const STORED_NESTED = [
  { id: "a", name: "First", enabled: true, when: [{ code: "AT_MOST", args: { maxDays: 30 } }], then: { code: "GIVE", args: { amountMinor: 500 } } },
  { id: "b", name: "Off one", enabled: false, when: [], then: { code: "GIVE", args: {} } },
];
const nestedEditor = (rules: unknown[]) => (
  <NestedRuleListEditor
    form={nested}
    name="rules"
    initial={nestedToValues(nested, rules, "USD")}
    currency="USD"
    addLabel="Add rule"
    emptyText="None"
    conditionsHeading="When"
    outcomeHeading="Then"
    noConditionsText="No conditions"
  />
);

describe("rule form generator: nested mode (an outcome with its conditions)", () => {
  it("renders the rules and reads the browser's post back to the stored rules, ids and switches included", () => {
    const posted = post(nestedEditor(STORED_NESTED));
    expect(posted.get("rules.0.id")).toBe("a");
    expect(posted.get("rules.0.when.0.args.maxDays")).toBe("30");
    expect(posted.get("rules.1.then.code")).toBe("GIVE");
    const read = readPostedNestedRules(posted, nested, "rules", "USD");
    expect(read.errors).toEqual({});
    expect(read.rules).toEqual([STORED_NESTED[0], { ...STORED_NESTED[1], then: { code: "GIVE", args: { amountMinor: 0 } } }]);
  });

  it("keys errors by the stored shape's path: the rule's own fields, each condition, the outcome", () => {
    const posted = post(nestedEditor(STORED_NESTED), [
      ["rules.0.name", " "],
      ["rules.0.when.0.args.maxDays", ""],
      ["rules.0.when.1.code", "GONE"],
      ["rules.1.then.args.amountMinor", "abc"],
    ]);
    const read = readPostedNestedRules(posted, nested, "rules", "USD");
    const expected = {
      "rules.0.name": "Give the rule a name",
      "rules.0.when.0.args.maxDays": "Set a maximum",
      "rules.0.when.1.code": "Choose a test condition (known: AT_MOST)",
      "rules.1.then.args.amountMinor": 'Amount: "abc" is not a price (write it like 8.95)',
    };
    expect(read.errors).toEqual(expected);
    expect(readNestedRules(nested, read.values, "rules", "USD").errors).toEqual(expected);
  });

  it("says a rule in one sentence, off or on", () => {
    expect(describeNestedRule(nested, STORED_NESTED[0], "USD")).toBe("When at most (max days 30) → Give (amount $5.00).");
    expect(describeNestedRule(nested, STORED_NESTED[1], "USD")).toBe("(Off) When every line → Give (amount $0.00).");
  });

  it("posts nothing for an empty list", () => {
    expect(ruleValuesFromForm(post(editor([])), testRules, "rules")).toEqual([]);
    expect(readPostedNestedRules(post(nestedEditor([])), nested, "rules", "USD")).toEqual({ values: [], rules: [], errors: {} });
  });
});
