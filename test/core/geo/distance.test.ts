import { describe, expect, it } from "vitest";
import { formatDistance, greatCircleM, roadDistanceM } from "../../../app/core/geo/distance";

describe("greatCircleM", () => {
  it("measures one degree of latitude as 111.195 km on the mean-radius sphere", () => {
    // 6,371,008.8 m × π / 180 = 111,195.08 m
    expect(greatCircleM(0, 0, 1, 0)).toBeCloseTo(111_195.08, 1);
  });

  it("is zero for the same point and symmetric", () => {
    expect(greatCircleM(40.7142, -73.9614, 40.7142, -73.9614)).toBe(0);
    const ab = greatCircleM(40.7142, -73.9614, 40.787, -73.9754);
    expect(greatCircleM(40.787, -73.9754, 40.7142, -73.9614)).toBeCloseTo(ab, 6);
  });

  it("puts Manhattan to Philadelphia about 130 km apart", () => {
    const d = greatCircleM(40.7465, -74.0014, 39.9526, -75.1652);
    expect(d).toBeGreaterThan(125_000);
    expect(d).toBeLessThan(135_000);
  });
});

describe("roadDistanceM and formatDistance", () => {
  it("multiplies by the circuity factor", () => {
    expect(roadDistanceM(2000, 1.3)).toBeCloseTo(2600, 9);
  });

  it("writes metres under a kilometre and kilometres above", () => {
    expect(formatDistance(849.6)).toBe("850 m");
    expect(formatDistance(2400)).toBe("2.4 km");
  });
});
