import { describe, expect, it } from "vitest";
import { landedCost, type CostRequest } from "../../../app/core/costing/landedCost";
import { prepareCosting } from "../../../app/core/costing/network";
import { expectedReverseCost } from "../../../app/core/costing/reverse";
import type { CostingConfigInput } from "../../../app/core/costing/config";
import type { Destination, LandedCost } from "../../../app/core/costing/types";
import type { NetworkSnapshot } from "../../../app/core/network/types";
import { greatCircleM } from "../../../app/core/geo/distance";
import { hours, line, local, makeNode, makeProduct } from "../fixtures";

// One hub in Williamsburg with round figures, and an address exactly 2 km due north of it:
// 2000 m ÷ 111,195.08 m per degree = 0.01798622°.
const HUB = { latitude: 40.7142, longitude: -73.9614 };
const NORTH_2KM: Destination = { latitude: HUB.latitude + 0.01798622, longitude: HUB.longitude, postalCode: "11222", country: "US" };

const boxy = makeProduct({ id: "boxy", weightGrams: 2000, lengthMm: 300, widthMm: 200, heightMm: 250, returnRateBps: 1000 });
const small = makeProduct({ id: "small", weightGrams: 400, lengthMm: 100, widthMm: 100, heightMm: 100 });
const lamp = makeProduct({ id: "lamp", weightGrams: 1000, madeToOrder: true });

function snapshot(): NetworkSnapshot {
  return {
    shopId: "s",
    currency: "USD",
    nodes: [
      makeNode({ id: "hub", name: "Brooklyn hub", ...HUB, serviceArea: { radiusM: 5000, polygon: null }, handlingCostMinor: 120, pickupCostMinor: 50, dailyCapacity: 100 }),
      makeNode({ id: "fac", name: "Factory", kind: "MICRO_FACTORY", ...HUB, handlingCostMinor: 200, openingHours: hours("09:00", "18:00") }),
    ],
    products: [boxy, small, lamp],
    stock: { hub: { boxy: 10, small: 10 }, fac: { lamp: 1 } },
  };
}

function config(over: Partial<CostingConfigInput> = {}): CostingConfigInput {
  return {
    couriers: [
      {
        id: "bike", name: "Bike", nodeIds: ["hub"], baseMinor: 600, perKmMinor: 150, circuityFactor: 1.3, speedKmh: 18, pickupMinutes: 15,
        surge: [
          { code: "HOUR_WEEKDAY", args: { days: ["mon", "tue", "wed", "thu", "fri"], from: "17:00", to: "19:00", multiplier: 1.25 } },
          { code: "LOAD_RATIO", args: { steps: [{ atLeast: 0.8, multiplier: 1.2 }, { atLeast: 0.95, multiplier: 1.5 }] } },
        ],
      },
    ],
    rateCards: [
      {
        id: "ground", carrier: "Test", service: "Ground", currency: "USD", destinationCountries: ["US"],
        zoning: { by: "distance", bands: [{ upToM: 50_000, zone: "A" }] },
        zones: [{ zone: "A", transitDaysMin: 1, transitDaysMax: 2 }],
        weightBands: [
          { upToGrams: 1000, pricesMinor: { A: 500 } },
          { upToGrams: 2000, pricesMinor: { A: 600 } },
          { upToGrams: 3000, pricesMinor: { A: 800 } },
        ],
        surcharges: [{ code: "FUEL_PERCENT", args: { percent: 15 } }, { code: "RESIDENTIAL_FLAT", args: { amountMinor: 550 } }],
      },
    ],
    corridors: [
      {
        id: "robots", name: "Robots", nodeId: "hub",
        polygon: { type: "Polygon", coordinates: [[[-73.98, 40.70], [-73.94, 40.70], [-73.94, 40.74], [-73.98, 40.74], [-73.98, 40.70]]] },
        operatingHours: hours("08:00", "20:00"), maxPayloadGrams: 5000, maxItemSideMm: 500, baseMinor: 300, perKmMinor: 50, circuityFactor: 1.2, speedKmh: 6,
      },
    ],
    nodes: { hub: { prepMinutes: 30 }, fac: { prepMinutes: 30, makeSetupMinutes: 45, makeMinutesPerUnit: 30 } },
    ...over,
  };
}

