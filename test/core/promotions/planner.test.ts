// The campaign planner on a Brooklyn hub: the circle (same-day reach, platform limits, narrowed to
// 90% of past orders), its demand cells, the products, the budget and its suggestion, same-day
// hours, dates in the shop's zone, UTMs, and every reason a plan may not launch.
import { cellToLatLng, getHexagonAreaAvg, latLngToCell, UNITS } from "h3-js";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { formatDistance, greatCircleM } from "../../../app/core/geo/distance";
import { formatMinor } from "../../../app/core/money/money";
import { isReasonCode } from "../../../app/core/network/reasons";
import {
  checkRadius,
  compileGuardrails,
  DEFAULT_CAMPAIGN_DAYS,
  DEFAULT_TARGET_ROAS_BPS,
  DEMAND_SHARE,
  mintUtmCampaign,
  PLAN_H3_RESOLUTION,
  planCampaign,
  platformRadius,
  PRODUCT_MIN_UNITS,
  RADIUS_LIMITS,
  RADIUS_STEP_M,
  UTM_CAMPAIGN_MAX,
  type PlanInput,
} from "../../../app/core/promotions";
import { hours, local, NY } from "../fixtures";
import { brooklynDemand, brooklynInput, disabledReason } from "./brooklyn";

const distanceFromHub = (input: PlanInput, p: { latitude: number; longitude: number }) =>
  greatCircleM(input.hub.latitude, input.hub.longitude, p.latitude, p.longitude);

const codes = (plan: { reasons: { code: string }[] }) => plan.reasons.map((r) => r.code);

