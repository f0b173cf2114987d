// Whatever events arrive, in whatever order and at whatever times, a return stays inside its
// state machine, its timestamps never go backwards, a refusal changes nothing, and no effect is
// ever asked for twice. And whatever the line, a destination's figures add up.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chooseDestination,
  escalationsDue,
  evaluateReturn,
  openReturn,
  prepareReturnPolicy,
  RETURN_STATUSES,
  transition,
  type ReturnEvent,
  type ReturnRuleInput,
  type ReturnStatus,
} from "../../../app/core/returns";
import { makeProduct } from "../fixtures";
import { HOUR, network, NOW, returnLine, returnRequest } from "./support";

/** The machine's edges, written out independently of the implementation. */
const EDGES: Record<ReturnEvent["type"], [ReturnStatus, ReturnStatus][]> = {
  APPROVE: [["requested", "approved"]],
  DECLINE: [["requested", "declined"]],
  KEEP: [["requested", "kept"]],
  SHIP: [["approved", "in_transit"]],
  RECEIVE: [["approved", "received"], ["in_transit", "received"]],
  INSPECT: [["received", "inspected"]],
  RESTOCK: [["inspected", "restocked"], ["refurbishing", "restocked"]],
  REFURBISH: [["inspected", "refurbishing"]],
  DISPOSE: [["inspected", "disposed"], ["refurbishing", "disposed"]],
  RESELL: [["restocked", "resold"]],
};

const hub = fc.constantFrom("bk", "mh", "wh");
const eventArb: fc.Arbitrary<ReturnEvent> = fc.oneof(
  fc.record({ type: fc.constant("APPROVE" as const), hubId: fc.option(hub, { nil: null }), refundedMinor: fc.nat(100_000) }),
  fc.record({
    type: fc.constant("DECLINE" as const),
    declineReason: fc.constantFrom("FINAL_SALE" as const, "RETURN_PERIOD_ENDED" as const, "OTHER" as const),
    customerMessage: fc.constant("No."),
  }),
  fc.record({ type: fc.constant("KEEP" as const), refundedMinor: fc.nat(100_000) }),
  fc.record({ type: fc.constant("SHIP" as const), reverseCostMinor: fc.nat(5000), trackingNumber: fc.constant(null) }),
  fc.record({ type: fc.constant("RECEIVE" as const), hubId: hub, inspectionHours: fc.integer({ min: 1, max: 96 }) }),
  fc.record({
    type: fc.constant("INSPECT" as const),
    grade: fc.constantFrom("A" as const, "B" as const, "C" as const, "D" as const),
    disposition: fc.constantFrom("RESTOCK" as const, "REFURBISH" as const, "DISPOSE" as const),
    note: fc.constant(null),
  }),
  fc.record({ type: fc.constant("RESTOCK" as const), hubId: fc.option(hub, { nil: null }) }),
  fc.constant({ type: "REFURBISH" as const }),
  fc.constant({ type: "DISPOSE" as const }),
  fc.record({ type: fc.constant("RESELL" as const), priceMinor: fc.nat(100_000), orderId: fc.constant(null) }),
);
// Mostly forward in time, sometimes backwards (late or replayed deliveries), sometimes the same instant.
const stepArb = fc.tuple(eventArb, fc.oneof(fc.integer({ min: 0, max: 72 * HOUR }), fc.integer({ min: -6 * HOUR, max: 0 })));

