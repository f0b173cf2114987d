// Who delivers a hub's rounds: its own vehicles (riders on foot or scooter, cargo bikes, vans), each
// kind with a count, capacity, speed, shift and running costs, and optionally a subscription courier
// paid a fixed fee per day or per route plus a fee per stop. Parsed with zod at the boundary; the core
// works on the parsed output. Money in minor units of the fleet's currency, times "HH:MM" in the
// hub's zone.
import { z } from "zod";
import { currencySchema, minorSchema } from "../money/money";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "must be a time such as 09:30");

export const VEHICLE_KINDS = ["rider", "cargo_bike", "van"] as const;
export type VehicleKind = (typeof VEHICLE_KINDS)[number];

export const VEHICLE_KIND_LABELS: Record<VehicleKind, string> = { rider: "rider", cargo_bike: "cargo bike", van: "van" };

const common = {
  id: z.string().min(1),
  name: z.string().min(1),
  /** Road distance ÷ great-circle distance, as corridors and couriers use. */
  circuityFactor: z.number().min(1).max(3).default(1.3),
  speedKmh: z.number().positive().max(120),
  /** Minutes at each door (park, hand over, get a signature). */
  serviceMinutesPerStop: z.number().nonnegative().default(3),
  /** Minutes at the hub before each route (loading). */
  loadMinutesPerRoute: z.number().nonnegative().default(10),
  /** Stops per route; null: no limit. */
  capacityStops: z.number().int().positive().nullable().default(null),
  /** Load per route in grams; null: no limit. */
  capacityGrams: z.number().int().positive().nullable().default(null),
  /** Longest route in minutes, door to door and back; null: only the shift limits it. */
  maxRouteMinutes: z.number().int().positive().nullable().default(null),
  shiftStart: hhmm.default("08:00"),
  shiftEnd: hhmm.default("20:00"),
};

export const vehicleSchema = z
  .object({
    ...common,
    kind: z.enum(VEHICLE_KINDS),
    /** How many of them the hub has: at most this many routes at once. */
    count: z.number().int().nonnegative(),
    costPerHourMinor: minorSchema,
    costPerKmMinor: minorSchema,
  })
  .refine((v) => v.shiftEnd > v.shiftStart, { message: "shift must end after it starts", path: ["shiftEnd"] });

export const subscriptionCourierSchema = z
  .object({
    ...common,
    kind: z.literal("subscription"),
    /** Fixed fee for each day it delivers at least one round. */
    feePerDayMinor: minorSchema.default(0),
    /** Fixed fee for each route it drives. */
    feePerRouteMinor: minorSchema.default(0),
    feePerStopMinor: minorSchema.default(0),
    maxStopsPerRoute: z.number().int().positive(),
    /** Routes it drives at once; null: as many as needed. */
    maxRoutes: z.number().int().positive().nullable().default(null),
  })
  .refine((c) => c.shiftEnd > c.shiftStart, { message: "shift must end after it starts", path: ["shiftEnd"] });

export const fleetSchema = z.object({
  currency: currencySchema,
  vehicles: z.array(vehicleSchema).default([]),
  subscription: subscriptionCourierSchema.nullable().default(null),
});

export type Vehicle = z.output<typeof vehicleSchema>;
export type SubscriptionCourier = z.output<typeof subscriptionCourierSchema>;
export type Fleet = z.output<typeof fleetSchema>;
export type FleetInput = z.input<typeof fleetSchema>;

/** One way of driving a wave: a vehicle kind of the hub's, or the subscription courier. */
export type FleetOption = Vehicle | SubscriptionCourier;

export function fleetOptions(fleet: Fleet): FleetOption[] {
  const out: FleetOption[] = fleet.vehicles.filter((v) => v.count > 0);
  if (fleet.subscription) out.push(fleet.subscription);
  return out;
}

export function optionLabel(o: FleetOption): string {
  return o.kind === "subscription" ? `${o.name} (subscription courier)` : `${o.name} (${VEHICLE_KIND_LABELS[o.kind]})`;
}

/** Stops a route of this option may make (null: no limit). */
export function stopLimit(o: FleetOption): number | null {
  if (o.kind === "subscription") return o.capacityStops == null ? o.maxStopsPerRoute : Math.min(o.capacityStops, o.maxStopsPerRoute);
  return o.capacityStops;
}

/** Routes the option can drive at once (Infinity: no limit). */
export function routeLimit(o: FleetOption): number {
  if (o.kind === "subscription") return o.maxRoutes ?? Infinity;
  return o.count;
}

/** Minutes per metre of road at the option's speed. */
export function minutesPerMetre(o: FleetOption): number {
  return 60 / (o.speedKmh * 1000);
}

/**
 * Variable cost of one route of `roadM` metres taking `minutes`, and `stops` stops: time and distance
 * for the hub's vehicles, route and stop fees for the subscription courier (its day fee is shared by
 * the day's waves, see plan.ts). Rounded once, to minor units.
 */
export function routeCostMinor(o: FleetOption, roadM: number, minutes: number, stops: number): number {
  if (o.kind === "subscription") return o.feePerRouteMinor + o.feePerStopMinor * stops;
  return Math.round((o.costPerHourMinor * minutes) / 60 + (o.costPerKmMinor * roadM) / 1000);
}
