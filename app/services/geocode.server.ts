// The one geocoder: where an address is, for quotes (checkout, the open API, the simulator, the
// delivery promise), routing (webhooks, the open API's plan, the CLI) and returns (the webhook,
// the admin tester, the open API's plan, all through returns/plan.server.ts's planReturn): its own
// coordinates when they are given, else the centroid of its US ZIP code (from the `zipcodes`
// registry data package), else nowhere ("unplaced": only what needs no location is priced).
//
// The package keeps ~42,000 records as objects (about 80 MB of heap once required). Quoting
// needs only latitude and longitude, so the first lookup reads the package's data file as text
// and keeps ZIP, latitude and longitude in three typed arrays (under 1 MB), searched by
// bisection. If the file's layout ever changes, it falls back to requiring the package.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
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

/** ZIPs as numbers, ascending, with their centroids at the same index. */
interface ZipIndex {
  zips: Int32Array;
  lat: Float64Array;
  lng: Float64Array;
}

let index: ZipIndex | null = null;

function fromRecords(records: Iterable<{ zip: number; lat: number; lng: number }>): ZipIndex {
  const list = [...records].sort((a, b) => a.zip - b.zip);
  const built: ZipIndex = { zips: new Int32Array(list.length), lat: new Float64Array(list.length), lng: new Float64Array(list.length) };
  list.forEach((r, i) => {
    built.zips[i] = r.zip;
    built.lat[i] = r.lat;
    built.lng[i] = r.lng;
  });
  return built;
}

const RECORD = /"(\d{5})":\{"zip":"\d{5}","latitude":(-?\d+(?:\.\d+)?),"longitude":(-?\d+(?:\.\d+)?),[^{}]*?"country":"US"\}/g;

function loadIndex(): ZipIndex {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("zipcodes");
  try {
    const text = readFileSync(path.join(path.dirname(entry), "codes.js"), "utf8");
    const records: { zip: number; lat: number; lng: number }[] = [];
    for (const m of text.matchAll(RECORD)) records.push({ zip: Number(m[1]), lat: Number(m[2]), lng: Number(m[3]) });
    if (records.length > 30_000) return fromRecords(records);
  } catch {
    // Fall through to the package's own loader.
  }
  const { codes } = require("zipcodes") as { codes: Record<string, ZipRecord> };
  const records = Object.values(codes)
    .filter((r) => r.country === "US" && /^\d{5}$/.test(r.zip) && Number.isFinite(r.latitude) && Number.isFinite(r.longitude))
    .map((r) => ({ zip: Number(r.zip), lat: r.latitude, lng: r.longitude }));
  // Let the package's records be collected (anything else that requires it simply loads it again).
  const dir = path.dirname(entry);
  for (const key of Object.keys(require.cache)) if (key.startsWith(dir)) delete require.cache[key];
  return fromRecords(records);
}

/** Loads the ZIP index now (tens of ms, once per process) instead of on the first postal-only address. */
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
  const key = Number(zip);
  const zips = index.zips;
  let lo = 0;
  let hi = zips.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (zips[mid] < key) lo = mid + 1;
    else if (zips[mid] > key) hi = mid - 1;
    else return { latitude: index.lat[mid], longitude: index.lng[mid] };
  }
  return null;
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
