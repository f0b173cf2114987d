// A courier whose fees are quoted ahead (quoteProvider): a fresh quote for the node, the address's
// cell, the parcel's size class and the dispatch window replaces the base + per-km estimate, and the
// breakdown says which one was used and why.
import { describe, expect, it } from "vitest";
import { landedCost, type CostRequest } from "../../../app/core/costing/landedCost";
import { prepareCosting } from "../../../app/core/costing/network";
import { parcelOf } from "../../../app/core/costing/parcel";
import {
  QUOTE_WINDOW_MS,
  sizeClassOf,
  windowStartOf,
  type QuotedCourierFee,
  type QuotedCourierFees,
  type QuotedFeeKey,
} from "../../../app/core/costing/quotedFees";
import type { CostingConfigInput } from "../../../app/core/costing/config";
import type { CourierConfigInput } from "../../../app/core/costing/courier";
import type { Destination, LandedCost } from "../../../app/core/costing/types";
import { quoteOptions } from "../../../app/core/quoting";
import type { NetworkSnapshot } from "../../../app/core/network/types";
import { hours, line, local, makeNode, makeProduct } from "../fixtures";

const HUB = { latitude: 40.7142, longitude: -73.9614 };
// 2 km due north: 2.6 road km at circuity 1.3.
const NORTH_2KM: Destination = { latitude: HUB.latitude + 0.01798622, longitude: HUB.longitude, postalCode: "11222", country: "US" };
const small = makeProduct({ id: "small", weightGrams: 400, lengthMm: 100, widthMm: 100, heightMm: 100 });
const heavy = makeProduct({ id: "heavy", weightGrams: 6000, lengthMm: 400, widthMm: 300, heightMm: 300 });

const snapshot = (): NetworkSnapshot => ({
  shopId: "s",
  currency: "USD",
  nodes: [makeNode({ id: "hub", name: "Brooklyn hub", ...HUB, serviceArea: { radiusM: 5000, polygon: null }, sameDayCutoff: "16:00", handlingCostMinor: 120, pickupCostMinor: 50, openingHours: hours("08:00", "20:00") })],
  products: [small, heavy],
  stock: { hub: { small: 10, heavy: 10 } },
});

const doordash = (over: Partial<CourierConfigInput> = {}): CourierConfigInput => ({
  id: "dd", name: "DoorDash", baseMinor: 975, perKmMinor: 47, circuityFactor: 1.3, speedKmh: 20, pickupMinutes: 10,
  maxRoadDistanceM: 24_000,
  surge: [{ code: "HOUR_WEEKDAY", args: { days: ["mon", "tue", "wed", "thu", "fri"], from: "17:00", to: "19:00", multiplier: 1.25 } }],
  quoteProvider: { code: "DOORDASH_DRIVE", args: { contactPhone: "+12125550100" } },
  ...over,
});

const config = (couriers: CourierConfigInput[] = [doordash()]): CostingConfigInput => ({ couriers, nodes: { hub: { prepMinutes: 30 } } });

const DISPATCH = local("2025-06-10T11:05"); // a Tuesday; window from 11:00
const CHECKOUT = local("2025-06-10T10:36");
const FEE: QuotedCourierFee = {
  feeMinor: 1325, currency: "USD", providerLabel: "DoorDash Drive",
  fetchedAt: local("2025-06-10T10:35"), expiresAt: local("2025-06-10T10:40"), externalId: "nh-x",
};

/** A lookup like the service's: cells are 0.01° squares here, fees in a map. */
function lookup(entries: [Partial<QuotedFeeKey>, QuotedCourierFee][]): QuotedCourierFees & { asked: QuotedFeeKey[] } {
  const cellOf = (lat: number, lng: number) => `${Math.floor(lat * 100)}:${Math.floor(lng * 100)}`;
  const base: QuotedFeeKey = {
    nodeId: "hub", provider: "DOORDASH_DRIVE", cell: cellOf(NORTH_2KM.latitude!, NORTH_2KM.longitude!), sizeClass: "SMALL", windowStart: windowStartOf(DISPATCH),
  };
  const key = (k: QuotedFeeKey) => `${k.nodeId}|${k.provider}|${k.cell}|${k.sizeClass}|${k.windowStart}`;
  const map = new Map(entries.map(([k, fee]) => [key({ ...base, ...k }), fee]));
  const asked: QuotedFeeKey[] = [];
  return { asked, cellOf, get: (k) => (asked.push(k), map.get(key(k))) };
}

