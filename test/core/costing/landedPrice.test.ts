// landedPrice is landedCost without the words: routing prices tens of thousands of options with it
// and rebuilds the breakdown of the chosen ones with landedCost. If the two ever disagreed, routing
// would choose by one price and show another. Generated networks (couriers with limits, surge and
// quoted fees, rate cards zoned by distance or postal prefix with gaps in their tables, corridors
// open, closed or out of hours), carts and addresses: both must refuse together or agree on every total.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { landedCost, landedPrice, type CostRequest } from "../../../app/core/costing/landedCost";
import { prepareCosting } from "../../../app/core/costing/network";
import { SERVICE_KINDS, type Destination } from "../../../app/core/costing/types";
import type { CostingConfigInput } from "../../../app/core/costing/config";
import type { QuotedCourierFee, QuotedCourierFees } from "../../../app/core/costing/quotedFees";
import type { NetworkSnapshot, NodeKind } from "../../../app/core/network/types";
import { prepareNetwork } from "../../../app/core/quoting";
import { generateInstance } from "../routing/instance";
import { hours, local, makeNode, makeProduct } from "../fixtures";

const CENTRE = { latitude: 40.73, longitude: -73.97 };
const POSTAL = ["11211", "10001", "07302", "19103", "60606"];
const KINDS: NodeKind[] = ["CENTRAL_WAREHOUSE", "MICRO_HUB", "MICRO_FACTORY", "SELLER_STUDIO", "STORE"];
const MONDAY = local("2025-06-09T00:00");

const offset = fc.double({ min: -0.35, max: 0.35, noNaN: true });
const money = (max: number) => fc.integer({ min: 0, max });

const nodeArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  dLat: offset,
  dLng: offset,
  radiusM: fc.option(fc.integer({ min: 1000, max: 40_000 }), { nil: null }),
  postalCode: fc.constantFrom(...POSTAL),
  handling: money(400),
  pickup: money(200),
  capacity: fc.integer({ min: 0, max: 300 }),
});

const courierArb = fc.record({
  baseMinor: money(1500),
  perKmMinor: money(300),
  circuityFactor: fc.double({ min: 1, max: 2, noNaN: true }),
  maxRoadDistanceM: fc.option(fc.integer({ min: 2000, max: 60_000 }), { nil: null }),
  maxWeightGrams: fc.option(fc.integer({ min: 500, max: 20_000 }), { nil: null }),
  surge: fc.boolean(),
  quoted: fc.boolean(),
});

const cardArb = fc.record({
  byDistance: fc.boolean(),
  bands: fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 3 }),
  otherwise: fc.boolean(),
  prices: fc.array(fc.option(money(3000), { nil: null, freq: 4 }), { minLength: 9, maxLength: 9 }),
  extraPerKg: fc.option(money(300), { nil: null }),
  dimDivisor: fc.option(fc.constantFrom(4000, 5000, 6000), { nil: null }),
  canada: fc.boolean(),
});

const corridorArb = fc.record({
  closed: fc.boolean(),
  from: fc.constantFrom("06:00", "10:00", "14:00"),
  maxPayloadGrams: fc.integer({ min: 500, max: 15_000 }),
  maxItemSideMm: fc.integer({ min: 150, max: 700 }),
  baseMinor: money(800),
  perKmMinor: money(200),
});

const productArb = fc.record({
  weightGrams: fc.integer({ min: 50, max: 9000 }),
  side: fc.integer({ min: 40, max: 800 }),
  returnRateBps: fc.constantFrom(0, 0, 300, 1500, 4000),
  madeToOrder: fc.boolean(),
});

const networkArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 4 }),
  couriers: fc.array(courierArb, { maxLength: 2 }),
  cards: fc.array(cardArb, { maxLength: 2 }),
  corridor: fc.option(corridorArb, { nil: null }),
  products: fc.array(productArb, { minLength: 1, maxLength: 3 }),
  fallbackUnitCostMinor: money(900),
});

type NetworkSpec = typeof networkArb extends fc.Arbitrary<infer T> ? T : never;

