import { describe, expect, it } from "vitest";
import { prepareNetwork, quotePrepared, quoteOptions } from "../../../app/core/quoting";
import type { QuoteConfigInput } from "../../../app/core/quoting/config";
import type { QuoteResult } from "../../../app/core/quoting/types";
import type { CartLine, Destination, ServiceKind } from "../../../app/core/costing/types";
import type { NetworkSnapshot } from "../../../app/core/network/types";
import { addresses, line, local, nycConfig, nycSnapshot, products, robotCorridor, threeLineCart } from "../fixtures";

function quote(
  destination: Destination,
  now: number,
  opts: { lines?: CartLine[]; config?: QuoteConfigInput; snapshot?: NetworkSnapshot } = {},
): QuoteResult {
  const net = prepareNetwork(opts.snapshot ?? nycSnapshot(), opts.config ?? nycConfig());
  return quotePrepared(net, { cart: { lines: opts.lines ?? threeLineCart() }, destination, now });
}

const option = (r: QuoteResult, node: string, service: ServiceKind) => r.options.find((o) => o.nodeHandle === node && o.service === service);
const excluded = (r: QuoteResult, node: string, service: ServiceKind | null) =>
  r.excluded.find((e) => e.nodeHandle === node && e.service === service);
const codes = (r: QuoteResult) => r.options.map((o) => o.serviceCode);

describe("same-day cut-off in the node's time zone", () => {
  it("offers same day at 15:59 and not at 16:00", () => {
    expect(option(quote(addresses.williamsburg, local("2025-06-10T15:59")), "brooklyn", "SAME_DAY")).toBeDefined();
    const late = quote(addresses.williamsburg, local("2025-06-10T16:00"));
    expect(option(late, "brooklyn", "SAME_DAY")).toBeUndefined();
    expect(excluded(late, "brooklyn", "SAME_DAY")!.reasons).toEqual([
      { code: "PAST_CUTOFF", message: "ordered at 16:00, after the 16:00 cut-off (America/New_York)" },
    ]);
    expect(option(late, "brooklyn", "NEXT_DAY")).toBeDefined();
  });

  it("moves the cut-off with daylight saving: 16:00 is 21:00Z on Mar 8 and 20:00Z on Mar 9, 2025", () => {
    const sameDay = (iso: string) => option(quote(addresses.williamsburg, Date.parse(iso)), "brooklyn", "SAME_DAY");
    expect(sameDay("2025-03-08T20:30:00Z")).toBeDefined(); // 15:30 EST
    expect(sameDay("2025-03-09T19:59:00Z")).toBeDefined(); // 15:59 EDT
    expect(sameDay("2025-03-09T20:00:00Z")).toBeUndefined(); // 16:00 EDT
    expect(sameDay("2025-11-02T20:30:00Z")).toBeDefined(); // 15:30 EST, after fall-back
    expect(sameDay("2025-11-02T21:00:00Z")).toBeUndefined(); // 16:00 EST
  });

  it("needs the order ready before closing", () => {
    const r = quote(addresses.williamsburg, local("2025-06-10T15:50"), {
      config: nycConfig({ nodes: { bk: { prepMinutes: 300 } } }),
    });
    expect(excluded(r, "brooklyn", "SAME_DAY")!.reasons[0]).toEqual({
      code: "LEAD_TIME",
      message: "ready at 20:50 after 300 min preparation, after today's last opening hour",
    });
  });
});

describe("holidays and closed days", () => {
  it("skips a holiday for same day, next day and pickup", () => {
    const r = quote(addresses.williamsburg, local("2025-12-25T10:00"));
    expect(excluded(r, "brooklyn", "SAME_DAY")!.reasons[0].code).toBe("HOLIDAY");
    const next = option(r, "brooklyn", "NEXT_DAY")!;
    expect(next.reasons).toContain("leaves fri at 08:00 local");
    const pickup = option(r, "brooklyn", "PICKUP")!;
    expect(pickup.window.earliestMs).toBe(local("2025-12-26T08:00"));
    expect(pickup.description).toBe("Pick up tomorrow from 8 am at the Brooklyn hub");
  });

  it("says a node is closed on its closed weekday", () => {
    // The micro-factory works Monday to Friday; a made-to-order lamp is the whole cart.
    const r = quote(addresses.williamsburg, local("2025-06-14T10:00"), { lines: [line(products.lamp(), 1)] });
    expect(excluded(r, "navy-yard", "SAME_DAY")!.reasons).toEqual([{ code: "CLOSED", message: "closed on sat" }]);
    expect(option(r, "navy-yard", "NEXT_DAY")!.reasons).toContain("leaves mon at 09:00 local");
  });
});

