// Single orders on a network small enough to price by hand (see network.ts for the formulas).
import { describe, expect, it } from "vitest";
import { routeOrder, routeShopifyDefault, type RoutingDecision } from "../../../app/core/routing";
import { local } from "../fixtures";
import { ADDRESS, NOW, carrierCost, courierCost, network, nodes, order } from "./network";

const n = nodes();
const handles = (d: RoutingDecision) => d.shipments.map((s) => `${s.nodeHandle}/${s.service}`);

describe("cost, not distance", () => {
  it("routes to the cheaper hub although another is nearer, and says by how much the others lose", () => {
    // Hub A is 565 m away but handles at 6.00; hub B is 4.9 km away and handles at 1.00.
    expect(courierCost(n.A)).toBe(1157);
    expect(courierCost(n.B)).toBe(1089);
    expect(carrierCost(n.W)).toBe(1150);
    const d = routeOrder(network(), order([["mug", 1]]), { now: NOW });
    expect(d.status).toBe("ROUTED");
    expect(d.shipments).toHaveLength(1);
    expect(d.shipments[0].nodeHandle).toBe("hub-b");
    expect(d.totalMinor).toBe(1089);
    expect(d.shipments[0].cost.components.map((c) => [c.code, c.amountMinor])).toEqual([
      ["handling", 100],
      ["node_pickup", 0],
      ["courier_base", 500],
      ["courier_distance", 489],
      ["expected_returns", 0],
    ]);
    expect(d.alternatives.map((a) => [a.nodes[0], a.deltaMinor])).toEqual([
      ["warehouse", 61],
      ["hub-a", 68],
    ]);
    expect(d.alternatives[1].lost).toEqual([{ code: "COST", message: "costs $0.68 more" }]);
    expect(d.excluded).toEqual([
      { nodeId: "F", nodeHandle: "factory", reasons: [{ code: "NO_STOCK", message: "no stock of MUG at Factory F (needs 1, has 0)" }] },
    ]);
    expect(d.reasons[0]).toBe("Hub B, same-day: $10.89 landed (forward $10.89 + expected returns $0.00), 4.9 km away");
  });

  it("Shopify's default rule takes the nearest node with stock instead", () => {
    const r = routeShopifyDefault(network(), [order([["mug", 1]])], { now: NOW });
    const d = r.decisions[0];
    expect(handles(d)).toEqual(["hub-a/SAME_DAY"]);
    expect(d.totalMinor).toBe(1157);
    expect(d.reasons[0]).toBe("Shopify default rule: fewest locations (1), then the closest with stock: Hub A (565 m)");
  });
});

describe("node status and stock", () => {
  it("leaves a disabled node out and says so", () => {
    const all = nodes();
    const net = network({ nodes: [all.A, { ...all.B, status: "DISABLED" }, all.W, all.F] });
    const d = routeOrder(net, order([["mug", 1]]), { now: NOW });
    expect(handles(d)).toEqual(["warehouse/STANDARD"]);
    expect(d.excluded.find((e) => e.nodeHandle === "hub-b")!.reasons).toEqual([{ code: "DISABLED", message: "Hub B is disabled" }]);
  });

  it("reports an order no node can ship as unroutable, with every node's reason, never drops it", () => {
    const net = network({ stock: { A: { mug: 1 }, B: { mug: 1 }, W: { mug: 1 }, F: {} } });
    const d = routeOrder(net, order([["mug", 2]]), { now: NOW });
    expect(d.status).toBe("UNROUTABLE");
    expect(d.shipments).toEqual([]);
    expect(d.reasons[0]).toBe("unroutable: no node can ship this order");
    expect(d.excluded.map((e) => [e.nodeHandle, e.reasons[0].code])).toEqual([
      ["hub-a", "NO_STOCK"],
      ["hub-b", "NO_STOCK"],
      ["warehouse", "NO_STOCK"],
      ["factory", "NO_STOCK"],
    ]);
    expect(d.excluded[2].reasons[0].message).toBe("no stock of MUG at Warehouse W (needs 2, has 1)");
  });

  it("reports unknown products", () => {
    const d = routeOrder(network(), order([["mug", 1], ["ghost", 1]]), { now: NOW });
    expect(d.status).toBe("UNROUTABLE");
    expect(d.reasons).toContain("unroutable: unknown product ghost");
  });

  it("names an unknown product once when two lines carry it", () => {
    const d = routeOrder(network(), order([["ghost", 1], ["mug", 1], ["ghost", 2], ["phantom", 1]]), { now: NOW });
    expect(d.status).toBe("UNROUTABLE");
    expect(d.reasons).toContain("unroutable: unknown products ghost, phantom");
    const one = routeOrder(network(), order([["ghost", 1], ["ghost", 3]]), { now: NOW });
    expect(one.reasons).toContain("unroutable: unknown product ghost");
  });

  it("reports a node that cannot reach the address at all with one reason", () => {
    const far = { latitude: 41.8781, longitude: -87.6298, postalCode: "60606", country: "US" }; // Chicago
    const d = routeOrder(network(), order([["mug", 1]], { destination: far }), { now: NOW });
    expect(handles(d)).toEqual(["warehouse/STANDARD"]);
    expect(d.excluded.find((e) => e.nodeHandle === "hub-a")!.reasons).toEqual([
      { code: "OUTSIDE_SERVICE_AREA", message: "Hub A delivers only within 10.0 km and ships no carrier service: the address is out of its reach" },
    ]);
  });
});

