import { describe, expect, it } from "vitest";
import { chooseDestination, prepareReturnPolicy, resaleOdds, type DestinationInput, type ReturnPolicyInput } from "../../../app/core/returns";
import type { NetworkSnapshot } from "../../../app/core/network/types";
import { addresses, nycConfig, products } from "../fixtures";
import { network } from "./support";

const hoodie = products.hoodie();
const fromWilliamsburg: DestinationInput = { product: hoodie, from: addresses.williamsburg, condition: "OPENED" };
// Hoodies sell slowly around Brooklyn, which holds 25; Chelsea sold out while 1.5 a day sell nearby.
const demand = { bk: { hoodie: 0.5 }, mh: { hoodie: 1.5 }, wh: { hoodie: 3 } };
const chelseaSoldOut = (s: NetworkSnapshot) => {
  s.stock.mh.hoodie = 0;
};

function choose(policy: ReturnPolicyInput, edit = chelseaSoldOut, input = fromWilliamsburg, config = nycConfig()) {
  return chooseDestination(prepareReturnPolicy(policy), input, { costing: network(edit, config), salesPerDay: demand });
}

describe("resale odds", () => {
  it("is the chance of onHand + 1 local sales within the horizon", () => {
    // Poisson mean 0.5 × 2 = 1: P(N ≥ 2) = 1 − e⁻¹(1 + 1).
    expect(resaleOdds(0.5, 1, 2).probability).toBeCloseTo(1 - 2 / Math.E, 12);
    expect(resaleOdds(0.5, 1, 2).expectedDays).toBe(4);
    expect(resaleOdds(1, 0, 30).probability).toBeCloseTo(1 - Math.exp(-30), 12);
    expect(resaleOdds(0, 0, 30)).toEqual({ probability: 0, expectedDays: null });
    // The tail is summed directly, not as 1 − (a sum close to 1): 3 a day for 30 days behind 300
    // units is P(Poisson(90) ≥ 301) ≈ 2.1e-68, not a rounding error of 1e-15.
    expect(resaleOdds(3, 300, 30).probability).toBeCloseTo(2.1357e-68, 71);
    // Brooklyn's hoodies below: P(Poisson(15) ≥ 26), summed term by term = 0.0061849038.
    expect(resaleOdds(0.5, 25, 30).probability).toBeCloseTo(0.0061849038, 9);
    expect(resaleOdds(50, 2_000_000, 365).probability).toBe(0);
    expect(resaleOdds(50, 0, 365).probability).toBe(1);
    // Around the mean both tails are summed correctly: P(Poisson(3) ≥ 3) = 1 − e⁻³(1 + 3 + 4.5).
    expect(resaleOdds(1, 2, 3).probability).toBeCloseTo(1 - Math.exp(-3) * 8.5, 14);
    expect(resaleOdds(1, 3, 3).probability).toBeCloseTo(1 - Math.exp(-3) * 13, 14);
  });
});

