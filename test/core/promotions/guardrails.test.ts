// Campaign guardrails: each rule fires, and clears when its condition returns (a guardrail keeps
// no memory, so the next check after the condition is back answers RUN); PAUSE over SHRINK over
// RUN; shrinking never goes under the account minimum; ROAS is profit after landed cost beside
// revenue ROAS; the platforms' budget-change limit.
import { describe, expect, it } from "vitest";
import { formatMinor } from "../../../app/core/money/money";
import { RuleConfigError, type RuleRef } from "../../../app/core/rules/registry";
import {
  budgetChangeAllowed,
  compileGuardrails,
  guardrailTransition,
  defaultGuardrails,
  evaluateGuardrails,
  guardrailRegistry,
  planCampaign,
  profitRoasBps,
  roasBps,
  shrinkBudget,
  type GuardrailState,
} from "../../../app/core/promotions";
import { local, NY } from "../fixtures";
import { brooklynInput, disabledReason } from "./brooklyn";

const plan = planCampaign(brooklynInput());
const rules = plan.guardrails;

/** Friday 11:00 in New York: inside same-day hours, stock healthy, spend still learning. */
function state(over: Partial<GuardrailState> = {}): GuardrailState {
  return {
    now: local("2026-12-04T11:00"),
    hubTimezone: NY,
    hubName: plan.hubName,
    availability: { available: true, reasons: [] },
    stockBySku: Object.fromEntries(plan.products.map((p) => [p.sku, 40])),
    windows: plan.hours.windows,
    spendMinor: 1000,
    revenueMinor: 0,
    landedCostMinor: 0,
    plannedBudgetMinor: plan.budget.totalMinor,
    dailyBudgetMinor: plan.budget.dailyMinor,
    minDailyBudgetMinor: plan.budget.minimumMinor,
    currency: "USD",
    ...over,
  };
}

const only = (code: string, args: unknown = {}): RuleRef[] => [{ code, args }];
const codes = (d: { reasons: { code: string }[] }) => d.reasons.map((r) => r.code);

