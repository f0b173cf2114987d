// The quote simulator's form: an address (postal code or coordinates), a cart of the shop's
// SKUs, and a local date and time (blank: now). One schema for page and action.
import { DateTime } from "luxon";
import { z } from "zod";
import type { FieldErrors } from "./form-utils";

export interface SimulatorLine {
  sku: string;
  quantity: string;
}

export interface SimulatorFormValues {
  country: string;
  postalCode: string;
  latitude: string;
  longitude: string;
  at: string;
  lines: SimulatorLine[];
}

export const SIMULATOR_LABELS: Record<string, string> = {
  country: "Country",
  postalCode: "Postal code",
  latitude: "Latitude",
  longitude: "Longitude",
  at: "Date and time",
  lines: "Cart",
};

export const lineName = (i: number, f: keyof SimulatorLine) => `lines.${i}.${f}`;

export function simulatorFormValues(form: FormData): SimulatorFormValues {
  const s = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const indices = new Set<number>();
  for (const key of form.keys()) {
    const m = /^lines\.(\d+)\.sku$/.exec(key);
    if (m) indices.add(Number(m[1]));
  }
  return {
    country: s("country"),
    postalCode: s("postalCode"),
    latitude: s("latitude"),
    longitude: s("longitude"),
    at: s("at"),
    lines: [...indices].sort((a, b) => a - b).map((i) => ({ sku: s(lineName(i, "sku")), quantity: s(lineName(i, "quantity")) })),
  };
}

const coordinate = (label: string, limit: number) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      const n = Number(v);
      if (!Number.isFinite(n) || Math.abs(n) > limit) {
        ctx.addIssue({ code: "custom", message: `${label} must be a number between -${limit} and ${limit}` });
        return z.NEVER;
      }
      return n;
    });

const simulatorSchema = z
  .object({
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "Country is a two-letter code such as US"),
    postalCode: z.string().trim().max(20, "Postal code is at most 20 characters"),
    latitude: coordinate("Latitude", 90),
    longitude: coordinate("Longitude", 180),
    at: z
      .string()
      .trim()
      .regex(/^$|^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "Date and time as YYYY-MM-DDTHH:MM"),
    lines: z
      .array(
        z.object({
          sku: z.string().trim().min(1, "Choose a product"),
          quantity: z
            .string()
            .trim()
            .regex(/^\d+$/, "Quantity is a whole number")
            .transform(Number)
            .pipe(z.number().min(1, "Quantity is at least 1").max(999, "Quantity is at most 999")),
        }),
      )
      .min(1, "Add at least one product to the cart"),
  })
  .superRefine((v, ctx) => {
    if ((v.latitude === null) !== (v.longitude === null)) {
      ctx.addIssue({ code: "custom", path: [v.latitude === null ? "latitude" : "longitude"], message: "Give both latitude and longitude, or neither" });
    }
    if (v.latitude === null && v.longitude === null && v.postalCode === "") {
      ctx.addIssue({ code: "custom", path: ["postalCode"], message: "Enter a postal code, or coordinates below" });
    }
  });

export type SimulatorInput = z.output<typeof simulatorSchema>;

export function readSimulatorForm(
  values: SimulatorFormValues,
  ctx: { timezone: string; now: Date; skus: readonly string[] },
): { input: (SimulatorInput & { now: Date }) | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const parsed = simulatorSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, index, field] = issue.path;
      const key = head === "lines" && typeof index === "number" ? lineName(index, field as keyof SimulatorLine) : String(head ?? "form");
      errors[key] ??= issue.message;
    }
  }
  values.lines.forEach((l, i) => {
    if (l.sku && !ctx.skus.includes(l.sku)) errors[lineName(i, "sku")] ??= `No product with SKU ${l.sku} in this shop`;
  });
  if (!parsed.success || Object.keys(errors).length > 0) return { input: null, errors };
  let now = ctx.now;
  if (parsed.data.at) {
    const local = DateTime.fromISO(parsed.data.at, { zone: ctx.timezone });
    if (!local.isValid) return { input: null, errors: { at: "That date and time does not exist" } };
    now = local.toJSDate();
  }
  return { input: { ...parsed.data, now }, errors };
}

/** "2026-11-25T14:05" in the zone, for a datetime-local field. */
export function localInputValue(date: Date, timezone: string): string {
  return DateTime.fromJSDate(date, { zone: timezone }).toFormat("yyyy-MM-dd'T'HH:mm");
}
