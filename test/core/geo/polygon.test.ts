import { describe, expect, it } from "vitest";
import { polygonContains, preparePolygon } from "../../../app/core/geo/polygon";
import { describeServiceArea, prepareServiceArea, serviceAreaContains } from "../../../app/core/geo/serviceArea";
import { greatCircleM } from "../../../app/core/geo/distance";
import type { Polygon } from "../../../app/core/network/types";
import { addresses, nycNodes, robotPolygon } from "../fixtures";

const square: Polygon = {
  type: "Polygon",
  coordinates: [
    [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
    [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
  ],
};

describe("polygonContains", () => {
  const p = preparePolygon(square);

  it("computes the bounding box of the outer ring", () => {
    expect([p.minLng, p.minLat, p.maxLng, p.maxLat]).toEqual([0, 0, 10, 10]);
  });

  it("takes [lng, lat] polygons and (lat, lng) points", () => {
    expect(polygonContains(p, 2, 8)).toBe(true);
    expect(polygonContains(p, 11, 5)).toBe(false);
  });

  it("excludes holes and includes the boundary", () => {
    expect(polygonContains(p, 5, 5)).toBe(false);
    expect(polygonContains(p, 0, 5)).toBe(true);
  });

  it("covers Williamsburg but not Park Slope with the robot corridor", () => {
    const robots = preparePolygon(robotPolygon);
    expect(polygonContains(robots, addresses.williamsburg.latitude, addresses.williamsburg.longitude)).toBe(true);
    expect(polygonContains(robots, addresses.parkSlope.latitude, addresses.parkSlope.longitude)).toBe(false);
  });
});

describe("service areas", () => {
  const { brooklyn, manhattan } = nycNodes();

  it("has no area when neither radius nor polygon is set", () => {
    expect(prepareServiceArea({ radiusM: null, polygon: null })).toBeNull();
  });

  it("accepts an address inside the radius", () => {
    const area = prepareServiceArea(brooklyn.serviceArea)!;
    const a = addresses.williamsburg;
    const d = greatCircleM(brooklyn.latitude, brooklyn.longitude, a.latitude, a.longitude);
    expect(serviceAreaContains(area, d, a.latitude, a.longitude)).toBe(true);
    expect(serviceAreaContains(area, 6001, a.latitude, a.longitude)).toBe(false);
    expect(describeServiceArea(area)).toBe("within 6.0 km");
  });

  it("uses the drawn polygon: Upper West Side in, Astoria (closer to nothing but across the river) out", () => {
    const area = prepareServiceArea(manhattan.serviceArea)!;
    const uws = addresses.upperWestSide;
    const astoria = addresses.astoria;
    expect(serviceAreaContains(area, 5000, uws.latitude, uws.longitude)).toBe(true);
    expect(serviceAreaContains(area, 5000, astoria.latitude, astoria.longitude)).toBe(false);
  });

  it("accepts an address inside either shape when both are set", () => {
    const area = prepareServiceArea({ radiusM: 1000, polygon: square })!;
    expect(serviceAreaContains(area, 500, 50, 50)).toBe(true); // within the radius, far from the square
    expect(serviceAreaContains(area, 900_000, 2, 2)).toBe(true); // inside the square, far from the node
    expect(serviceAreaContains(area, 900_000, 50, 50)).toBe(false);
    expect(describeServiceArea(area)).toBe("within 1.0 km or inside the drawn area");
  });
});
