// Point-in-polygon with a bounding-box pre-check: turf does the exact test, the box lets the
// common case (an address nowhere near the area) skip it.
import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import type { Polygon } from "../network/types";

export interface PreparedPolygon {
  polygon: Polygon;
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

export function preparePolygon(polygon: Polygon): PreparedPolygon {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const [lng, lat] of polygon.coordinates[0]) {
    if (lng < minLng) minLng = lng;
    if (lng > maxLng) maxLng = lng;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  return { polygon, minLng, minLat, maxLng, maxLat };
}

/** True when the point is inside the polygon (holes excluded, boundary included). */
export function polygonContains(p: PreparedPolygon, latitude: number, longitude: number): boolean {
  if (longitude < p.minLng || longitude > p.maxLng || latitude < p.minLat || latitude > p.maxLat) {
    return false;
  }
  return booleanPointInPolygon([longitude, latitude], p.polygon);
}
