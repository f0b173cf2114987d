import { describe, expect, it } from "vitest";
import { expectedReverseCost } from "../../../app/core/costing/reverse";
import {
  conditionRegistry,
  evaluateReturn,
  outcomeRegistry,
  prepareReturnPolicy,
  returnPolicySchema,
  type ReturnPolicyInput,
  type ReturnRuleInput,
} from "../../../app/core/returns";
import { addresses, makeProduct, products } from "../fixtures";
import { DAY, network, NOW, returnLine, returnRequest } from "./support";

const refundRule = (id: string, when: ReturnRuleInput["when"]): ReturnRuleInput => ({
  id,
  name: id,
  when,
  then: { code: "STORE_CREDIT", args: { bonusPercent: 10 } },
});

/**
 * Evaluates one line against the given rules (default REFUND) and returns the line's result. The
 * test network has no local sales, so every hub would lose money on a return: items are shipped
 * back anyway here (shipBackAtALoss) to see the rules' own outcomes; keeping them is tested below.
 */
function decide(rules: ReturnRuleInput[], request = returnRequest(), over: Partial<ReturnPolicyInput> = {}) {
  const policy = prepareReturnPolicy({ rules, destination: { shipBackAtALoss: true }, ...over });
  return evaluateReturn(policy, request, { now: NOW, costing: network() });
}

