// What a merchant (admin form) or a script (open API) may submit to create or change a node.
// One schema for form and action: every message names the field it is about.
import { distanceUnit, formatNumber, metresToShopDistance, METRIC, shopDistanceToMetres, type Units } from "../format/format";
import { z } from "zod";
import { currencyDigits, moneyTextSchema } from "../money/money";
import {
  NODE_KINDS,
  WEEKDAYS,
  localTimeSchema,
  openingHoursSchema,
  polygonSchema,
  type OpeningHours,
  type Weekday,
} from "./types";

const trimmed = (label: string, max = 200) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is at most ${max} characters`);

const optionalText = (max = 200) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : null));

const number = (label: string) =>
  z.coerce.number({ error: `${label} must be a number` }).refine(Number.isFinite, `${label} must be a number`);

/** An amount in the shop's currency, as typed ("1.40"; "140" for JPY) → minor units, at most 100000 in major units. */
const minorUnits = (label: string, currency: string) =>
  moneyTextSchema(label, currency).refine((minor) => minor <= 100_000 * 10 ** currencyDigits(currency), `${label} is at most 100000`);

/** "09:00-18:00, 19:00-22:00", or "closed"/"" for a closed day. */
export const dayHoursSchema = z
  .string()
  .trim()
  .transform((text, ctx): [string, string][] => {
    if (text === "" || text.toLowerCase() === "closed") return [];
    const intervals: [string, string][] = [];
    for (const part of text.split(",")) {
      const [open, close, ...rest] = part.split("-").map((s) => s.trim());
      if (
        rest.length > 0 ||
        !localTimeSchema.safeParse(open).success ||
        !localTimeSchema.safeParse(close).success ||
        !(open < close)
      ) {
        ctx.addIssue({ code: "custom", message: `"${part.trim()}" is not a time range such as 09:00-18:00` });
        return z.NEVER;
      }
      intervals.push([open, close]);
    }
    return intervals;
  });

/** A day left out is closed. */
const optionalDayHours = dayHoursSchema.optional().transform((v) => v ?? []);

export function formatDayHours(intervals: [string, string][] | undefined): string {
  return intervals && intervals.length > 0 ? intervals.map(([a, b]) => `${a}-${b}`).join(", ") : "closed";
}

/** The node form's fields → a node; amounts are read in the shop's `currency`. */
/** The longest service radius, metres (500 km; 311 mi). */
export const MAX_SERVICE_RADIUS_M = 500_000;

/**
 * The node form and API's fields. `units`: the shop's, in which the service radius is typed (miles in
 * an imperial shop, km otherwise); it is stored in metres.
 */
export const nodeInputSchema = (currency: string, units: Units = METRIC) =>
  z
  .object({
    name: trimmed("Name", 120),
    handle: z
      .string({ error: "Handle is required" })
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, "Handle must be 3–40 lowercase letters, digits or dashes"),
    kind: z.enum(NODE_KINDS, { error: "Kind must be one of " + NODE_KINDS.join(", ") }),
    address1: trimmed("Address"),
    city: trimmed("City", 120),
    province: optionalText(60),
    postalCode: trimmed("Postal code", 20),
    country: z
      .string({ error: "Country is required" })
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "Country must be a two-letter ISO code such as US"),
    latitude: number("Latitude").pipe(z.number().min(-90, "Latitude must be between -90 and 90").max(90, "Latitude must be between -90 and 90")),
    longitude: number("Longitude").pipe(
      z.number().min(-180, "Longitude must be between -180 and 180").max(180, "Longitude must be between -180 and 180"),
    ),
    timezone: trimmed("Time zone", 64).refine((tz) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return tz.includes("/") || tz === "UTC";
      } catch {
        return false;
      }
    }, "Time zone must be an IANA name such as America/New_York"),
    shopifyLocationId: optionalText(120).refine(
      (v) => v === null || /^gid:\/\/shopify\/Location\/\d+$/.test(v),
      "Shopify location must look like gid://shopify/Location/123",
    ),
    serviceRadiusKm: z
      .union([z.literal(""), z.coerce.number({ error: `Service radius must be a number of ${distanceUnit(units)}` })])
      .optional()
      .refine(
        (v) => v === undefined || v === "" || (v > 0 && shopDistanceToMetres(v, units) <= MAX_SERVICE_RADIUS_M),
        `Service radius must be between 0 and ${formatNumber(Math.floor(metresToShopDistance(MAX_SERVICE_RADIUS_M, units)))} ${distanceUnit(units)}`,
      ),
    serviceAreaGeoJson: z
      .string()
      .trim()
      .optional()
      .transform((text, ctx) => {
        if (!text) return null;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          ctx.addIssue({ code: "custom", message: "Service area polygon must be GeoJSON" });
          return z.NEVER;
        }
        const parsed = polygonSchema.safeParse(value);
        if (!parsed.success) {
          ctx.addIssue({ code: "custom", message: `Service area polygon: ${parsed.error.issues[0].message}` });
          return z.NEVER;
        }
        return parsed.data;
      }),
    openingHours: z.object(
      Object.fromEntries(WEEKDAYS.map((d) => [d, optionalDayHours])) as Record<Weekday, typeof optionalDayHours>,
    ),
    sameDayCutoff: z
      .union([z.literal(""), localTimeSchema])
      .optional()
      .transform((v) => (v ? v : null)),
    dailyCapacity: z.coerce
      .number({ error: "Daily capacity must be a whole number" })
      .int("Daily capacity must be a whole number")
      .min(0, "Daily capacity cannot be negative")
      .max(1_000_000, "Daily capacity is at most 1000000"),
    handlingCost: minorUnits("Handling cost", currency),
    pickupCost: minorUnits("Pickup cost", currency),
    /** May be chosen as a return destination. */
    acceptsReturns: z.boolean().default(true),
    /** Hours from receipt to the inspection deadline here; empty: the shop's default. */
    inspectionHours: z
      .union([
        z.literal(""),
        z.coerce
          .number({ error: "Inspection window must be a whole number of hours" })
          .int("Inspection window must be a whole number of hours")
          .min(1, "Inspection window must be at least 1 hour")
          .max(720, "Inspection window is at most 720 hours (30 days)"),
      ])
      .optional()
      .transform((v) => (v === undefined || v === "" ? null : v)),
  })
  .transform((v) => ({
    name: v.name,
    handle: v.handle,
    kind: v.kind,
    address1: v.address1,
    city: v.city,
    province: v.province,
    postalCode: v.postalCode,
    country: v.country,
    latitude: v.latitude,
    longitude: v.longitude,
    timezone: v.timezone,
    shopifyLocationId: v.shopifyLocationId,
    serviceRadiusM:
      v.serviceRadiusKm === undefined || v.serviceRadiusKm === "" ? null : shopDistanceToMetres(v.serviceRadiusKm, units),
    serviceArea: v.serviceAreaGeoJson,
    openingHours: openingHoursSchema.parse(v.openingHours) as OpeningHours,
    sameDayCutoff: v.sameDayCutoff,
    dailyCapacity: v.dailyCapacity,
    handlingCostMinor: v.handlingCost,
    pickupCostMinor: v.pickupCost,
    acceptsReturns: v.acceptsReturns,
    inspectionHours: v.inspectionHours,
  }));

export type NodeInput = z.output<ReturnType<typeof nodeInputSchema>>;
export type NodeInputFields = z.input<ReturnType<typeof nodeInputSchema>>;
