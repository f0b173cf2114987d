import { describe, expect, it } from "vitest";
import { carrierLeg, compileRateCard, deliveryDay, zoneFor } from "../../../app/core/costing/carrier";
import { billableGrams, dimWeightGrams, parcelOf } from "../../../app/core/costing/parcel";
import { rateCardSchema, type RateCardInput } from "../../../app/core/costing/rateCard";
import { RuleConfigError } from "../../../app/core/rules/registry";
import { dayOfIsoDate } from "../../../app/core/geo/localTime";
import { line, makeProduct } from "../fixtures";

/** Two zones by distance, three weight bands, 1 USD per extra kg. */
function card(over: Partial<RateCardInput> = {}) {
  return compileRateCard(
    rateCardSchema.parse({
      id: "t",
      carrier: "Test",
      service: "Ground",
      currency: "USD",
      destinationCountries: ["US"],
      zoning: { by: "distance", bands: [{ upToM: 50_000, zone: "A" }, { upToM: 500_000, zone: "B" }] },
      zones: [{ zone: "A", transitDaysMin: 1, transitDaysMax: 2 }, { zone: "B", transitDaysMin: 2, transitDaysMax: 4 }],
      weightBands: [
        { upToGrams: 1000, pricesMinor: { A: 500, B: 700 } },
        { upToGrams: 2000, pricesMinor: { A: 600, B: 900 } },
        { upToGrams: 3000, pricesMinor: { A: 800, B: 1200 } },
      ],
      extraPerKgMinor: 100,
      dimDivisor: 5000,
      ...over,
    }),
    "rateCards[0]",
  );
}

const home = { country: "US", residential: true };
// 2 kg in a 300 × 200 × 250 mm box: 15,000,000 mm³ ÷ 5000 = 3000 g dimensional
const boxy = makeProduct({ id: "boxy", weightGrams: 2000, lengthMm: 300, widthMm: 200, heightMm: 250 });
const dense = makeProduct({ id: "dense", weightGrams: 2001, lengthMm: 100, widthMm: 100, heightMm: 100 });

describe("billable weight", () => {
  it("is the larger of actual and dimensional weight", () => {
    expect(dimWeightGrams(15_000_000, 5000)).toBe(3000);
    const p = parcelOf([line(boxy)]);
    expect(billableGrams(p, 5000)).toBe(3000);
    expect(billableGrams(p, null)).toBe(2000);
  });

  it("sums weights and volumes over lines and keeps the longest side", () => {
    const p = parcelOf([line(boxy, 2), line(dense, 3)]);
    expect(p).toEqual({ weightGrams: 4000 + 6003, volumeMm3: 30_000_000 + 3_000_000, longestSideMm: 300, units: 5 });
  });
});

