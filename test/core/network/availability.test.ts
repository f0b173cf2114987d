// One gate: quoting, routing and returns ask core/network/availability whether a node may serve,
// so over any network they agree, node by node and purpose by purpose, on whether it may and why.
// Generated networks: nodes of every kind, active or disabled, taking returns or not, on or off
// the shop's list of return hubs, with capacity and today's orders, stock, and micro-factories
// whose making time leaves a few units a day; a cart of one to three lines of made-to-order or
// stocked products; permits that lapsed or were suspended, taking the whole node or only its returns
// away (core/permits). Every node ships STANDARD (one rate card from all of them), so nothing but the
// gate keeps a node from an order.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CostingConfigInput } from "../../../app/core/costing/config";
import type { RateCardInput } from "../../../app/core/costing/rateCard";
import type { CartLine } from "../../../app/core/costing/types";
import { checkAvailability, gateRegistry, nodeAvailability, orderPurpose, PURPOSES, type GateCode } from "../../../app/core/network/availability";
import { REASONS, reasonTitle } from "../../../app/core/network/reasons";
import type { NetworkSnapshot, NodeKind } from "../../../app/core/network/types";
import { makeUnitsLeft, prepareNetwork } from "../../../app/core/quoting/prepare";
import { quotePrepared } from "../../../app/core/quoting";
import { chooseDestination, prepareReturnPolicy } from "../../../app/core/returns";
import { prepareRouting, routeOrder } from "../../../app/core/routing";
import { permitInputSchema, permitStanding, type Permit } from "../../../app/core/permits";
import { addresses, hours, local, makeNode, makeProduct } from "../fixtures";

const KINDS: NodeKind[] = ["CENTRAL_WAREHOUSE", "MICRO_HUB", "MICRO_FACTORY", "SELLER_STUDIO", "STORE"];
const NOW = local("2025-06-10T10:00"); // a Tuesday, open everywhere
const GATE_CODES: readonly GateCode[] = ["DISABLED", "PERMIT_LAPSED", "PERMIT_SUSPENDED", "NOT_A_MAKER", "NOT_RETURN_HUB", "NOT_ACCEPTING_RETURNS", "OVER_CAPACITY", "NO_STOCK", "MAKE_CAPACITY", "HOLIDAY", "CLOSED"];
const isGateCode = (code: string): code is GateCode => (GATE_CODES as readonly string[]).includes(code);

const nodeArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  active: fc.boolean(),
  acceptsReturns: fc.boolean(),
  listedHub: fc.boolean(),
  capacity: fc.integer({ min: 0, max: 4 }),
  ordersToday: fc.integer({ min: 0, max: 5 }),
  madeToday: fc.integer({ min: 0, max: 4 }),
  stock: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
  dLat: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
  dLng: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
  /** A permit on the node: none, in force, lapsed (the whole node, or only its returns), or suspended. */
  permit: fc.constantFrom(null, "VALID", "FIRE_LAPSED", "SECONDHAND_LAPSED", "TAX_SUSPENDED"),
});

const networkArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 6 }),
  madeToOrder: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  /** Minutes per unit made: 08:00–20:00 makes 12, 6 or 3 units a day, or unlimited. */
  makeMinutesPerUnit: fc.constantFrom(0, 60, 120, 240),
  listHubs: fc.boolean(),
  lines: fc.uniqueArray(fc.record({ product: fc.integer({ min: 0, max: 2 }), quantity: fc.integer({ min: 1, max: 3 }) }), {
    minLength: 1,
    maxLength: 3,
    selector: (l) => l.product,
  }),
});
type Spec = typeof networkArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * A micro-factory that has made its day's units (3 a day at 240 minutes each, 4 made): the rarest gate
 * (MAKE_CAPACITY), given to fast-check as an example so that every run reaches it, whatever its seed.
 */
const FULL_MAKER: Spec = {
  nodes: [{ kind: "MICRO_FACTORY", active: true, acceptsReturns: true, listedHub: true, capacity: 4, ordersToday: 0, madeToday: 4, stock: [0, 0, 0], dLat: 0, dLng: 0, permit: null }],
  madeToOrder: [true, true, true],
  makeMinutesPerUnit: 240,
  listHubs: false,
  lines: [{ product: 0, quantity: 3 }],
};

function everyNodeShips(ids: string[]): RateCardInput {
  return {
    id: "ground",
    carrier: "Ground",
    service: "Ground",
    currency: "USD",
    originNodeIds: ids,
    destinationCountries: ["US"],
    zoning: { by: "distance", bands: [{ upToM: 6_000_000, zone: "1" }] },
    zones: [{ zone: "1", transitDaysMin: 2, transitDaysMax: 3 }],
    weightBands: [{ upToGrams: 30_000, pricesMinor: { "1": 900 } }],
    extraPerKgMinor: null,
    dimDivisor: null,
    surcharges: [],
  };
}