describe("return life-cycle invariants", () => {
  it("stays in the machine, keeps time moving forward, and never repeats an effect", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        let state = openReturn({ returnId: "R", lineId: "L", productId: "hoodie", quantity: 1 }, NOW);
        let now = NOW;
        const keys = new Set<string>();
        const entered: number[] = [NOW];
        for (const [event, dt] of steps) {
          now += dt;
          const before = structuredClone(state);
          const r = transition(state, event, now);
          expect(state).toEqual(before);
          if (!r.ok) {
            expect(r.error).toMatch(/^Cannot .+\.$/);
            continue;
          }
          const edge = EDGES[event.type].find(([from]) => from === before.status);
          expect(edge).toBeDefined();
          expect(r.state.status).toBe(edge![1]);
          expect(RETURN_STATUSES).toContain(r.state.status);
          expect(r.state.updatedAt).toBe(now);
          expect(now).toBeGreaterThanOrEqual(before.updatedAt);
          expect(r.state.at[r.state.status]).toBe(now);
          entered.push(now);
          for (const e of r.effects) {
            expect(keys.has(e.key)).toBe(false);
            keys.add(e.key);
          }
          state = r.state;
        }
        // The recorded timestamps, in the order the states were entered, never decrease.
        const stamps = Object.values(state.at).sort((x, y) => x - y);
        expect(stamps).toEqual(entered);
        for (let i = 1; i < entered.length; i++) expect(entered[i]).toBeGreaterThanOrEqual(entered[i - 1]);
        // A restocked unit was graded A–C, or refurbished first: a grade D never goes back on the shelf as it came.
        if (state.at.restocked !== undefined && state.grade === "D") expect(state.at.refurbishing).toBeDefined();
      }),
      { numRuns: 2000 },
    );
  });

  it("reaches every state on random walks through the legal moves", () => {
    const menu: ReturnEvent[] = [
      { type: "APPROVE", hubId: "bk", refundedMinor: 100 },
      { type: "DECLINE", declineReason: "OTHER", customerMessage: "No." },
      { type: "KEEP", refundedMinor: 100 },
      { type: "SHIP", reverseCostMinor: 500, trackingNumber: null },
      { type: "RECEIVE", hubId: "bk", inspectionHours: 48 },
      { type: "INSPECT", grade: "A", disposition: "RESTOCK", note: null },
      { type: "INSPECT", grade: "C", disposition: "REFURBISH", note: null },
      { type: "INSPECT", grade: "D", disposition: "DISPOSE", note: null },
      { type: "RESTOCK", hubId: null },
      { type: "REFURBISH" },
      { type: "DISPOSE" },
      { type: "RESELL", priceMinor: 90, orderId: null },
    ];
    const seen = new Set<ReturnStatus>(["requested"]);
    fc.assert(
      fc.property(fc.array(fc.nat(menu.length - 1), { minLength: 8, maxLength: 8 }), (picks) => {
        let state = openReturn({ returnId: "R", lineId: "L", productId: "hoodie", quantity: 1 }, NOW);
        for (const [i, pick] of picks.entries()) {
          // The first legal event of the menu, starting at the pick.
          const next = menu.map((_, j) => transition(state, menu[(pick + j) % menu.length], NOW + i * HOUR)).find((r) => r.ok);
          if (!next?.ok) break;
          state = next.state;
          seen.add(state.status);
        }
      }),
      { numRuns: 500 },
    );
    expect([...seen].sort()).toEqual([...RETURN_STATUSES].sort());
  });

  it("never escalates a return at a level it already reached, whatever the run times", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 * HOUR }), { minLength: 1, maxLength: 10 }), (times) => {
        let s = openReturn({ returnId: "R", lineId: "L", productId: "mug", quantity: 1 }, NOW);
        for (const e of [{ type: "APPROVE", hubId: "bk", refundedMinor: 0 }, { type: "RECEIVE", hubId: "bk", inspectionHours: 48 }] as ReturnEvent[]) {
          const r = transition(s, e, NOW);
          if (r.ok) s = r.state;
        }
        const sent = new Set<string>();
        let highest = 0;
        for (const t of [...times].sort((x, y) => x - y)) {
          for (const e of escalationsDue([s], NOW + t, sent)) {
            expect(sent.has(e.key)).toBe(false);
            expect(e.level).toBeGreaterThan(highest);
            highest = e.level;
            sent.add(e.key);
          }
        }
      }),
    );
  });
});

