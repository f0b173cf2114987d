// Orders that compete for the same stock and capacity, decided together; and Shopify's default rule.
import { beforeAll, describe, expect, it } from "vitest";
import { routeBatch, routeShopifyDefault, type BatchResult, type LpSolver, type RoutingDecision } from "../../../app/core/routing";
import { NOW, carrierCost, courierCost, network, nodes, order } from "./network";

let highs: LpSolver;
beforeAll(async () => {
  highs = await (await import("highs")).default();
});

const n = nodes();
// Near hub B (Chelsea): B is far cheaper for this shopper than anything else.
const CHELSEA = { latitude: 40.744, longitude: -73.999, postalCode: "10001", country: "US" };
const handles = (d: RoutingDecision) => d.shipments.map((s) => s.nodeHandle);
const byId = (r: BatchResult, id: string) => r.decisions.find((d) => d.orderId === id)!;

describe("scarce stock goes to the order that saves most", () => {
  // X (Williamsburg) saves 0.61 with hub B over the warehouse; Y (Chelsea) saves 5.20.
  const x = () => order([["mug", 1]], { id: "X" });
  const y = () => order([["mug", 1]], { id: "Y", destination: CHELSEA });
  const yAtB = courierCost(n.B, CHELSEA);
  const oneMugAtB = { A: { mug: 0 }, B: { mug: 1 }, W: { mug: 10 }, F: {} };

  it.each(["EXACT", "HEURISTIC"] as const)("%s: Y gets hub B's last mug, X ships from the warehouse", (method) => {
    const r = routeBatch(network({ stock: oneMugAtB }), [x(), y()], { now: NOW, solver: highs, method });
    expect(r.stats.method).toBe(method);
    expect(r.stats.contended).toBe(2);
    expect(handles(byId(r, "Y"))).toEqual(["hub-b"]);
    expect(handles(byId(r, "X"))).toEqual(["warehouse"]);
    expect(r.totalMinor).toBe(yAtB + carrierCost(n.W));
    const lostB = byId(r, "X").alternatives.find((a) => a.nodes[0] === "hub-b")!;
    expect(lostB.deltaMinor).toBe(courierCost(n.B) - carrierCost(n.W));
    expect(lostB.lost).toEqual([{ code: "STOCK_TAKEN", message: "MUG at Hub B went to other orders in this batch (0 left, needs 1)" }]);
  });

  it("in sequence, Shopify's rule gives the mug to whoever comes first", () => {
    // X2 in Greenwich Village is nearest to hub B too, but saves less with it than Y does.
    const village = { latitude: 40.7336, longitude: -74.0027, postalCode: "10014", country: "US" };
    const x2 = order([["mug", 1]], { id: "X", destination: village });
    const r = routeShopifyDefault(network({ stock: oneMugAtB }), [x2, y()], { now: NOW });
    expect(handles(byId(r, "X"))).toEqual(["hub-b"]);
    expect(handles(byId(r, "Y"))).toEqual(["warehouse"]);
    expect(r.totalMinor).toBe(courierCost(n.B, village) + carrierCost(n.W));
    const best = routeBatch(network({ stock: oneMugAtB }), [x2, y()], { now: NOW, solver: highs });
    expect(handles(byId(best, "Y"))).toEqual(["hub-b"]);
    expect(best.totalMinor).toBe(yAtB + carrierCost(n.W));
    expect(best.totalMinor).toBeLessThan(r.totalMinor);
  });

  it.each(["EXACT", "HEURISTIC"] as const)("%s: the same with hub B's capacity for one more order", (method) => {
    const net = network({ routing: { capacityRemaining: { B: 1 } } });
    const r = routeBatch(net, [x(), y()], { now: NOW, solver: highs, method });
    expect(handles(byId(r, "Y"))).toEqual(["hub-b"]);
    expect(handles(byId(r, "X"))).toEqual(["warehouse"]);
    expect(byId(r, "X").alternatives.find((a) => a.nodes[0] === "hub-b")!.lost).toEqual([
      { code: "CAPACITY_TAKEN", message: "capacity of Hub B went to other orders in this batch (0 left, needs 1)" },
    ]);
  });

  it("decides orders that compete for nothing directly, without optimisation", () => {
    const r = routeBatch(network(), [x(), y()], { now: NOW, solver: highs });
    expect(r.stats).toMatchObject({ method: "DIRECT", decidedDirectly: 2, contended: 0, variables: 0 });
    expect(handles(byId(r, "X"))).toEqual(["hub-b"]);
    expect(handles(byId(r, "Y"))).toEqual(["hub-b"]);
  });

  it("says why it used the heuristic", () => {
    const net = network({ stock: oneMugAtB, routing: { exact: { maxVariables: 1 } } });
    expect(routeBatch(net, [x(), y()], { now: NOW, solver: highs }).stats.methodReason).toMatch(/variables > exact.maxVariables 1: heuristic used/);
    expect(routeBatch(network({ stock: oneMugAtB }), [x(), y()], { now: NOW }).stats.methodReason).toBe("no solver loaded: heuristic used");
  });
});