const TUESDAY_11 = local("2025-06-10T11:00");
const TUESDAY_1730 = local("2025-06-10T17:30");

function cost(req: Partial<CostRequest>, cfg = config()): LandedCost {
  const r = landedCost(prepareCosting(snapshot(), cfg), {
    nodeId: "hub", service: "SAME_DAY", lines: [line(small)], destination: NORTH_2KM, dispatchAt: TUESDAY_11, ...req,
  });
  if (!r.ok) throw new Error(r.reasons.join("; "));
  return r.cost;
}

const amounts = (c: LandedCost) => Object.fromEntries(c.components.map((x) => [x.code, x.amountMinor]));

describe("courier leg", () => {
  it("is sure of its fixture: the address is 2 km from the hub", () => {
    expect(greatCircleM(HUB.latitude, HUB.longitude, NORTH_2KM.latitude!, NORTH_2KM.longitude!)).toBeCloseTo(2000, 1);
  });

  it("adds handling, collection, base and 2.6 road km at 1.50/km", () => {
    const c = cost({});
    expect(amounts(c)).toEqual({ handling: 120, node_pickup: 50, courier_base: 600, courier_distance: 390, expected_returns: 0 });
    expect(c.forwardMinor).toBe(1160);
    expect(c.totalMinor).toBe(1160);
    expect(c.currency).toBe("USD");
    expect(c.transit).toMatchObject({ mode: "COURIER", minutes: 15 + 9, provider: "Bike" }); // 2.6 km at 18 km/h = 8.7 min
    expect(c.transit.distanceM).toBeCloseTo(2600, 0);
    expect(c.transit.earliestArrivalMs).toBe(TUESDAY_11 + 24 * 60_000);
    expect(c.leadTimeMinutes).toBe(30);
    expect(c.reasons[0]).toBe("lead time 30 min: 30 min preparation");
    // The rate reads as money per km with its currency, not as bare cents ("at 150/km").
    expect(c.components.find((x) => x.code === "courier_distance")!.detail).toMatch(/ at \$1\.50 per km$/);
  });

  it("surges ×1.25 in the weekday evening peak, in the node's local time", () => {
    const c = cost({ dispatchAt: TUESDAY_1730 });
    expect(amounts(c).courier_surge).toBe(248); // 990 × 0.25 = 247.5
    expect(c.forwardMinor).toBe(1160 + 248);
    expect(c.reasons).toContain("courier surge ×1.25: ×1.25 mon/tue/wed/thu/fri 17:00–19:00");
  });

  it("multiplies peak and load surges", () => {
    const c = cost({ dispatchAt: TUESDAY_1730, loadRatio: 0.96 });
    expect(amounts(c).courier_surge).toBe(866); // 990 × (1.25 × 1.5 − 1) = 866.25
  });

  it("reads the node's own load today, the orders counted in the snapshot, by default", () => {
    const busy = { ...snapshot(), today: { countedAt: TUESDAY_11, byNode: { hub: { orders: 85, madeUnits: 0 } } } };
    const r = landedCost(prepareCosting(busy, config()), { nodeId: "hub", service: "SAME_DAY", lines: [line(small)], destination: NORTH_2KM, dispatchAt: TUESDAY_11 });
    if (!r.ok) throw new Error(r.reasons.join("; "));
    expect(amounts(r.cost).courier_surge).toBe(198); // 85 / 100 = 0.85 ≥ 0.8: 990 × 0.2
  });

  it("has no weekday peak on Saturday", () => {
    expect(amounts(cost({ dispatchAt: local("2025-06-14T17:30") })).courier_surge).toBeUndefined();
  });

  it("needs coordinates", () => {
    const r = landedCost(prepareCosting(snapshot(), config()), {
      nodeId: "hub", service: "SAME_DAY", lines: [line(small)], destination: { postalCode: "11222", country: "US" }, dispatchAt: TUESDAY_11,
    });
    expect(r).toEqual({ ok: false, reasons: ["a courier needs the address's coordinates"] });
  });
});