function build(spec: NetworkSpec) {
  const nodes = spec.nodes.map((n, i) =>
    makeNode({
      id: `n${i}`,
      kind: n.kind,
      latitude: CENTRE.latitude + n.dLat,
      longitude: CENTRE.longitude + n.dLng,
      postalCode: n.postalCode,
      serviceArea: { radiusM: n.radiusM, polygon: null },
      handlingCostMinor: n.handling,
      pickupCostMinor: n.pickup,
      dailyCapacity: n.capacity,
      openingHours: hours("08:00", "20:00"),
    }),
  );
  const products = spec.products.map((p, i) =>
    makeProduct({ id: `p${i}`, weightGrams: p.weightGrams, lengthMm: p.side, widthMm: 120, heightMm: 80, returnRateBps: p.returnRateBps, madeToOrder: p.madeToOrder }),
  );
  const zones = ["A", "B", "C"];
  const config: CostingConfigInput = {
    couriers: spec.couriers.map((c, i) => ({
      id: `c${i}`,
      name: `Courier ${i}`,
      baseMinor: c.baseMinor,
      perKmMinor: c.perKmMinor,
      circuityFactor: c.circuityFactor,
      maxRoadDistanceM: c.maxRoadDistanceM,
      maxWeightGrams: c.maxWeightGrams,
      surge: c.surge
        ? [
            { code: "HOUR_WEEKDAY", args: { days: ["mon", "tue", "wed"], from: "11:00", to: "15:00", multiplier: 1.3 } },
            { code: "LOAD_RATIO", args: { steps: [{ atLeast: 0.5, multiplier: 1.15 }, { atLeast: 0.9, multiplier: 1.6 }] } },
          ]
        : [],
      quoteProvider: c.quoted ? { code: "DOORDASH_DRIVE", args: { contactPhone: "+12125550100" } } : null,
    })),
    rateCards: spec.cards.map((c, i) => {
      const bandZones = c.bands.map((_, k) => zones[k]);
      return {
        id: `card${i}`,
        carrier: `Carrier ${i}`,
        service: "Ground",
        currency: "USD",
        destinationCountries: c.canada ? ["US", "CA"] : ["US"],
        zoning: c.byDistance
          ? { by: "distance" as const, bands: [...c.bands].sort((a, b) => a - b).map((km, k) => ({ upToM: km * 1000, zone: zones[k] })) }
          : {
              by: "postalPrefix" as const,
              prefixes: c.bands.map((_, k) => ({ prefix: POSTAL[k].slice(0, 3), zone: zones[k] })),
              otherwise: c.otherwise ? "A" : null,
            },
        zones: zones.map((zone) => ({ zone, transitDaysMin: 1, transitDaysMax: 3 })),
        weightBands: [1000, 3000, 6000].map((upToGrams, w) => ({
          upToGrams,
          pricesMinor: Object.fromEntries(
            bandZones.flatMap((zone, z) => {
              const price = c.prices[w * 3 + z];
              return price === null ? [] : [[zone, price]];
            }),
          ),
        })),
        extraPerKgMinor: c.extraPerKg,
        dimDivisor: c.dimDivisor,
        surcharges: [
          { code: "FUEL_PERCENT", args: { percent: 12.5 } },
          { code: "RESIDENTIAL_FLAT", args: { amountMinor: 450 } },
        ],
      };
    }),
    corridors: spec.corridor
      ? [
          {
            id: "k",
            name: "Robots",
            nodeId: "n0",
            polygon: {
              type: "Polygon" as const,
              coordinates: [[
                [nodes[0].longitude - 0.08, nodes[0].latitude - 0.08],
                [nodes[0].longitude + 0.08, nodes[0].latitude - 0.08],
                [nodes[0].longitude + 0.08, nodes[0].latitude + 0.08],
                [nodes[0].longitude - 0.08, nodes[0].latitude + 0.08],
                [nodes[0].longitude - 0.08, nodes[0].latitude - 0.08],
              ]],
            },
            status: spec.corridor.closed ? ("CLOSED" as const) : ("OPEN" as const),
            operatingHours: hours(spec.corridor.from, "18:00"),
            maxPayloadGrams: spec.corridor.maxPayloadGrams,
            maxItemSideMm: spec.corridor.maxItemSideMm,
            baseMinor: spec.corridor.baseMinor,
            perKmMinor: spec.corridor.perKmMinor,
          },
        ]
      : [],
    returns: { fallbackUnitCostMinor: spec.fallbackUnitCostMinor },
  };
  const today = { countedAt: 0, byNode: Object.fromEntries(nodes.map((n, i) => [n.id, { orders: Math.floor(spec.nodes[i].capacity / 2), madeUnits: 0 }])) };
  const snapshot: NetworkSnapshot = { shopId: "s", currency: "USD", nodes, products, stock: {}, today };
  return { net: prepareCosting(snapshot, config), products };
}