describe("micro-factory made to order", () => {
  it("makes two lamps same day: 30 min prep + 45 set-up + 2 × 30", () => {
    const r = quote(addresses.williamsburg, local("2025-06-10T10:00"), { lines: [line(products.lamp(), 2)] });
    const o = option(r, "navy-yard", "SAME_DAY")!;
    expect(o.cost.leadTimeMinutes).toBe(135);
    expect(o.reasons).toContain("leaves at 12:15 local");
  });

  it("moves nine lamps ordered at 13:00 to the next day, with the reason", () => {
    const r = quote(addresses.williamsburg, local("2025-06-10T13:00"), { lines: [line(products.lamp(), 9)] });
    expect(excluded(r, "navy-yard", "SAME_DAY")!.reasons[0]).toEqual({
      code: "LEAD_TIME",
      message: "ready at 18:45 after 30 min preparation + 315 min to make 9 units to order, after today's last opening hour",
    });
    expect(option(r, "navy-yard", "NEXT_DAY")!.reasons).toContain("leaves wed at 09:00 local");
  });
});

describe("service areas", () => {
  it("serves the Upper West Side from the Chelsea hub's drawn area, not from Brooklyn's 6 km radius", () => {
    const r = quote(addresses.upperWestSide, local("2025-06-10T11:00"), { lines: [line(products.mug(), 1)] });
    expect(option(r, "manhattan", "SAME_DAY")!.reasons[0]).toBe("address 5.0 km away, inside the drawn area");
    expect(excluded(r, "brooklyn", "SAME_DAY")!.reasons).toEqual([{ code: "OUTSIDE_SERVICE_AREA", message: "8.2 km away, not within 6.0 km" }]);
  });

  it("keeps Astoria out of the Manhattan polygon though it is close", () => {
    const r = quote(addresses.astoria, local("2025-06-10T11:00"), { lines: [line(products.mug(), 1)] });
    expect(excluded(r, "manhattan", "SAME_DAY")!.reasons[0].code).toBe("OUTSIDE_SERVICE_AREA");
    expect(excluded(r, "manhattan", "NEXT_DAY")!.reasons[0].code).toBe("OUTSIDE_SERVICE_AREA");
  });

  it("offers pickup only within the configured distance", () => {
    const r = quote(addresses.philadelphia, local("2025-06-10T11:00"));
    expect(excluded(r, "brooklyn", "PICKUP")!.reasons).toEqual([
      { code: "OUTSIDE_SERVICE_AREA", message: "133 km away; pickup is offered within 50.0 km" },
    ]);
    expect(codes(r)).toEqual(["NH:lic-warehouse:STANDARD"]);
  });
});