describe("the promise chosen at checkout", () => {
  it("keeps the chosen node and service when it can, though another node is cheaper", () => {
    const d = routeOrder(network(), order([["mug", 1]], { serviceCode: "NH:hub-a:SAME_DAY" }), { now: NOW });
    expect(handles(d)).toEqual(["hub-a/SAME_DAY"]);
    expect(d.promise.status).toBe("KEPT");
    expect(d.promise.reasons).toEqual(["kept the shopper's choice: same-day from Hub A"]);
    const b = d.alternatives.find((a) => a.nodes[0] === "hub-b")!;
    expect(b.deltaMinor).toBe(1089 - 1157);
    expect(b.lost).toEqual([{ code: "LEFT_CHOSEN_NODE", message: "leaves the node the shopper chose at checkout" }]);
  });

  it("moves to another node with the same service when the chosen one cannot ship, and says why", () => {
    const net = network({ stock: { A: { mug: 0 }, B: { mug: 5 }, W: { mug: 5 }, F: {} } });
    const d = routeOrder(net, order([["mug", 1]], { serviceCode: "NH:hub-a:SAME_DAY" }), { now: NOW });
    expect(handles(d)).toEqual(["hub-b/SAME_DAY"]);
    expect(d.promise.status).toBe("NODE_CHANGED");
    expect(d.promise.reasons).toEqual([
      "the shopper chose same-day from Hub A, which cannot ship it: no stock of MUG at Hub A (needs 1, has 0)",
      "still same-day or faster: Hub B same-day",
    ]);
    // The warehouse ships STANDARD only: slower than promised.
    const w = d.alternatives.find((a) => a.nodes[0] === "warehouse")!;
    expect(w.promise).toBe("BROKEN");
    expect(w.lost[0]).toEqual({ code: "BROKE_PROMISE", message: "breaks the promise: standard carrier from warehouse is slower than promised" });
  });

  it("flags a promise no node can keep any more, and ships the best it can", () => {
    // 16:30: past both hubs' 16:00 same-day cut-off.
    const late = local("2025-06-10T16:30");
    const d = routeOrder(network(), order([["mug", 1]], { serviceCode: "NH:hub-a:SAME_DAY" }), { now: late });
    expect(d.status).toBe("ROUTED");
    expect(d.promise.status).toBe("BROKEN");
    expect(d.promise.reasons[0]).toMatch(/^promise broken: no node can ship same-day or faster any more; ships next-day from Hub B$/);
    expect(d.promise.reasons[1]).toBe("hub-a: same-day: ordered at 16:30, after the 16:00 cut-off (America/New_York)");
  });

  it("with keep = SERVICE, any node as fast keeps the promise and the cheaper one wins", () => {
    const net = network({ routing: { promise: { keep: "SERVICE" } } });
    const d = routeOrder(net, order([["mug", 1]], { serviceCode: "NH:hub-a:SAME_DAY" }), { now: NOW });
    expect(handles(d)).toEqual(["hub-b/SAME_DAY"]);
    expect(d.promise.status).toBe("NODE_CHANGED");
    expect(d.promise.reasons[0]).toBe("the shopper chose same-day from Hub A; another node ships it as fast for less (promise kept at service level)");
  });

  it("treats a code from another app as no promise beyond the default service", () => {
    const d = routeOrder(network(), order([["mug", 1]], { serviceCode: "shopify-Standard-5.00" }), { now: NOW });
    expect(d.promise.requested).toBeNull();
    expect(d.promise.service).toBe("STANDARD");
    expect(d.promise.reasons[0]).toBe('shipping code "shopify-Standard-5.00" is not a Nearhub rate: the promise is standard carrier delivery');
  });

  it("reads a backup rate's code as no node chosen, saying so, not as a node called BACKUP", () => {
    const d = routeOrder(network(), order([["mug", 1]], { serviceCode: "NH:BACKUP:STANDARD" }), { now: NOW });
    expect(d.status).toBe("ROUTED");
    expect(d.promise.requested).toBeNull();
    expect(d.promise.status).toBe("KEPT");
    expect(d.promise.reasons).toEqual([
      "the shopper chose a backup rate (live quotes could not answer at checkout): the promise is standard carrier delivery",
      "kept the promise: standard carrier or faster",
    ]);
  });
});

