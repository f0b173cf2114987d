import { describe, expect, it } from "vitest";
import {
  escalationsDue,
  inspectionHoursAt,
  inspectionStatus,
  openReturn,
  prepareReturnPolicy,
  transition,
  type Escalation,
  type ReturnEvent,
  type ReturnState,
} from "../../../app/core/returns";
import { HOUR, NOW } from "./support";

function step(s: ReturnState, e: ReturnEvent, at: number): ReturnState {
  const r = transition(s, e, at);
  if (!r.ok) throw new Error(r.error);
  return r.state;
}

/** A return received at `receivedAt` with the given inspection window. */
function received(returnId: string, receivedAt: number, inspectionHours = 48, hubId = "bk"): ReturnState {
  let s = openReturn({ returnId, lineId: "L1", productId: "mug", quantity: 1 }, NOW);
  s = step(s, { type: "APPROVE", hubId, refundedMinor: 2400 }, NOW);
  return step(s, { type: "RECEIVE", hubId, inspectionHours }, receivedAt);
}

describe("inspection deadline", () => {
  const r = received("R1", NOW);
  const deadline = NOW + 48 * HOUR;

  it("is 48 hours after receipt by default, or the hub's own window", () => {
    expect(r.inspectionDeadlineAt).toBe(deadline);
    const policy = prepareReturnPolicy({ hubs: { mh: { inspectionHours: 24 } } });
    expect(inspectionHoursAt(policy, "mh")).toBe(24);
    expect(inspectionHoursAt(policy, "bk")).toBe(48);
    expect(received("R2", NOW, inspectionHoursAt(policy, "mh"), "mh").inspectionDeadlineAt).toBe(NOW + 24 * HOUR);
  });

  it("is on time, then due soon, then overdue, with the time left", () => {
    expect(inspectionStatus(openReturn({ returnId: "R0", lineId: "L1", productId: "mug", quantity: 1 }, NOW), NOW)).toEqual({ status: "not_received" });
    expect(inspectionStatus(r, NOW + HOUR)).toEqual({ status: "on_time", deadlineAt: deadline, minutesLeft: 47 * 60 });
    expect(inspectionStatus(r, deadline - 12 * HOUR - 1).status).toBe("on_time");
    expect(inspectionStatus(r, deadline - 12 * HOUR)).toEqual({ status: "due_soon", deadlineAt: deadline, minutesLeft: 12 * 60 });
    expect(inspectionStatus(r, deadline)).toEqual({ status: "due_soon", deadlineAt: deadline, minutesLeft: 0 });
    expect(inspectionStatus(r, deadline + 90 * 60_000)).toEqual({ status: "overdue", deadlineAt: deadline, minutesLeft: -90 });
    expect(inspectionStatus(r, NOW + HOUR, 0).status).toBe("on_time");
  });

  it("records whether the inspection was on time", () => {
    const onTime = step(r, { type: "INSPECT", grade: "B", disposition: "RESTOCK", note: null }, deadline);
    expect(inspectionStatus(onTime, deadline + 100 * HOUR)).toEqual({ status: "inspected", deadlineAt: deadline, onTime: true, minutesLate: 0 });
    const late = step(r, { type: "INSPECT", grade: "B", disposition: "RESTOCK", note: null }, deadline + 3 * HOUR);
    expect(inspectionStatus(late, deadline + 100 * HOUR)).toEqual({ status: "inspected", deadlineAt: deadline, onTime: false, minutesLate: 180 });
  });
});

describe("escalations", () => {
  // Default levels: hub staff 12 h before the deadline, hub lead at it, the merchant 24 h after.
  const a = received("A", NOW);
  const b = received("B", NOW + 10 * HOUR);
  const inspected = step(received("C", NOW), { type: "INSPECT", grade: "A", disposition: "RESTOCK", note: null }, NOW + 5 * HOUR);
  const all = [a, b, inspected];

  /** A service run: what is due, then "sending" it (recording the keys, as a database would). */
  function runOnce(now: number, sent: Set<string>): Escalation[] {
    const due = escalationsDue(all, now, sent);
    for (const e of due) sent.add(e.key);
    return due;
  }

  it("escalates each return and level once, across restarts", () => {
    const stored = new Set<string>();
    expect(runOnce(NOW + 35 * HOUR, stored)).toEqual([]);

    const first = runOnce(NOW + 36 * HOUR, stored);
    expect(first).toEqual([
      {
        key: "A/L1/escalation-1",
        returnId: "A",
        lineId: "L1",
        hubId: "bk",
        level: 1,
        notify: "HUB_STAFF",
        deadlineAt: NOW + 48 * HOUR,
        message: `Inspection of return A/L1 at bk is due in 12 h (deadline ${new Date(NOW + 48 * HOUR).toISOString()})`,
      },
    ]);
    // Same instant, same inputs: nothing twice, also in a new process that reloads the keys.
    expect(runOnce(NOW + 36 * HOUR, stored)).toEqual([]);
    const afterRestart = new Set([...stored]);
    expect(escalationsDue(all, NOW + 40 * HOUR, afterRestart)).toEqual([]);

    const second = runOnce(NOW + 48 * HOUR, stored);
    expect(second.map((e) => [e.key, e.notify])).toEqual([["A/L1/escalation-2", "HUB_LEAD"], ["B/L1/escalation-1", "HUB_STAFF"]]);
    expect(second[0].message).toContain("is due now");
    expect(runOnce(NOW + 60 * HOUR, stored).map((e) => e.key)).toEqual(["B/L1/escalation-2"]);
    expect(runOnce(NOW + 72 * HOUR, stored).map((e) => [e.key, e.message.split(" is ")[1].split(" (")[0]])).toEqual([
      ["A/L1/escalation-3", "overdue by 24 h"],
    ]);
    expect(runOnce(NOW + 500 * HOUR, stored).map((e) => e.key)).toEqual(["B/L1/escalation-3"]);
    expect(runOnce(NOW + 900 * HOUR, stored)).toEqual([]);
    expect([...stored].filter((k) => k.startsWith("C/"))).toEqual([]);
  });

  it("sends only the highest level reached after a long outage, and never a lower one later", () => {
    const stored = new Set<string>();
    expect(runOnce(NOW + 80 * HOUR, stored).map((e) => e.key)).toEqual(["A/L1/escalation-3", "B/L1/escalation-2"]);
    expect(runOnce(NOW + 81 * HOUR, stored)).toEqual([]);
    expect(escalationsDue(all, NOW + 81 * HOUR, [...stored])).toEqual([]);
  });

  it("follows the policy's levels", () => {
    const levels = prepareReturnPolicy({ inspection: { escalations: [{ afterDeadlineHours: 2, notify: "MERCHANT" }] } }).config.inspection.escalations;
    expect(escalationsDue([a], NOW + 49 * HOUR, [], levels)).toEqual([]);
    expect(escalationsDue([a], NOW + 50 * HOUR, [], levels).map((e) => [e.key, e.notify])).toEqual([["A/L1/escalation-1", "MERCHANT"]]);
  });
});