describe("evaluateGuardrails", () => {
  it("runs as planned when every guardrail passes, and says why", () => {
    const d = evaluateGuardrails(state(), rules);
    expect(d.action).toBe("RUN");
    expect(d.dailyBudgetMinor).toBe(plan.budget.dailyMinor);
    expect(codes(d)[0]).toBe("CAMPAIGN_RUNNING");
    expect(codes(d)).toEqual(expect.arrayContaining(["CAMPAIGN_HUB_AVAILABLE", "CAMPAIGN_IN_HOURS", "CAMPAIGN_STOCK_OK", "CAMPAIGN_ROAS_LEARNING", "CAMPAIGN_BUDGET_LEFT"]));
    expect(d.reasons[0].message).toContain(`${rules.length} guardrails`);
  });

  it("HUB_UNAVAILABLE pauses with the gate's reason, and clears when the hub may serve again", () => {
    const gate = disabledReason();
    const paused = evaluateGuardrails(state({ availability: { available: false, reasons: [gate] } }), only("HUB_UNAVAILABLE"));
    expect(paused.action).toBe("PAUSE");
    expect(codes(paused)).toEqual(["CAMPAIGN_HUB_UNAVAILABLE"]);
    expect(paused.reasons[0].message).toContain(gate.message);
    expect(paused.reasons[0].message).toContain(plan.hubName);
    expect(evaluateGuardrails(state(), only("HUB_UNAVAILABLE")).action).toBe("RUN");
  });

  it("OUTSIDE_SAME_DAY_HOURS pauses after the cut-off and before opening, resuming at the next opening", () => {
    const after = evaluateGuardrails(state({ now: local("2026-12-04T16:00") }), only("OUTSIDE_SAME_DAY_HOURS"));
    expect(after.action).toBe("PAUSE");
    expect(after.reasons[0].code).toBe("CAMPAIGN_OUTSIDE_HOURS");
    expect(after.reasons[0].message).toContain("Friday 16:00");
    expect(after.reasons[0].message).toContain("resumes Saturday at 08:00");
    const early = evaluateGuardrails(state({ now: local("2026-12-04T07:30") }), only("OUTSIDE_SAME_DAY_HOURS"));
    expect(early.reasons[0].message).toContain("resumes today at 08:00");
    const back = evaluateGuardrails(state({ now: local("2026-12-05T08:00") }), only("OUTSIDE_SAME_DAY_HOURS"));
    expect(back.action).toBe("RUN");
    expect(back.reasons.map((r) => r.message).join(" ")).toContain("until 16:00");
  });

  it("OUTSIDE_SAME_DAY_HOURS reads the hub's zone, across the daylight-saving change", () => {
    const weekdays = plan.hours.windows.filter((w) => w.day >= 1 && w.day <= 5);
    // Sunday 8 March 2026, clocks go forward: Monday 08:30 local is 12:30 UTC, not 13:30
    const monday = evaluateGuardrails(state({ now: Date.UTC(2026, 2, 9, 12, 30), windows: weekdays }), only("OUTSIDE_SAME_DAY_HOURS"));
    expect(monday.action).toBe("RUN");
    const sunday = evaluateGuardrails(state({ now: local("2026-03-08T11:00"), windows: weekdays }), only("OUTSIDE_SAME_DAY_HOURS"));
    expect(sunday.action).toBe("PAUSE");
    expect(sunday.reasons[0].message).toContain("resumes Monday at 08:00");
    const never = evaluateGuardrails(state({ windows: [] }), only("OUTSIDE_SAME_DAY_HOURS"));
    expect(never.reasons[0].message).toContain("no same-day hours on any day");
  });

  it("LOW_STOCK pauses when no advertised line has enough units, and runs again after a restock", () => {
    const low = evaluateGuardrails(state({ stockBySku: { "MUG-01": 2, "HOOD-M": 0 } }), only("LOW_STOCK", { minUnits: 3 }));
    expect(low.action).toBe("PAUSE");
    expect(codes(low)).toEqual(["CAMPAIGN_LOW_STOCK"]);
    expect(low.reasons[0].message).toContain("MUG-01 2");
    expect(low.reasons[0].message).toContain("HOOD-M 0");
    const one = evaluateGuardrails(state({ stockBySku: { "MUG-01": 3, "HOOD-M": 0 } }), only("LOW_STOCK", { minUnits: 3 }));
    expect(one.action).toBe("RUN");
    expect(evaluateGuardrails(state({ stockBySku: {} }), only("LOW_STOCK", { minUnits: 1 })).action).toBe("PAUSE");
  });

  it("STOCK_THIN shrinks the budget with the share of healthy stock, in steps, and restores it", () => {
    const s = state({ dailyBudgetMinor: 10_000, minDailyBudgetMinor: 500, stockBySku: { A: 10, B: 5 } });
    const thin = evaluateGuardrails(s, only("STOCK_THIN", { healthyUnits: 10 }));
    expect(thin.action).toBe("SHRINK");
    // 15 of 20 healthy units = 75%, down to the 20% step: 60%
    expect(thin.dailyBudgetMinor).toBe(6_000);
    expect(thin.reasons[0].message).toContain("B 5");
    expect(thin.reasons[0].message).toContain(formatMinor(6_000, "USD"));
    const fine = evaluateGuardrails(state({ ...s, stockBySku: { A: 10, B: 5 } }), only("STOCK_THIN", { healthyUnits: 10, stepPercent: 1 }));
    expect(fine.dailyBudgetMinor).toBe(7_500);
    const back = evaluateGuardrails({ ...s, stockBySku: { A: 10, B: 12 } }, only("STOCK_THIN", { healthyUnits: 10 }));
    expect(back.action).toBe("RUN");
    expect(back.dailyBudgetMinor).toBe(10_000);
  });

  it("STOCK_THIN never shrinks under the account minimum", () => {
    const d = evaluateGuardrails(state({ dailyBudgetMinor: 2_000, minDailyBudgetMinor: 1_500, stockBySku: { A: 1 } }), only("STOCK_THIN", { healthyUnits: 10 }));
    expect(d.action).toBe("SHRINK");
    expect(d.dailyBudgetMinor).toBe(1_500);
    expect(d.reasons[0].message).toContain("account minimum");
  });

  it("ROAS_BELOW_TARGET judges only after the minimum spend, on profit after landed cost by default", () => {
    const rule = only("ROAS_BELOW_TARGET", { minSpendMinor: 5_000, targetBps: 5_000 });
    // revenue 2.00x but landed cost eats the margin: profit ROAS (20000 − 9000 − 10000) / 10000 = 0.10x
    const numbers = { spendMinor: 10_000, revenueMinor: 20_000, landedCostMinor: 9_000 };
    const learning = evaluateGuardrails(state({ ...numbers, spendMinor: 4_999 }), rule);
    expect(learning.action).toBe("RUN");
    expect(codes(learning)).toContain("CAMPAIGN_ROAS_LEARNING");
    const below = evaluateGuardrails(state(numbers), rule);
    expect(below.action).toBe("PAUSE");
    expect(codes(below)).toEqual(["CAMPAIGN_ROAS_BELOW"]);
    expect(below.reasons[0].message).toContain("0.10x");
    expect(below.reasons[0].message).toContain("0.50x");
    expect(below.roasBps).toBe(20_000);
    expect(below.profitRoasBps).toBe(1_000);
    // the same figures on revenue pass a 1.50x target
    const revenue = evaluateGuardrails(state(numbers), only("ROAS_BELOW_TARGET", { minSpendMinor: 5_000, targetBps: 15_000, basis: "REVENUE" }));
    expect(revenue.action).toBe("RUN");
    expect(codes(revenue)).toContain("CAMPAIGN_ROAS_OK");
    // more orders come in: the campaign runs again
    expect(evaluateGuardrails(state({ ...numbers, revenueMinor: 30_000 }), rule).action).toBe("RUN");
  });

  it("BUDGET_SPENT pauses when the planned budget is spent", () => {
    const spent = evaluateGuardrails(state({ spendMinor: plan.budget.totalMinor }), only("BUDGET_SPENT"));
    expect(spent.action).toBe("PAUSE");
    expect(codes(spent)).toEqual(["CAMPAIGN_BUDGET_SPENT"]);
    expect(evaluateGuardrails(state({ spendMinor: plan.budget.totalMinor - 1 }), only("BUDGET_SPENT")).action).toBe("RUN");
  });

  it("a pause wins over a shrink, and every reason that fired is there", () => {
    const d = evaluateGuardrails(
      state({ now: local("2026-12-04T18:00"), availability: { available: false, reasons: [disabledReason()] }, stockBySku: { "MUG-01": 4, "HOOD-M": 40, "PRINT-A2": 40 } }),
      rules,
    );
    expect(d.action).toBe("PAUSE");
    expect(codes(d)).toEqual(["CAMPAIGN_HUB_UNAVAILABLE", "CAMPAIGN_OUTSIDE_HOURS", "CAMPAIGN_STOCK_THIN"]);
    // the budget it would resume at
    expect(d.dailyBudgetMinor).toBeLessThan(plan.budget.dailyMinor);
    expect(d.dailyBudgetMinor).toBeGreaterThanOrEqual(plan.budget.minimumMinor);
  });

  it("refuses unknown codes and bad args, naming the rule", () => {
    expect(() => evaluateGuardrails(state(), [{ code: "NOPE" }])).toThrow(RuleConfigError);
    expect(() => evaluateGuardrails(state(), [{ code: "HUB_UNAVAILABLE" }, { code: "NOPE" }])).toThrow(/guardrails\[1\].*unknown campaign guardrail "NOPE"/);
    expect(() => compileGuardrails(only("LOW_STOCK", { minUnits: 0 }))).toThrow(/guardrails\[0\].*minUnits/);
    expect(() => compileGuardrails(only("ROAS_BELOW_TARGET", { minSpendMinor: 100, targetBps: 5000, basis: "CLICKS" }))).toThrow(/basis/);
    expect([...guardrailRegistry.strategies.keys()]).toEqual(["HUB_UNAVAILABLE", "OUTSIDE_SAME_DAY_HOURS", "LOW_STOCK", "STOCK_THIN", "ROAS_BELOW_TARGET", "BUDGET_SPENT"]);
  });

  it("compiled rules give the same decision as stored ones", () => {
    const s = state({ stockBySku: { "MUG-01": 4 } });
    expect(evaluateGuardrails(s, compileGuardrails(rules))).toEqual(evaluateGuardrails(s, rules));
  });

  it("defaultGuardrails fills the args from the plan's figures", () => {
    const refs = defaultGuardrails({ minUnits: 4, minSpendMinor: 9_000, targetRoasBps: 30_000, basis: "REVENUE" });
    expect(refs.find((r) => r.code === "LOW_STOCK")?.args).toEqual({ minUnits: 4 });
    expect(refs.find((r) => r.code === "STOCK_THIN")?.args).toEqual({ healthyUnits: 12 });
    expect(refs.find((r) => r.code === "ROAS_BELOW_TARGET")?.args).toEqual({ minSpendMinor: 9_000, targetBps: 30_000, basis: "REVENUE" });
  });
});

