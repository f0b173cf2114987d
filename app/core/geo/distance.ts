// Great-circle distance on a spherical Earth (haversine). Good to a few metres at city scale,
// which is far below the error of estimating a road distance from it.
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Distance in metres between two points given in degrees. */
export function greatCircleM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const s =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Road distance estimated from the great-circle distance and a circuity factor (typically 1.2–1.4 in cities). */
export function roadDistanceM(greatCircle: number, circuityFactor: number): number {
  return greatCircle * circuityFactor;
}

/** "2.4 km" / "850 m", or "1.5 mi" / "500 ft" in imperial units: core/format's, under its old name. */
export { formatDistance } from "../format/format";
