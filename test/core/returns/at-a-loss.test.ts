// A return that loses money at every hub is never shipped back silently. The case from the field:
// a damaged 12 USD pin, given 12.60 USD store credit by an earlier rule, was sent 2,429 km to a
// warehouse at −6.76 USD. Now the plan says so and the customer keeps the item (paid as the rule
// says), unless the merchant chose to bring such items back anyway.
import { describe, expect, it } from "vitest";
import { evaluateReturn, prepareReturnPolicy, type ReturnPolicyInput, type ReturnRuleInput, type SalesPerDay } from "../../../app/core/returns";
import { addresses, makeProduct } from "../fixtures";
import { network, NOW, returnLine, returnRequest } from "./support";

const pin = makeProduct({ id: "pin", sku: "PIN-01", title: "Enamel pin", weightGrams: 30, lengthMm: 60, widthMm: 60, heightMm: 10, valueMinor: 1200 });
const damagedCredit: ReturnRuleInput = {
  id: "damaged",
  name: "Damaged: store credit",
  when: [{ code: "REPORTED_CONDITION", args: { conditions: ["DAMAGED"] } }],
  then: { code: "STORE_CREDIT", args: { bonusPercent: 5 } },
};
const costing = network((s) => {
  s.products.push(pin);
  s.stock.wh.pin = 40;
  s.stock.bk.pin = 10;
});

function plan(policy: ReturnPolicyInput, salesPerDay: SalesPerDay = {}, over: Partial<ReturnRuleInput> = {}) {
  const request = returnRequest({ from: { ...addresses.chicago, province: "IL" }, lines: [returnLine({ product: pin, unitPriceMinor: 1200, condition: "DAMAGED", reason: "DEFECTIVE" })] });
  return evaluateReturn(prepareReturnPolicy({ rules: [{ ...damagedCredit, ...over }], ...policy }), request, { now: NOW, costing, salesPerDay }).lines[0];
}

describe("a return every hub would lose money on", () => {
  it("keeps the item with the customer, paid as the rule says, and says why", () => {
    const line = plan({});
    expect(line.rule?.id).toBe("damaged");
    expect(line.outcome).toMatchObject({ code: "KEEP_ITEM", itemComesBack: false, refundMinor: 0, storeCreditMinor: 1260 });
    expect(line.outcome.customerMessage).toBe("Keep the Enamel pin: there is no need to send it back.");
    const best = line.destination!.considered.reduce((a, b) => (b.netRecoveryMinor > a.netRecoveryMinor ? b : a));
    expect(best.netRecoveryMinor).toBeLessThan(0);
    expect(line.keptBecause).toEqual({
      code: "RETURN_LOSES_MONEY",
      message: `bringing it back loses money at every hub: the best, ${best.name}, would lose $${((-best.netRecoveryMinor) / 100).toFixed(2)} per unit`,
    });
    expect(line.outcome.detail).toBe(`store credit $12.60 ($12.00 + 5% bonus), and the customer keeps PIN-01: ${line.keptBecause!.message} (the return settings can bring such items back anyway)`);
    // The figures it weighed stay on the plan.
    expect(line.destination!.reasons).toContain(line.keptBecause!.message);
  });

  it("brings it back when the merchant chose to, and still says it loses money", () => {
    const line = plan({ destination: { shipBackAtALoss: true } });
    expect(line.outcome).toMatchObject({ code: "STORE_CREDIT", itemComesBack: true, storeCreditMinor: 1260 });
    expect(line.keptBecause).toBeNull();
    expect(line.destination!.hub).not.toBeNull();
    expect(line.destination!.reasons.at(-1)).toMatch(/^bringing it back loses money at every hub: the best, .+, would lose \$[\d,]+\.\d\d per unit$/);
  });

  it("brings back an exchange (the replacement needs the item), saying it loses money", () => {
    const line = plan({}, {}, { then: { code: "EXCHANGE" } });
    expect(line.outcome).toMatchObject({ code: "EXCHANGE", itemComesBack: true });
    expect(line.keptBecause).toBeNull();
    expect(line.destination!.reasons.at(-1)).toMatch(/^bringing it back loses money at every hub/);
  });

  it("ships it back as before when one hub recovers more than the trip costs", () => {
    // An unopened hoodie-priced pin selling fast where Brooklyn has none: worth bringing back.
    const valuable = { ...pin, valueMinor: 9000 };
    const request = returnRequest({ lines: [returnLine({ product: valuable, unitPriceMinor: 9000, condition: "UNOPENED" })] });
    const line = evaluateReturn(prepareReturnPolicy({ defaultOutcome: { code: "REFUND" } }), request, {
      now: NOW,
      costing: network((s) => {
        s.products.push(valuable);
        s.stock.bk.pin = 0;
      }),
      salesPerDay: { bk: { pin: 2 } },
    }).lines[0];
    expect(line.destination!.hub!.netRecoveryMinor).toBeGreaterThan(0);
    expect(line.outcome).toMatchObject({ code: "REFUND", itemComesBack: true, refundMinor: 9000 });
    expect(line.keptBecause).toBeNull();
    expect(line.destination!.reasons.join(" ")).not.toMatch(/loses money/);
  });
});