describe("carrierLeg", () => {
  it("bills a 2 kg parcel with a 3 kg dimensional weight in the 3 kg band", () => {
    const r = carrierLeg(card(), "A", parcelOf([line(boxy)]), home, true);
    expect(r.ok && r.leg.amountMinor).toBe(800);
    expect(r.ok && r.leg.billableGrams).toBe(3000);
    expect(r.ok && r.leg.components[0].detail).toBe("zone A, 2000–3000 g band, billed 3000 g");
    expect(r.ok && r.leg.reasons[0]).toMatch(/dimensional weight 3000 g \(actual 2000 g/);
  });

  it("bills actual weight when the card has no divisor", () => {
    const r = carrierLeg(card({ dimDivisor: null }), "A", parcelOf([line(boxy)]), home, true);
    expect(r.ok && r.leg.amountMinor).toBe(600);
  });

  it("puts 2001 g in the next band up", () => {
    const r = carrierLeg(card(), "B", parcelOf([line(dense)]), home, true);
    expect(r.ok && r.leg.amountMinor).toBe(1200);
  });

  it("prices above the last band per started kg, or refuses without a per-kg price", () => {
    const heavy = parcelOf([line(makeProduct({ id: "h", weightGrams: 4500, lengthMm: 10, widthMm: 10, heightMm: 10 }))]);
    const r = carrierLeg(card(), "A", heavy, home, true);
    expect(r.ok && r.leg.amountMinor).toBe(800 + 2 * 100); // 1500 g over → 2 started kg
    expect(r.ok && r.leg.components[0].detail).toMatch(/over 3000 g: last band \+ 2 kg extra/);
    const refused = carrierLeg(card({ extraPerKgMinor: null }), "A", heavy, home, true);
    expect(refused).toEqual({ ok: false, reason: "Test Ground has no price for 4500 g in zone A" });
  });

  it("adds surcharges from the registry: fuel on freight, residential flat", () => {
    const c = card({
      surcharges: [
        { code: "FUEL_PERCENT", args: { percent: 15 } },
        { code: "RESIDENTIAL_FLAT", args: { amountMinor: 550 } },
      ],
    });
    const r = carrierLeg(c, "A", parcelOf([line(boxy)]), home, true);
    expect(r.ok && r.leg.components.map((x) => [x.code, x.amountMinor])).toEqual([
      ["carrier_freight", 800],
      ["surcharge:FUEL_PERCENT", 120],
      ["surcharge:RESIDENTIAL_FLAT", 550],
    ]);
    expect(r.ok && r.leg.amountMinor).toBe(1470);
    const business = carrierLeg(c, "A", parcelOf([line(boxy)]), { country: "US", residential: false }, false);
    expect(business.ok && business.leg.amountMinor).toBe(920);
  });

  it("names the rule and the field when surcharge config is wrong", () => {
    expect(() => card({ surcharges: [{ code: "FUEL", args: {} }] })).toThrow(RuleConfigError);
    expect(() => card({ surcharges: [{ code: "FUEL", args: {} }] })).toThrow(/rateCards\[0\]\.surcharges\[0\]: unknown surcharge "FUEL" \(known: FUEL_PERCENT, RESIDENTIAL_FLAT\)/);
    expect(() => card({ surcharges: [{ code: "FUEL_PERCENT", args: { percent: -5 } }] })).toThrow("rateCards[0].surcharges[0]: FUEL_PERCENT: args.percent: Too small: expected number to be >=0");
  });
});

describe("zones", () => {
  it("zones by distance band and refuses beyond the last band or without coordinates", () => {
    expect(zoneFor(card().card, { distanceM: 50_000, postalCode: null, country: "US" })).toMatchObject({ ok: true, zone: "A" });
    expect(zoneFor(card().card, { distanceM: 50_001, postalCode: null, country: "US" })).toMatchObject({ ok: true, zone: "B" });
    expect(zoneFor(card().card, { distanceM: 600_000, postalCode: null, country: "US" })).toMatchObject({ ok: false });
    expect(zoneFor(card().card, { distanceM: null, postalCode: "11215", country: "US" })).toEqual({
      ok: false,
      reason: "Test Ground zones by distance and the address has no coordinates",
    });
    expect(zoneFor(card().card, { distanceM: 10, postalCode: null, country: "CA" })).toEqual({ ok: false, reason: "Test Ground does not deliver to CA" });
  });

  it("zones by the longest matching postal prefix, normalising case and spaces", () => {
    const c = card({
      destinationCountries: ["US", "GB"],
      zoning: { by: "postalPrefix", prefixes: [{ prefix: "1", zone: "A" }, { prefix: "112", zone: "B" }, { prefix: "sw1", zone: "B" }], otherwise: null },
    }).card;
    expect(zoneFor(c, { distanceM: null, postalCode: "11215", country: "US" })).toMatchObject({ ok: true, zone: "B", detail: "postal code 11215 matches prefix 112" });
    expect(zoneFor(c, { distanceM: null, postalCode: "10001", country: "US" })).toMatchObject({ ok: true, zone: "A" });
    expect(zoneFor(c, { distanceM: null, postalCode: "sw1a 1aa", country: "GB" })).toMatchObject({ ok: true, zone: "B" });
    expect(zoneFor(c, { distanceM: null, postalCode: "90210", country: "US" })).toEqual({ ok: false, reason: "Test Ground: postal code 90210 matches no prefix" });
  });
});

describe("rate card schema", () => {
  it("rejects bands that do not ascend and zones without transit days", () => {
    const bad = rateCardSchema.safeParse({
      id: "x", carrier: "X", service: "Y", currency: "USD", destinationCountries: ["US"],
      zoning: { by: "distance", bands: [{ upToM: 10, zone: "Z" }] },
      zones: [{ zone: "A", transitDaysMin: 1, transitDaysMax: 1 }],
      weightBands: [{ upToGrams: 1000, pricesMinor: { A: 1 } }, { upToGrams: 1000, pricesMinor: { A: 2 } }],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toContain("weightBands.1.upToGrams");
    expect(bad.error!.issues.map((i) => i.message)).toContain('zone "Z" has no transit days');
  });
});

describe("deliveryDay", () => {
  it("counts only the carrier's delivery weekdays", () => {
    const c = card(); // Mon–Fri by default
    const friday = dayOfIsoDate("2025-06-13");
    expect(deliveryDay(c, friday, 0)).toBe(friday);
    expect(deliveryDay(c, friday, 1)).toBe(dayOfIsoDate("2025-06-16"));
    expect(deliveryDay(c, friday, 2)).toBe(dayOfIsoDate("2025-06-17"));
    const saturdays = card({ deliversOn: ["mon", "tue", "wed", "thu", "fri", "sat"] });
    expect(deliveryDay(saturdays, friday, 1)).toBe(dayOfIsoDate("2025-06-14"));
  });
});
