import { describe, expect, it } from "vitest";
import {
  openReturn,
  returnEventSchema,
  transition,
  type ReturnEvent,
  type ReturnState,
  type ReturnStatus,
} from "../../../app/core/returns";
import { HOUR, NOW } from "./support";

const ev = {
  approve: { type: "APPROVE", hubId: "mh", refundedMinor: 6800 },
  decline: { type: "DECLINE", declineReason: "RETURN_PERIOD_ENDED", customerMessage: "Returns close 30 days after delivery." },
  ship: { type: "SHIP", reverseCostMinor: 1190, trackingNumber: "9400100000000000000000" },
  receive: { type: "RECEIVE", hubId: "mh", inspectionHours: 48 },
  inspectRestock: { type: "INSPECT", grade: "A", disposition: "RESTOCK", note: null },
  inspectRefurbish: { type: "INSPECT", grade: "C", disposition: "REFURBISH", note: "loose stitching" },
  inspectDispose: { type: "INSPECT", grade: "D", disposition: "DISPOSE", note: null },
  restock: { type: "RESTOCK", hubId: null },
  refurbish: { type: "REFURBISH" },
  dispose: { type: "DISPOSE" },
  resell: { type: "RESELL", priceMinor: 6500, orderId: "#1042" },
} satisfies Record<string, ReturnEvent>;

const fresh = () => openReturn({ returnId: "R1", lineId: "L1", productId: "hoodie", quantity: 1 }, NOW);

/** Applies events one hour apart; fails the test on any refusal. */
function run(events: ReturnEvent[], state = fresh()): ReturnState {
  let s = state;
  for (const e of events) {
    const r = transition(s, e, s.updatedAt + HOUR);
    if (!r.ok) throw new Error(r.error);
    s = r.state;
  }
  return s;
}

const at = {
  requested: [] as ReturnEvent[],
  approved: [ev.approve],
  in_transit: [ev.approve, ev.ship],
  received: [ev.approve, ev.ship, ev.receive],
  inspectedRestock: [ev.approve, ev.ship, ev.receive, ev.inspectRestock],
  inspectedRefurbish: [ev.approve, ev.ship, ev.receive, ev.inspectRefurbish],
  inspectedDispose: [ev.approve, ev.ship, ev.receive, ev.inspectDispose],
  refurbishing: [ev.approve, ev.ship, ev.receive, ev.inspectRefurbish, ev.refurbish],
  restocked: [ev.approve, ev.ship, ev.receive, ev.inspectRestock, ev.restock],
};

describe("every legal transition", () => {
  const legal: [string, ReturnEvent[], ReturnEvent, ReturnStatus, string[]][] = [
    ["approve a request", at.requested, ev.approve, "approved", ["APPROVE_IN_SHOPIFY", "SEND_RETURN_INSTRUCTIONS"]],
    ["decline a request", at.requested, ev.decline, "declined", ["DECLINE_IN_SHOPIFY"]],
    ["ship an approved return", at.approved, ev.ship, "in_transit", ["EXPECT_AT_HUB"]],
    ["receive a return in transit", at.in_transit, ev.receive, "received", ["START_INSPECTION_CLOCK"]],
    ["receive a return dropped off at the hub", at.approved, ev.receive, "received", ["START_INSPECTION_CLOCK"]],
    ["inspect a received return", at.received, ev.inspectRestock, "inspected", ["STOP_INSPECTION_CLOCK"]],
    ["restock after inspection", at.inspectedRestock, ev.restock, "restocked", ["RESTOCK_AT"]],
    ["send to refurbishment", at.inspectedRefurbish, ev.refurbish, "refurbishing", ["MARK_PROCESSING_REQUIRED"]],
    ["dispose after inspection", at.inspectedDispose, ev.dispose, "disposed", ["DISPOSE_IN_SHOPIFY"]],
    ["restock once refurbished", at.refurbishing, ev.restock, "restocked", ["RESTOCK_AT"]],
    ["dispose when refurbishment fails", at.refurbishing, ev.dispose, "disposed", ["DISPOSE_IN_SHOPIFY"]],
    ["record the resale", at.restocked, ev.resell, "resold", ["RECORD_RESALE"]],
  ];

  it.each(legal)("%s", (_name, path, event, to, effects) => {
    const before = run(path);
    const now = before.updatedAt + 2 * HOUR;
    const r = transition(before, event, now);
    if (!r.ok) throw new Error(r.error);
    expect(r.state.status).toBe(to);
    expect(r.state.at[to]).toBe(now);
    expect(r.state.updatedAt).toBe(now);
    expect(r.effects.map((e) => e.type)).toEqual(effects);
    for (const e of r.effects) expect(e.key).toBe(`R1/L1/${e.type}`);
  });

  it("carries what the services need, with timestamps for every step", () => {
    const s0 = fresh();
    const approved = transition(s0, ev.approve, NOW + HOUR);
    expect(approved.ok && approved.effects).toEqual([
      { type: "APPROVE_IN_SHOPIFY", refundedMinor: 6800, key: "R1/L1/APPROVE_IN_SHOPIFY" },
      { type: "SEND_RETURN_INSTRUCTIONS", hubId: "mh", key: "R1/L1/SEND_RETURN_INSTRUCTIONS" },
    ]);
    const received = transition(run([ev.approve, ev.ship]), { type: "RECEIVE", hubId: "bk", inspectionHours: 24 }, NOW + 10 * HOUR);
    expect(received.ok && received.effects).toEqual([
      { type: "START_INSPECTION_CLOCK", hubId: "bk", deadlineAt: NOW + 34 * HOUR, key: "R1/L1/START_INSPECTION_CLOCK" },
    ]);
    expect(received.ok && received.state).toMatchObject({ hubId: "bk", inspectionDeadlineAt: NOW + 34 * HOUR, reverseCostMinor: 1190 });

    const resold = run([...at.restocked, ev.resell]);
    expect(resold).toMatchObject({ status: "resold", grade: "A", disposition: "RESTOCK", hubId: "mh", refundedMinor: 6800, recoveredMinor: 6500 });
    expect(resold.at).toEqual({
      requested: NOW,
      approved: NOW + HOUR,
      in_transit: NOW + 2 * HOUR,
      received: NOW + 3 * HOUR,
      inspected: NOW + 4 * HOUR,
      restocked: NOW + 5 * HOUR,
      resold: NOW + 6 * HOUR,
    });
    const restockElsewhere = transition(run(at.inspectedRestock), { type: "RESTOCK", hubId: "bk" }, NOW + 9 * HOUR);
    expect(restockElsewhere.ok && restockElsewhere.effects[0]).toEqual({
      type: "RESTOCK_AT",
      hubId: "bk",
      productId: "hoodie",
      quantity: 1,
      key: "R1/L1/RESTOCK_AT",
    });
  });

  it("reports whether the inspection beat its deadline", () => {
    const received = run(at.received);
    const late = transition(received, ev.inspectRestock, received.inspectionDeadlineAt! + 1);
    expect(late.ok && late.effects).toEqual([{ type: "STOP_INSPECTION_CLOCK", onTime: false, key: "R1/L1/STOP_INSPECTION_CLOCK" }]);
  });
});