describe("planCampaign on the Brooklyn hub", () => {
  const input = brooklynInput();
  const plan = planCampaign(input);

  it("launches, and says so", () => {
    expect(plan.launchable).toBe(true);
    expect(codes(plan)).toEqual(["CAMPAIGN_READY"]);
    expect(plan.hubId).toBe(input.hub.id);
    expect(plan.platform).toBe("META");
  });

  it("narrows the circle to the smallest radius holding 90% of the past orders inside the reach", () => {
    const insideReach = input.demand.filter((p) => distanceFromHub(input, p) <= input.sameDayReachM);
    const within = (r: number) => insideReach.filter((p) => distanceFromHub(input, p) <= r).length;
    const { radiusM } = plan.area;
    expect(radiusM).toBeLessThan(input.sameDayReachM);
    expect(radiusM).toBeGreaterThanOrEqual(input.limits.minM);
    expect(within(radiusM) / insideReach.length).toBeGreaterThanOrEqual(DEMAND_SHARE);
    // one step smaller would leave more than 10% of them out
    expect(within(radiusM - RADIUS_STEP_M) / insideReach.length).toBeLessThan(DEMAND_SHARE);
    expect(plan.area).toMatchObject({ latitude: input.hub.latitude, longitude: input.hub.longitude, h3Resolution: PLAN_H3_RESOLUTION });
    expect(plan.area.explanation.join(" ")).toContain(formatDistance(radiusM));
    expect(plan.area.explanation.join(" ")).toContain(formatDistance(input.sameDayReachM));
    expect(checkRadius("META", radiusM)).toBeNull();
  });

  it("lists the resolution-8 cells inside the circle, weighted by their past orders", () => {
    const inside = input.demand.filter((p) => distanceFromHub(input, p) <= plan.area.radiusM);
    const expected = new Map<string, number>();
    for (const p of inside) {
      const cell = latLngToCell(p.latitude, p.longitude, 8);
      expected.set(cell, (expected.get(cell) ?? 0) + 1);
    }
    expect(new Map(plan.area.cells.filter((c) => c.orders > 0).map((c) => [c.h3, c.orders]))).toEqual(expected);
    // the empty cells too: every cell whose centre is inside the circle, each once
    const hexArea = getHexagonAreaAvg(8, UNITS.m2);
    const circleArea = Math.PI * plan.area.radiusM ** 2;
    expect(plan.area.cells.length).toBeGreaterThan((0.8 * circleArea) / hexArea);
    expect(plan.area.cells.length).toBeLessThan((1.3 * circleArea) / hexArea);
    expect(new Set(plan.area.cells.map((c) => c.h3)).size).toBe(plan.area.cells.length);
    for (const c of plan.area.cells) {
      if (c.orders > 0) continue;
      const [lat, lng] = cellToLatLng(c.h3);
      expect(distanceFromHub(input, { latitude: lat, longitude: lng })).toBeLessThanOrEqual(plan.area.radiusM);
      expect(c.weight).toBe(0);
    }
    const total = plan.area.cells.reduce((s, c) => s + c.weight, 0);
    expect(total).toBeCloseTo(1, 9);
    for (const c of plan.area.cells) expect(c.weight).toBeCloseTo(c.orders / inside.length, 12);
    // busiest first
    for (let i = 1; i < plan.area.cells.length; i++) expect(plan.area.cells[i - 1].orders).toBeGreaterThanOrEqual(plan.area.cells[i].orders);
  });

  it("advertises the lines with stock to sell, restocked returns first, each saying why", () => {
    const skus = plan.products.map((p) => p.sku);
    const withReturns = input.stock.filter((s) => s.restockedReturns > 0).map((s) => s.sku);
    expect(skus.slice(0, withReturns.length)).toEqual(withReturns);
    for (const p of plan.products) {
      expect(p.onHand).toBeGreaterThanOrEqual(Math.max(PRODUCT_MIN_UNITS, Math.ceil(p.dailyDemand * 3)));
      expect(p.why).toContain(`${p.onHand} on hand`);
    }
    expect(plan.products.find((p) => p.sku === "HOOD-M")?.why).toContain("restocked returns");
    // the vase: 2 on the shelf
    expect(skus).not.toContain("VASE-ANA");
    expect(plan.skippedProducts?.map((p) => p.sku)).toEqual(["VASE-ANA"]);
    expect(plan.skippedProducts?.[0].why).toContain("2 on hand");
  });

  it("suggests a daily budget from the margin after landed cost and the profit ROAS target, and explains the formula", () => {
    const margin = input.averageOrderMinor - input.landedCostPerOrderMinor;
    const target = DEFAULT_TARGET_ROAS_BPS.PROFIT / 10_000;
    const perOrder = Math.floor(margin / (1 + target));
    // profit after landed cost and the ad itself, per unit of spend, is the target
    expect((margin - perOrder) / perOrder).toBeCloseTo(target, 2);
    expect(plan.budget).toMatchObject({
      currency: "USD",
      dailyMinor: perOrder,
      suggestedMinor: perOrder,
      days: DEFAULT_CAMPAIGN_DAYS,
      totalMinor: perOrder * DEFAULT_CAMPAIGN_DAYS,
      minimumMinor: input.minDailyBudgetMinor,
      targetRoasBps: DEFAULT_TARGET_ROAS_BPS.PROFIT,
      roasBasis: "PROFIT",
    });
    const text = plan.budget.explanation.join(" ");
    for (const amount of [input.averageOrderMinor, input.landedCostPerOrderMinor, margin, perOrder, perOrder * DEFAULT_CAMPAIGN_DAYS]) {
      expect(text).toContain(formatMinor(amount, "USD"));
    }
    expect(text).toContain("(1 + target)");
  });

  it("follows a revenue ROAS target when the merchant sets one", () => {
    const revenue = planCampaign(brooklynInput({ target: { roasBasis: "REVENUE", targetRoasBps: 40_000 } }));
    expect(revenue.budget.dailyMinor).toBe(Math.floor(input.averageOrderMinor / 4));
    expect(revenue.budget.roasBasis).toBe("REVENUE");
    expect(revenue.guardrails.find((g) => g.code === "ROAS_BELOW_TARGET")?.args).toMatchObject({ basis: "REVENUE", targetBps: 40_000 });
  });

  it("runs three weeks from today in the shop's time zone", () => {
    // 22:30 in New York is already tomorrow in UTC
    const late = planCampaign(brooklynInput({ now: local("2026-12-04T22:30") }));
    expect(late.startsOn).toBe("2026-12-04");
    expect(DateTime.fromISO(late.endsOn, { zone: NY }).diff(DateTime.fromISO(late.startsOn, { zone: NY }), "days").days).toBe(DEFAULT_CAMPAIGN_DAYS - 1);
    const tokyo = planCampaign(brooklynInput({ now: local("2026-12-04T22:30"), shopTimezone: "Asia/Tokyo", target: { days: 7 } }));
    expect(tokyo.startsOn).toBe("2026-12-05");
    expect(tokyo.endsOn).toBe("2026-12-11");
    expect(() => planCampaign(brooklynInput({ shopTimezone: "Mars/Olympus" }))).toThrow(/Mars\/Olympus/);
  });

  it("runs from opening to the same-day cut-off on each open weekday (0 = Sunday)", () => {
    const weekdaysOnly = planCampaign(
      brooklynInput({ hub: { ...input.hub, openingHours: hours("09:00", "19:00", ["mon", "tue", "wed", "thu", "fri"]), sameDayCutoff: "15:30" } }),
    );
    expect(weekdaysOnly.hours.timezone).toBe(NY);
    expect(weekdaysOnly.hours.windows.map((w) => w.day)).toEqual([1, 2, 3, 4, 5]);
    for (const w of weekdaysOnly.hours.windows) expect([w.startMinute, w.endMinute]).toEqual([9 * 60, 15 * 60 + 30]);
    expect(weekdaysOnly.hours.explanation?.join(" ")).toContain("15:30");
    // a cut-off after closing: the window ends at closing
    const late = planCampaign(brooklynInput({ hub: { ...input.hub, openingHours: hours("08:00", "14:00"), sameDayCutoff: "16:00" } }));
    expect(late.hours.windows).toHaveLength(7);
    for (const w of late.hours.windows) expect(w.endMinute).toBe(14 * 60);
  });

  it("mints the UTM from the hub and the campaign key, per platform", () => {
    expect(plan.utm).toEqual({ campaign: "brooklyn-winter-2026", source: "facebook", medium: "paid_social" });
    expect(planCampaign(brooklynInput({ platform: "GOOGLE", limits: RADIUS_LIMITS.GOOGLE })).utm).toMatchObject({ source: "google", medium: "cpc" });
    expect(planCampaign(brooklynInput({ platform: "SANDBOX", limits: RADIUS_LIMITS.SANDBOX })).utm).toMatchObject({ source: "sandbox", medium: "paid_social" });
  });

  it("carries the default guardrails with args the registry accepts", () => {
    expect(plan.guardrails.map((g) => g.code)).toEqual(["HUB_UNAVAILABLE", "OUTSIDE_SAME_DAY_HOURS", "LOW_STOCK", "STOCK_THIN", "ROAS_BELOW_TARGET", "BUDGET_SPENT"]);
    expect(() => compileGuardrails(plan.guardrails)).not.toThrow();
    expect(plan.guardrails.find((g) => g.code === "ROAS_BELOW_TARGET")?.args).toMatchObject({ targetBps: plan.budget.targetRoasBps, basis: "PROFIT" });
  });

  it("explains itself in sentences with distances and money as people read them", () => {
    const summary = plan.explanation.join(" ");
    expect(summary).toContain(formatDistance(plan.area.radiusM));
    expect(summary).toContain(formatMinor(plan.budget.dailyMinor, "USD"));
    expect(summary).toContain(plan.startsOn);
    for (const r of plan.reasons) expect(isReasonCode(r.code)).toBe(true);
  });
});

