// Where the demo marketplace's shoppers live. Every ZIP here is a real US ZIP code; its
// coordinates, city and state always come from the `zipcodes` package, never from this file.
//
// Demand model: the two pilot cities (New York City and Austin) carry most orders, weighted
// over their residential ZIPs by approximate population (thousands, 2020 census, rounded)
// times an affinity for a creator marketplace (young, design-minded neighbourhoods buy more).
// The rest of the US is a long tail: mostly the large metros, weighted by metro population
// and by closeness to the metro centre, plus a thin spread over every state by population.
import { WeightedSampler } from "./random";
import { allZipRecords, requireZip, type ZipRecord } from "./zipcodes";

export type Region = "NYC" | "ATX" | "US";

/** [zip, population in thousands, affinity]. */
type ZipWeight = readonly [zip: string, popK: number, affinity: number];

const CORE = 2.2; // creative core: Williamsburg, Greenpoint, Bushwick, East Village, LIC, East Austin...
const WARM = 1.4;
const BASE = 1;
const FAR = 0.7;

export const NYC_ZIPS: readonly ZipWeight[] = [
  // Manhattan
  ["10001", 27, WARM], ["10002", 76, CORE], ["10003", 54, CORE], ["10009", 58, CORE],
  ["10010", 31, WARM], ["10011", 50, CORE], ["10012", 25, CORE], ["10013", 27, CORE],
  ["10014", 30, CORE], ["10016", 52, WARM], ["10019", 42, BASE], ["10021", 43, BASE],
  ["10023", 62, WARM], ["10024", 59, WARM], ["10025", 94, WARM], ["10026", 38, WARM],
  ["10027", 60, WARM], ["10028", 45, BASE], ["10029", 76, BASE], ["10031", 57, WARM],
  ["10032", 60, BASE], ["10033", 56, BASE], ["10034", 40, BASE], ["10036", 25, BASE],
  ["10038", 21, BASE], ["10040", 50, BASE], ["10065", 32, BASE], ["10128", 61, BASE],
  // Brooklyn
  ["11201", 55, CORE], ["11205", 45, CORE], ["11206", 80, CORE], ["11211", 90, CORE],
  ["11213", 64, WARM], ["11215", 70, CORE], ["11216", 55, CORE], ["11217", 40, CORE],
  ["11218", 75, WARM], ["11219", 92, BASE], ["11220", 100, BASE], ["11221", 80, CORE],
  ["11222", 40, CORE], ["11225", 57, WARM], ["11226", 100, WARM], ["11230", 86, BASE],
  ["11231", 35, CORE], ["11233", 70, WARM], ["11235", 80, FAR], ["11237", 50, CORE],
  ["11238", 50, CORE], ["11209", 75, BASE], ["11214", 88, BASE],
  // Queens
  ["11101", 30, CORE], ["11102", 34, CORE], ["11103", 39, WARM], ["11104", 27, WARM],
  ["11105", 37, CORE], ["11106", 39, CORE], ["11354", 55, BASE], ["11355", 86, BASE],
  ["11368", 109, BASE], ["11372", 66, WARM], ["11373", 100, BASE], ["11374", 43, BASE],
  ["11375", 71, BASE], ["11377", 90, WARM], ["11379", 35, BASE], ["11385", 98, CORE],
  ["11432", 60, BASE], ["11434", 65, BASE], ["11691", 60, FAR],
  // The Bronx
  ["10451", 38, BASE], ["10452", 75, BASE], ["10453", 78, BASE], ["10456", 86, BASE],
  ["10458", 79, BASE], ["10462", 75, BASE], ["10463", 70, BASE], ["10467", 97, BASE],
  ["10468", 76, BASE], ["10471", 23, BASE],
  // Staten Island
  ["10301", 39, FAR], ["10304", 42, FAR], ["10306", 55, FAR], ["10312", 60, FAR], ["10314", 88, FAR],
  // Across the Hudson, inside the Manhattan and Brooklyn hubs' courier reach
  ["07302", 40, CORE], ["07306", 50, BASE], ["07310", 10, WARM], ["07030", 55, CORE],
];

export const ATX_ZIPS: readonly ZipWeight[] = [
  ["78701", 12, WARM], ["78702", 25, CORE], ["78703", 21, WARM], ["78704", 48, CORE],
  ["78705", 32, WARM], ["78721", 12, WARM], ["78722", 7, CORE], ["78723", 33, WARM],
  ["78741", 48, BASE], ["78745", 60, WARM], ["78748", 50, BASE], ["78749", 38, BASE],
  ["78750", 27, BASE], ["78751", 16, CORE], ["78752", 20, BASE], ["78753", 55, BASE],
  ["78756", 8, WARM], ["78757", 24, WARM], ["78758", 47, BASE], ["78759", 41, BASE],
  ["78731", 27, BASE], ["78744", 45, BASE], ["78727", 28, BASE], ["78729", 27, BASE],
  ["78717", 32, BASE], ["78746", 29, BASE], ["78735", 15, BASE], ["78739", 20, BASE],
  ["78724", 25, BASE], ["78725", 10, BASE], ["78728", 22, BASE], ["78754", 25, BASE],
  // Suburbs: Round Rock, Pflugerville, Cedar Park, Leander, Buda, Kyle, Georgetown
  ["78664", 75, 0.8], ["78681", 55, 0.8], ["78660", 80, 0.8], ["78613", 75, 0.8],
  ["78641", 60, 0.6], ["78610", 30, 0.6], ["78640", 60, 0.6], ["78626", 40, 0.5],
];