describe("illegal transitions: an error, and no change", () => {
  const illegal: [string, ReturnEvent[], ReturnEvent, string][] = [
    [
      "inspecting a return never received",
      at.in_transit,
      ev.inspectRestock,
      "Cannot inspect return R1/L1: it is in transit; only a return that is received can be inspected.",
    ],
    ["restocking twice", at.restocked, ev.restock, "Cannot restock return R1/L1: it is already restocked; only a return that is inspected or being refurbished can be restocked."],
    ["approving a declined request", [ev.decline], ev.approve, "Cannot approve return R1/L1: it is declined; only a return that is requested can be approved."],
    ["declining an approved return", at.approved, ev.decline, "Cannot decline return R1/L1: it is approved; only a return that is requested can be declined."],
    ["shipping before approval", at.requested, ev.ship, "Cannot ship return R1/L1: it is requested; only a return that is approved can be shipped."],
    ["reselling what was never restocked", at.inspectedRestock, ev.resell, "Cannot record the resale of return R1/L1: it is inspected; only a return that is restocked can be marked resold."],
    ["disposing of a resold item", [...at.restocked, ev.resell], ev.dispose, "Cannot dispose of return R1/L1: it is resold; only a return that is inspected or being refurbished can be disposed of."],
    ["restocking what inspection said to dispose of", at.inspectedDispose, ev.restock, "Cannot restock return R1/L1: the inspection decided DISPOSE."],
    ["refurbishing what inspection said to restock", at.inspectedRestock, ev.refurbish, "Cannot refurbish return R1/L1: the inspection decided RESTOCK."],
    [
      "restocking a grade D item",
      at.received,
      { type: "INSPECT", grade: "D", disposition: "RESTOCK", note: null },
      "Cannot inspect return R1/L1: a grade D item is not resellable: refurbish or dispose of it.",
    ],
  ];

  it.each(illegal)("%s", (_name, path, event, message) => {
    const before = run(path);
    const copy = structuredClone(before);
    const r = transition(before, event, before.updatedAt + HOUR);
    expect(r).toEqual({ ok: false, error: message });
    expect(before).toEqual(copy);
  });

  it("refuses an event dated before the last change", () => {
    const before = run(at.received);
    const r = transition(before, ev.inspectRestock, before.updatedAt - 1);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^Cannot inspect return R1\/L1: the event at .* is before its last change at /);
    expect(transition(before, ev.inspectRestock, Number.NaN).ok).toBe(false);
  });
});

describe("event schema", () => {
  it("parses form input with defaults, and names the bad field", () => {
    expect(returnEventSchema.parse({ type: "RECEIVE", hubId: "bk" })).toEqual({ type: "RECEIVE", hubId: "bk", inspectionHours: 48 });
    const bad = returnEventSchema.safeParse({ type: "INSPECT", grade: "D", disposition: "RESTOCK" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["disposition", "a grade D item is not resellable: refurbish or dispose of it"],
    ]);
    const long = returnEventSchema.safeParse({ type: "DECLINE", declineReason: "OTHER", customerMessage: "x".repeat(501) });
    expect(long.error?.issues.map((i) => i.path.join("."))).toEqual(["customerMessage"]);
  });
});
