// Waves by cut-off and a wave's rounds: every order once, the vehicles' capacity and shifts, the
// cheapest way chosen with reasons, the courier's day fee counted once a day, replayable for a seed.
import { describe, expect, it } from "vitest";
import { fleetSchema, groupIntoWaves, planDay, planWave, roundsHubSchema, scheduleTrips, type FleetInput, type PlannedRoute, type RoundOrder } from "../../../app/core/rounds";
import { clockFor } from "../../../app/core/geo/localTime";
import { BROOKLYN, generateDay } from "./generate";

const hub = roundsHubSchema.parse({ id: "bk", name: "Brooklyn hub", ...BROOKLYN, timeZone: "America/New_York", cutoffs: ["11:00", "15:00", "19:00"] });
const clock = clockFor(hub.timeZone);
/** 2026-12-03, local New York time → UTC ms. */
const ny = (hh: number, mm: number, ss = 0) => clock.instant(clock.local(Date.UTC(2026, 11, 3, 17)).day, hh * 60 + mm) + ss * 1000;

const bikes = { id: "bike", name: "Cargo bikes", kind: "cargo_bike", count: 5, capacityStops: 12, capacityGrams: 40_000, speedKmh: 14, costPerHourMinor: 2400, costPerKmMinor: 5, shiftStart: "09:00", shiftEnd: "21:00" } as const;
const van = { id: "van", name: "Van", kind: "van", count: 1, capacityStops: 60, speedKmh: 18, circuityFactor: 1.4, costPerHourMinor: 3800, costPerKmMinor: 35, shiftStart: "12:00", shiftEnd: "20:00" } as const;
const courier = { id: "sub", name: "City courier", kind: "subscription", feePerDayMinor: 4000, feePerStopMinor: 350, maxStopsPerRoute: 25, speedKmh: 16, shiftEnd: "22:00" } as const;
const fleetOf = (f: Partial<FleetInput>) => fleetSchema.parse({ currency: "USD", vehicles: [], subscription: null, ...f });

const order = (id: string, placedAt: number, weightGrams = 1000): RoundOrder => ({ id, placedAt, latitude: BROOKLYN.latitude + 0.01, longitude: BROOKLYN.longitude, weightGrams });

/** Each vehicle's routes one after another, none before the wave leaves or back after the shift. */
function expectWithinFleet(routes: PlannedRoute[], count: number, leaves: number, shiftEnd: number): void {
  const byVehicle = new Map<number, PlannedRoute[]>();
  for (const r of routes) byVehicle.set(r.vehicle, [...(byVehicle.get(r.vehicle) ?? []), r]);
  expect(byVehicle.size).toBeLessThanOrEqual(count);
  for (const [v, rs] of byVehicle) {
    expect(v).toBeGreaterThanOrEqual(1);
    expect(v).toBeLessThanOrEqual(count);
    rs.sort((a, b) => a.departAt - b.departAt);
    expect(rs[0].departAt).toBeGreaterThanOrEqual(leaves);
    for (let i = 1; i < rs.length; i++) expect(rs[i].departAt).toBeGreaterThanOrEqual(rs[i - 1].returnAt - 1);
    for (const r of rs) {
      expect(r.returnAt).toBeLessThanOrEqual(shiftEnd);
      for (let i = 1; i < r.stops.length; i++) expect(r.stops[i].arriveAt).toBeGreaterThan(r.stops[i - 1].arriveAt);
    }
  }
}

describe("scheduleTrips", () => {
  it("puts the longest routes first on the vehicle free soonest, or says they do not fit", () => {
    expect(scheduleTrips([60, 50, 40, 30], 2, 120)).toEqual([
      { vehicle: 1, startMinute: 0 },
      { vehicle: 2, startMinute: 0 },
      { vehicle: 2, startMinute: 50 },
      { vehicle: 1, startMinute: 60 },
    ]);
    expect(scheduleTrips([60, 50, 40, 30], 2, 89)).toBeNull();
  });
});