describe("carrier leg", () => {
  it("bills the 3 kg band for a 2 kg parcel with 3 kg dimensional weight, plus fuel and residential", () => {
    const c = cost({ service: "STANDARD", lines: [line(makeProduct({ id: "boxy", weightGrams: 2000, lengthMm: 300, widthMm: 200, heightMm: 250 }))] });
    expect(amounts(c)).toEqual({
      handling: 120, node_pickup: 50, carrier_freight: 800, "surcharge:FUEL_PERCENT": 120, "surcharge:RESIDENTIAL_FLAT": 550, expected_returns: 0,
    });
    expect(c.totalMinor).toBe(1640);
    expect(c.transit).toMatchObject({ mode: "CARRIER", zone: "A", days: { min: 1, max: 2 }, provider: "Test Ground" });
    // Ships Tue 2025-06-10: Wed 09:00 to Thu 20:00, New York time
    expect(c.transit.earliestArrivalMs).toBe(local("2025-06-11T09:00"));
    expect(c.transit.latestArrivalMs).toBe(local("2025-06-12T20:00"));
  });

  it("explains a node without a rate card", () => {
    const r = landedCost(prepareCosting(snapshot(), config({ rateCards: [] })), {
      nodeId: "hub", service: "STANDARD", lines: [line(small)], destination: NORTH_2KM, dispatchAt: TUESDAY_11,
    });
    expect(r).toEqual({ ok: false, reasons: ["no rate card ships from Brooklyn hub"] });
  });
});

describe("autonomous leg", () => {
  it("prices the corridor: dispatch + 2.4 km path at 0.50/km, no collection fee", () => {
    const c = cost({ service: "AUTONOMOUS" });
    expect(amounts(c)).toEqual({ handling: 120, autonomous_base: 300, autonomous_distance: 120, expected_returns: 0 });
    expect(c.transit).toMatchObject({ mode: "AUTONOMOUS", minutes: 24, provider: "Robots" });
  });

  it("falls back to the courier, with the reason, when the corridor is closed", () => {
    const [k] = config().corridors!;
    const c = cost({ service: "AUTONOMOUS" }, config({ corridors: [{ ...k, status: "CLOSED", closedReason: "storm warning" }] }));
    expect(c.transit.mode).toBe("COURIER");
    expect(c.forwardMinor).toBe(1160);
    expect(c.reasons).toEqual(expect.arrayContaining(["autonomous corridor Robots: closed (storm warning)", "falls back to courier"]));
  });

  it("falls back outside operating hours, read in local time", () => {
    const c = cost({ service: "AUTONOMOUS", dispatchAt: local("2025-06-10T20:30") });
    expect(c.transit.mode).toBe("COURIER");
    expect(c.reasons).toContain("autonomous corridor Robots: not operating at 20:30 local (tue: 08:00–20:00)");
  });

  it("falls back when the payload is too heavy or too long", () => {
    const heavy = cost({ service: "AUTONOMOUS", lines: [line(small, 13)] }); // 5200 g
    expect(heavy.reasons).toContain("autonomous corridor Robots: payload 5200 g is over 5000 g");
    const long = cost({ service: "AUTONOMOUS", lines: [line(makeProduct({ id: "small", lengthMm: 650 }))] });
    expect(long.reasons).toContain("autonomous corridor Robots: an item side of 650 mm is over 500 mm");
  });

  it("refuses an address outside every corridor", () => {
    const r = landedCost(prepareCosting(snapshot(), config()), {
      nodeId: "hub", service: "AUTONOMOUS", lines: [line(small)], destination: { latitude: 40.671, longitude: -73.9814, country: "US" }, dispatchAt: TUESDAY_11,
    });
    expect(r).toEqual({ ok: false, reasons: ["no autonomous corridor from Brooklyn hub covers the address"] });
  });
});