function issuePaths(input: unknown): string[] {
  const r = returnPolicySchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("return policy schema", () => {
  it("names the field that is wrong, down to a rule's args", () => {
    const paths = issuePaths({
      rules: [
        { id: "a", name: "Cheap", when: [{ code: "ITEM_VALUE", args: { minMinor: 5000, maxMinor: 1000 } }], then: { code: "REFUND" } },
        { id: "a", name: "Dup", when: [{ code: "WEATHER", args: {} }], then: { code: "DECLINE", args: { declineReason: "FINAL_SALE" } } },
      ],
      defaultOutcome: { code: "KEEP_ITEM" },
    });
    expect(paths).toEqual(
      expect.arrayContaining([
        "rules.0.when.0.args.maxMinor: the maximum must be at least the minimum",
        expect.stringMatching(/^rules\.1\.when\.0\.code: unknown return condition "WEATHER" \(known: REASON, /),
        "rules.1.then.args.customerMessage: Invalid input: expected string, received undefined",
        'rules.1.id: another rule already has id "a"',
        expect.stringMatching(/^defaultOutcome\.code: the default must always apply/),
      ]),
    );
    expect(paths).toHaveLength(5);
  });

  it("fills defaults: refund by default, best-recovery destination, 48 h inspection", () => {
    const p = returnPolicySchema.parse({});
    expect(p.defaultOutcome.code).toBe("REFUND");
    expect(p.destination).toMatchObject({ mode: "BEST_RECOVERY", horizonDays: 30 });
    expect(p.inspection.inspectionHours).toBe(48);
    expect(p.inspection.escalations).toHaveLength(3);
  });

  it("gives every strategy a label and an object args schema a form can be built from", () => {
    for (const registry of [conditionRegistry, outcomeRegistry]) {
      for (const s of registry.strategies.values()) {
        expect(s.label.length).toBeGreaterThan(5);
        expect(s.argsSchema.def.type === "object" || s.argsSchema.def.type === "pipe").toBe(true);
      }
    }
    expect([...outcomeRegistry.strategies.keys()]).toEqual(["REFUND", "EXCHANGE", "STORE_CREDIT", "KEEP_ITEM", "DONATE", "RECYCLE", "DECLINE"]);
  });
});

describe("rule order and the default", () => {
  const defective = refundRule("defective", [{ code: "REASON", args: { reasons: ["DEFECTIVE"] } }]);
  const apparel = { ...refundRule("apparel", [{ code: "PRODUCT_TYPE", args: { types: ["Apparel"] } }]), then: { code: "EXCHANGE" } };
  const req = returnRequest({ lines: [returnLine({ product: makeProduct({ id: "tee", category: "Apparel" }), reason: "DEFECTIVE" })] });

  it("lets the first matching rule decide, and lists the rules tried before it", () => {
    const first = decide([defective, apparel], req).lines[0];
    expect(first.rule).toEqual({ index: 0, id: "defective", name: "defective" });
    expect(first.outcome.code).toBe("STORE_CREDIT");
    expect(first.trace.map((t) => [t.id, t.matched])).toEqual([["defective", true]]);

    const swapped = decide([apparel, defective], req).lines[0];
    expect(swapped.rule?.id).toBe("apparel");
    expect(swapped.outcome.code).toBe("EXCHANGE");
  });

  it("applies the default when no rule matches, explaining each miss", () => {
    const r = decide([defective, apparel], returnRequest({ lines: [returnLine({ reason: "UNWANTED", product: makeProduct({ id: "mug", category: "Ceramics" }) })] }));
    const line = r.lines[0];
    expect(line.rule).toBeNull();
    expect(line.outcome).toMatchObject({ code: "REFUND", refundMinor: 2000, itemComesBack: true });
    expect(line.trace.map((t) => t.why)).toEqual([
      'reason "Customer changed their mind" is not one of: Damaged or defective',
      'product type "Ceramics" is not one of: Apparel',
    ]);
    expect(line.destination?.hub).not.toBeNull();
  });

  it("skips a disabled rule and says so", () => {
    const line = decide([{ ...defective, enabled: false }, apparel], req).lines[0];
    expect(line.trace[0]).toMatchObject({ id: "defective", matched: false, why: "disabled" });
    expect(line.rule?.id).toBe("apparel");
  });

  it("needs every condition of a rule, and shows each one", () => {
    const both = refundRule("both", [
      { code: "REASON", args: { reasons: ["DEFECTIVE"] } },
      { code: "ITEM_VALUE", args: { maxMinor: 1000 } },
    ]);
    const line = decide([both], req).lines[0];
    expect(line.rule).toBeNull();
    expect(line.trace[0].conditions.map((c) => [c.code, c.met])).toEqual([["REASON", true], ["ITEM_VALUE", false]]);
    expect(line.trace[0].why).toBe("paid $20.00, over $10.00");
  });
});

describe("each condition", () => {
  const cases: { code: string; args: unknown; yes: Parameters<typeof returnRequest>[0]; no: Parameters<typeof returnRequest>[0]; noWhy: string }[] = [
    {
      code: "REASON",
      args: { reasons: ["DEFECTIVE", "WRONG_ITEM"] },
      yes: { lines: [returnLine({ reason: "WRONG_ITEM" })] },
      no: { lines: [returnLine({ reason: "STYLE" })] },
      noWhy: 'reason "Style" is not one of: Damaged or defective, Received the wrong item',
    },
    {
      code: "PRODUCT_TYPE",
      args: { types: ["apparel", "Accessories"] },
      yes: { lines: [returnLine({ product: makeProduct({ id: "cap", category: "Accessories" }) })] },
      no: { lines: [returnLine({ product: makeProduct({ id: "mug", category: "Ceramics" }) })] },
      noWhy: 'product type "Ceramics" is not one of: apparel, Accessories',
    },
    {
      code: "PRODUCT_TAG",
      args: { tags: ["final-sale"] },
      yes: { lines: [returnLine({ tags: ["summer", "Final-Sale"] })] },
      no: { lines: [returnLine({ tags: ["summer"] })] },
      noWhy: "has summer, none of: final-sale",
    },
    {
      code: "ITEM_VALUE",
      args: { minMinor: 1000, maxMinor: 5000 },
      yes: { lines: [returnLine({ unitPriceMinor: 5000 })] },
      no: { lines: [returnLine({ unitPriceMinor: 5001 })] },
      noWhy: "paid $50.01, over $50.00",
    },
    {
      code: "DAYS_SINCE_DELIVERY",
      args: { maxDays: 30 },
      yes: { deliveredAt: NOW - 30 * DAY },
      no: { deliveredAt: NOW - 31 * DAY },
      noWhy: "31 days since delivery; the rule wants at most 30",
    },
    {
      code: "DAYS_SINCE_DELIVERY",
      args: { minDays: 0 },
      yes: { deliveredAt: NOW },
      no: { deliveredAt: null },
      noWhy: "the delivery date is unknown",
    },
    {
      code: "CUSTOMER_REGION",
      args: { countries: ["us"], provinces: ["ny"], postalPrefixes: ["112"] },
      yes: { from: { ...addresses.parkSlope, province: "NY" } },
      no: { from: { ...addresses.upperWestSide, province: "NY" } },
      noWhy: "postal code 10024 starts with none of: 112",
    },
    {
      code: "CUSTOMER_REGION",
      args: { countries: ["US"], provinces: ["NY"] },
      yes: { from: { ...addresses.harlem, province: "ny" } },
      no: { from: { ...addresses.jerseyCity, province: "NJ" } },
      noWhy: "province NJ is not one of: NY",
    },
    {
      code: "REPORTED_CONDITION",
      args: { conditions: ["DAMAGED"] },
      yes: { lines: [returnLine({ condition: "DAMAGED" })] },
      no: { lines: [returnLine({ condition: null })] },
      noWhy: "the customer reported no condition",
    },
  ];

  it.each(cases)("$code $args", ({ code, args, yes, no, noWhy }) => {
    const rule = refundRule("r", [{ code, args }]);
    const hit = decide([rule], returnRequest(yes)).lines[0];
    expect(hit.rule?.id).toBe("r");
    expect(hit.trace[0].conditions[0]).toMatchObject({ code, met: true });
    const miss = decide([rule], returnRequest(no)).lines[0];
    expect(miss.rule).toBeNull();
    expect(miss.trace[0].why).toBe(noWhy);
  });
});

describe("outcomes", () => {
  const req = returnRequest({
    lines: [
      returnLine({ lineId: "a", quantity: 2, unitPriceMinor: 2500, reason: "SIZE_TOO_LARGE" }),
      returnLine({ lineId: "b", unitPriceMinor: 4000, reason: "COLOR" }),
      returnLine({ lineId: "c", unitPriceMinor: 1000, reason: "UNWANTED", tags: ["final-sale"] }),
      returnLine({ lineId: "d", unitPriceMinor: 3000, reason: "DEFECTIVE" }),
    ],
  });
  const rules: ReturnRuleInput[] = [
    {
      id: "final",
      name: "Final sale",
      when: [{ code: "PRODUCT_TAG", args: { tags: ["final-sale"] } }],
      then: { code: "DECLINE", args: { declineReason: "FINAL_SALE", customerMessage: "Sale items cannot be returned." } },
    },
    { id: "size", name: "Size", when: [{ code: "REASON", args: { reasons: ["SIZE_TOO_LARGE"] } }], then: { code: "REFUND", args: { restockingFeePercent: 10 } } },
    { id: "colour", name: "Colour", when: [{ code: "REASON", args: { reasons: ["COLOR"] } }], then: { code: "STORE_CREDIT", args: { bonusPercent: 15 } } },
    {
      id: "defect",
      name: "Defective",
      when: [{ code: "REASON", args: { reasons: ["DEFECTIVE"] } }],
      then: { code: "RECYCLE", args: { resolution: "STORE_CREDIT", instructions: "Take it to any e-waste point." } },
    },
  ];

  it("computes the money of each outcome and the return's decision", () => {
    const r = decide(rules, req);
    const [a, b, c, d] = r.lines.map((l) => l.outcome);
    expect(a).toMatchObject({ code: "REFUND", refundMinor: 4500, storeCreditMinor: 0, itemComesBack: true });
    expect(a.detail).toBe("refund $45.00 ($50.00 less a 10% restocking fee)");
    expect(b).toMatchObject({ code: "STORE_CREDIT", refundMinor: 0, storeCreditMinor: 4600, itemComesBack: true });
    expect(c).toMatchObject({
      code: "DECLINE",
      refundMinor: 0,
      declineReason: "FINAL_SALE",
      customerMessage: "Sale items cannot be returned.",
      itemComesBack: false,
    });
    expect(d).toMatchObject({ code: "RECYCLE", storeCreditMinor: 3000, customerMessage: "Take it to any e-waste point.", itemComesBack: false });
    expect(r.decision).toBe("PARTIAL");
    expect(r.refundMinor).toBe(4500);
    expect(r.storeCreditMinor).toBe(7600);
    // Only the lines that travel back get a destination.
    expect(r.lines.map((l) => l.destination !== null)).toEqual([true, true, false, false]);
  });

  it("declines the whole return when every line is declined", () => {
    const r = decide(rules, returnRequest({ lines: [returnLine({ tags: ["final-sale"] })] }));
    expect(r.decision).toBe("DECLINE");
  });

  it("donates and exchanges", () => {
    const r = decide(
      [
        { id: "x", name: "x", when: [{ code: "REASON", args: { reasons: ["WRONG_ITEM"] } }], then: { code: "EXCHANGE" } },
        { id: "d", name: "d", then: { code: "DONATE", args: { instructions: "Give it to a shelter near you." } } },
      ],
      returnRequest({ lines: [returnLine({ lineId: "x", reason: "WRONG_ITEM" }), returnLine({ lineId: "y", unitPriceMinor: 1500 })] }),
    );
    expect(r.lines[0].outcome).toMatchObject({ code: "EXCHANGE", refundMinor: 0, storeCreditMinor: 0, itemComesBack: true });
    expect(r.lines[1].outcome).toMatchObject({ code: "DONATE", refundMinor: 1500, customerMessage: "Give it to a shelter near you." });
    expect(r.decision).toBe("APPROVE");
  });
});

describe("KEEP_ITEM: keep it when bringing it back costs more than it recovers", () => {
  const keep: ReturnRuleInput = { id: "keep", name: "Keep when uneconomic", then: { code: "KEEP_ITEM" } };
  // A 9 kg cast-iron doorstop that sells for 9.00 USD, returned from Boston (about 300 km away).
  const doorstop = makeProduct({ id: "doorstop", sku: "DOOR-9", title: "Cast-iron doorstop", weightGrams: 9000, valueMinor: 900, lengthMm: 200, widthMm: 150, heightMm: 100 });
  const boston = { ...addresses.boston, province: "MA" };

  it("keeps a heavy low-value item, with the costed figures that decided it", () => {
    const net = network();
    const r = evaluateReturn(
      prepareReturnPolicy({ rules: [keep] }),
      returnRequest({ from: boston, lines: [returnLine({ product: doorstop, unitPriceMinor: 900, condition: "UNOPENED" })] }),
      { now: NOW, costing: net, salesPerDay: { wh: { doorstop: 0.5 }, bk: { doorstop: 0.2 } } },
    );
    const line = r.lines[0];
    expect(line.rule?.id).toBe("keep");
    expect(line.outcome).toMatchObject({ code: "KEEP_ITEM", refundMinor: 900, itemComesBack: false });
    const hub = line.destination?.hub;
    expect(hub).toBeDefined();
    expect(hub!.netRecoveryMinor).toBeLessThan(0);
    expect(line.outcome.detail).toContain(`would lose`);
    // The return leg is the one the landed-cost engine prices for expected returns.
    const costing = expectedReverseCost(net, [{ product: { ...doorstop, returnRateBps: 10_000 }, quantity: 1 }], boston);
    expect(Math.min(...line.destination!.considered.map((h) => h.reverseCostMinor))).toBe(costing.lines[0].unitCostMinor);
    expect(hub!.reverseCostMinor).toBeGreaterThan(doorstop.valueMinor);
  });

  it("does not apply to an item worth bringing back: the next rule or the default decides", () => {
    const r = decide([keep], returnRequest({ lines: [returnLine({ product: products.hoodie(), condition: "UNOPENED" })] }), {});
    const line = r.lines[0];
    // Without local demand nowhere resells it; give the Chelsea hub a stock-out.
    expect(line.outcome.code).toBe("KEEP_ITEM");
    const withDemand = evaluateReturn(
      prepareReturnPolicy({ rules: [keep] }),
      returnRequest({ lines: [returnLine({ product: products.hoodie(), condition: "UNOPENED" })] }),
      { now: NOW, costing: network((s) => (s.stock.mh.hoodie = 0)), salesPerDay: { mh: { hoodie: 1.5 } } },
    ).lines[0];
    expect(withDemand.rule).toBeNull();
    expect(withDemand.outcome.code).toBe("REFUND");
    expect(withDemand.trace[0]).toMatchObject({ matched: false });
    expect(withDemand.trace[0].why).toMatch(/^no conditions: every line; but “keep the item when bringing it back costs more than it recovers” does not apply: bringing it back pays: Chelsea hub recovers \$54\.76 net/);
    expect(withDemand.destination?.hub?.nodeId).toBe("mh");
  });

  it("keeps an item no hub can take back", () => {
    const couriersOnly = network(() => {}, { couriers: [{ id: "bike", name: "Bike", baseMinor: 600, perKmMinor: 150 }] });
    const line = evaluateReturn(prepareReturnPolicy({ rules: [keep] }), returnRequest({ from: { ...addresses.philadelphia, province: "PA" } }), {
      now: NOW,
      costing: couriersOnly,
    }).lines[0];
    expect(line.outcome.code).toBe("KEEP_ITEM");
    expect(line.outcome.detail).toContain("no return hub can take it back");
    expect(line.destination?.hub).toBeNull();
  });
});
