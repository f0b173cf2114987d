// A carrier's published price list, shaped like the zone × weight tables carriers print:
// one weight band per row (upper bound in grams), one price column per zone. A CSV row
// "upToGrams,zone1,zone2,..." maps to one entry of `weightBands`.
import { z } from "zod";
import { currencySchema, minorSchema } from "../money/money";
import { localTimeSchema, WEEKDAYS } from "../network/types";
import { normalisePostalCode } from "../geo/postal";
import { ruleRefSchema } from "../rules/registry";

const zoneCode = z.string().min(1);

const distanceZoning = z.object({
  by: z.literal("distance"),
  /** Great-circle distance bands from the node, ascending. */
  bands: z.array(z.object({ upToM: z.number().positive(), zone: zoneCode })).min(1),
});

const postalPrefixZoning = z.object({
  by: z.literal("postalPrefix"),
  /** Destination postal code prefixes; the longest matching prefix wins. */
  prefixes: z
    .array(z.object({ prefix: z.string().min(1).transform(normalisePostalCode), zone: zoneCode }))
    .min(1),
  /** Zone for a postal code no prefix matches; null: the card does not serve it. */
  otherwise: zoneCode.nullable().default(null),
});

export const rateCardSchema = z
  .object({
    id: z.string().min(1),
    carrier: z.string().min(1),
    service: z.string().min(1),
    currency: currencySchema,
    /** Nodes that can ship with this card; null: any node (STANDARD is offered from central warehouses). */
    originNodeIds: z.array(z.string()).nullable().default(null),
    destinationCountries: z.array(z.string().length(2)).min(1),
    zoning: z.discriminatedUnion("by", [distanceZoning, postalPrefixZoning]),
    zones: z
      .array(
        z.object({
          zone: zoneCode,
          transitDaysMin: z.number().int().nonnegative(),
          transitDaysMax: z.number().int().nonnegative(),
        }),
      )
      .min(1),
    weightBands: z
      .array(z.object({ upToGrams: z.number().int().positive(), pricesMinor: z.record(zoneCode, minorSchema) }))
      .min(1),
    /** Price per started kg above the last band; null: heavier parcels are not accepted. */
    extraPerKgMinor: minorSchema.nullable().default(null),
    /** Dimensional-weight divisor in cm³ per kg; null: bill actual weight only. */
    dimDivisor: z.number().positive().nullable().default(5000),
    surcharges: z.array(ruleRefSchema).default([]),
    /** Weekdays the carrier delivers on; transit days count only these. */
    deliversOn: z.array(z.enum(WEEKDAYS)).min(1).default(["mon", "tue", "wed", "thu", "fri"]),
    /** Delivery hours promised to the shopper, in the shipping node's local time. */
    deliveryHours: z.tuple([localTimeSchema, localTimeSchema]).default(["09:00", "20:00"]),
  })
  .superRefine((card, ctx) => {
    const zones = new Set(card.zones.map((z) => z.zone));
    card.weightBands.forEach((band, i) => {
      if (i > 0 && band.upToGrams <= card.weightBands[i - 1].upToGrams) {
        ctx.addIssue({ code: "custom", path: ["weightBands", i, "upToGrams"], message: "weight bands must ascend" });
      }
    });
    const used =
      card.zoning.by === "distance"
        ? card.zoning.bands.map((b) => b.zone)
        : [...card.zoning.prefixes.map((p) => p.zone), ...(card.zoning.otherwise ? [card.zoning.otherwise] : [])];
    for (const zone of used) {
      if (!zones.has(zone)) ctx.addIssue({ code: "custom", path: ["zones"], message: `zone "${zone}" has no transit days` });
    }
    card.zones.forEach((z, i) => {
      if (z.transitDaysMax < z.transitDaysMin) {
        ctx.addIssue({ code: "custom", path: ["zones", i, "transitDaysMax"], message: "must be at least transitDaysMin" });
      }
    });
    if (card.zoning.by === "distance") {
      card.zoning.bands.forEach((b, i, bands) => {
        if (i > 0 && b.upToM <= bands[i - 1].upToM) {
          ctx.addIssue({ code: "custom", path: ["zoning", "bands", i, "upToM"], message: "distance bands must ascend" });
        }
      });
    }
  });