describe("planCampaign refuses to launch, and says why", () => {
  it("a merchant budget under the account minimum stays in the plan, not launchable, naming the minimum", () => {
    const plan = planCampaign(brooklynInput({ target: { dailyBudgetMinor: 300 }, minDailyBudgetMinor: 500 }));
    expect(plan.launchable).toBe(false);
    expect(codes(plan)).toEqual(["CAMPAIGN_BUDGET_UNDER_MINIMUM"]);
    expect(plan.reasons[0].message).toContain(formatMinor(500, "USD"));
    expect(plan.reasons[0].message).toContain(formatMinor(300, "USD"));
    expect(plan.budget.dailyMinor).toBe(300);
    expect(plan.budget.totalMinor).toBe(300 * DEFAULT_CAMPAIGN_DAYS);
    expect(plan.explanation.join(" ")).toContain(plan.reasons[0].message);
  });

  it("a suggestion under the minimum is raised to it", () => {
    const plan = planCampaign(brooklynInput({ averageOrderMinor: 1500, landedCostPerOrderMinor: 1200, minDailyBudgetMinor: 500 }));
    expect(plan.launchable).toBe(true);
    expect(plan.budget.dailyMinor).toBe(500);
    expect(plan.budget.explanation.join(" ")).toContain("minimum");
  });

  it("an order that costs more to deliver than it brings suggests only the minimum, and says so", () => {
    const plan = planCampaign(brooklynInput({ averageOrderMinor: 1000, landedCostPerOrderMinor: 1200 }));
    expect(plan.budget.suggestedMinor).toBe(plan.budget.minimumMinor);
    expect(plan.budget.explanation.join(" ")).toContain(formatMinor(200, "USD"));
  });

  it("no same-day cut-off: no same-day hours", () => {
    const input = brooklynInput();
    const plan = planCampaign({ ...input, hub: { ...input.hub, sameDayCutoff: null } });
    expect(plan.launchable).toBe(false);
    expect(plan.hours.windows).toEqual([]);
    expect(codes(plan)).toEqual(["CAMPAIGN_NO_SAME_DAY"]);
    expect(plan.reasons[0].message).toContain("no same-day cut-off");
  });

  it("a cut-off before opening every day: no same-day hours either", () => {
    const input = brooklynInput();
    const plan = planCampaign({ ...input, hub: { ...input.hub, openingHours: hours("10:00", "18:00"), sameDayCutoff: "09:00" } });
    expect(codes(plan)).toEqual(["CAMPAIGN_NO_SAME_DAY"]);
    expect(plan.reasons[0].message).toContain("09:00");
  });

  it("an unavailable hub: the gate's own reasons are in the sentence", () => {
    const gate = disabledReason();
    const plan = planCampaign(brooklynInput({ availability: { available: false, reasons: [gate] } }));
    expect(plan.launchable).toBe(false);
    expect(codes(plan)).toEqual(["CAMPAIGN_HUB_UNAVAILABLE"]);
    expect(plan.reasons[0].message).toContain(gate.message);
  });

  it("no line with stock to sell", () => {
    const plan = planCampaign(brooklynInput({ stock: brooklynInput().stock.map((s) => ({ ...s, onHand: 1, restockedReturns: 0 })) }));
    expect(plan.products).toEqual([]);
    expect(codes(plan)).toEqual(["CAMPAIGN_NO_STOCK"]);
    expect(planCampaign(brooklynInput({ stock: [] })).reasons[0].message).toContain("no stock");
  });

  it("every reason at once, in a stable order", () => {
    const input = brooklynInput();
    const plan = planCampaign({
      ...input,
      hub: { ...input.hub, sameDayCutoff: null },
      availability: { available: false, reasons: [disabledReason()] },
      sameDayReachM: 400,
      stock: [],
      target: { dailyBudgetMinor: 100 },
    });
    expect(codes(plan)).toEqual([
      "CAMPAIGN_HUB_UNAVAILABLE",
      "CAMPAIGN_REACH_UNDER_MINIMUM",
      "CAMPAIGN_NO_STOCK",
      "CAMPAIGN_NO_SAME_DAY",
      "CAMPAIGN_BUDGET_UNDER_MINIMUM",
    ]);
  });
});