describe("splits", () => {
  // Hub A has only mugs, hub B only tees, the warehouse both; the shopper chose same day, which
  // only the hubs can do, so the one-node option (the warehouse) breaks the promise and splits are
  // tried. keep = SERVICE: a split that keeps same day keeps the promise.
  const stock = { A: { mug: 5 }, B: { tee: 5 }, W: { mug: 5, tee: 5 }, F: {} };
  const sameDay = () => order([["mug", 1], ["tee", 1]], { serviceCode: "NH:hub-a:SAME_DAY" });
  const split = courierCost(n.A) + courierCost(n.B); // 1157 + 1089
  const whole = carrierCost(n.W); // 1150

  it("splits to keep the promise when the penalty for a second parcel is smaller than breaking it", () => {
    const net = network({ stock, routing: { splitPenaltyMinor: 300, promise: { keep: "SERVICE", breakPenaltyMinor: 2000 } } });
    const d = routeOrder(net, sameDay(), { now: NOW });
    expect(handles(d)).toEqual(["hub-a/SAME_DAY", "hub-b/SAME_DAY"]);
    expect(d.splitPenaltyMinor).toBe(300);
    expect(d.totalMinor).toBe(split + 300);
    expect(d.shipments.map((s) => s.lines.map((l) => l.sku))).toEqual([["MUG"], ["TEE"]]);
    expect(d.reasons[0]).toMatch(/^split in 2 shipments/);
  });

  it("ships whole from one node when the split penalty outweighs the promise", () => {
    const net = network({ stock, routing: { splitPenaltyMinor: 1500, promise: { keep: "SERVICE", breakPenaltyMinor: 2000 } } });
    const d = routeOrder(net, sameDay(), { now: NOW });
    // whole + 2000 = 3150 < split + 1500 = 3746; the split's cost against the whole: 3746 − 1150
    expect(handles(d)).toEqual(["warehouse/STANDARD"]);
    expect(d.totalMinor).toBe(whole);
    expect(d.promise.status).toBe("BROKEN");
    const alt = d.alternatives[0];
    expect(alt.nodes).toEqual(["hub-a", "hub-b"]);
    expect(alt.lost).toContainEqual({ code: "COST", message: "costs $25.96 more, including $15.00 split penalty" });
  });

  it("never splits with maxShipments 1", () => {
    const net = network({ stock, routing: { maxShipments: 1, promise: { breakPenaltyMinor: 2000 } } });
    const d = routeOrder(net, sameDay(), { now: NOW });
    expect(d.shipments).toHaveLength(1);
  });
});