describe("autonomous corridors", () => {
  const cart = [line(products.mug(), 1), line(products.hoodie(), 1)];

  it("offers robot delivery inside the corridor", () => {
    const r = quote(addresses.williamsburg, local("2025-06-10T11:00"), { lines: cart });
    const o = option(r, "brooklyn", "AUTONOMOUS")!;
    expect(o.cost.transit.mode).toBe("AUTONOMOUS");
    expect(o.reasons[0]).toBe("inside autonomous corridor Williamsburg robots");
    expect(o.description).toMatch(/^Today by \d+(:\d\d)? (am|pm) by autonomous delivery from the Brooklyn hub$/);
  });

  it("leaves it out with the reason when closed, and keeps the courier", () => {
    const config = nycConfig({ corridors: [robotCorridor({ status: "CLOSED", closedReason: "snow" })] });
    const r = quote(addresses.williamsburg, local("2025-06-10T11:00"), { lines: cart, config });
    expect(excluded(r, "brooklyn", "AUTONOMOUS")!.reasons).toEqual([
      { code: "CORRIDOR_UNAVAILABLE", message: "Williamsburg robots: closed (snow); courier services from this node still apply" },
    ]);
    expect(option(r, "brooklyn", "SAME_DAY")).toBeDefined();
  });

  it("leaves it out when an item is too long for the robot", () => {
    const r = quote(addresses.williamsburg, local("2025-06-10T11:00")); // the A2 print tube is 650 mm
    expect(excluded(r, "brooklyn", "AUTONOMOUS")!.reasons[0].message).toMatch(/an item side of 650 mm is over 600 mm/);
  });
});

describe("excluded nodes", () => {
  it("lists disabled, out-of-stock and full nodes with the reason", () => {
    const snapshot = nycSnapshot();
    snapshot.nodes.find((n) => n.id === "mh")!.status = "DISABLED";
    const config = nycConfig();
    snapshot.today!.byNode.bk = { orders: 150, madeUnits: 0 };
    const r = quote(addresses.williamsburg, local("2025-06-10T11:00"), { snapshot, config });
    expect(excluded(r, "manhattan", null)!.reasons).toEqual([{ code: "DISABLED", message: "Chelsea hub is disabled" }]);
    expect(excluded(r, "brooklyn", null)!.reasons).toEqual([{ code: "OVER_CAPACITY", message: "Brooklyn hub has no capacity left today: 150 of 150 orders taken" }]);
    expect(excluded(r, "ana-studio", null)!.reasons).toEqual([
      { code: "NO_STOCK", message: "no stock of MUG-01 at Ana's studio (needs 2, has 0)" },
      { code: "NO_STOCK", message: "no stock of PRINT-A2 at Ana's studio (needs 1, has 0)" },
      { code: "NO_STOCK", message: "no stock of HOOD-M at Ana's studio (needs 1, has 0)" },
    ]);
    expect(codes(r)).toEqual(["NH:lic-warehouse:STANDARD"]);
  });
});

describe("an address without coordinates", () => {
  it("gets only pickup and standard by postal prefix", () => {
    const r = quote(addresses.brooklynNoCoordinates, local("2025-06-10T11:00"));
    expect(new Set(r.options.map((o) => o.service))).toEqual(new Set(["PICKUP", "STANDARD"]));
    expect(r.reasons).toEqual(["the address has no coordinates: only pickup and services priced by postal code are quoted"]);
    expect(excluded(r, "brooklyn", "SAME_DAY")!.reasons[0].code).toBe("NO_LOCATION");
    expect(excluded(r, "brooklyn", "AUTONOMOUS")!.reasons[0].code).toBe("NO_LOCATION");
    const standard = option(r, "lic-warehouse", "STANDARD")!;
    expect(standard.cost.transit).toMatchObject({ provider: "Postal Ground Advantage", zone: "1" });
    expect(standard.cost.reasons).toContain("Postal Ground Advantage zone 1: postal code 11215 matches prefix 112");
  });
});

describe("standard delivery windows", () => {
  const standard = (now: number) => option(quote(addresses.brooklynNoCoordinates, now), "lic-warehouse", "STANDARD")!;

  it("ships the same day before the 15:00 cut-off: Wed 09:00 – Thu 20:00 for zone 1 (1–2 days)", () => {
    const o = standard(local("2025-06-10T11:00"));
    expect(o.reasons).toEqual(["ships tue from 13:00 local"]);
    expect(o.window).toEqual({ earliestMs: local("2025-06-11T09:00"), latestMs: local("2025-06-12T20:00"), timezone: "America/New_York" });
    expect(o.description).toBe("Tomorrow – Thu, Jun 12 from the Long Island City warehouse");
  });

  it("ships the next opening day after the cut-off", () => {
    const o = standard(local("2025-06-10T15:30"));
    expect(o.reasons).toEqual(["after the 15:00 cut-off: ships the next opening day", "ships wed from 07:00 local"]);
    expect(o.window.earliestMs).toBe(local("2025-06-12T09:00"));
  });

  it("counts only carrier delivery days: Friday evening ships Saturday, arrives Mon–Tue", () => {
    const o = standard(local("2025-06-13T18:00"));
    expect(o.reasons).toContain("ships sat from 07:00 local");
    expect(o.window.earliestMs).toBe(local("2025-06-16T09:00"));
    expect(o.window.latestMs).toBe(local("2025-06-17T20:00"));
  });
});