/** Large US metros outside the two pilot cities: [name, lat, lng, metro population in millions]. */
export const TAIL_METROS: readonly (readonly [string, number, number, number])[] = [
  ["Los Angeles", 34.05, -118.25, 13.2], ["Chicago", 41.88, -87.63, 9.6], ["Dallas", 32.78, -96.8, 7.6],
  ["Houston", 29.76, -95.37, 7.1], ["Washington", 38.9, -77.04, 6.4], ["Philadelphia", 39.95, -75.17, 6.2],
  ["Miami", 25.77, -80.19, 6.1], ["Atlanta", 33.75, -84.39, 6.1], ["Boston", 42.36, -71.06, 4.9],
  ["Phoenix", 33.45, -112.07, 4.8], ["San Francisco", 37.77, -122.42, 4.7], ["Riverside", 33.95, -117.4, 4.6],
  ["Detroit", 42.33, -83.05, 4.4], ["Seattle", 47.61, -122.33, 4.0], ["Minneapolis", 44.98, -93.27, 3.7],
  ["San Diego", 32.72, -117.16, 3.3], ["Tampa", 27.95, -82.46, 3.2], ["Denver", 39.74, -104.99, 3.0],
  ["Baltimore", 39.29, -76.61, 2.8], ["St. Louis", 38.63, -90.2, 2.8], ["Orlando", 28.54, -81.38, 2.7],
  ["Charlotte", 35.23, -80.84, 2.7], ["San Antonio", 29.42, -98.49, 2.6], ["Portland", 45.52, -122.68, 2.5],
  ["Sacramento", 38.58, -121.49, 2.4], ["Pittsburgh", 40.44, -79.99, 2.4], ["Las Vegas", 36.17, -115.14, 2.3],
  ["Cincinnati", 39.1, -84.51, 2.3], ["Kansas City", 39.1, -94.58, 2.2], ["Columbus", 39.96, -83.0, 2.1],
  ["Indianapolis", 39.77, -86.16, 2.1], ["Cleveland", 41.5, -81.69, 2.1], ["Nashville", 36.16, -86.78, 2.0],
  ["San Jose", 37.34, -121.89, 2.0], ["Providence", 41.82, -71.41, 1.7], ["Milwaukee", 43.04, -87.91, 1.6],
  ["Raleigh", 35.78, -78.64, 1.4], ["Salt Lake City", 40.76, -111.89, 1.3], ["New Orleans", 29.95, -90.07, 1.3],
  ["Richmond", 37.54, -77.44, 1.3],
];

/** 2020 census population in millions, the 50 states and DC. */
export const STATE_POPULATION_M: Readonly<Record<string, number>> = {
  CA: 39.5, TX: 29.1, FL: 21.5, NY: 20.2, PA: 13.0, IL: 12.8, OH: 11.8, GA: 10.7, NC: 10.4, MI: 10.1,
  NJ: 9.3, VA: 8.6, WA: 7.7, AZ: 7.2, MA: 7.0, TN: 6.9, IN: 6.8, MD: 6.2, MO: 6.2, WI: 5.9,
  CO: 5.8, MN: 5.7, SC: 5.1, AL: 5.0, LA: 4.7, KY: 4.5, OR: 4.2, OK: 4.0, CT: 3.6, UT: 3.3,
  IA: 3.2, NV: 3.1, AR: 3.0, MS: 3.0, KS: 2.9, NM: 2.1, NE: 2.0, ID: 1.8, WV: 1.8, HI: 1.5,
  NH: 1.4, ME: 1.4, RI: 1.1, MT: 1.1, DE: 1.0, SD: 0.9, ND: 0.8, AK: 0.7, DC: 0.7, VT: 0.6, WY: 0.6,
};

const STATE_TZ: Readonly<Record<string, string>> = {
  CT: "America/New_York", DE: "America/New_York", DC: "America/New_York", FL: "America/New_York",
  GA: "America/New_York", KY: "America/New_York", ME: "America/New_York", MD: "America/New_York",
  MA: "America/New_York", NH: "America/New_York", NJ: "America/New_York", NY: "America/New_York",
  NC: "America/New_York", OH: "America/New_York", PA: "America/New_York", RI: "America/New_York",
  SC: "America/New_York", VT: "America/New_York", VA: "America/New_York", WV: "America/New_York",
  TN: "America/Chicago", MI: "America/Detroit", IN: "America/Indiana/Indianapolis",
  AL: "America/Chicago", AR: "America/Chicago", IL: "America/Chicago", IA: "America/Chicago",
  KS: "America/Chicago", LA: "America/Chicago", MN: "America/Chicago", MS: "America/Chicago",
  MO: "America/Chicago", NE: "America/Chicago", ND: "America/Chicago", OK: "America/Chicago",
  SD: "America/Chicago", TX: "America/Chicago", WI: "America/Chicago",
  AZ: "America/Phoenix", CO: "America/Denver", ID: "America/Boise", MT: "America/Denver",
  NM: "America/Denver", UT: "America/Denver", WY: "America/Denver",
  CA: "America/Los_Angeles", NV: "America/Los_Angeles", OR: "America/Los_Angeles", WA: "America/Los_Angeles",
  AK: "America/Anchorage", HI: "Pacific/Honolulu",
};

