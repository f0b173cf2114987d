// Split quotes on the hand-priced New York network (test/core/routing/network.ts): a cart no node
// holds whole is offered as parcels from several nodes, priced as their sum, and routing the order
// with the rate's code ships exactly those parcels.
import { describe, expect, it } from "vitest";
import { quotePrepared, parseServiceCode, type QuoteOption } from "../../../app/core/quoting";
import { routeOrder } from "../../../app/core/routing";
import type { CartLine } from "../../../app/core/costing/types";
import { ADDRESS, NOW, network, order } from "../routing/network";

function cart(net: ReturnType<typeof network>, lines: [string, number][]): CartLine[] {
  return lines.map(([id, quantity]) => ({ product: net.products[net.productById.get(id)!], quantity }));
}

function quote(net: ReturnType<typeof network>, lines: [string, number][]) {
  return quotePrepared(net.quote, { cart: { lines: cart(net, lines) }, destination: ADDRESS, now: NOW }, net);
}

const parcels = (o: QuoteOption) => (o.shipments ?? []).map((s) => `${s.nodeHandle}/${s.service}`);

describe("split quotes", () => {
  // A mug only at hub A, a tee only at hub B: no node has both (the multi-seller cart).
  const stock = { A: { mug: 10 }, B: { tee: 10 }, W: {}, F: {} };

  it("offers a cart no node holds whole as parcels, one rate per service, routing ships what it promised", () => {
    const net = network({ stock });
    const r = quote(net, [["mug", 1], ["tee", 2]]);
    expect(r.excluded.filter((e) => e.service === null).map((e) => e.nodeHandle).sort()).toEqual(["factory", "hub-a", "hub-b", "warehouse"]);
    const live = r.options.filter((o) => o.shipments);
    expect(live.map((o) => o.serviceCode)).toEqual(["NH:hub-a+hub-b:SAME_DAY"]);
    for (const o of live) {
      expect(parcels(o)).toEqual([`hub-a/${o.service}`, `hub-b/${o.service}`]);
      expect(o.shipments!.map((s) => s.lines)).toEqual([[{ productId: "mug", sku: "MUG", quantity: 1 }], [{ productId: "tee", sku: "TEE", quantity: 2 }]]);
      // No pricing rules: each parcel costs its forward cost, the rate their sum.
      expect(o.priceMinor).toBe(o.shipments!.reduce((s, p) => s + p.cost.forwardMinor, 0));
      expect(o.cost.totalMinor).toBe(o.shipments!.reduce((s, p) => s + p.cost.totalMinor, 0));
      expect(o.cost.components.reduce((s, c) => s + c.amountMinor, 0)).toBe(o.cost.totalMinor);
      expect(o.window.latestMs).toBe(Math.max(...o.shipments!.map((s) => s.window.latestMs)));
      expect(o.description).toMatch(/^2 parcels: (today|tomorrow) from Hub [AB], (today|tomorrow) from Hub [AB]$/);
      expect(parseServiceCode(o.serviceCode)).toEqual({ nodeHandle: "hub-a+hub-b", service: o.service, nodeHandles: ["hub-a", "hub-b"], shipmentServices: [o.service, o.service] });

      const d = routeOrder(net, order([["mug", 1], ["tee", 2]], { serviceCode: o.serviceCode }), { now: NOW });
      expect(d.status).toBe("ROUTED");
      expect(d.promise.status).toBe("KEPT");
      expect(d.shipments.map((s) => `${s.nodeHandle}/${s.service}`)).toEqual(parcels(o));
      expect(d.shipments.map((s) => s.cost.totalMinor)).toEqual(o.shipments!.map((s) => s.cost.totalMinor));
    }
    const sameDay = live.find((o) => o.service === "SAME_DAY")!;
    expect(sameDay.description).toBe("2 parcels: today from Hub A, today from Hub B");
  });

  it("a parcel from a hub and one by carrier from the warehouse: the rate is the slower parcel's service, the code names each", () => {
    const net = network({ stock: { A: { mug: 10 }, B: {}, W: { tee: 10 }, F: {} } });
    const r = quote(net, [["mug", 1], ["tee", 2]]);
    const split = r.options.filter((o) => o.shipments);
    expect(split.map((o) => [o.serviceCode, parcels(o)])).toEqual([["NH:hub-a~SD+warehouse:STANDARD", ["hub-a/SAME_DAY", "warehouse/STANDARD"]]]);
    expect(split[0].description).toMatch(/^2 parcels: today from Hub A, \w{3} from Warehouse W$/);
    const d = routeOrder(net, order([["mug", 1], ["tee", 2]], { serviceCode: split[0].serviceCode }), { now: NOW });
    expect(d.promise.status).toBe("KEPT");
    expect(d.shipments.map((s) => `${s.nodeHandle}/${s.service}`)).toEqual(parcels(split[0]));
  });

  it("combines a made-to-order print from the micro-factory with a stocked mug", () => {
    const net = network({ stock: { A: { mug: 10 }, B: {}, W: {}, F: {} } });
    const r = quote(net, [["mug", 1], ["print", 1]]);
    const split = r.options.filter((o) => o.shipments);
    expect(split.length).toBeGreaterThan(0);
    for (const o of split) {
      expect(o.shipments!.map((s) => s.nodeHandle).sort()).toEqual(["factory", "hub-a"]);
      const d = routeOrder(net, order([["mug", 1], ["print", 1]], { serviceCode: o.serviceCode }), { now: NOW });
      expect(d.shipments.map((s) => `${s.nodeHandle}/${s.service}`)).toEqual(parcels(o));
    }
  });

  it("honours the merchant's most shipments per order: one means no split rates", () => {
    const net = network({ stock, routing: { maxShipments: 1 } });
    const r = quote(net, [["mug", 1], ["tee", 2]]);
    expect(r.options).toEqual([]);
  });

  it("is deterministic and quotes a whole cart as before when one node has everything", () => {
    const net = network();
    const one = quote(net, [["mug", 1], ["tee", 2]]);
    expect(one.options.every((o) => !o.shipments)).toBe(true);
    const s1 = quote(network({ stock }), [["mug", 1], ["tee", 2]]);
    const s2 = quote(network({ stock }), [["mug", 1], ["tee", 2]]);
    expect(JSON.stringify(s1)).toBe(JSON.stringify(s2));
  });

  it("a cart of more lines than the split budget gets whole-cart options or nothing, never an error", () => {
    const net = network({ stock });
    const lines: [string, number][] = Array.from({ length: 13 }, (_, i) => [i % 2 === 0 ? "mug" : "tee", 1]);
    const many = cart(net, lines);
    const r = quotePrepared(net.quote, { cart: { lines: many }, destination: ADDRESS, now: NOW }, net);
    expect(r.options).toEqual([]);
    expect(r.reasons.some((x) => x.includes("13 lines"))).toBe(true);
  });
});