describe("the whole quote", () => {
  const r = quote(addresses.williamsburg, local("2025-06-10T11:00"));

  it("offers every eligible service, cheapest first, each with its code, window and reasons", () => {
    expect(codes(r)).toEqual([
      "NH:lic-warehouse:STANDARD", // free over $150.00
      "NH:brooklyn:PICKUP",
      "NH:brooklyn:SAME_DAY",
      "NH:brooklyn:NEXT_DAY",
    ]);
    for (const o of r.options) {
      expect(o.priceMinor).toBe(o.pricing.length ? o.pricing[o.pricing.length - 1].afterMinor : o.cost.forwardMinor);
      expect(o.window.timezone).toBe("America/New_York");
      expect(o.window.earliestMs).toBeLessThanOrEqual(o.window.latestMs);
    }
  });

  it("promises same day with an honest window, in words and in UTC", () => {
    const o = option(r, "brooklyn", "SAME_DAY")!;
    // Leaves 11:30; 565 m × 1.3 = 735 m road: 15 min pickup + 3 min ride = 11:48; + 60 min slot = 12:48 → by 13:00
    expect(o.window).toEqual({ earliestMs: local("2025-06-10T11:48"), latestMs: local("2025-06-10T13:00"), timezone: "America/New_York" });
    expect(o.description).toBe("Today by 1 pm from the Brooklyn hub");
    // handling 120 + courier 600 + 735 m at 1.50/km (110); +10% = 913; charm → 999
    expect(o.cost.forwardMinor).toBe(830);
    expect(o.pricing.map((s) => [s.code, s.afterMinor])).toEqual([["MARGIN_PERCENT", 913], ["ROUND_CHARM", 999]]);
    expect(o.priceMinor).toBe(999);
  });

  it("prepares once per snapshot and config through quoteOptions", () => {
    const snapshot = nycSnapshot();
    const config = nycConfig();
    const input = { snapshot, config, cart: { lines: threeLineCart() }, destination: addresses.williamsburg, now: new Date(local("2025-06-10T11:00")) };
    expect(quoteOptions(input)).toEqual(r);
    expect(quoteOptions(input)).toEqual(r);
  });

  it("returns no options and says why for an empty cart", () => {
    const empty = quote(addresses.williamsburg, local("2025-06-10T11:00"), { lines: [] });
    expect(empty.options).toEqual([]);
    expect(empty.reasons).toEqual(["the cart is empty: nothing to quote"]);
  });
});

describe("pickup windows a shopper can use", () => {
  it("offers the next opening when the order is ready too close to closing, by the pickup window setting", () => {
    const late = option(quote(addresses.williamsburg, local("2025-06-10T19:15")), "brooklyn", "PICKUP")!;
    expect(late.window.earliestMs).toBe(local("2025-06-11T08:00")); // ready 19:45 (30 min preparation), closes 20:00: under the default hour
    const early = option(quote(addresses.williamsburg, local("2025-06-10T17:00")), "brooklyn", "PICKUP")!;
    expect(early.window.earliestMs).toBeLessThan(local("2025-06-10T20:00"));
    const anyWindow = quote(addresses.williamsburg, local("2025-06-10T19:15"), { config: { ...nycConfig(), pickup: { minWindowMinutes: 0 } } });
    expect(option(anyWindow, "brooklyn", "PICKUP")!.window.earliestMs).toBeLessThan(local("2025-06-10T20:00"));
  });
});