const PERMITS = {
  VALID: { kind: "FIRE_INSPECTION", expiresOn: "2026-01-31", gates: ["OPERATE"], suspended: false },
  FIRE_LAPSED: { kind: "FIRE_INSPECTION", expiresOn: "2025-06-01", gates: ["OPERATE"], suspended: false },
  SECONDHAND_LAPSED: { kind: "SECONDHAND_DEALER", expiresOn: "2025-05-20", gates: ["RESELL_RETURNS"], suspended: false },
  TAX_SUSPENDED: { kind: "SALES_TAX_REGISTRATION", expiresOn: null, gates: ["OPERATE"], suspended: true },
} as const;

function permitOf(nodeId: string, which: keyof typeof PERMITS): Permit {
  const p = PERMITS[which];
  return {
    ...permitInputSchema.parse({
      subjectType: "NODE", subjectId: nodeId, kind: p.kind, jurisdiction: "US-NY-NYC", issuedOn: "2024-06-01", expiresOn: p.expiresOn,
      recurrence: p.expiresOn ? "FIXED_TERM" : "ON_NOTICE", gates: [...p.gates], suspended: p.suspended, suspendedReason: p.suspended ? "notice from the issuer" : null,
    }),
    id: `${nodeId}-${which}`,
    version: 1,
  };
}

function build(spec: Spec) {
  const products = [0, 1, 2].map((i) => makeProduct({ id: `p${i}`, weightGrams: 300, returnRateBps: 500, madeToOrder: spec.madeToOrder[i] }));
  const nodes = spec.nodes.map((n, i) =>
    makeNode({
      id: `n${i}`,
      name: `Node ${i}`,
      kind: n.kind,
      status: n.active ? "ACTIVE" : "DISABLED",
      acceptsReturns: n.acceptsReturns,
      dailyCapacity: n.capacity,
      latitude: addresses.williamsburg.latitude + n.dLat,
      longitude: addresses.williamsburg.longitude + n.dLng,
      openingHours: hours("08:00", "20:00"),
      serviceArea: { radiusM: null, polygon: null },
    }),
  );
  const snapshot: NetworkSnapshot = {
    shopId: "shop",
    currency: "USD",
    nodes,
    products,
    stock: Object.fromEntries(spec.nodes.map((n, i) => [`n${i}`, Object.fromEntries(products.map((p, j) => [p.id, n.stock[j]]))])),
    today: { countedAt: NOW - 60_000, byNode: Object.fromEntries(spec.nodes.map((n, i) => [`n${i}`, { orders: n.ordersToday, madeUnits: n.madeToday }])) },
  };
  const permits = spec.nodes.flatMap((n, i) => (n.permit ? [permitOf(`n${i}`, n.permit)] : []));
  snapshot.permits = permitStanding(permits, { nodes, corridors: [], sellers: [], shopTimezone: "America/New_York" }, NOW);
  const listed = spec.nodes.flatMap((n, i) => (n.listedHub ? [`n${i}`] : []));
  const config: CostingConfigInput = {
    rateCards: [everyNodeShips(nodes.map((n) => n.id))],
    nodes: Object.fromEntries(nodes.map((n) => [n.id, { prepMinutes: 0, makeSetupMinutes: 0, makeMinutesPerUnit: spec.makeMinutesPerUnit }])),
    returns: { hubNodeIds: spec.listHubs ? listed : null, fallbackUnitCostMinor: 500 },
  };
  const quote = prepareNetwork(snapshot, { ...config, pickup: { nodeKinds: KINDS, maxDistanceM: null } });
  const lines: CartLine[] = spec.lines.map((l) => ({ product: products[l.product], quantity: l.quantity }));
  return { snapshot, quote, routing: prepareRouting(quote, {}), lines };
}

const codesAndSentences = (reasons: readonly { code: string; message: string }[]) => reasons.map((r) => ({ code: r.code, message: r.message }));

