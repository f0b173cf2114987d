// Whatever the cart and the address, a quote never carries a negative, fractional, NaN or
// missing figure, and every exclusion says why.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prepareNetwork, quotePrepared } from "../../../app/core/quoting";
import { landedCost } from "../../../app/core/costing/landedCost";
import { SERVICE_KINDS, type CartLine, type Destination } from "../../../app/core/costing/types";
import { makeProduct, nycConfig, nycSnapshot } from "../fixtures";

const productArb = fc.record({
  id: fc.constantFrom("mug", "print", "hoodie", "lamp", "vase", "p1", "p2", "p3"),
  weightGrams: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60_000 })),
  lengthMm: fc.integer({ min: 0, max: 2000 }),
  widthMm: fc.integer({ min: 0, max: 1000 }),
  heightMm: fc.integer({ min: 0, max: 1000 }),
  valueMinor: fc.integer({ min: 0, max: 1_000_000 }),
  returnRateBps: fc.integer({ min: 0, max: 10_000 }),
  madeToOrder: fc.boolean(),
});

const lineArb: fc.Arbitrary<CartLine> = fc
  .record({
    product: productArb,
    quantity: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 1_000_000 })),
    unitPriceMinor: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
  })
  .map(({ product, quantity, unitPriceMinor }) => ({
    product: makeProduct(product),
    quantity,
    ...(unitPriceMinor === undefined ? {} : { unitPriceMinor }),
  }));

const cartArb = fc.oneof(
  { weight: 3, arbitrary: fc.array(lineArb, { minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(lineArb, { minLength: 100, maxLength: 130 }) },
);

const nearNyc = fc.record({
  latitude: fc.double({ min: 40.55, max: 40.9, noNaN: true }),
  longitude: fc.double({ min: -74.2, max: -73.7, noNaN: true }),
});
const anywhere = fc.record({
  latitude: fc.double({ min: -90, max: 90, noNaN: true }),
  longitude: fc.double({ min: -180, max: 180, noNaN: true }),
});
const destinationArb: fc.Arbitrary<Destination> = fc.record({
  coords: fc.option(fc.oneof(nearNyc, anywhere), { nil: null }),
  postalCode: fc.option(fc.oneof(fc.constantFrom("11211", "10024", "07302", "19103", "02116", "60606"), fc.string({ maxLength: 10 })), { nil: null }),
  country: fc.constantFrom("US", "US", "CA", "GB"),
  residential: fc.option(fc.boolean(), { nil: null }),
}).map(({ coords, ...rest }) => ({ ...rest, latitude: coords?.latitude ?? null, longitude: coords?.longitude ?? null }));

// Any instant from 2024 to 2027, so weekends, holidays and both DST switches come up.
const nowArb = fc.integer({ min: Date.parse("2024-01-01T00:00:00Z"), max: Date.parse("2027-12-31T23:59:59Z") });

const isMinor = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n >= 0;

describe("quote invariants", () => {
  const snapshot = nycSnapshot();
  // Every node holds plenty of every generated product, so carts reach the costing.
  for (const id of Object.keys(snapshot.stock)) {
    for (const p of ["mug", "print", "hoodie", "lamp", "vase", "p1", "p2", "p3"]) snapshot.stock[id][p] = 2_000_000;
  }
  const stocked = prepareNetwork(snapshot, nycConfig());
  const sparse = prepareNetwork(nycSnapshot(), nycConfig());

  it("never produces a negative, fractional, NaN or missing price", () => {
    let offered = 0;
    fc.assert(
      fc.property(cartArb, destinationArb, nowArb, fc.boolean(), (lines, destination, now, full) => {
        const r = quotePrepared(full ? stocked : sparse, { cart: { lines }, destination, now });
        offered += r.options.length;
        for (const o of r.options) {
          expect(isMinor(o.priceMinor)).toBe(true);
          expect(o.currency).toBe("USD");
          const c = o.cost;
          for (const comp of c.components) expect(isMinor(comp.amountMinor)).toBe(true);
          expect(c.components.reduce((s, x) => s + x.amountMinor, 0)).toBe(c.totalMinor);
          expect(c.totalMinor).toBe(c.forwardMinor + c.expectedReverseMinor);
          expect(Number.isFinite(o.window.earliestMs) && Number.isFinite(o.window.latestMs)).toBe(true);
          expect(o.window.earliestMs).toBeLessThanOrEqual(o.window.latestMs);
          expect(o.window.earliestMs).toBeGreaterThanOrEqual(now);
          expect(o.description.length).toBeGreaterThan(0);
          expect(o.description).not.toMatch(/NaN|undefined/);
          for (const s of o.pricing) expect(isMinor(s.afterMinor)).toBe(true);
        }
        for (const e of r.excluded) {
          expect(e.reasons.length).toBeGreaterThan(0);
          for (const reason of e.reasons) expect(reason.message).not.toMatch(/NaN|undefined/);
        }
        if (destination.latitude == null) {
          for (const o of r.options) expect(["PICKUP", "STANDARD"]).toContain(o.service);
        }
      }),
      { numRuns: 300 },
    );
    expect(offered).toBeGreaterThan(100); // the property is not vacuous
  });

  it("costs any cart from any node and service without a negative or NaN figure", () => {
    fc.assert(
      fc.property(
        cartArb,
        destinationArb,
        nowArb,
        fc.constantFrom("wh", "bk", "mh", "mf", "st"),
        fc.constantFrom(...SERVICE_KINDS),
        (lines, destination, dispatchAt, nodeId, service) => {
          const r = landedCost(stocked.costing, { nodeId, service, lines, destination, dispatchAt });
          if (!r.ok) {
            expect(r.reasons.length).toBeGreaterThan(0);
            return;
          }
          for (const comp of r.cost.components) expect(isMinor(comp.amountMinor)).toBe(true);
          expect(isMinor(r.cost.totalMinor)).toBe(true);
          expect(isMinor(r.cost.leadTimeMinutes)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
