// Properties of the planner and guardrails over generated inputs: the circle always inside the
// platform's limits (and never past the reach unless the reach is under the minimum), a launchable
// plan never under the account minimum, shrinking never under the minimum nor over the plan,
// every platform radius inside its unit's limits, every UTM well-formed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AD_PLATFORMS,
  evaluateGuardrails,
  GOOGLE_RADIUS_UNITS,
  META_RADIUS_UNITS,
  mintUtmCampaign,
  planCampaign,
  platformRadius,
  RADIUS_LIMITS,
  type DemandPoint,
  type GuardrailState,
} from "../../../app/core/promotions";
import { local, NY } from "../fixtures";
import { brooklynInput } from "./brooklyn";

const base = brooklynInput();

const pointArb: fc.Arbitrary<DemandPoint> = fc.record({
  latitude: fc.double({ min: base.hub.latitude - 0.3, max: base.hub.latitude + 0.3, noNaN: true }),
  longitude: fc.double({ min: base.hub.longitude - 0.3, max: base.hub.longitude + 0.3, noNaN: true }),
  placedAt: fc.constant(0),
  totalMinor: fc.integer({ min: 0, max: 50_000 }),
});

const planArb = fc.record({
  platform: fc.constantFrom(...AD_PLATFORMS),
  reach: fc.integer({ min: 0, max: 150_000 }),
  demand: fc.array(pointArb, { maxLength: 60 }),
  minDaily: fc.integer({ min: 0, max: 20_000 }),
  daily: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: undefined }),
  roas: fc.option(fc.integer({ min: -5_000, max: 60_000 }), { nil: undefined }),
  basis: fc.option(fc.constantFrom("PROFIT" as const, "REVENUE" as const), { nil: undefined }),
  aov: fc.integer({ min: 0, max: 30_000 }),
  landed: fc.integer({ min: 0, max: 30_000 }),
  days: fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined }),
});

describe("planner properties", () => {
  it("the circle is inside the platform's limits, within the reach, and a launchable plan's budget is at least the minimum", () => {
    fc.assert(
      fc.property(planArb, (g) => {
        const limits = RADIUS_LIMITS[g.platform];
        const plan = planCampaign({
          ...base,
          platform: g.platform,
          limits,
          sameDayReachM: g.reach,
          demand: g.demand,
          minDailyBudgetMinor: g.minDaily,
          target: { dailyBudgetMinor: g.daily, targetRoasBps: g.roas, roasBasis: g.basis, days: g.days },
          averageOrderMinor: g.aov,
          landedCostPerOrderMinor: g.landed,
        });
        expect(plan.area.radiusM).toBeGreaterThanOrEqual(limits.minM);
        expect(plan.area.radiusM).toBeLessThanOrEqual(limits.maxM);
        if (g.reach >= limits.minM) expect(plan.area.radiusM).toBeLessThanOrEqual(g.reach);
        else expect(plan.launchable).toBe(false);
        expect(plan.budget.suggestedMinor).toBeGreaterThanOrEqual(g.minDaily);
        expect(Number.isInteger(plan.budget.dailyMinor)).toBe(true);
        expect(plan.budget.totalMinor).toBe(plan.budget.dailyMinor * plan.budget.days);
        if (plan.launchable) expect(plan.budget.dailyMinor).toBeGreaterThanOrEqual(plan.budget.minimumMinor);
        else expect(plan.reasons.length).toBeGreaterThan(0);
        const weights = plan.area.cells.reduce((s, c) => s + c.weight, 0);
        if (plan.area.cells.some((c) => c.orders > 0)) expect(weights).toBeCloseTo(1, 9);
        else expect(weights).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("guardrail properties", () => {
  const plan = planCampaign(base);
  it("the decided budget is never under the account minimum nor over the plan, and a pause always says why", () => {
    fc.assert(
      fc.property(
        fc.record({
          daily: fc.integer({ min: 0, max: 100_000 }),
          min: fc.integer({ min: 0, max: 100_000 }),
          stock: fc.dictionary(fc.constantFrom("A", "B", "C", "D"), fc.integer({ min: -2, max: 50 })),
          spend: fc.integer({ min: 0, max: 200_000 }),
          revenue: fc.integer({ min: 0, max: 400_000 }),
          landed: fc.integer({ min: 0, max: 100_000 }),
          available: fc.boolean(),
          minutes: fc.integer({ min: 0, max: 7 * 24 * 60 }),
        }),
        (g) => {
          const s: GuardrailState = {
            now: local("2026-12-06T00:00") + g.minutes * 60_000,
            hubTimezone: NY,
            availability: { available: g.available, reasons: [] },
            stockBySku: g.stock,
            windows: plan.hours.windows,
            spendMinor: g.spend,
            revenueMinor: g.revenue,
            landedCostMinor: g.landed,
            plannedBudgetMinor: g.daily * 21,
            dailyBudgetMinor: g.daily,
            minDailyBudgetMinor: g.min,
            currency: "USD",
          };
          const d = evaluateGuardrails(s, plan.guardrails);
          expect(d.dailyBudgetMinor).toBeLessThanOrEqual(g.daily);
          expect(d.dailyBudgetMinor).toBeGreaterThanOrEqual(Math.min(g.min, g.daily));
          expect(d.reasons.length).toBeGreaterThan(0);
          if (!g.available) expect(d.action).toBe("PAUSE");
          if (d.action === "RUN") expect(d.dailyBudgetMinor).toBe(g.daily);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("platform shapes", () => {
  it("every radius is inside the platform's limits in its unit", () => {
    fc.assert(
      fc.property(fc.constantFrom(...AD_PLATFORMS), fc.double({ min: 0, max: 2_000_000, noNaN: true }), fc.constantFrom("KM" as const, "MI" as const), (platform, m, unit) => {
        const r = platformRadius(platform, m, unit);
        const limits =
          "radius_units" in r
            ? r.radius_units === "MILES" ? GOOGLE_RADIUS_UNITS.MILES : GOOGLE_RADIUS_UNITS.KILOMETERS
            : r.distance_unit === "mile" ? META_RADIUS_UNITS.mile : META_RADIUS_UNITS.kilometer;
        expect(r.radius).toBeGreaterThanOrEqual(limits.min);
        expect(r.radius).toBeLessThanOrEqual(limits.max);
        expect(Math.round(r.radius * 100) / 100).toBe(r.radius);
      }),
    );
  });

  it("every minted UTM campaign is lower-case [a-z0-9-_], 1 to 64 characters", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 120 }), (hub, key) => {
        const utm = mintUtmCampaign(hub, key);
        expect(utm).toMatch(/^[a-z0-9_-]{1,64}$/);
        expect(mintUtmCampaign(hub, key)).toBe(utm);
      }),
    );
  });
});
