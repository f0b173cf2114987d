// Zones by postal prefix are looked up in an index built once per card (the rate callback's hot path). The
// index must answer exactly what the plain rule says: the longest prefix the code starts with, the first
// entry where two share a prefix, else the card's default zone.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalisePostalCode } from "../../../app/core/geo/postal";
import { postalZone, zoneByPostalCode } from "../../../app/core/costing/rateCard";

function byScan(prefixes: { prefix: string; zone: string }[], otherwise: string | null, postalCode: string): string | null {
  const code = normalisePostalCode(postalCode);
  let best: { prefix: string; zone: string } | null = null;
  for (const p of prefixes) if ((best === null || p.prefix.length > best.prefix.length) && code.startsWith(p.prefix)) best = p;
  return best?.zone ?? otherwise;
}

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom("0", "1", "2", "9"), minLength: min, maxLength: max });

describe("postal zones", () => {
  it("the indexed lookup equals the longest-prefix scan for any prefixes and codes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ prefix: digits(1, 4), zone: fc.constantFrom("1", "2", "3", "4") }), { maxLength: 30 }),
        fc.option(fc.constantFrom("8", "9"), { nil: null }),
        fc.array(digits(0, 6), { minLength: 1, maxLength: 10 }),
        (prefixes, otherwise, codes) => {
          for (const code of codes) expect(postalZone(prefixes, otherwise, code)).toBe(byScan(prefixes, otherwise, code));
        },
      ),
      { seed: 20261203, numRuns: 400 },
    );
  });

  it("prefers the longer prefix, then the first of equal ones, and says which matched", () => {
    const prefixes = [
      { prefix: "112", zone: "2" },
      { prefix: "1121", zone: "1" },
      { prefix: "112", zone: "7" },
    ];
    expect(postalZone(prefixes, "8", "11211")).toBe("1");
    expect(postalZone(prefixes, "8", "11299")).toBe("2");
    expect(postalZone(prefixes, "8", "60606")).toBe("8");
    expect(postalZone(prefixes, null, "60606")).toBeNull();
    expect(zoneByPostalCode(prefixes, null, "11211")).toEqual({ zone: "1", detail: "postal code 11211 matches prefix 1121" });
  });
});
