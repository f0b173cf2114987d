// Forms for local couriers and autonomous corridors: one schema each for page and action,
// merchant units (km, kg, cm, litres, decimals in the shop currency) converted to the engine's
// (metres, grams, millimetres, minor units). Fields the form does not edit (e.g. a courier's
// quote provider) are kept from the stored item.
import { z } from "zod";
import { corridorSchema, type CorridorInput } from "~/core/costing/corridor";
import { courierSchema, type CourierConfigInput } from "~/core/costing/courier";
import { dayHoursSchema, formatDayHours } from "~/core/network/node-input";
import { WEEKDAYS, openingHoursSchema, polygonSchema, type Weekday } from "~/core/network/types";
import { moneyTextSchema } from "~/core/money/money";
import { money, num, numberField, optionalNumberField, requiredText, texts, type FieldErrors } from "./form-utils";
import { ruleValuesFromForm } from "~/components/rules/form-data";
import { readRules, rulesToValues, type RuleValue } from "~/components/rules/values";
import { surgeRuleForm } from "./rule-forms";

export const SURGE_PREFIX = "surge";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

function issuesToErrors(error: z.ZodError, errors: FieldErrors) {
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
}

// ---------------------------------------------------------------------------------------------
// Couriers

export interface CourierFormValues {
  id: string;
  name: string;
  nodeIds: string[];
  base: string;
  perKm: string;
  circuityFactor: string;
  maxRoadDistanceKm: string;
  maxWeightKg: string;
  speedKmh: string;
  pickupMinutes: string;
  surge: RuleValue[];
}

export const COURIER_FIELD_LABELS: Record<string, string> = {
  name: "Name",
  nodeIds: "Collects from",
  base: "Base fare",
  perKm: "Per km",
  circuityFactor: "Road ÷ straight-line distance",
  maxRoadDistanceKm: "Longest trip",
  maxWeightKg: "Heaviest parcel",
  speedKmh: "Average speed",
  pickupMinutes: "Minutes to arrive at the node",
};

export function emptyCourierForm(): CourierFormValues {
  return {
    id: "",
    name: "",
    nodeIds: [],
    base: "",
    perKm: "",
    circuityFactor: "1.3",
    maxRoadDistanceKm: "15",
    maxWeightKg: "20",
    speedKmh: "20",
    pickupMinutes: "15",
    surge: [],
  };
}

export function courierToForm(input: CourierConfigInput, currency: string): CourierFormValues {
  const c = courierSchema.parse(input);
  return {
    id: c.id,
    name: c.name,
    nodeIds: c.nodeIds ?? [],
    base: money(c.baseMinor, currency),
    perKm: money(c.perKmMinor, currency),
    circuityFactor: num(c.circuityFactor),
    maxRoadDistanceKm: c.maxRoadDistanceM == null ? "" : num(c.maxRoadDistanceM / 1000),
    maxWeightKg: c.maxWeightGrams == null ? "" : num(c.maxWeightGrams / 1000),
    speedKmh: num(c.speedKmh),
    pickupMinutes: num(c.pickupMinutes),
    surge: rulesToValues(surgeRuleForm, c.surge, currency),
  };
}

export function courierFormValues(form: FormData): CourierFormValues {
  return {
    id: str(form, "id"),
    name: str(form, "name"),
    nodeIds: texts(form, "nodeIds"),
    base: str(form, "base"),
    perKm: str(form, "perKm"),
    circuityFactor: str(form, "circuityFactor"),
    maxRoadDistanceKm: str(form, "maxRoadDistanceKm"),
    maxWeightKg: str(form, "maxWeightKg"),
    speedKmh: str(form, "speedKmh"),
    pickupMinutes: str(form, "pickupMinutes"),
    surge: ruleValuesFromForm(form, surgeRuleForm, SURGE_PREFIX),
  };
}

function courierSchemaFor(currency: string) {
  return z.object({
    name: requiredText("Name", 80),
    base: moneyTextSchema("Base fare", currency),
    perKm: moneyTextSchema("Per km", currency),
    circuityFactor: numberField("Road ÷ straight-line distance", { min: 1, max: 3 }),
    maxRoadDistanceKm: optionalNumberField("Longest trip", { above: 0 }),
    maxWeightKg: optionalNumberField("Heaviest parcel", { above: 0 }),
    speedKmh: numberField("Average speed", { above: 0, max: 200 }),
    pickupMinutes: numberField("Minutes to arrive at the node", { min: 0, max: 1440, integer: true }),
  });
}