function cost(req: Partial<CostRequest>, cfg = config()): LandedCost {
  const r = landedCost(prepareCosting(snapshot(), cfg), {
    nodeId: "hub", service: "SAME_DAY", lines: [line(small)], destination: NORTH_2KM, dispatchAt: DISPATCH, quotedAt: CHECKOUT, ...req,
  });
  if (!r.ok) throw new Error(r.reasons.join("; "));
  return r.cost;
}

const codes = (c: LandedCost) => Object.fromEntries(c.components.map((x) => [x.code, x.amountMinor]));

describe("size classes and windows", () => {
  it("classes a parcel by weight, volume and longest side together", () => {
    expect(sizeClassOf(parcelOf([line(small, 3)]))).toBe("SMALL");
    expect(sizeClassOf({ weightGrams: 2_001, volumeMm3: 1, longestSideMm: 10 })).toBe("MEDIUM");
    expect(sizeClassOf({ weightGrams: 100, volumeMm3: 1, longestSideMm: 451 })).toBe("MEDIUM");
    expect(sizeClassOf({ weightGrams: 100, volumeMm3: 50_000_001, longestSideMm: 10 })).toBe("LARGE");
    expect(sizeClassOf(parcelOf([line(heavy)]))).toBe("MEDIUM");
    expect(sizeClassOf(parcelOf([line(heavy, 2)]))).toBe("LARGE");
  });

  it("starts windows on the quarter hour", () => {
    expect(windowStartOf(local("2025-06-10T11:14:59"))).toBe(local("2025-06-10T11:00"));
    expect(windowStartOf(local("2025-06-10T11:15"))).toBe(local("2025-06-10T11:15"));
    expect(QUOTE_WINDOW_MS).toBe(900_000);
  });
});