describe("micro-factory", () => {
  const stock = { A: {}, B: {}, W: {}, F: { print: 0 } };

  it("makes to order within its lead time: 30 min prep + 45 set-up + 2 × 30", () => {
    const d = routeOrder(network({ stock }), order([["print", 2]], { serviceCode: "NH:factory:SAME_DAY" }), { now: NOW });
    expect(handles(d)).toEqual(["factory/SAME_DAY"]);
    expect(d.shipments[0].lines[0].madeUnits).toBe(2);
    expect(d.shipments[0].cost.leadTimeMinutes).toBe(135);
    expect(d.reasons).toContain("Factory F makes 2 units to order: 30 min preparation + 105 min to make 2 units to order");
  });

  it("does not promise same day when making would end after closing", () => {
    // 15:30 + 135 min = 17:45 ready; closes 18:00, so still fine; 15:50 + 135 = 18:05 is not.
    const ok = routeOrder(network({ stock }), order([["print", 2]], { serviceCode: "NH:factory:SAME_DAY" }), { now: local("2025-06-10T15:30") });
    expect(ok.promise.status).toBe("KEPT");
    const late = routeOrder(network({ stock }), order([["print", 2]], { serviceCode: "NH:factory:SAME_DAY" }), { now: local("2025-06-10T15:50") });
    expect(handles(late)).toEqual(["factory/NEXT_DAY"]);
    expect(late.promise.status).toBe("BROKEN");
    expect(late.promise.reasons[1]).toBe(
      "factory: same-day: ready at 18:05 after 30 min preparation + 105 min to make 2 units to order, after today's last opening hour",
    );
  });

  it("respects what the factory can still make today", () => {
    const net = network({ stock, routing: { makeUnitsRemaining: { F: 1 } } });
    const d = routeOrder(net, order([["print", 2]]), { now: NOW });
    expect(d.status).toBe("UNROUTABLE");
    expect(d.excluded.find((e) => e.nodeHandle === "factory")!.reasons).toEqual([
      { code: "MAKE_CAPACITY", message: "Factory F cannot make 2 more PRINT today (1 unit of making left)" },
    ]);
  });

  it("derives today's making capacity from opening hours: (9 h × 60 − 45 set-up) / 30 min = 16 units", () => {
    const d = routeOrder(network({ stock }), order([["print", 17]]), { now: NOW });
    expect(d.status).toBe("UNROUTABLE");
    expect(d.excluded.find((e) => e.nodeHandle === "factory")!.reasons[0].message).toBe("Factory F cannot make 17 more PRINT today (16 units of making left)");
    expect(routeOrder(network({ stock }), order([["print", 16]]), { now: NOW }).status).toBe("ROUTED");
  });
});

describe("capacity", () => {
  it("skips a node that has no capacity left today", () => {
    const net = network({ routing: { capacityRemaining: { B: 0 } } });
    const d = routeOrder(net, order([["mug", 1]]), { now: NOW });
    expect(handles(d)).toEqual(["warehouse/STANDARD"]);
    expect(d.excluded.find((e) => e.nodeHandle === "hub-b")!.reasons).toEqual([{ code: "OVER_CAPACITY", message: "Hub B has no capacity left today: 100 of 100 orders taken" }]);
  });

  it("reads the orders taken today from the snapshot when no remaining capacity is given", () => {
    const net = network({ today: { countedAt: NOW - 3_600_000, byNode: { B: { orders: 100, madeUnits: 0 } } } });
    expect(handles(routeOrder(net, order([["mug", 1]]), { now: NOW }))).toEqual(["warehouse/STANDARD"]);
  });
});

describe("addresses", () => {
  it("explains why an address without coordinates cannot be delivered by couriers or a distance-zoned card", () => {
    const d = routeOrder(network(), order([["mug", 1]], { destination: { postalCode: ADDRESS.postalCode, country: "US" } }), { now: NOW });
    expect(d.status).toBe("UNROUTABLE");
    expect(d.excluded.map((e) => [e.nodeHandle, e.reasons.map((r) => r.code)])).toEqual([
      ["hub-a", ["NO_LOCATION", "NO_LOCATION"]],
      ["hub-b", ["NO_LOCATION", "NO_LOCATION"]],
      ["warehouse", ["NOT_PRICED"]],
      ["factory", ["NO_STOCK"]],
    ]);
    expect(d.reasons).toContain("Warehouse W: standard carrier: Flat Parcel Ground zones by distance and the address has no coordinates");
  });
});
