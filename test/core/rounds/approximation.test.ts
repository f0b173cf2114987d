// Daganzo's approximation against the heuristic on dense generated days, and the expected cost per
// stop costing will call: it falls with density, picks the cheapest way, and says what it left out.
import { describe, expect, it } from "vitest";
import { greatCircleM } from "../../../app/core/geo/distance";
import {
  approximateRoundsM,
  expectedCostPerStop,
  fleetSchema,
  meanDistanceFromCentreM,
  roundsHubSchema,
  solveVrp,
  vrpProblem,
} from "../../../app/core/rounds";
import { BROOKLYN, generateDay } from "./generate";

const hub = roundsHubSchema.parse({ id: "bk", name: "Brooklyn hub", ...BROOKLYN, timeZone: "America/New_York", cutoffs: ["11:00", "15:00", "19:00"] });
const bikes = { id: "bike", name: "Cargo bikes", kind: "cargo_bike", count: 6, capacityStops: 20, capacityGrams: 80_000, speedKmh: 14, costPerHourMinor: 2400, costPerKmMinor: 5, shiftStart: "09:00", shiftEnd: "22:00" } as const;
const van = { id: "van", name: "Van", kind: "van", count: 1, capacityStops: 80, speedKmh: 18, circuityFactor: 1.4, costPerHourMinor: 3800, costPerKmMinor: 35 } as const;
const courier = { id: "sub", name: "City courier", kind: "subscription", feePerDayMinor: 4000, feePerStopMinor: 350, maxStopsPerRoute: 25, speedKmh: 16 } as const;

describe("approximateRoundsM", () => {
  it("comes within 15% of the heuristic's routes on dense days (40–120 stops, 8–30 a route)", () => {
    // The band bench:rounds measures over more days: worst 14.4%, mean 4.9% at ≥ 40 stops.
    const radiusM = 4000;
    for (const [N, C, seed] of [[40, 8, 1], [80, 15, 2], [120, 30, 3], [60, 15, 4]]) {
      const day = generateDay(seed, N, radiusM, 0, 3600e3);
      const pts = [BROOKLYN, ...day.orders];
      const n = pts.length;
      const D = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) D[i * n + j] = greatCircleM(pts[i].latitude, pts[i].longitude, pts[j].latitude, pts[j].longitude);
      const sol = solveVrp(vrpProblem({ size: n, distance: D, demand: new Array(n).fill(0), maxStops: C }), { seed: 1, iterations: 100 });
      const ap = approximateRoundsM({ stops: N, areaM2: day.areaM2, lineHaulM: meanDistanceFromCentreM(day.areaM2), stopsPerRoute: C });
      expect(ap.routes).toBe(Math.ceil(N / C));
      expect(ap.totalM / sol.distance).toBeGreaterThan(0.85);
      expect(ap.totalM / sol.distance).toBeLessThan(1.15);
    }
  });
});

describe("expectedCostPerStop", () => {
  const fleet = fleetSchema.parse({ currency: "USD", vehicles: [bikes, van], subscription: courier });

  it("falls as orders get denser, and never below what a stop's own time costs", () => {
    let prev = Infinity;
    for (const perHour of [0.5, 1, 2, 5, 10, 20]) {
      const e = expectedCostPerStop(hub, fleet, { stopsPerHour: perHour, areaKm2: 28 });
      expect(e.ok).toBe(true);
      expect(e.perStopMinor!).toBeLessThanOrEqual(prev);
      // A cargo-bike stop is at least its 3 minutes at the door at 24 USD an hour.
      expect(e.perStopMinor!).toBeGreaterThanOrEqual(120);
      prev = e.perStopMinor!;
    }
  });

  it("chooses the cheapest option that can drive the wave and explains the others", () => {
    const e = expectedCostPerStop(hub, fleet, { stopsPerHour: 6, areaKm2: 28 });
    const ok = e.options.filter((o) => o.ok);
    const cheapest = ok.reduce((a, b) => (b.totalMinor < a.totalMinor ? b : a));
    expect(e.optionId).toBe(cheapest.optionId);
    expect(e.perStopMinor).toBe(cheapest.perStopMinor);
    expect(e.reasons[0]).toContain(cheapest.optionName);
    expect(e.reasons).toHaveLength(1 + e.options.length);
  });

  it("prices the subscription courier by its fees and its share of the day fee", () => {
    const only = fleetSchema.parse({ currency: "USD", subscription: courier });
    const e = expectedCostPerStop(hub, only, { stopsPerHour: 5, areaKm2: 20, waveHours: 4 });
    // 20 stops a wave, one route of 25 at most; 3.50 a stop and a third of the 40.00 day fee.
    expect(e.stopsPerWave).toBe(20);
    expect(e.options[0].routes).toBe(1);
    expect(e.perStopMinor).toBe(Math.round((20 * 350 + Math.round(4000 / 3)) / 20));
  });

  it("leaves out a vehicle off shift at that hour and one too small for the parcel", () => {
    const e = expectedCostPerStop(hub, fleet, { stopsPerHour: 4, areaKm2: 20, atMinute: 21 * 60, meanWeightGrams: 90_000 });
    const byId = new Map(e.options.map((o) => [o.optionId, o]));
    expect(byId.get("bike")!.ok).toBe(false);
    expect(byId.get("van")!.reason).toContain("off shift at 21:00");
    expect(byId.get("sub")!.reason).toContain("off shift");
    expect(byId.get("bike")!.reason).toContain("over its 80000 g");
    expect(e.ok).toBe(false);
    expect(e.perStopMinor).toBeNull();
  });

  it("needs more vehicles than the hub has: says so instead of pricing it", () => {
    const few = fleetSchema.parse({ currency: "USD", vehicles: [{ ...bikes, count: 1 }] });
    const e = expectedCostPerStop(hub, few, { stopsPerHour: 40, areaKm2: 20, atMinute: 18 * 60 });
    expect(e.ok).toBe(false);
    expect(e.options[0].reason).toMatch(/needs \d+ routes, more than its 1 can drive one after another/);
  });
});