describe("a solver that does not deliver", () => {
  const oneMugAtB = { A: { mug: 0 }, B: { mug: 1 }, W: { mug: 10 }, F: {} };
  const orders = () => [order([["mug", 1]], { id: "X" }), order([["mug", 1]], { id: "Y", destination: CHELSEA })];

  it("keeps the heuristic's answer when the MIP stops at its time limit with a worse one", () => {
    // Every x = 0: every order unrouted, feasible but far worse than the heuristic.
    const stopped: LpSolver = { solve: () => ({ Status: "Time limit reached", ObjectiveValue: 0, Columns: {} }) };
    const r = routeBatch(network({ stock: oneMugAtB }), orders(), { now: NOW, solver: stopped });
    expect(r.stats.method).toBe("HEURISTIC");
    expect(r.stats.methodReason).toMatch(/MIP stopped at its 2 s limit without proving optimality; the heuristic's was better and is used$/);
    expect(r.stats.routed).toBe(2);
  });

  it("falls back to the heuristic when the solver's answer breaks a constraint or the solver throws", () => {
    const cheat: LpSolver = { solve: () => ({ Status: "Optimal", ObjectiveValue: 0, Columns: { x0: { Index: 0, Primal: 1 }, x2: { Index: 2, Primal: 1 } } }) };
    const r = routeBatch(network({ stock: oneMugAtB }), orders(), { now: NOW, solver: cheat });
    expect(r.stats.method).toBe("HEURISTIC");
    expect(r.stats.methodReason).toMatch(/^exact solve failed \(solver's answer is infeasible: resource \d+: 2 used of 1\): heuristic used$/);
    const broken: LpSolver = {
      solve: () => {
        throw new Error("wasm trap");
      },
    };
    expect(routeBatch(network({ stock: oneMugAtB }), orders(), { now: NOW, solver: broken }).stats.methodReason).toBe(
      "exact solve failed (solver failed: wasm trap): heuristic used",
    );
  });
});

describe("nothing is dropped", () => {
  it("reports orders stock cannot cover as unroutable and routes the rest", () => {
    const net = network({ stock: { A: {}, B: { mug: 1 }, W: { mug: 1 }, F: {} } });
    const orders = [order([["mug", 1]], { id: "1" }), order([["mug", 1]], { id: "2" }), order([["mug", 1]], { id: "3" })];
    const r = routeBatch(net, orders, { now: NOW, solver: highs, method: "EXACT" });
    expect(r.decisions.map((d) => d.orderId)).toEqual(["1", "2", "3"]);
    expect(r.decisions.filter((d) => d.status === "ROUTED")).toHaveLength(2);
    const lost = r.decisions.find((d) => d.status === "UNROUTABLE")!;
    expect(lost.reasons[0]).toBe("unroutable in this batch: the stock or capacity every option needs went to other orders");
    expect(lost.alternatives.every((a) => a.lost.some((l) => l.code === "STOCK_TAKEN"))).toBe(true);
    expect(r.stats).toMatchObject({ routed: 2, unroutable: 1 });
    expect(r.objectiveMinor).toBe(r.totalMinor + 10_000_000);
  });

  it("repairs an order whose candidates all went to others: costs it again against what is left", () => {
    // One candidate per order (the cheapest, hub B), one mug at B: the loser is costed again and ships from W.
    const net = network({ stock: { A: {}, B: { mug: 1 }, W: { mug: 5 }, F: {} }, routing: { candidatesPerOrder: 1 } });
    const r = routeBatch(net, [order([["mug", 1]], { id: "X" }), order([["mug", 1]], { id: "Y", destination: CHELSEA })], { now: NOW, solver: highs });
    expect(r.stats.repaired).toBe(1);
    expect(handles(byId(r, "X"))).toEqual(["warehouse"]);
    expect(handles(byId(r, "Y"))).toEqual(["hub-b"]);
  });
});

describe("Shopify's default rule", () => {
  it("prefers one location to a split, even a farther one", () => {
    // B (mugs) and A (tees) are both nearer than W, which has both: one shipment from W wins.
    const net = network({ stock: { A: { tee: 5 }, B: { mug: 5 }, W: { mug: 5, tee: 5 }, F: {} } });
    const r = routeShopifyDefault(net, [order([["mug", 1], ["tee", 1]])], { now: NOW });
    expect(handles(r.decisions[0])).toEqual(["warehouse"]);
  });

  it("splits over the fewest locations when it must, each line from the nearest that has it", () => {
    const net = network({ stock: { A: { tee: 5, mug: 5 }, B: { mug: 5 }, W: { tee: 5 }, F: {} }, routing: {} });
    const orders = [order([["mug", 6], ["tee", 1]])]; // no node has 6 mugs … nor can any pair: unroutable
    expect(routeShopifyDefault(net, orders, { now: NOW }).decisions[0].status).toBe("UNROUTABLE");
    const r = routeShopifyDefault(network({ stock: { A: { tee: 5 }, B: { mug: 5 }, W: {}, F: {} } }), [order([["mug", 1], ["tee", 1]])], { now: NOW });
    expect(handles(r.decisions[0])).toEqual(["hub-a", "hub-b"]);
    expect(r.decisions[0].reasons[0]).toBe("Shopify default rule: fewest locations (2), then the closest with stock: Hub A (565 m) + Hub B (4.9 km)");
    expect(r.decisions[0].splitPenaltyMinor).toBe(500);
  });

  it("consumes stock in order sequence, with no look-ahead", () => {
    // Nearest to the address: A (565 m), then W (3.0 km), then B (4.9 km); one mug each.
    const net = network({ stock: { A: { mug: 1 }, B: { mug: 1 }, W: { mug: 1 }, F: {} } });
    const r = routeShopifyDefault(net, [order([["mug", 1]], { id: "1" }), order([["mug", 1]], { id: "2" }), order([["mug", 1]], { id: "3" })], { now: NOW });
    expect(r.decisions.map(handles)).toEqual([["hub-a"], ["warehouse"], ["hub-b"]]);
  });
});