describe("a courier with quoted fees", () => {
  it("uses a fresh quote instead of base + per km, and says when it was fetched and until when it holds", () => {
    const fees = lookup([[{}, FEE]]);
    const c = cost({ quotedCourierFees: fees });
    expect(codes(c)).toEqual({ handling: 120, node_pickup: 50, courier_quote: 1325, expected_returns: 0 });
    expect(c.forwardMinor).toBe(120 + 50 + 1325);
    const quote = c.components.find((x) => x.code === "courier_quote")!;
    expect(quote.label).toBe("DoorDash delivery fee");
    expect(quote.detail).toBe("DoorDash Drive quote (fetched 10:35, valid until 10:40)");
    expect(c.reasons).toContain(
      `DoorDash: DoorDash Drive quote (fetched 10:35, valid until 10:40) for area ${fees.asked[0].cell}, SMALL parcel, dispatch window from 11:00, instead of the rate estimate`,
    );
    expect(fees.asked).toEqual([{ nodeId: "hub", provider: "DOORDASH_DRIVE", cell: "4073:-7397", sizeClass: "SMALL", windowStart: local("2025-06-10T11:00") }]);
    // Transit stays the rate's estimate: 10 min pickup + 2.6 km at 20 km/h.
    expect(c.transit).toMatchObject({ mode: "COURIER", minutes: 10 + 8, provider: "DoorDash" });
  });

  it("adds no surge on top of a quote (the provider's price already includes its own)", () => {
    const peak = local("2025-06-10T17:35");
    const c = cost({ dispatchAt: peak, quotedAt: local("2025-06-10T17:06"), quotedCourierFees: lookup([[{ windowStart: windowStartOf(peak) }, { ...FEE, fetchedAt: local("2025-06-10T17:05"), expiresAt: local("2025-06-10T17:10") }]]) });
    expect(codes(c)).toEqual({ handling: 120, node_pickup: 50, courier_quote: 1325, expected_returns: 0 });
  });

  it("falls back to the rate, marked as estimated, when the quote expired before checkout", () => {
    const c = cost({ quotedAt: local("2025-06-10T10:40"), quotedCourierFees: lookup([[{}, FEE]]) });
    expect(codes(c)).toEqual({ handling: 120, node_pickup: 50, courier_base: 975, courier_distance: 122, expected_returns: 0 });
    expect(c.components.find((x) => x.code === "courier_base")!.detail).toBe("per delivery, estimated from rate: no fresh quote");
    expect(c.reasons).toContain("DoorDash: estimated from rate (DOORDASH_DRIVE: the quote for area 4073:-7397, SMALL parcel, dispatch window from 11:00 expired)");
  });

  it("does not take a quote for another window, size class or node", () => {
    for (const other of [{ windowStart: windowStartOf(DISPATCH) + QUOTE_WINDOW_MS }, { sizeClass: "MEDIUM" as const }, { nodeId: "elsewhere" }, { provider: "UBER_DIRECT" }]) {
      const c = cost({ quotedCourierFees: lookup([[other, FEE]]) });
      expect(codes(c).courier_quote).toBeUndefined();
      expect(c.reasons.some((r) => r.startsWith("DoorDash: estimated from rate (DOORDASH_DRIVE: no quote for area"))).toBe(true);
    }
    // A heavy parcel is looked up as MEDIUM.
    const fees = lookup([[{ sizeClass: "MEDIUM" }, FEE]]);
    expect(codes(cost({ lines: [line(heavy)], quotedCourierFees: fees })).courier_quote).toBe(1325);
  });

  it("does not take a quote in another currency", () => {
    const c = cost({ quotedCourierFees: lookup([[{}, { ...FEE, currency: "CAD" }]]) });
    expect(codes(c).courier_quote).toBeUndefined();
    expect(c.reasons[1]).toContain("is in CAD, the shop sells in USD");
  });

  it("is estimated from rate, and says so, when no quotes are given", () => {
    const c = cost({});
    expect(codes(c)).toMatchObject({ courier_base: 975, courier_distance: 122 });
    expect(c.reasons).toContain("DoorDash: estimated from rate (DOORDASH_DRIVE: no quotes were given to this calculation)");
  });

  it("still applies the courier's distance limit to a quoted fee", () => {
    const r = landedCost(prepareCosting(snapshot(), config([doordash({ maxRoadDistanceM: 2_000 })])), {
      nodeId: "hub", service: "SAME_DAY", lines: [line(small)], destination: NORTH_2KM, dispatchAt: DISPATCH, quotedAt: CHECKOUT, quotedCourierFees: lookup([[{}, FEE]]),
    });
    expect(r).toEqual({ ok: false, reasons: ["DoorDash: 2.6 km by road is beyond its 2.0 km limit"] });
  });

  it("competes with the other couriers on price: a dearer quote loses to a cheaper rate", () => {
    const bike: CourierConfigInput = { id: "bike", name: "Bike", baseMinor: 600, perKmMinor: 150, circuityFactor: 1.3, speedKmh: 18, pickupMinutes: 15 };
    const c = cost({ quotedCourierFees: lookup([[{}, { ...FEE, feeMinor: 2000 }]]) }, config([doordash(), bike]));
    expect(codes(c)).toMatchObject({ courier_base: 600, courier_distance: 390 });
    expect(c.transit.provider).toBe("Bike");
    const cheap = cost({ quotedCourierFees: lookup([[{}, { ...FEE, feeMinor: 800 }]]) }, config([doordash(), bike]));
    expect(codes(cheap).courier_quote).toBe(800);
  });
});

describe("checkout quotes", () => {
  it("pass the lookup through to the engine and price the same-day option from the quote", () => {
    const input = { snapshot: snapshot(), config: { ...config(), pricingRules: [] }, cart: { lines: [line(small)] }, destination: NORTH_2KM };
    // Ordered at 10:36: ready 11:06 after 30 min preparation, in the 11:00 window.
    const withQuote = quoteOptions({ ...input, now: CHECKOUT, quotedCourierFees: lookup([[{}, FEE]]) });
    const sameDay = withQuote.options.find((o) => o.service === "SAME_DAY")!;
    expect(sameDay.cost.components.map((c) => c.code)).toContain("courier_quote");
    expect(sameDay.priceMinor).toBe(120 + 50 + 1325);
    const without = quoteOptions({ ...input, now: CHECKOUT });
    expect(without.options.find((o) => o.service === "SAME_DAY")!.priceMinor).toBe(120 + 50 + 975 + 122);
  });
});