describe("groupIntoWaves", () => {
  it("puts an order in the first wave whose cut-off it meets, after the last one in the next day's first", () => {
    const waves = groupIntoWaves(hub, [order("a", ny(9, 0)), order("b", ny(11, 0)), order("c", ny(11, 0, 30)), order("d", ny(18, 59)), order("e", ny(19, 1))]);
    expect(waves.map((w) => [w.label, w.orders.map((o) => o.id)])).toEqual([
      ["11:00 cut-off", ["a", "b"]],
      ["15:00 cut-off", ["c"]],
      ["19:00 cut-off", ["d"]],
      ["11:00 cut-off", ["e"]],
    ]);
    expect(waves[3].day).toBe(waves[0].day + 1);
    expect(waves[0].dispatchAt - waves[0].cutoffAt).toBe(hub.dispatchAfterMinutes * 60_000);
  });

  it("reads cut-offs in the hub's zone on the day clocks go back", () => {
    // 2026-11-01: New York goes from EDT to EST at 02:00; 11:00 that day is 16:00 UTC, not 15:00.
    const waves = groupIntoWaves(hub, [order("a", Date.UTC(2026, 10, 1, 15, 59)), order("b", Date.UTC(2026, 10, 1, 16, 0, 1))]);
    expect(waves.map((w) => [w.label, new Date(w.cutoffAt).toISOString(), w.orders.map((o) => o.id)])).toEqual([
      ["11:00 cut-off", "2026-11-01T16:00:00.000Z", ["a"]],
      ["15:00 cut-off", "2026-11-01T20:00:00.000Z", ["b"]],
    ]);
  });
});

