import { describe, expect, it } from "vitest";
import { openReturn, returnMetrics, transition, type ReturnEvent, type ReturnState } from "../../../app/core/returns";
import { DAY, HOUR, NOW } from "./support";

/** Runs a return line through the machine: events at the given offsets from NOW. */
function life(returnId: string, productId: string, steps: [number, ReturnEvent][]): ReturnState {
  let s = openReturn({ returnId, lineId: "L1", productId, quantity: 1 }, NOW);
  for (const [offset, e] of steps) {
    const r = transition(s, e, NOW + offset);
    if (!r.ok) throw new Error(r.error);
    s = r.state;
  }
  return s;
}

const approve = (hubId: string | null, refundedMinor: number): ReturnEvent => ({ type: "APPROVE", hubId, refundedMinor });
const ship = (reverseCostMinor: number): ReturnEvent => ({ type: "SHIP", reverseCostMinor, trackingNumber: null });
const receive = (hubId: string): ReturnEvent => ({ type: "RECEIVE", hubId, inspectionHours: 48 });
const inspect = (disposition: "RESTOCK" | "DISPOSE"): ReturnEvent => ({ type: "INSPECT", grade: disposition === "RESTOCK" ? "A" : "D", disposition, note: null });

// Received on day 1 in each case (offset 1 day).
const returns = [
  // Brooklyn, hoodie: inspected after 12 h, resold 2 days after receipt.
  life("R1", "hoodie", [[0, approve("bk", 6800)], [HOUR, ship(700)], [DAY, receive("bk")], [DAY + 12 * HOUR, inspect("RESTOCK")], [DAY + 13 * HOUR, { type: "RESTOCK", hubId: null }], [3 * DAY, { type: "RESELL", priceMinor: 6000, orderId: null }]]),
  // Brooklyn, mug: inspected after 36 h, disposed of.
  life("R2", "mug", [[0, approve("bk", 2400)], [HOUR, ship(500)], [DAY, receive("bk")], [DAY + 36 * HOUR, inspect("DISPOSE")], [3 * DAY, { type: "DISPOSE" }]]),
  // Chelsea, hoodie: inspected late, after 3 days; resold 5 days after receipt.
  life("R3", "hoodie", [[0, approve("mh", 6800)], [HOUR, ship(1190)], [DAY, receive("mh")], [4 * DAY, inspect("RESTOCK")], [4 * DAY + HOUR, { type: "RESTOCK", hubId: null }], [6 * DAY, { type: "RESELL", priceMinor: 6800, orderId: null }]]),
  // Declined: not part of reverse logistics.
  life("R4", "hoodie", [[0, { type: "DECLINE", declineReason: "FINAL_SALE", customerMessage: "Final sale." }]]),
  // Kept by the customer (returnless refund): approved, never shipped.
  life("R5", "mug", [[0, approve(null, 900)]]),
  // Still only requested.
  life("R6", "mug", []),
];

describe("return metrics", () => {
  it("by hub, from a hand-computed set", () => {
    expect(returnMetrics(returns, "hub")).toEqual([
      {
        key: "bk",
        returns: 2,
        inspected: 2,
        inspectedOnTime: 2,
        resold: 1,
        receiptToInspectionDays: 1, // (0.5 + 1.5) / 2
        receiptToResaleDays: 2,
        refundedMinor: 9200,
        recoveredMinor: 6000,
        recoveryRate: 6000 / 9200,
        reverseCostMinor: 1200,
        reverseCostPerReturnMinor: 600,
      },
      {
        key: "mh",
        returns: 1,
        inspected: 1,
        inspectedOnTime: 0,
        resold: 1,
        receiptToInspectionDays: 3,
        receiptToResaleDays: 5,
        refundedMinor: 6800,
        recoveredMinor: 6800,
        recoveryRate: 1,
        reverseCostMinor: 1190,
        reverseCostPerReturnMinor: 1190,
      },
      {
        key: "unassigned",
        returns: 1,
        inspected: 0,
        inspectedOnTime: 0,
        resold: 0,
        receiptToInspectionDays: null,
        receiptToResaleDays: null,
        refundedMinor: 900,
        recoveredMinor: 0,
        recoveryRate: 0,
        reverseCostMinor: 0,
        reverseCostPerReturnMinor: 0,
      },
    ]);
  });

  it("by product", () => {
    const [hoodie, mug] = returnMetrics(returns, "product");
    expect(hoodie).toMatchObject({
      key: "hoodie",
      returns: 2,
      receiptToInspectionDays: 1.75, // (0.5 + 3) / 2
      receiptToResaleDays: 3.5, // (2 + 5) / 2
      refundedMinor: 13_600,
      recoveredMinor: 12_800,
      reverseCostPerReturnMinor: 945,
    });
    expect(hoodie.recoveryRate).toBeCloseTo(12_800 / 13_600, 15);
    expect(mug).toMatchObject({ key: "mug", returns: 2, inspected: 1, receiptToInspectionDays: 1.5, resold: 0, receiptToResaleDays: null, recoveryRate: 0, reverseCostPerReturnMinor: 250 });
  });

  it("is empty without approved returns", () => {
    expect(returnMetrics([returns[3], returns[5]], "hub")).toEqual([]);
  });
});
