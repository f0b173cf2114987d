// The node form's flat string values ("openingHours.mon" and all) to and from what
// nodeInputSchema parses and what the database holds. Used by the create and edit routes.
import { metresToShopDistance, METRIC, type Units } from "~/core/format/format";
import type { Node as NodeRow } from "@prisma/client";
import { formatAmount } from "~/core/money/money";
import { formatDayHours, nodeInputSchema, type NodeInput } from "~/core/network/node-input";
import { fieldErrors } from "~/core/validation/issues";
import { WEEKDAYS, openingHoursSchema, type Weekday } from "~/core/network/types";

export const NODE_TEXT_FIELDS = [
  "name",
  "handle",
  "kind",
  "address1",
  "city",
  "province",
  "postalCode",
  "country",
  "latitude",
  "longitude",
  "timezone",
  "shopifyLocationId",
  "serviceRadiusKm",
  "serviceAreaGeoJson",
  "sameDayCutoff",
  "dailyCapacity",
  "handlingCost",
  "pickupCost",
  "inspectionHours",
] as const;
export type NodeTextField = (typeof NODE_TEXT_FIELDS)[number];
export type OpeningHoursField = `openingHours.${Weekday}`;
/** A tick box: "on" when ticked, "" when not (as a browser posts it). */
export type NodeFormField = NodeTextField | OpeningHoursField | "acceptsReturns";
export type NodeFormValues = Record<NodeFormField, string>;

export const openingHoursField = (day: Weekday): OpeningHoursField => `openingHours.${day}`;

export const EMPTY_NODE_FORM: NodeFormValues = {
  name: "",
  handle: "",
  kind: "MICRO_HUB",
  address1: "",
  city: "",
  province: "",
  postalCode: "",
  country: "US",
  latitude: "",
  longitude: "",
  timezone: "America/New_York",
  shopifyLocationId: "",
  serviceRadiusKm: "",
  serviceAreaGeoJson: "",
  sameDayCutoff: "",
  dailyCapacity: "",
  handlingCost: "",
  pickupCost: "",
  acceptsReturns: "on",
  inspectionHours: "",
  "openingHours.mon": "09:00-18:00",
  "openingHours.tue": "09:00-18:00",
  "openingHours.wed": "09:00-18:00",
  "openingHours.thu": "09:00-18:00",
  "openingHours.fri": "09:00-18:00",
  "openingHours.sat": "closed",
  "openingHours.sun": "closed",
};

/**
 * FormData → the object nodeInputSchema parses. Blank fields become undefined, so a blank
 * required number reads "must be a number" instead of being coerced to 0.
 */
export function nodeFormToInput(form: FormData): Record<string, unknown> {
  const text = (name: string): string | undefined => {
    const value = form.get(name);
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
  };
  const input: Record<string, unknown> = {};
  for (const field of NODE_TEXT_FIELDS) input[field] = text(field);
  input.openingHours = Object.fromEntries(WEEKDAYS.map((day) => [day, text(openingHoursField(day))]));
  input.acceptsReturns = form.get("acceptsReturns") === "on";
  return input;
}

/** The raw strings the merchant submitted, to put back in the form after an error. */
export function nodeFormValues(form: FormData): NodeFormValues {
  const out = { ...EMPTY_NODE_FORM };
  for (const key of Object.keys(out) as NodeFormField[]) {
    const value = form.get(key);
    out[key] = typeof value === "string" ? value : "";
  }
  return out;
}

/** A stored node → the strings the edit form starts from (amounts in the shop's `currency`). */
export function nodeRowToFormValues(row: NodeRow, currency: string, units: Units = METRIC): NodeFormValues {
  let hours = openingHoursSchema.parse({});
  let polygon = "";
  try {
    hours = openingHoursSchema.parse(JSON.parse(row.openingHoursJson));
  } catch {
    // An unreadable stored value shows as closed; saving the form rewrites it.
  }
  if (row.serviceAreaJson) {
    try {
      polygon = JSON.stringify(JSON.parse(row.serviceAreaJson));
    } catch {
      polygon = row.serviceAreaJson;
    }
  }
  return {
    name: row.name,
    handle: row.handle,
    kind: row.kind,
    address1: row.address1,
    city: row.city,
    province: row.province ?? "",
    postalCode: row.postalCode,
    country: row.country,
    latitude: String(row.latitude),
    longitude: String(row.longitude),
    timezone: row.timezone,
    shopifyLocationId: row.shopifyLocationId ?? "",
    serviceRadiusKm: row.serviceRadiusM === null ? "" : String(Number(metresToShopDistance(row.serviceRadiusM, units).toFixed(2))),
    serviceAreaGeoJson: polygon,
    sameDayCutoff: row.sameDayCutoff ?? "",
    dailyCapacity: String(row.dailyCapacity),
    handlingCost: formatAmount(row.handlingCostMinor, currency),
    pickupCost: formatAmount(row.pickupCostMinor, currency),
    acceptsReturns: row.acceptsReturns ? "on" : "",
    inspectionHours: row.inspectionHours === null ? "" : String(row.inspectionHours),
    ...(Object.fromEntries(WEEKDAYS.map((d) => [openingHoursField(d), formatDayHours(hours[d])])) as Record<
      OpeningHoursField,
      string
    >),
  };
}

export type NodeFormResult =
  | { ok: true; input: NodeInput }
  | { ok: false; errors: Record<string, string>; values: NodeFormValues };

/** Parses a submitted node form with the one shared schema; errors are keyed by field name. */
export function parseNodeForm(form: FormData, currency: string, units: Units = METRIC): NodeFormResult {
  const parsed = nodeInputSchema(currency, units).safeParse(nodeFormToInput(form));
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, errors: fieldErrors(parsed.error), values: nodeFormValues(form) };
}