describe("destination and rule invariants", () => {
  const productArb = fc.record({
    id: fc.constantFrom("mug", "hoodie", "print", "x1"),
    weightGrams: fc.integer({ min: 1, max: 40_000 }),
    lengthMm: fc.integer({ min: 1, max: 1500 }),
    widthMm: fc.integer({ min: 1, max: 800 }),
    heightMm: fc.integer({ min: 1, max: 800 }),
    valueMinor: fc.integer({ min: 0, max: 500_000 }),
    category: fc.constantFrom("Apparel", "Ceramics"),
  });
  const coords = fc.record({
    latitude: fc.double({ min: 40.5, max: 42.5, noNaN: true }),
    longitude: fc.double({ min: -75.5, max: -71, noNaN: true }),
  });
  const sales = fc.record({ bk: fc.double({ min: 0, max: 5, noNaN: true }), mh: fc.double({ min: 0, max: 5, noNaN: true }), wh: fc.double({ min: 0, max: 20, noNaN: true }) });
  const rules: ReturnRuleInput[] = [
    { id: "defect", name: "Defective", when: [{ code: "REASON", args: { reasons: ["DEFECTIVE"] } }], then: { code: "RECYCLE", args: { instructions: "Recycle it." } } },
    { id: "keep", name: "Keep", then: { code: "KEEP_ITEM" } },
  ];

  it("adds up every hub's figures, picks the best, and accounts for every node", () => {
    const net = network();
    fc.assert(
      fc.property(productArb, coords, sales, fc.constantFrom("NEAREST" as const, "BEST_RECOVERY" as const), (p, from, perDay, mode) => {
        const product = makeProduct(p);
        const policy = prepareReturnPolicy({ destination: { mode } });
        const salesPerDay = { bk: { [p.id]: perDay.bk }, mh: { [p.id]: perDay.mh }, wh: { [p.id]: perDay.wh } };
        const d = chooseDestination(policy, { product, from: { ...from, country: "US" }, condition: null }, { costing: net, salesPerDay });
        expect(d.considered.length + d.excluded.length).toBe(net.nodes.length);
        for (const h of d.considered) {
          for (const v of [h.grossRecoveryMinor, h.holdingMinor, h.reverseCostMinor, h.handlingMinor]) {
            expect(Number.isInteger(v) && v >= 0).toBe(true);
          }
          expect(h.netRecoveryMinor).toBe(h.grossRecoveryMinor - h.holdingMinor - h.reverseCostMinor - h.handlingMinor);
          expect(h.resaleProbability >= 0 && h.resaleProbability <= 1).toBe(true);
          expect(h.grossRecoveryMinor).toBeLessThanOrEqual(product.valueMinor);
        }
        if (d.hub && mode === "BEST_RECOVERY") {
          expect(d.hub.netRecoveryMinor).toBe(Math.max(...d.considered.map((h) => h.netRecoveryMinor)));
        }
        if (d.hub && mode === "NEAREST") expect(d.hub.distanceM).toBe(Math.min(...d.considered.map((h) => h.distanceM!)));
        expect(d.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it("decides every line exactly once, with money in whole minor units", () => {
    const net = network();
    const policy = prepareReturnPolicy({ rules });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            product: productArb,
            quantity: fc.integer({ min: 1, max: 5 }),
            unitPriceMinor: fc.nat(500_000),
            reason: fc.constantFrom("DEFECTIVE" as const, "UNWANTED" as const),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        coords,
        (lines, from) => {
          const request = returnRequest({
            from: { ...from, country: "US" },
            lines: lines.map((l, i) => returnLine({ ...l, lineId: `L${i}`, product: makeProduct(l.product) })),
          });
          const r = evaluateReturn(policy, request, { now: NOW, costing: net });
          expect(r.lines).toHaveLength(lines.length);
          let refund = 0;
          for (const [i, line] of r.lines.entries()) {
            const paid = lines[i].unitPriceMinor * lines[i].quantity;
            expect(line.outcome.refundMinor + line.outcome.storeCreditMinor).toBe(paid);
            refund += line.outcome.refundMinor;
            const last = line.trace.at(-1);
            if (line.rule) expect(last).toMatchObject({ id: line.rule.id, matched: true });
            else expect(line.trace.every((t) => !t.matched)).toBe(true);
            if (line.outcome.itemComesBack) expect(line.destination).not.toBeNull();
          }
          expect(r.refundMinor).toBe(refund);
        },
      ),
      { numRuns: 300 },
    );
  });
});