export function readCourierForm(
  values: CourierFormValues,
  ctx: { currency: string; id: string; existing: CourierConfigInput | undefined; nodeIds: readonly string[] },
): { courier: CourierConfigInput | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const parsed = courierSchemaFor(ctx.currency).safeParse(values);
  if (!parsed.success) issuesToErrors(parsed.error, errors);
  if (values.nodeIds.some((id) => !ctx.nodeIds.includes(id))) errors.nodeIds = "One of the chosen nodes is not in your network any more";
  const surge = readRules(surgeRuleForm, values.surge, SURGE_PREFIX, ctx.currency);
  Object.assign(errors, surge.errors);
  if (!parsed.success || Object.keys(errors).length > 0) return { courier: null, errors };
  const v = parsed.data;
  const courier: CourierConfigInput = {
    ...(ctx.existing ?? {}),
    id: ctx.id,
    name: v.name,
    nodeIds: values.nodeIds.length > 0 ? values.nodeIds : null,
    baseMinor: v.base,
    perKmMinor: v.perKm,
    circuityFactor: v.circuityFactor,
    maxRoadDistanceM: v.maxRoadDistanceKm === null ? null : Math.round(v.maxRoadDistanceKm * 1000),
    maxWeightGrams: v.maxWeightKg === null ? null : Math.round(v.maxWeightKg * 1000),
    speedKmh: v.speedKmh,
    pickupMinutes: v.pickupMinutes,
    surge: surge.rules,
  };
  const checked = courierSchema.safeParse(courier);
  if (!checked.success) {
    for (const issue of checked.error.issues) errors.form ??= `${issue.path.join(".")}: ${issue.message}`;
    return { courier: null, errors };
  }
  return { courier, errors };
}

// ---------------------------------------------------------------------------------------------
// Autonomous corridors

export type HoursField = `hours.${Weekday}`;
export const hoursField = (d: Weekday): HoursField => `hours.${d}`;

export interface CorridorFormValues {
  id: string;
  name: string;
  nodeId: string;
  polygon: string;
  status: "OPEN" | "CLOSED";
  closedReason: string;
  hours: Record<Weekday, string>;
  maxPayloadKg: string;
  maxItemSideCm: string;
  maxVolumeL: string;
  base: string;
  perKm: string;
  circuityFactor: string;
  speedKmh: string;
}

export const CORRIDOR_FIELD_LABELS: Record<string, string> = {
  name: "Name",
  nodeId: "Served from",
  polygon: "Area (GeoJSON)",
  status: "Status",
  closedReason: "Why it is closed",
  maxPayloadKg: "Heaviest payload",
  maxItemSideCm: "Longest item side",
  maxVolumeL: "Largest volume",
  base: "Dispatch fee",
  perKm: "Per km",
  circuityFactor: "Path ÷ straight-line distance",
  speedKmh: "Average speed",
  ...Object.fromEntries(WEEKDAYS.map((d) => [hoursField(d), `${d.charAt(0).toUpperCase()}${d.slice(1)} hours`])),
};

export function emptyCorridorForm(): CorridorFormValues {
  const weekday = "10:00-19:00";
  return {
    id: "",
    name: "",
    nodeId: "",
    polygon: "",
    status: "OPEN",
    closedReason: "",
    hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: "11:00-17:00", sun: "closed" },
    maxPayloadKg: "10",
    maxItemSideCm: "50",
    maxVolumeL: "",
    base: "",
    perKm: "",
    circuityFactor: "1.2",
    speedKmh: "6",
  };
}

export function corridorToForm(input: CorridorInput, currency: string): CorridorFormValues {
  const c = corridorSchema.parse(input);
  return {
    id: c.id,
    name: c.name,
    nodeId: c.nodeId,
    polygon: JSON.stringify(c.polygon),
    status: c.status,
    closedReason: c.closedReason ?? "",
    hours: Object.fromEntries(WEEKDAYS.map((d) => [d, formatDayHours(c.operatingHours[d])])) as Record<Weekday, string>,
    maxPayloadKg: num(c.maxPayloadGrams / 1000),
    maxItemSideCm: num(c.maxItemSideMm / 10),
    maxVolumeL: c.maxVolumeMm3 == null ? "" : num(c.maxVolumeMm3 / 1_000_000),
    base: money(c.baseMinor, currency),
    perKm: money(c.perKmMinor, currency),
    circuityFactor: num(c.circuityFactor),
    speedKmh: num(c.speedKmh),
  };
}

export function corridorFormValues(form: FormData): CorridorFormValues {
  return {
    id: str(form, "id"),
    name: str(form, "name"),
    nodeId: str(form, "nodeId"),
    polygon: str(form, "polygon"),
    status: str(form, "status") === "CLOSED" ? "CLOSED" : "OPEN",
    closedReason: str(form, "closedReason"),
    hours: Object.fromEntries(WEEKDAYS.map((d) => [d, str(form, hoursField(d))])) as Record<Weekday, string>,
    maxPayloadKg: str(form, "maxPayloadKg"),
    maxItemSideCm: str(form, "maxItemSideCm"),
    maxVolumeL: str(form, "maxVolumeL"),
    base: str(form, "base"),
    perKm: str(form, "perKm"),
    circuityFactor: str(form, "circuityFactor"),
    speedKmh: str(form, "speedKmh"),
  };
}