describe("radius clamping and the platforms' shapes", () => {
  it("a reach wider than Meta's 80 km keeps to 80 km (with too few orders to narrow it)", () => {
    const plan = planCampaign(brooklynInput({ sameDayReachM: 120_000, demand: brooklynDemand(5) }));
    expect(plan.area.radiusM).toBe(80_000);
    expect(plan.area.explanation.join(" ")).toContain("at most 80.0 km");
    expect(plan.area.explanation.join(" ")).toContain("too few");
    // too wide to list every cell: only those with orders
    expect(plan.area.cells.every((c) => c.orders > 0)).toBe(true);
    expect(plan.area.explanation.join(" ")).toContain("too wide to list every H3 cell");
    expect(plan.launchable).toBe(true);
  });

  it("a reach under the platform's smallest radius is not launchable; the circle shows the minimum", () => {
    const plan = planCampaign(brooklynInput({ sameDayReachM: 600 }));
    expect(plan.launchable).toBe(false);
    expect(codes(plan)).toEqual(["CAMPAIGN_REACH_UNDER_MINIMUM"]);
    expect(plan.reasons[0].message).toContain("600 m");
    expect(plan.reasons[0].message).toContain("1.0 km");
    expect(plan.area.radiusM).toBe(RADIUS_LIMITS.META.minM);
  });

  it("never narrows under the platform's minimum, however close the orders are", () => {
    const input = brooklynInput();
    const nextDoor = Array.from({ length: 50 }, (_, i) => ({ latitude: input.hub.latitude + 0.0005, longitude: input.hub.longitude, placedAt: i, totalMinor: 5000 }));
    const plan = planCampaign({ ...input, demand: nextDoor });
    expect(plan.area.radiusM).toBe(input.limits.minM);
    expect(plan.area.cells.filter((c) => c.orders > 0)).toHaveLength(1);
    expect(plan.area.cells[0]).toMatchObject({ orders: 50, weight: 1 });
  });

  it("Meta in kilometres and miles, inside its own limits per unit", () => {
    expect(platformRadius("META", 5234)).toEqual({ radius: 5.23, distance_unit: "kilometer" });
    expect(platformRadius("META", 8047, "MI")).toEqual({ radius: 5, distance_unit: "mile" });
    // 1 km is 0.62 mi, under Meta's 0.63 mi
    expect(platformRadius("META", 1000, "MI")).toEqual({ radius: 0.63, distance_unit: "mile" });
    expect(platformRadius("SANDBOX", 3000)).toEqual({ radius: 3, distance_unit: "kilometer" });
  });

  it("Google in KILOMETERS and MILES", () => {
    expect(platformRadius("GOOGLE", 12_500)).toEqual({ radius: 12.5, radius_units: "KILOMETERS" });
    expect(platformRadius("GOOGLE", 16_093.44, "MI")).toEqual({ radius: 10, radius_units: "MILES" });
  });

  it("checkRadius names the limits", () => {
    expect(checkRadius("META", 80_000)).toBeNull();
    expect(checkRadius("META", 80_001)).toMatch(/Meta.*1\.0 km.*80\.0 km/);
    expect(checkRadius("GOOGLE", 500)).toMatch(/Google Ads.*1\.0 km/);
    expect(checkRadius("META", Number.NaN)).not.toBeNull();
  });
});

describe("UTM campaign", () => {
  it("lower-case, only [a-z0-9-_], at most 64 characters, the same for the same pair", () => {
    expect(mintUtmCampaign("Brooklyn Hub", "Winter Sale! 2026")).toBe("brooklyn-hub-winter-sale-2026");
    expect(mintUtmCampaign("café_hub", "Été")).toBe("cafe_hub-ete");
    const long = mintUtmCampaign("williamsburg-north-side-micro-hub", "the-very-long-campaign-key-for-the-holiday-season-2026-a");
    expect(long.length).toBeLessThanOrEqual(UTM_CAMPAIGN_MAX);
    expect(long).toMatch(/^[a-z0-9_-]+$/);
    expect(long).toBe(mintUtmCampaign("williamsburg-north-side-micro-hub", "the-very-long-campaign-key-for-the-holiday-season-2026-a"));
    expect(long).not.toBe(mintUtmCampaign("williamsburg-north-side-micro-hub", "the-very-long-campaign-key-for-the-holiday-season-2026-b"));
    expect(mintUtmCampaign("!!!", "???")).toBe("hub-campaign");
  });
});
