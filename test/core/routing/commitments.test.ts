// Stock and capacity held by earlier decisions (core/routing/commitments.ts): units come off a level
// only for decisions made after the level was last written; orders and made units come off the
// node's capacity only on its local today; nothing goes below zero; and routing then sends the
// next order elsewhere, saying why.
import { describe, expect, it } from "vitest";
import { applyCommitments, availabilityAt, routeOrder } from "../../../app/core/routing";
import { ADDRESS, NOW, network, order } from "./network";

const HOUR = 3_600_000;
const P = 3; // mug, tee, print

describe("applyCommitments", () => {
  it("takes units only from levels written before the decision, capacity and making only for today's decisions", () => {
    const net = network({ stock: { A: { mug: 3, tee: 10 }, B: { mug: 10 }, W: { mug: 100 }, F: {} } });
    const avail = availabilityAt(net, NOW);
    const A = net.nodeById.get("A")!;
    const F = net.nodeById.get("F")!;
    const mug = net.productById.get("mug")!;
    const tee = net.productById.get("tee")!;
    const { capacityBase, makeBase } = net.resources;
    const makeBefore = avail[makeBase + F];
    const asOf: Record<string, number> = { "A|mug": NOW - 2 * HOUR, "A|tee": NOW - 10 * 60_000 };
    const held = applyCommitments(
      net,
      avail,
      [
        { at: NOW - HOUR, nodeId: "A", lines: [{ productId: "mug", units: 2, madeUnits: 0 }, { productId: "tee", units: 1, madeUnits: 0 }] },
        { at: NOW - 30 * 60_000, nodeId: "A", lines: [{ productId: "mug", units: 5, madeUnits: 0 }] },
        { at: NOW - 26 * HOUR, nodeId: "A", lines: [{ productId: "mug", units: 1, madeUnits: 0 }] }, // yesterday, before the level
        { at: NOW - 20 * 60_000, nodeId: "F", lines: [{ productId: "print", units: 0, madeUnits: 2 }] },
        { at: NOW - HOUR, nodeId: "gone", lines: [{ productId: "mug", units: 9, madeUnits: 0 }] },
      ],
      { now: NOW, stockAsOf: (n, p) => asOf[`${n}|${p}`] ?? null },
    );
    expect(avail[A * P + mug]).toBe(0); // 3 − 2 − 5, not below zero
    expect(avail[A * P + tee]).toBe(10); // the tee level was written after the decision
    expect(avail[capacityBase + A]).toBe(100 - 2); // two shipments today at A (the third was yesterday)
    expect(avail[makeBase + F]).toBe(makeBefore - 2);
    expect(avail[capacityBase + F]).toBe(40 - 1);
    expect(held).toEqual([{ node: A, product: mug, units: 3 }]);
  });

  it("sends the next order elsewhere when an earlier one holds the last unit", () => {
    // Hub B is the cheapest for the test address (see network.ts) and has one mug.
    const net = network({ stock: { A: { mug: 10 }, B: { mug: 1 }, W: { mug: 100 }, F: {} } });
    const first = routeOrder(net, order([["mug", 1]]), { now: NOW });
    expect(first.shipments[0].nodeHandle).toBe("hub-b");

    const avail = availabilityAt(net, NOW);
    applyCommitments(net, avail, [{ at: NOW - 60_000, nodeId: "B", lines: [{ productId: "mug", units: 1, madeUnits: 0 }] }], {
      now: NOW,
      stockAsOf: () => NOW - HOUR,
    });
    const second = routeOrder(net, order([["mug", 1]], { destination: ADDRESS }), { now: NOW, availability: avail });
    expect(second.shipments[0].nodeHandle).not.toBe("hub-b");
    expect(second.excluded.find((e) => e.nodeHandle === "hub-b")?.reasons[0]).toMatchObject({ code: "NO_STOCK", message: "no stock of MUG at Hub B (needs 1, has 0)" });
  });
});