describe("planWave", () => {
  const day = generateDay(21, 45, 3500, ny(11, 1), 4 * 3600e3 - 120_000);
  const [wave] = groupIntoWaves(hub, day.orders);

  it("serves every order exactly once within the vehicles' capacity and shift", () => {
    const fleet = fleetOf({ vehicles: [bikes] });
    const plan = planWave(hub, fleet, wave, { seed: 4, iterations: 100 });
    expect(wave.orders).toHaveLength(45);
    const ids = [...plan.routes.flatMap((r) => r.stops.map((s) => s.orderId)), ...plan.unserved.map((u) => u.orderId)].sort();
    expect(ids).toEqual(wave.orders.map((o) => o.id).sort());
    expect(plan.unserved).toEqual([]);
    expectWithinFleet(plan.routes, bikes.count, wave.dispatchAt, ny(21, 0));
    for (const r of plan.routes) {
      expect(r.stops.length).toBeLessThanOrEqual(bikes.capacityStops);
      expect(r.loadGrams).toBeLessThanOrEqual(bikes.capacityGrams);
    }
    expect(plan.totalMinor).toBe(plan.routes.reduce((s, r) => s + r.costMinor, 0));
  });

  it("lays routes end to end when there are fewer vehicles than routes, within the shift", () => {
    const one = fleetOf({ vehicles: [{ ...bikes, count: 1, capacityStops: 8 }] });
    const small = groupIntoWaves(hub, generateDay(8, 20, 2000, ny(11, 1), 3600e3).orders)[0];
    const plan = planWave(hub, one, small, { seed: 2, iterations: 50 });
    expect(plan.unserved).toEqual([]);
    expect(plan.routes.length).toBeGreaterThanOrEqual(3);
    expect(new Set(plan.routes.map((r) => r.vehicle))).toEqual(new Set([1]));
    expectWithinFleet(plan.routes, 1, small.dispatchAt, ny(21, 0));
    // The same wave with the shift ending at 16:00 does not fit one bike: said, not squeezed.
    const short = fleetOf({ vehicles: [{ ...bikes, count: 1, capacityStops: 8, shiftEnd: "16:00" }] });
    const none = planWave(hub, short, small, { seed: 2, iterations: 50 });
    expect(none.chosenOptionId).toBeNull();
    expect(none.reasons.join(" ")).toContain("more than its 1 can drive one after another");
  });

  it("is the same plan for the same seed", () => {
    const fleet = fleetOf({ vehicles: [bikes, van], subscription: courier });
    const a = planWave(hub, fleet, wave, { seed: 9, iterations: 60 });
    const b = planWave(hub, fleet, wave, { seed: 9, iterations: 60 });
    expect(b).toEqual(a);
  });

  it("chooses the cheapest option and says why the others lost", () => {
    const fleet = fleetOf({ vehicles: [bikes, van], subscription: courier });
    const plan = planWave(hub, fleet, wave, { seed: 1, iterations: 60 }, 1333);
    const ok = plan.options.filter((o) => o.ok);
    expect(ok.length).toBeGreaterThan(1);
    const cheapest = ok.reduce((a, b) => (b.totalMinor < a.totalMinor ? b : a));
    expect(plan.chosenOptionId).toBe(cheapest.optionId);
    expect(plan.reasons[0]).toContain(cheapest.optionName);
    for (const o of plan.options.filter((x) => x.optionId !== cheapest.optionId)) expect(plan.reasons.some((r) => r.includes(o.optionName))).toBe(true);
  });

  it("leaves out a vehicle whose shift ends before the wave leaves, and waits for one whose shift has not begun", () => {
    const late = groupIntoWaves(hub, [order("x", ny(18, 0))])[0]; // leaves 19:30
    const early = groupIntoWaves(hub, [order("y", ny(8, 0))])[0]; // leaves 11:30
    const fleet = fleetOf({ vehicles: [{ ...van, shiftEnd: "19:00" }] });
    const planLate = planWave(hub, fleet, late, { seed: 1, iterations: 10 });
    expect(planLate.chosenOptionId).toBeNull();
    expect(planLate.unserved.map((u) => u.orderId)).toEqual(["x"]);
    expect(planLate.reasons.join(" ")).toContain("the shift ends at 19:00");
    const planEarly = planWave(hub, fleet, early, { seed: 1, iterations: 10 });
    expect(planEarly.routes[0].departAt).toBe(ny(12, 0));
  });

  it("lists an order too heavy for every route instead of overloading one", () => {
    const fleet = fleetOf({ vehicles: [bikes] });
    const w = groupIntoWaves(hub, [order("ok", ny(10, 0)), order("heavy", ny(10, 5), 55_000)])[0];
    const plan = planWave(hub, fleet, w, { seed: 1, iterations: 10 });
    expect(plan.routes.flatMap((r) => r.stops.map((s) => s.orderId))).toEqual(["ok"]);
    expect(plan.unserved).toEqual([{ orderId: "heavy", reason: expect.stringContaining("55000 g is over its 40000 g") }]);
  });
});

describe("planDay", () => {
  it("counts the subscription courier's day fee once for a day it drives", () => {
    const fleet = fleetOf({ subscription: courier });
    const day = generateDay(5, 30, 3000, ny(9, 0), 9 * 3600e3);
    const plan = planDay(hub, fleet, day.orders, { seed: 1, iterations: 20 });
    expect(plan.waves.length).toBe(3);
    const routes = plan.waves.flatMap((w) => w.routes);
    const routeCosts = routes.reduce((s, r) => s + r.costMinor, 0);
    expect(routeCosts).toBe(30 * courier.feePerStopMinor);
    expect(plan.totalMinor).toBe(routeCosts + courier.feePerDayMinor);
    expect(plan.stops).toBe(30);
  });
});

describe("fleetSchema", () => {
  it("names the field of a bad vehicle", () => {
    const r = fleetSchema.safeParse({ currency: "USD", vehicles: [{ ...bikes, shiftStart: "18:00", shiftEnd: "09:00" }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(["vehicles", 0, "shiftEnd"]);
  });
});