describe("ROAS arithmetic", () => {
  it("revenue ROAS and profit ROAS after landed cost and ad spend, in basis points", () => {
    expect(roasBps(30_000, 10_000)).toBe(30_000);
    expect(profitRoasBps(30_000, 9_000, 10_000)).toBe(11_000);
    // break-even: revenue pays the landed cost and the ads, nothing more
    expect(profitRoasBps(19_000, 9_000, 10_000)).toBe(0);
    expect(profitRoasBps(5_000, 9_000, 10_000)).toBe(-14_000);
    expect(roasBps(1, 3)).toBe(3_333);
    expect(roasBps(5_000, 0)).toBeNull();
    expect(profitRoasBps(5_000, 100, 0)).toBeNull();
  });

  it("decisions carry both", () => {
    const d = evaluateGuardrails(state({ spendMinor: 2_000, revenueMinor: 9_000, landedCostMinor: 1_500 }), []);
    expect(d.roasBps).toBe(45_000);
    expect(d.profitRoasBps).toBe(27_500);
    expect(codes(d)).toEqual(["CAMPAIGN_RUNNING"]);
  });
});

describe("shrinkBudget and budget-change limits", () => {
  it("shrinks proportionally, never under the minimum nor over the plan", () => {
    expect(shrinkBudget(10_000, 500, 0.5)).toBe(5_000);
    expect(shrinkBudget(10_000, 500, 0)).toBe(500);
    expect(shrinkBudget(10_000, 500, 2)).toBe(10_000);
    // already under the minimum (not launchable): never raised by a shrink
    expect(shrinkBudget(300, 500, 0.5)).toBe(300);
  });

  it("Meta takes at most 4 budget changes per ad set an hour; Google has no such limit", () => {
    const now = local("2026-12-04T12:00");
    const min = 60_000;
    const four = [now - 50 * min, now - 40 * min, now - 20 * min, now - 5 * min];
    expect(budgetChangeAllowed("META", four.slice(1), now)).toEqual({ allowed: true });
    expect(budgetChangeAllowed("META", four, now)).toEqual({ allowed: false, nextAt: four[0] + 60 * min });
    expect(budgetChangeAllowed("META", [now - 61 * min, ...four.slice(1)], now)).toEqual({ allowed: true });
    expect(budgetChangeAllowed("GOOGLE", [...four, ...four], now)).toEqual({ allowed: true });
  });

  it("guardrailTransition says what must go to the platform", () => {
    const running = { status: "ACTIVE" as const, dailyBudgetMinor: 3_000 };
    expect(guardrailTransition(running, { action: "RUN", dailyBudgetMinor: 3_000 })).toEqual({ status: "ACTIVE", dailyBudgetMinor: 3_000, switchStatus: false, changeBudget: false });
    expect(guardrailTransition(running, { action: "SHRINK", dailyBudgetMinor: 1_800 })).toMatchObject({ status: "ACTIVE", switchStatus: false, changeBudget: true });
    // a pause keeps the budget as it is until the campaign resumes
    const paused = guardrailTransition(running, { action: "PAUSE", dailyBudgetMinor: 1_800 });
    expect(paused).toEqual({ status: "PAUSED", dailyBudgetMinor: 3_000, switchStatus: true, changeBudget: false });
    expect(guardrailTransition({ status: "PAUSED", dailyBudgetMinor: 3_000 }, { action: "SHRINK", dailyBudgetMinor: 1_800 })).toEqual({
      status: "ACTIVE",
      dailyBudgetMinor: 1_800,
      switchStatus: true,
      changeBudget: true,
    });
    expect(guardrailTransition(null, { action: "RUN", dailyBudgetMinor: 3_000 })).toMatchObject({ switchStatus: true, changeBudget: false });
  });
});