/**
 * A drawn area as GeoJSON: a Polygon, a Feature with one, or a FeatureCollection whose first
 * polygon is used (what geojson.io and most map tools export). [longitude, latitude] order.
 */
export const areaSchema = z
  .string({ error: "Paste the area as GeoJSON" })
  .trim()
  .min(1, "Paste the area as GeoJSON (a Polygon, e.g. drawn on geojson.io)")
  .transform((text, ctx) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: "custom", message: "The area is not valid JSON" });
      return z.NEVER;
    }
    const v = value as { type?: string; geometry?: unknown; features?: { geometry?: { type?: string } }[] };
    const geometry =
      v?.type === "Feature"
        ? v.geometry
        : v?.type === "FeatureCollection"
          ? v.features?.find((f) => f?.geometry?.type === "Polygon")?.geometry
          : value;
    const polygon = polygonSchema.safeParse(geometry);
    if (!polygon.success) {
      const issue = polygon.error.issues[0];
      const detail = issue.path.length ? `${issue.message} (at ${issue.path.join(".")})` : issue.message;
      ctx.addIssue({
        code: "custom",
        message: `The area must be a GeoJSON Polygon with [longitude, latitude] positions: ${detail}`,
      });
      return z.NEVER;
    }
    return polygon.data;
  });

function corridorSchemaFor(currency: string) {
  return z
    .object({
      name: requiredText("Name", 80),
      nodeId: z.string().min(1, "Choose the node the robots or drones leave from"),
      polygon: areaSchema,
      status: z.enum(["OPEN", "CLOSED"]),
      closedReason: z.string().trim().max(200, "Keep the reason under 200 characters"),
      hours: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, dayHoursSchema])) as Record<Weekday, typeof dayHoursSchema>),
      maxPayloadKg: numberField("Heaviest payload", { above: 0, max: 1000 }),
      maxItemSideCm: numberField("Longest item side", { above: 0, max: 1000 }),
      maxVolumeL: optionalNumberField("Largest volume", { above: 0 }),
      base: moneyTextSchema("Dispatch fee", currency),
      perKm: moneyTextSchema("Per km", currency),
      circuityFactor: numberField("Path ÷ straight-line distance", { min: 1, max: 3 }),
      speedKmh: numberField("Average speed", { above: 0, max: 200 }),
    });
}

const CLOSED_WITHOUT_REASON = "Say why it is closed (shown in quotes and to your team), e.g. “snow”";

export function readCorridorForm(
  values: CorridorFormValues,
  ctx: { currency: string; id: string; nodeIds: readonly string[] },
): { corridor: CorridorInput | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const parsed = corridorSchemaFor(ctx.currency).safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] === "hours" ? hoursField(issue.path[1] as Weekday) : String(issue.path[0] ?? "form");
      errors[key] ??= key.startsWith("hours.") ? `${CORRIDOR_FIELD_LABELS[key]}: ${issue.message}` : issue.message;
    }
  }
  if (values.nodeId && !ctx.nodeIds.includes(values.nodeId)) errors.nodeId = "That node is not in your network any more";
  // Checked here rather than in the schema so it is reported alongside any other problem.
  if (values.status === "CLOSED" && values.closedReason.trim() === "") errors.closedReason ??= CLOSED_WITHOUT_REASON;
  if (!parsed.success || Object.keys(errors).length > 0) return { corridor: null, errors };
  const v = parsed.data;
  const corridor: CorridorInput = {
    id: ctx.id,
    name: v.name,
    nodeId: v.nodeId,
    polygon: v.polygon,
    status: v.status,
    closedReason: v.status === "CLOSED" ? v.closedReason : null,
    operatingHours: openingHoursSchema.parse(v.hours),
    maxPayloadGrams: Math.round(v.maxPayloadKg * 1000),
    maxItemSideMm: Math.round(v.maxItemSideCm * 10),
    maxVolumeMm3: v.maxVolumeL === null ? null : Math.round(v.maxVolumeL * 1_000_000),
    baseMinor: v.base,
    perKmMinor: v.perKm,
    circuityFactor: v.circuityFactor,
    speedKmh: v.speedKmh,
  };
  const checked = corridorSchema.safeParse(corridor);
  if (!checked.success) {
    for (const issue of checked.error.issues) errors.form ??= `${issue.path.join(".")}: ${issue.message}`;
    return { corridor: null, errors };
  }
  return { corridor, errors };
}

/** Open or close a corridor from the list: a reason is required to close. */
export const corridorStatusSchema = z
  .object({
    id: z.string().min(1),
    status: z.enum(["OPEN", "CLOSED"], { error: "Status must be OPEN or CLOSED" }),
    closedReason: z.string().trim().max(200, "Keep the reason under 200 characters").default(""),
  })
  .refine((v) => v.status === "OPEN" || v.closedReason !== "", {
    message: "Say why it is closed, e.g. “snow” or “robot maintenance”",
    path: ["closedReason"],
  });
