// Where a checkout address is, for quoting: its own coordinates when Shopify sends them,
// else the centroid of its US ZIP code (from the `zipcodes` registry data package), else
// nowhere ("unplaced": only services that need no location can be quoted).
//
// The package keeps ~42,000 records as objects (about 80 MB of heap). Quoting needs only
// latitude and longitude, so the first lookup copies them into two typed arrays behind one
// Map (a few MB) and lets go of the package's module, so a server answering rate requests
// does not carry the whole registry.
import { createRequire } from "node:module";
import type { Destination } from "~/core/costing/types";

export interface DestinationInput {
  country: string;
  postalCode?: string | null;
  province?: string | null;
  city?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

export type Placement = "coordinates" | "postal_code" | "unplaced";

export interface Geocoded {
  destination: Destination;
  placed: Placement;
}

interface ZipRecord {
  zip: string;
  latitude: number;
  longitude: number;
  country: string;
}

interface ZipIndex {
  slot: Map<string, number>;
  lat: Float64Array;
  lng: Float64Array;
}

let index: ZipIndex | null = null;

function loadIndex(): ZipIndex {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("zipcodes");
  const { codes } = require("zipcodes") as { codes: Record<string, ZipRecord> };
  const us = Object.values(codes).filter(
    (r) => r.country === "US" && Number.isFinite(r.latitude) && Number.isFinite(r.longitude),
  );
  const built: ZipIndex = { slot: new Map(), lat: new Float64Array(us.length), lng: new Float64Array(us.length) };
  us.forEach((r, i) => {
    built.slot.set(r.zip, i);
    built.lat[i] = r.latitude;
    built.lng[i] = r.longitude;
  });
  // Drop the package's modules from the require cache so their records can be collected
  // (anything else that requires the package later simply loads it again).
  const dir = entry.slice(0, entry.lastIndexOf("/lib/") + 1);
  for (const key of Object.keys(require.cache)) if (key.startsWith(dir)) delete require.cache[key];
  return built;
}

/** Loads the ZIP index now (about 150 ms once per process) instead of on the first postal-only address. */
export function warmGeocoder(): void {
  index ??= loadIndex();
}

/** "11211", "11211-1234", " 11211 " → "11211"; anything else → null. */
export function usZip5(postalCode: string): string | null {
  const m = /^\s*(\d{5})(?:[\s-]?\d{4})?\s*$/.exec(postalCode);
  return m ? m[1] : null;
}

/** The centroid of a US ZIP code, or null when the package does not know it. */
export function zipCentroid(postalCode: string): { latitude: number; longitude: number } | null {
  const zip = usZip5(postalCode);
  if (zip === null) return null;
  index ??= loadIndex();
  const i = index.slot.get(zip);
  return i === undefined ? null : { latitude: index.lat[i], longitude: index.lng[i] };
}

function validCoordinates(lat: number | null | undefined, lng: number | null | undefined): boolean {
  if (lat == null || lng == null || !Number.isFinite(lat) || !Number.isFinite(lng)) return false;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return false;
  // (0, 0) is what a missing geocode often looks like; nobody ships to that point in the Atlantic.
  return !(lat === 0 && lng === 0);
}

/** The core's Destination for an address, and how it was placed. Never throws. */
export function geocode(input: DestinationInput): Geocoded {
  const country = input.country.trim().toUpperCase();
  const postalCode = input.postalCode?.trim() ? input.postalCode.trim() : null;
  if (validCoordinates(input.latitude, input.longitude)) {
    return {
      destination: { country, postalCode, latitude: input.latitude, longitude: input.longitude, residential: null },
      placed: "coordinates",
    };
  }
  if (country === "US" && postalCode !== null) {
    const centroid = zipCentroid(postalCode);
    if (centroid) {
      return { destination: { country, postalCode, ...centroid, residential: null }, placed: "postal_code" };
    }
  }
  return { destination: { country, postalCode, latitude: null, longitude: null, residential: null }, placed: "unplaced" };
}
