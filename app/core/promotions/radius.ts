// The ad platforms' radius targeting: the limits a circle must keep to, and the radius as each
// platform's API writes it. Meta: `custom_locations[].radius` with `distance_unit` "kilometer"
// (1–80) or "mile" (0.63–50). Google: `CampaignCriterion.proximity.radius` with `radius_units`
// KILOMETERS or MILES (Google allows wider circles; a hub's same-day reach is far inside them).
// The sandbox platform follows Meta's shapes and limits, so the demo exercises the same checks.
import { formatDistance } from "../geo/distance";
import type { AdPlatform, RadiusLimits } from "./types";

/** Short names for sentences ("under Meta's smallest radius"); AD_PLATFORM_LABELS are for pickers. */
export const PLATFORM_NAMES: Record<AdPlatform, string> = { META: "Meta", GOOGLE: "Google Ads", SANDBOX: "Sandbox" };

export const METRES_PER_MILE = 1609.344;

/** Meta's own limits in its units (Marketing API, custom_locations). */
export const META_RADIUS_UNITS = {
  kilometer: { min: 1, max: 80 },
  mile: { min: 0.63, max: 50 },
} as const;

/** Google Ads proximity limits in its units (the UI and API accept 1–800 km / 1–500 mi). */
export const GOOGLE_RADIUS_UNITS = {
  KILOMETERS: { min: 1, max: 800 },
  MILES: { min: 1, max: 500 },
} as const;

/** In metres, the tighter of each platform's units (Meta 0.63 mi is 1.01 km, 50 mi is 80.5 km). */
export const RADIUS_LIMITS: Record<AdPlatform, RadiusLimits> = {
  META: { minM: 1000, maxM: 80_000 },
  GOOGLE: { minM: 1000, maxM: 800_000 },
  SANDBOX: { minM: 1000, maxM: 80_000 },
};

export type DistanceUnit = "KM" | "MI";

export interface MetaRadius {
  radius: number;
  distance_unit: "kilometer" | "mile";
}

export interface GoogleRadius {
  radius: number;
  radius_units: "KILOMETERS" | "MILES";
}

/** Two decimals, kept inside [min, max] after rounding (a 1000 m circle is 0.62 mi, under Meta's 0.63). */
function inUnit(radiusM: number, metresPerUnit: number, min: number, max: number): number {
  const value = Math.round((radiusM / metresPerUnit) * 100) / 100;
  return Math.min(max, Math.max(min, value));
}

/**
 * The radius as the platform's API takes it, in kilometres unless `unit` is "MI" (a US shop may
 * prefer miles in the ad manager). Values are rounded to two decimals and kept inside the
 * platform's limits in that unit; check the metres first with checkRadius. The sandbox answers
 * in Meta's shape.
 */
export function platformRadius(platform: "GOOGLE", radiusM: number, unit?: DistanceUnit): GoogleRadius;
export function platformRadius(platform: "META" | "SANDBOX", radiusM: number, unit?: DistanceUnit): MetaRadius;
export function platformRadius(platform: AdPlatform, radiusM: number, unit?: DistanceUnit): MetaRadius | GoogleRadius;
export function platformRadius(platform: AdPlatform, radiusM: number, unit: DistanceUnit = "KM"): MetaRadius | GoogleRadius {
  const metresPerUnit = unit === "MI" ? METRES_PER_MILE : 1000;
  if (platform === "GOOGLE") {
    const u = unit === "MI" ? GOOGLE_RADIUS_UNITS.MILES : GOOGLE_RADIUS_UNITS.KILOMETERS;
    return { radius: inUnit(radiusM, metresPerUnit, u.min, u.max), radius_units: unit === "MI" ? "MILES" : "KILOMETERS" };
  }
  const u = unit === "MI" ? META_RADIUS_UNITS.mile : META_RADIUS_UNITS.kilometer;
  return { radius: inUnit(radiusM, metresPerUnit, u.min, u.max), distance_unit: unit === "MI" ? "mile" : "kilometer" };
}

/** Null when the radius is inside the platform's limits; otherwise a message naming them. */
export function checkRadius(platform: AdPlatform, radiusM: number): string | null {
  const limits = RADIUS_LIMITS[platform];
  if (Number.isFinite(radiusM) && radiusM >= limits.minM && radiusM <= limits.maxM) return null;
  const shown = Number.isFinite(radiusM) ? formatDistance(radiusM) : String(radiusM);
  return `radius ${shown} is outside ${PLATFORM_NAMES[platform]}'s limits: ${formatDistance(limits.minM)} to ${formatDistance(limits.maxM)}`;
}

/** The radius kept inside limits. */
export function clampRadius(radiusM: number, limits: RadiusLimits): number {
  return Math.min(limits.maxM, Math.max(limits.minM, radiusM));
}