describe("return destination", () => {
  it("sends it to the nearest eligible hub in NEAREST mode", () => {
    const d = choose({ destination: { mode: "NEAREST" } });
    expect(d.hub?.nodeId).toBe("bk");
    expect(d.reasons).toEqual(["Brooklyn hub is the nearest return hub (565 m; next Long Island City warehouse, 3.0 km)"]);
  });

  it("sends it farther, to the hub with a stock-out, when that recovers the most", () => {
    const d = choose({});
    expect(d.mode).toBe("BEST_RECOVERY");
    expect(d.hub?.nodeId).toBe("mh");
    expect(d.considered.map((h) => h.nodeId)).toEqual(["mh", "bk", "wh"]);
    const [chelsea, brooklyn] = d.considered;
    expect(chelsea.distanceM!).toBeGreaterThan(brooklyn.distanceM!);
    // Hand-computed for Chelsea: value 68.00, P(resale in 30 days) = 1 − e^−45 ≈ 1, opened: 10% loss
    // → 61.20; holding 68.00 × 0.08% × 2/3 day = 0.04; postal label, 1680 g billed (dimensional), zone 1
    // → 11.90; handling 1.30 → net 47.96.
    expect(chelsea).toMatchObject({
      stockOut: true,
      onHand: 0,
      salesPerDay: 1.5,
      grossRecoveryMinor: 6120,
      holdingMinor: 4,
      reverseCostMinor: 1190,
      via: "Postal Ground Advantage label to Chelsea hub",
      handlingMinor: 130,
      netRecoveryMinor: 4796,
    });
    expect(chelsea.expectedDaysToResale).toBeCloseTo(2 / 3, 12);
    // Brooklyn collects by bike for less, but 25 hoodies are ahead of this one on its shelf.
    expect(brooklyn).toMatchObject({ stockOut: false, onHand: 25, reverseCostMinor: 710, via: "Bike courier collection to Brooklyn hub" });
    expect(brooklyn.expectedDaysToResale).toBe(52);
    expect(brooklyn.netRecoveryMinor).toBeLessThan(0);
    expect(d.reasons).toEqual([
      "Chelsea hub recovers the most: $47.96 net per unit vs -$9.55 at Brooklyn hub",
      "Chelsea hub is out of HOOD-M while 1.5/day sell nearby",
      "resale ~0.7 days vs ~52 days at Brooklyn hub",
      "its return leg costs $4.80 more than Brooklyn hub's, and it still recovers more",
    ]);
    expect(chelsea.detail).toContain("stock-out: 0 on hand while 1.5/day sell nearby");
  });

  it("lists every node it left out, and why", () => {
    const d = choose({}, (s) => {
      chelseaSoldOut(s);
      s.nodes.find((n) => n.id === "mh")!.status = "DISABLED";
    });
    expect(d.hub?.nodeId).not.toBe("mh");
    expect(d.excluded).toEqual([
      { nodeId: "mh", name: "Chelsea hub", code: "DISABLED", message: "Chelsea hub is disabled" },
      {
        nodeId: "mf",
        name: "Navy Yard micro-factory",
        code: "NOT_RETURN_HUB",
        message: "Navy Yard micro-factory is a micro-factory: only micro-hubs and central warehouses take returns",
      },
      {
        nodeId: "st",
        name: "Ana's studio",
        code: "NOT_RETURN_HUB",
        message: "Ana's studio is a creator studio: only micro-hubs and central warehouses take returns",
      },
    ]);
    expect(d.considered.length + d.excluded.length).toBe(5);
  });

  it("follows the shop's list of return hubs", () => {
    const d = choose({}, chelseaSoldOut, fromWilliamsburg, nycConfig({ returns: { hubNodeIds: ["bk", "wh"] } }));
    expect(d.hub?.nodeId).toBe("bk");
    expect(d.excluded.find((e) => e.nodeId === "mh")?.message).toBe("Chelsea hub is not one of the shop's return hubs");
  });

  it("excludes hubs no return leg reaches", () => {
    // Only the bike courier: it collects inside a hub's delivery area, and the Upper West Side is in Chelsea's only.
    const d = choose(
      {},
      chelseaSoldOut,
      { ...fromWilliamsburg, from: addresses.upperWestSide },
      nycConfig({ rateCards: [] }),
    );
    // 61.20 − holding 0.04 − bike collection 15.76 (5.0 km × 1.3 road at 1.50/km + 6.00) − handling 1.30.
    expect(d.hub).toMatchObject({ nodeId: "mh", reverseCostMinor: 1576, via: "Bike courier collection to Chelsea hub" });
    expect(d.excluded.filter((e) => e.code === "OUT_OF_REACH").map((e) => [e.nodeId, e.message])).toEqual([
      ["wh", "no return leg reaches Long Island City warehouse: it has no delivery area for courier collections"],
      ["bk", "no return leg reaches Brooklyn hub: the address is outside its collection area"],
    ]);
    expect(d.reasons).toEqual(["Chelsea hub is the only return hub that can take it: $44.10 net per unit"]);
  });

  it("takes the cheapest leg as nearest when the address has no coordinates", () => {
    const d = choose({ destination: { mode: "NEAREST" } }, chelseaSoldOut, { ...fromWilliamsburg, from: addresses.brooklynNoCoordinates });
    expect(d.considered.every((h) => h.distanceM === null)).toBe(true);
    expect(d.reasons[0]).toBe("the address has no coordinates: the nearest hub is taken to be the one with the cheapest return leg");
    expect(d.hub?.reverseCostMinor).toBe(Math.min(...d.considered.map((h) => h.reverseCostMinor)));
  });

  it("uses the policy's handling cost and refurbishment loss", () => {
    const d = choose({
      hubs: { mh: { handlingMinor: 2000 } },
      destination: { refurbishmentLossBps: { UNOPENED: 0, OPENED: 5000, USED: 6000, DAMAGED: 9000, UNREPORTED: 5000 } },
    });
    const chelsea = d.considered.find((h) => h.nodeId === "mh")!;
    expect(chelsea.handlingMinor).toBe(2000);
    expect(chelsea.grossRecoveryMinor).toBe(3400);
    expect(chelsea.netRecoveryMinor).toBe(3400 - 4 - 1190 - 2000);
  });
});