describe("pickup", () => {
  it("costs handling only", () => {
    const c = cost({ service: "PICKUP" });
    expect(amounts(c)).toEqual({ handling: 120, expected_returns: 0 });
    expect(c.transit.mode).toBe("NONE");
  });
});

describe("micro-factory lead time", () => {
  it("adds set-up and per-unit minutes for made-to-order units not on the shelf", () => {
    const net = prepareCosting(snapshot(), config());
    const req = { nodeId: "fac", service: "PICKUP" as const, destination: NORTH_2KM, dispatchAt: TUESDAY_11 };
    const three = landedCost(net, { ...req, lines: [line(lamp, 3)] }); // 1 on the shelf, 2 to make
    expect(three.ok && three.cost.leadTimeMinutes).toBe(30 + 45 + 2 * 30);
    expect(three.ok && three.cost.reasons[0]).toBe("lead time 135 min: 30 min preparation + 105 min to make 2 units to order");
    const one = landedCost(net, { ...req, lines: [line(lamp, 1)] });
    expect(one.ok && one.cost.leadTimeMinutes).toBe(30);
  });

  it("makes nothing at a hub, even for a made-to-order product", () => {
    const c = cost({ service: "PICKUP", lines: [line(lamp, 3)] });
    expect(c.leadTimeMinutes).toBe(30);
  });
});

describe("expected reverse cost", () => {
  it("is return rate × quantity × the cheapest return leg to a return hub", () => {
    // One boxy unit back to the hub: courier collection 600 + 390 = 990, or a Test Ground label
    // for 3 kg billable: 800 + 15% fuel = 920 (no residential fee: it goes to a hub). 920 wins.
    // 10% × 3 units = 0.3 expected units × 920 = 276.
    const net = prepareCosting(snapshot(), config());
    const r = expectedReverseCost(net, [line(boxy, 3), line(small, 5)], NORTH_2KM);
    expect(r.amountMinor).toBe(276);
    expect(r.lines).toEqual([{ productId: "boxy", sku: "BOXY", quantity: 3, returnRateBps: 1000, expectedUnits: 0.3, unitCostMinor: 920, hubId: "hub", via: "Test Ground label to Brooklyn hub" }]);
    const c = cost({ service: "PICKUP", lines: [line(boxy, 3)] });
    expect(c.expectedReverseMinor).toBe(276);
    expect(c.totalMinor).toBe(120 + 276);
    // Said as a rate, not as fractional units.
    expect(r.detail).toBe("BOXY: 3 × 10% × $9.20 (Test Ground label to Brooklyn hub)");
  });

  it("takes the courier when it is cheaper", () => {
    const net = prepareCosting(snapshot(), config({ rateCards: [] }));
    expect(expectedReverseCost(net, [line(boxy, 3)], NORTH_2KM).lines[0]).toMatchObject({ unitCostMinor: 990, via: "Bike collection to Brooklyn hub" });
  });

  it("uses the fallback unit cost, and says so, when nothing can carry the return", () => {
    const net = prepareCosting(snapshot(), config({ rateCards: [], returns: { fallbackUnitCostMinor: 1000 } }));
    const r = expectedReverseCost(net, [line(boxy, 3)], { postalCode: "11222", country: "US" });
    expect(r.amountMinor).toBe(300);
    expect(r.reasons).toEqual(["no return leg prices BOXY from this address: fallback $10.00 per unit"]);
  });
});

describe("prepareCosting", () => {
  it("names the field of an unknown surge rule", () => {
    const bad = config();
    bad.couriers![0].surge = [{ code: "RAIN", args: {} }];
    expect(() => prepareCosting(snapshot(), bad)).toThrow(/couriers\[0\]\.surge\[0\]: unknown surge rule "RAIN"/);
  });

  it("ignores, with a warning, config it cannot use", () => {
    const cfg = config();
    cfg.rateCards![0].currency = "EUR";
    cfg.corridors![0].nodeId = "nowhere";
    const net = prepareCosting(snapshot(), cfg);
    expect(net.warnings).toEqual([
      "rate card ground is in EUR, the shop sells in USD: ignored",
      "corridor robots names unknown node nowhere: ignored",
    ]);
  });
});
