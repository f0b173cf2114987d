// A node's delivery area: a radius, a drawn polygon, or both (inside either counts).
import type { ServiceArea } from "../network/types";
import { formatDistance } from "./distance";
import { polygonContains, preparePolygon, type PreparedPolygon } from "./polygon";

export interface PreparedServiceArea {
  radiusM: number | null;
  polygon: PreparedPolygon | null;
}

/** Null when the node has no delivery area at all. */
export function prepareServiceArea(area: ServiceArea): PreparedServiceArea | null {
  if (area.radiusM == null && area.polygon == null) return null;
  return { radiusM: area.radiusM, polygon: area.polygon ? preparePolygon(area.polygon) : null };
}

export function serviceAreaContains(
  area: PreparedServiceArea,
  distanceM: number,
  latitude: number,
  longitude: number,
): boolean {
  if (area.radiusM != null && distanceM <= area.radiusM) return true;
  return area.polygon != null && polygonContains(area.polygon, latitude, longitude);
}

/** "within 5.0 km", "inside the drawn area", "within 5.0 km or inside the drawn area". */
export function describeServiceArea(area: PreparedServiceArea): string {
  const parts: string[] = [];
  if (area.radiusM != null) parts.push(`within ${formatDistance(area.radiusM)}`);
  if (area.polygon != null) parts.push("inside the drawn area");
  return parts.join(" or ");
}