describe("one availability gate", () => {
  it("quoting, routing and returns agree on every node and purpose: whether it may serve, and why", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(networkArb, (spec) => {
        const { snapshot, quote, routing, lines } = build(spec);
        const result = quotePrepared(quote, { cart: { lines }, destination: addresses.williamsburg, now: NOW });
        const decision = routeOrder(routing, { id: "o", placedAt: NOW, destination: addresses.williamsburg, lines: spec.lines.map((l) => ({ productId: `p${l.product}`, quantity: l.quantity })) }, { now: NOW });
        const policy = prepareReturnPolicy({});
        const returnHubs = new Set(quote.costing.returnHubs.map((h) => h.node.id));

        for (const qn of quote.nodes) {
          const node = qn.prepared.node;
          const gate = qn.prepared.gate;
          const onHand = lines.map((l) => snapshot.stock[node.id][l.product.id]);
          const ctx = { demand: { lines, onHand }, ordersLeft: gate.ordersLeft, makeLeft: qn.purpose === "MAKE" ? makeUnitsLeft(qn, NOW) : undefined };

          // Shipping an order (making it, at a micro-factory): the gate's answer is what quoting and routing give.
          const purpose = orderPurpose(node);
          const asked = nodeAvailability(gate, purpose, ctx);
          for (const r of asked.reasons) seen.add(r.code);
          const quoted = result.excluded.find((e) => e.nodeId === node.id && e.service === null);
          expect(quoted === undefined, `quoted ${node.id}`).toBe(asked.available);
          expect(codesAndSentences(quoted?.reasons ?? [])).toEqual(codesAndSentences(asked.reasons));
          const routed = decision.excluded.find((e) => e.nodeId === node.id);
          expect(codesAndSentences((routed?.reasons ?? []).filter((r) => isGateCode(r.code)))).toEqual(codesAndSentences(asked.reasons));
          // A node that cannot take the whole order may still ship, in a split, only the lines the gate says it can supply.
          const { supplied } = checkAvailability(gate, purpose, ctx);
          for (const s of decision.shipments.filter((x) => x.nodeId === node.id)) {
            for (const l of s.lines) expect(supplied & (1 << lines.findIndex((c) => c.product.id === l.productId)), `routed ${node.id} ${l.sku}`).not.toBe(0);
          }

          // Pickup: offered only where the pickup gates pass, the same as for the order (a micro-factory makes what it lacks).
          const pickup = nodeAvailability(gate, "PICKUP", ctx);
          if (result.options.some((o) => o.nodeId === node.id && o.service === "PICKUP")) expect(pickup.available, `pickup ${node.id}`).toBe(true);
          expect(pickup).toEqual(asked);
          // Making to order is a micro-factory's purpose only.
          if (!gate.makesToOrder) expect(nodeAvailability(gate, "MAKE", ctx).reasons.map((r) => r.code)).toEqual(node.status === "ACTIVE" ? ["NOT_A_MAKER"] : ["DISABLED"]);

          // Receiving a return: the costing network's return hubs (which price expected returns in
          // quotes and routing) and the return destination's exclusions are the gate's answer.
          const receives = nodeAvailability(gate, "RETURN");
          for (const r of receives.reasons) seen.add(r.code);
          expect(returnHubs.has(node.id), `hub ${node.id}`).toBe(receives.available);
          const destination = chooseDestination(policy, { product: lines[0].product, from: addresses.williamsburg, condition: null }, { costing: quote.costing });
          const left = destination.excluded.filter((e) => e.nodeId === node.id && isGateCode(e.code));
          expect(left.map((e) => ({ code: e.code, message: e.message }))).toEqual(codesAndSentences(receives.reasons));
          expect(destination.considered.some((h) => h.nodeId === node.id), `considered ${node.id}`).toBe(receives.available && !destination.excluded.some((e) => e.nodeId === node.id));

          // A campaign asks at least what shipping asks.
          if (nodeAvailability(gate, "CAMPAIGN", ctx).available) expect(nodeAvailability(gate, "SHIP", ctx).available, `campaign ${node.id}`).toBe(true);
        }
      }),
      { numRuns: 300, examples: [[FULL_MAKER]] },
    );
    // The generated networks reach every gate that can rule a node out of an order or a return.
    expect([...seen].sort()).toEqual(["DISABLED", "MAKE_CAPACITY", "NOT_ACCEPTING_RETURNS", "NOT_RETURN_HUB", "NO_STOCK", "OVER_CAPACITY", "PERMIT_LAPSED", "PERMIT_SUSPENDED"]);
  });

  it("gives every reason a gate can give a title and a sentence, never a bare code", () => {
    for (const code of GATE_CODES) {
      expect(reasonTitle(code).title).not.toBe("Other reason");
      expect(REASONS[code].title).not.toMatch(/[A-Z]{2,}_/);
    }
    expect(reasonTitle("SOMETHING_NEW").title).toBe("Other reason");
    // Every registered gate applies to at least one purpose, and every purpose has the status gate.
    const gates = [...gateRegistry.strategies.keys()].map((code) => ({ code, gate: gateRegistry.compile({ code }, code).run }));
    for (const { gate } of gates) expect(gate.purposes.length).toBeGreaterThan(0);
    for (const purpose of PURPOSES) expect(gates.find((g) => g.code === "STATUS")!.gate.purposes).toContain(purpose);
  });
});
