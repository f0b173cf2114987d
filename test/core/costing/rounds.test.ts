// A hub's own delivery rounds in the cost engine (core/costing/rounds.ts, ADR 0038): a local order
// costs the expected cost of one more stop on the hub's round at its density, not a whole on-demand
// trip, and the engine keeps whichever of the two is cheaper, with its reasons.
import { describe, expect, it } from "vitest";
import type { CostingConfigInput } from "../../../app/core/costing/config";
import { landedCost, landedPrice, type CostRequest } from "../../../app/core/costing/landedCost";
import { prepareCosting } from "../../../app/core/costing/network";
import type { RoundsConfigInput } from "../../../app/core/costing/rounds";
import type { NetworkSnapshot } from "../../../app/core/network/types";
import { addresses, bikeCourier, hours, line, local, makeNode, makeProduct } from "../fixtures";

const mug = makeProduct({ id: "mug", weightGrams: 600, lengthMm: 120, widthMm: 120, heightMm: 120 });

function snapshot(localDemand?: NetworkSnapshot["localDemand"]): NetworkSnapshot {
  return {
    shopId: "s",
    currency: "USD",
    nodes: [
      makeNode({
        id: "bk", name: "Brooklyn hub", latitude: 40.7142, longitude: -73.9614, serviceArea: { radiusM: 6000, polygon: null },
        openingHours: hours("08:00", "20:00"), sameDayCutoff: "16:00", dailyCapacity: 150, handlingCostMinor: 120,
      }),
    ],
    products: [mug],
    stock: { bk: { mug: 50 } },
    localDemand,
  };
}

const cargoBikes = (over: Partial<RoundsConfigInput> = {}): RoundsConfigInput => ({
  id: "bk-rounds",
  nodeId: "bk",
  fleet: {
    currency: "USD",
    vehicles: [
      { id: "bikes", name: "Cargo bikes", kind: "cargo_bike", count: 3, speedKmh: 15, capacityStops: 25, capacityGrams: 80_000, costPerHourMinor: 2400, costPerKmMinor: 10, shiftStart: "09:00", shiftEnd: "21:00" },
    ],
  },
  ...over,
});

function config(rounds: RoundsConfigInput[] = [cargoBikes()]): CostingConfigInput {
  return { couriers: [bikeCourier({ nodeIds: ["bk"], surge: [] })], rounds };
}

const TUESDAY_11 = local("2025-06-10T11:00");
const request = (over: Partial<CostRequest> = {}): CostRequest => ({
  nodeId: "bk", service: "SAME_DAY", lines: [line(mug)], destination: addresses.williamsburg, dispatchAt: TUESDAY_11, ...over,
});

const busy = { bk: { ordersPerDay: 25.6, days: 28 } };

function courierLegOf(r: ReturnType<typeof landedCost>) {
  if (!r.ok) throw new Error(r.reasons.join("; "));
  return r.cost.components.filter((c) => c.code === "rounds_stop" || c.code.startsWith("courier_"));
}

describe("a hub's delivery rounds in the cost engine", () => {
  it("prices a Brooklyn order as a stop on the hub's cargo-bike round at its 25.6 orders a day, cheaper than an on-demand bike trip", () => {
    const withRounds = landedCost(prepareCosting(snapshot(busy), config()), request());
    const onDemand = landedCost(prepareCosting(snapshot(busy), config([])), request());
    const legs = courierLegOf(withRounds);
    expect(legs.map((c) => c.code)).toEqual(["rounds_stop"]);
    expect(legs[0].detail).toMatch(/25\.6 local orders a day over the last 28 days/);
    const onDemandMinor = courierLegOf(onDemand).reduce((s, c) => s + c.amountMinor, 0);
    expect(legs[0].amountMinor).toBeLessThan(onDemandMinor);
    if (!withRounds.ok) throw new Error("no cost");
    expect(withRounds.cost.reasons.join(" | ")).toMatch(/cheapest of the hub's rounds and 1 on-demand courier/);
  });

  it("costs less a stop the denser the hub's local orders", () => {
    const perStop = [2, 8, 25, 60].map((ordersPerDay) => {
      const r = landedCost(prepareCosting(snapshot({ bk: { ordersPerDay, days: 28 } }), config([cargoBikes()])), request());
      return courierLegOf(r).find((c) => c.code === "rounds_stop")?.amountMinor ?? null;
    });
    // At 2 a day a round is dearer than a bike trip, so the engine keeps the trip; from 8 on the round wins.
    expect(perStop[0]).toBeNull();
    const rounds = perStop.slice(1) as number[];
    expect(rounds.every((v, i) => i === 0 || v < rounds[i - 1])).toBe(true);
  });

  it("keeps the on-demand courier when the round's vehicles are off shift", () => {
    const late = local("2025-06-10T22:00");
    const r = landedCost(prepareCosting(snapshot(busy), config()), request({ dispatchAt: late, service: "NEXT_DAY" }));
    expect(courierLegOf(r).map((c) => c.code)).not.toContain("rounds_stop");
  });

  it("uses the merchant's forecast until the hub has two weeks of history", () => {
    const young = { bk: { ordersPerDay: 3, days: 5 } };
    const r = landedCost(prepareCosting(snapshot(young), config([cargoBikes({ forecastOrdersPerDay: 30 })])), request());
    const [leg] = courierLegOf(r);
    expect(leg.code).toBe("rounds_stop");
    expect(leg.detail).toMatch(/a forecast of 30 local orders a day \(5 days of history, 14 needed\)/);
  });

  it("refuses an address outside the area the rounds deliver, leaving the courier", () => {
    const r = landedCost(prepareCosting(snapshot(busy), config()), request({ destination: addresses.harlem }));
    expect(courierLegOf(r).map((c) => c.code)).not.toContain("rounds_stop");
  });

  it("gives the same total without words (landedPrice) as with them", () => {
    const net = prepareCosting(snapshot(busy), config());
    for (const destination of [addresses.williamsburg, addresses.parkSlope, addresses.astoria]) {
      for (const dispatchAt of [TUESDAY_11, local("2025-06-10T19:30"), local("2025-06-10T22:00")]) {
        for (const service of ["SAME_DAY", "NEXT_DAY"] as const) {
          const r = landedCost(net, request({ destination, dispatchAt, service }));
          const p = landedPrice(net, request({ destination, dispatchAt, service }));
          expect(p?.totalMinor ?? null).toBe(r.ok ? r.cost.totalMinor : null);
        }
      }
    }
  });

  it("ignores rounds it cannot use, with a warning an admin page shows", () => {
    const net = prepareCosting(snapshot(busy), config([cargoBikes(), cargoBikes({ id: "again" }), cargoBikes({ id: "elsewhere", nodeId: "nowhere" })]));
    expect(net.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/rounds again: node bk already has rounds/), expect.stringMatching(/rounds elsewhere name unknown node nowhere/)]));
    const noCutoff = { ...snapshot(busy), nodes: [{ ...snapshot().nodes[0], sameDayCutoff: null }] };
    expect(prepareCosting(noCutoff, config()).warnings).toEqual(expect.arrayContaining([expect.stringMatching(/no cut-off to gather waves by/)]));
  });
});
