// Typed access to the `zipcodes` package (US ZIP and Canadian FSA centroids), which ships
// without type declarations. Loaded through require so no ambient module declaration is needed.
import { createRequire } from "node:module";

export interface ZipRecord {
  zip: string;
  latitude: number;
  longitude: number;
  city: string;
  state: string;
  country: string;
}

interface ZipcodesModule {
  codes: Record<string, ZipRecord>;
  lookup(zip: string): ZipRecord | undefined;
}

const zipcodes = createRequire(import.meta.url)("zipcodes") as ZipcodesModule;

/** The package's record for a ZIP code, or undefined. */
export function lookupZip(zip: string): ZipRecord | undefined {
  return zipcodes.lookup(zip);
}

/** Every record of the package (US ZIPs and Canadian FSAs). */
export function allZipRecords(): ZipRecord[] {
  return Object.values(zipcodes.codes);
}

/** Like lookupZip, but a missing ZIP is a programming error in the seed data. */
export function requireZip(zip: string): ZipRecord {
  const record = zipcodes.lookup(zip);
  if (!record) throw new Error(`ZIP ${zip} is not in the zipcodes package`);
  return record;
}