/** Quotes ahead for some keys: fresh, expired or in another currency, decided by the key itself. */
function fees(kind: number): QuotedCourierFees | undefined {
  if (kind === 0) return undefined;
  return {
    cellOf: (lat, lng) => `${Math.round(lat * 50)}:${Math.round(lng * 50)}`,
    get: (key): QuotedCourierFee | undefined => {
      const h = [...`${key.nodeId}${key.cell}${key.sizeClass}`].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, kind);
      if (h % 4 === 0) return undefined;
      return {
        feeMinor: 500 + (h % 900),
        currency: h % 5 === 0 ? "CAD" : "USD",
        providerLabel: "DoorDash Drive",
        fetchedAt: key.windowStart - 60_000,
        expiresAt: key.windowStart + (h % 3 === 0 ? -1 : 3_600_000),
        externalId: null,
      };
    },
  };
}

const requestArb = fc.record({
  lines: fc.array(fc.record({ product: fc.nat(), quantity: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3 }),
  located: fc.integer({ min: 0, max: 5 }),
  dLat: offset,
  dLng: offset,
  postalCode: fc.option(fc.constantFrom(...POSTAL, "M5V 2T6"), { nil: null }),
  country: fc.constantFrom("US", "US", "US", "CA"),
  residential: fc.constantFrom(true, false, null),
  minutes: fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }),
  loadRatio: fc.option(fc.double({ min: 0, max: 1.2, noNaN: true }), { nil: undefined }),
  fees: fc.integer({ min: 0, max: 3 }),
});

describe("landedPrice", () => {
  it("refuses exactly when landedCost does, and gives its totals otherwise, on every node and service", () => {
    let priced = 0;
    let refused = 0;
    fc.assert(
      fc.property(networkArb, fc.array(requestArb, { minLength: 1, maxLength: 4 }), (spec, requests) => {
        const { net, products } = build(spec);
        for (const r of requests) {
          const destination: Destination =
            r.located === 0
              ? { postalCode: r.postalCode, country: r.country, residential: r.residential }
              : { latitude: CENTRE.latitude + r.dLat, longitude: CENTRE.longitude + r.dLng, postalCode: r.postalCode, country: r.country, residential: r.residential };
          const lines = r.lines.map((l) => ({ product: products[l.product % products.length], quantity: l.quantity }));
          for (const node of net.nodes) {
            for (const service of SERVICE_KINDS) {
              const req: CostRequest = {
                nodeId: node.node.id,
                service,
                lines,
                destination,
                dispatchAt: MONDAY + r.minutes * 60_000,
                loadRatio: r.loadRatio,
                quotedCourierFees: fees(r.fees),
              };
              const full = landedCost(net, req);
              const lean = landedPrice(net, req);
              if (!full.ok) {
                expect(lean, `${service} from ${node.node.id}: ${full.reasons.join("; ")}`).toBeNull();
                refused++;
                continue;
              }
              priced++;
              const { forwardMinor, expectedReverseMinor, totalMinor } = full.cost;
              expect(lean, `${service} from ${node.node.id}`).toEqual({ forwardMinor, expectedReverseMinor, totalMinor });
            }
          }
        }
      }),
      { numRuns: 300, seed: 4242 },
    );
    // The generator must exercise both outcomes, or the property says little.
    expect(priced).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
  });

  it("agrees with landedCost on the routing benchmark's network and orders", () => {
    const inst = generateInstance({ seed: 7, orders: 300 });
    const net = prepareNetwork(inst.snapshot, inst.quoteConfig).costing;
    const byId = new Map(inst.snapshot.products.map((p) => [p.id, p]));
    let priced = 0;
    for (const order of inst.orders) {
      const lines = order.lines.map((l) => ({ product: byId.get(l.productId)!, quantity: l.quantity }));
      for (const node of net.nodes) {
        for (const service of SERVICE_KINDS) {
          const req: CostRequest = { nodeId: node.node.id, service, lines, destination: order.destination, dispatchAt: inst.now + 3 * 3_600_000 };
          const full = landedCost(net, req);
          const lean = landedPrice(net, req);
          if (!full.ok) expect(lean).toBeNull();
          else {
            priced++;
            expect(lean).toEqual({ forwardMinor: full.cost.forwardMinor, expectedReverseMinor: full.cost.expectedReverseMinor, totalMinor: full.cost.totalMinor });
          }
        }
      }
    }
    expect(priced).toBeGreaterThan(3000);
  });
});