export type RateCard = z.output<typeof rateCardSchema>;
export type RateCardInput = z.input<typeof rateCardSchema>;

export interface ZoneLookup {
  zone: string | null;
  detail: string;
}

type PostalPrefix = { prefix: string; zone: string };

/** A card's prefixes by prefix, with their lengths longest first: built once per card (the hot path looks up
 * zones for every node, service and return leg of every quote; a scan of ~900 prefixes each time showed in
 * the rate callback's profile). Where two entries share a prefix, the first one wins, as the scan did. */
interface PrefixIndex {
  byPrefix: Map<string, PostalPrefix>;
  lengths: number[];
}
const prefixIndexes = new WeakMap<readonly PostalPrefix[], PrefixIndex>();

function prefixIndex(prefixes: readonly PostalPrefix[]): PrefixIndex {
  let index = prefixIndexes.get(prefixes);
  if (!index) {
    const byPrefix = new Map<string, PostalPrefix>();
    for (const p of prefixes) if (!byPrefix.has(p.prefix)) byPrefix.set(p.prefix, p);
    const lengths = [...new Set(prefixes.map((p) => p.prefix.length))].sort((a, b) => b - a);
    index = { byPrefix, lengths };
    prefixIndexes.set(prefixes, index);
  }
  return index;
}

/** The longest prefix a postal code starts with; prefixes were normalised when the card was parsed. */
function longestPrefix(prefixes: readonly PostalPrefix[], postalCode: string): PostalPrefix | null {
  const code = normalisePostalCode(postalCode);
  const { byPrefix, lengths } = prefixIndex(prefixes);
  for (const length of lengths) {
    if (length > code.length) continue;
    const found = byPrefix.get(code.slice(0, length));
    if (found) return found;
  }
  return null;
}

/** Zone by postal prefix (longest match), else `otherwise`; null when neither applies. */
export function postalZone(prefixes: readonly PostalPrefix[], otherwise: string | null, postalCode: string): string | null {
  return longestPrefix(prefixes, postalCode)?.zone ?? otherwise;
}

/** postalZone with the words for the breakdown. */
export function zoneByPostalCode(prefixes: readonly PostalPrefix[], otherwise: string | null, postalCode: string): ZoneLookup {
  const best = longestPrefix(prefixes, postalCode);
  if (best) return { zone: best.zone, detail: `postal code ${postalCode} matches prefix ${best.prefix}` };
  return otherwise
    ? { zone: otherwise, detail: `postal code ${postalCode} matches no prefix, default zone` }
    : { zone: null, detail: `postal code ${postalCode} matches no prefix` };
}

/** Zone by distance band; null when farther than the last band. */
export function zoneByDistance(bands: readonly { upToM: number; zone: string }[], distanceM: number): string | null {
  for (const b of bands) if (distanceM <= b.upToM) return b.zone;
  return null;
}

/** Freight for a billable weight in a zone; null when the card has no price for it. */
export function freightMinor(card: RateCard, zone: string, grams: number): number | null {
  const bands = card.weightBands;
  for (let i = 0; i < bands.length; i++) {
    if (grams <= bands[i].upToGrams) return bands[i].pricesMinor[zone] ?? null;
  }
  const lastPrice = bands[bands.length - 1].pricesMinor[zone];
  if (card.extraPerKgMinor == null || lastPrice === undefined) return null;
  return lastPrice + extraKg(card, grams) * card.extraPerKgMinor;
}

function extraKg(card: RateCard, grams: number): number {
  return Math.ceil((grams - card.weightBands[card.weightBands.length - 1].upToGrams) / 1000);
}

/** Which row of the table a weight falls in, for the breakdown. */
export function bandDetail(card: RateCard, zone: string, grams: number): string {
  const bands = card.weightBands;
  const i = bands.findIndex((b) => grams <= b.upToGrams);
  if (i < 0) return `zone ${zone}, over ${bands[bands.length - 1].upToGrams} g: last band + ${extraKg(card, grams)} kg extra`;
  return `zone ${zone}, ${i === 0 ? 0 : bands[i - 1].upToGrams}–${bands[i].upToGrams} g band`;
}