/** The IANA zone a shopper at this ZIP lives in (state's main zone, split states by longitude). */
export function timezoneForZip(z: ZipRecord): string {
  if (z.state === "TN" && z.longitude > -85.0) return "America/New_York"; // East Tennessee
  if (z.state === "KY" && z.longitude < -86.5) return "America/Chicago"; // Western Kentucky
  if (z.state === "FL" && z.longitude < -85.0) return "America/Chicago"; // Panhandle
  if (z.state === "TX" && z.longitude < -104.9) return "America/Denver"; // El Paso
  if (z.state === "ID" && z.latitude > 45.5) return "America/Los_Angeles"; // Panhandle
  return STATE_TZ[z.state] ?? "America/New_York";
}

export function distanceKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 6371.0088 * 2 * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface Destination {
  zip: ZipRecord;
  region: Region;
  timezone: string;
}

export interface DestinationSamplers {
  NYC: WeightedSampler<Destination>;
  ATX: WeightedSampler<Destination>;
  US: WeightedSampler<Destination>;
}

const TAIL_METRO_RADIUS_KM = 40;
const TAIL_METRO_DECAY_KM = 15;
const TAIL_METRO_SHARE = 0.7; // of the long tail; the rest spreads over each state by population

function curated(list: readonly ZipWeight[], region: Region): WeightedSampler<Destination> {
  const items = list.map(([zip]) => {
    const record = requireZip(zip);
    return { zip: record, region, timezone: timezoneForZip(record) };
  });
  return new WeightedSampler(
    items,
    list.map(([, popK, affinity]) => popK * affinity),
  );
}

/** Build the three destination samplers (the long tail scans all ~41,000 US ZIPs once). */
export function buildDestinationSamplers(): DestinationSamplers {
  const pilot = new Set([...NYC_ZIPS, ...ATX_ZIPS].map(([zip]) => zip));
  const usable = allZipRecords().filter(
    (z) =>
      z.country === "US" &&
      z.state in STATE_POPULATION_M &&
      z.latitude !== 0 &&
      z.longitude !== 0 &&
      /^\d{5}$/.test(z.zip) &&
      !pilot.has(z.zip),
  );

  const zipsPerState = new Map<string, number>();
  for (const z of usable) zipsPerState.set(z.state, (zipsPerState.get(z.state) ?? 0) + 1);

  // Each metro's weight is shared among its ZIPs, more to those near the centre.
  const metroZips: { zip: ZipRecord; closeness: number; metro: number }[] = [];
  const metroCloseness = new Array<number>(TAIL_METROS.length).fill(0);
  for (const z of usable) {
    for (let m = 0; m < TAIL_METROS.length; m++) {
      const [, lat, lng] = TAIL_METROS[m];
      if (Math.abs(z.latitude - lat) > 0.5 || Math.abs(z.longitude - lng) > 0.7) continue;
      const d = distanceKm(lat, lng, z.latitude, z.longitude);
      if (d <= TAIL_METRO_RADIUS_KM) {
        const closeness = Math.exp(-d / TAIL_METRO_DECAY_KM);
        metroZips.push({ zip: z, closeness, metro: m });
        metroCloseness[m] += closeness;
        break;
      }
    }
  }
  const metroPopTotal = TAIL_METROS.reduce((s, [, , , pop]) => s + pop, 0);
  const statePopTotal = Object.values(STATE_POPULATION_M).reduce((s, p) => s + p, 0);

  const weights = new Map<string, number>();
  for (const { zip, closeness, metro } of metroZips) {
    const w = (TAIL_METRO_SHARE * TAIL_METROS[metro][3] * closeness) / (metroPopTotal * metroCloseness[metro]);
    weights.set(zip.zip, (weights.get(zip.zip) ?? 0) + w);
  }
  for (const z of usable) {
    const w = ((1 - TAIL_METRO_SHARE) * STATE_POPULATION_M[z.state]) / (statePopTotal * zipsPerState.get(z.state)!);
    weights.set(z.zip, (weights.get(z.zip) ?? 0) + w);
  }
  const tailItems = usable.map((z) => ({ zip: z, region: "US" as const, timezone: timezoneForZip(z) }));

  return {
    NYC: curated(NYC_ZIPS, "NYC"),
    ATX: curated(ATX_ZIPS, "ATX"),
    US: new WeightedSampler(
      tailItems,
      tailItems.map((d) => weights.get(d.zip.zip)!),
    ),
  };
}
