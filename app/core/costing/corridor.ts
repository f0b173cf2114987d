// Autonomous-delivery corridor: a drawn area served from one node by robots or drones, with
// payload limits, operating hours, and a switch the operator flips for weather or incidents.
import { z } from "zod";
import { formatRatePerDistance, METRIC } from "../format/format";
import { formatDistance, roadDistanceM } from "../geo/distance";
import { formatLocalTime, parseLocalTime, type LocalMoment } from "../geo/localTime";
import { polygonContains, preparePolygon, type PreparedPolygon } from "../geo/polygon";
import { minorSchema } from "../money/money";
import { openingHoursSchema, polygonSchema, WEEKDAYS } from "../network/types";
import type { Parcel } from "./parcel";
import type { CostComponent } from "./types";

export const corridorSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  nodeId: z.string().min(1),
  polygon: polygonSchema,
  status: z.enum(["OPEN", "CLOSED"]).default("OPEN"),
  closedReason: z.string().nullable().default(null),
  /** Local time of the corridor's node. */
  operatingHours: openingHoursSchema,
  maxPayloadGrams: z.number().int().positive(),
  maxItemSideMm: z.number().int().positive(),
  maxVolumeMm3: z.number().positive().nullable().default(null),
  baseMinor: minorSchema,
  perKmMinor: minorSchema,
  circuityFactor: z.number().min(1).max(3).default(1.2),
  speedKmh: z.number().positive().default(6),
});
export type Corridor = z.output<typeof corridorSchema>;
export type CorridorInput = z.input<typeof corridorSchema>;

export interface CompiledCorridor {
  corridor: Corridor;
  /** Why a permit keeps robots off the corridor (core/permits: "robot operation authorization lapsed on 3 Dec"); null: none does. */
  permitHold: string | null;
  area: PreparedPolygon;
  /** Operating intervals in minutes per weekday index (mon = 0). */
  hours: [number, number][][];
}

export function compileCorridor(corridor: Corridor, permitHold: string | null = null): CompiledCorridor {
  return {
    corridor,
    permitHold,
    area: preparePolygon(corridor.polygon),
    hours: WEEKDAYS.map((d) => corridor.operatingHours[d].map(([a, b]) => [parseLocalTime(a), parseLocalTime(b)] as [number, number])),
  };
}

export function corridorCovers(c: CompiledCorridor, latitude: number, longitude: number): boolean {
  return polygonContains(c.area, latitude, longitude);
}

/** Why the corridor cannot take this parcel at this local moment; null when it can. */
export function corridorBlock(c: CompiledCorridor, parcel: Parcel, at: LocalMoment): string | null {
  const k = c.corridor;
  if (c.permitHold !== null) return c.permitHold;
  if (k.status === "CLOSED") return `closed${k.closedReason ? ` (${k.closedReason})` : ""}`;
  const today = c.hours[at.weekdayIndex];
  if (!today.some(([a, b]) => at.minuteOfDay >= a && at.minuteOfDay < b)) {
    const hours = today.length ? today.map(([a, b]) => `${formatLocalTime(a)}–${formatLocalTime(b)}`).join(", ") : "closed all day";
    return `not operating at ${formatLocalTime(at.minuteOfDay)} local (${at.weekday}: ${hours})`;
  }
  if (parcel.weightGrams > k.maxPayloadGrams) return `payload ${parcel.weightGrams} g is over ${k.maxPayloadGrams} g`;
  if (parcel.longestSideMm > k.maxItemSideMm) return `an item side of ${parcel.longestSideMm} mm is over ${k.maxItemSideMm} mm`;
  if (k.maxVolumeMm3 != null && parcel.volumeMm3 > k.maxVolumeMm3) {
    return `volume ${Math.round(parcel.volumeMm3 / 1000)} cm³ is over ${Math.round(k.maxVolumeMm3 / 1000)} cm³`;
  }
  return null;
}

export interface CorridorLeg {
  amountMinor: number;
  components: CostComponent[];
  roadM: number;
  minutes: number;
}

const distanceCharge = (k: Corridor, roadM: number) => Math.round((k.perKmMinor * roadM) / 1000);

/** The same total as corridorLeg without the breakdown. */
export function corridorPriceMinor(c: CompiledCorridor, greatCircleM: number): number {
  return c.corridor.baseMinor + distanceCharge(c.corridor, roadDistanceM(greatCircleM, c.corridor.circuityFactor));
}

export function corridorLeg(c: CompiledCorridor, greatCircleM: number, currency: string): CorridorLeg {
  const k = c.corridor;
  const roadM = roadDistanceM(greatCircleM, k.circuityFactor);
  const distanceMinor = distanceCharge(k, roadM);
  return {
    amountMinor: k.baseMinor + distanceMinor,
    components: [
      { code: "autonomous_base", label: `${k.name} dispatch`, amountMinor: k.baseMinor, detail: "per delivery" },
      {
        code: "autonomous_distance",
        label: `${k.name} distance`,
        amountMinor: distanceMinor,
        detail: `${formatDistance(roadM)} path at ${formatRatePerDistance(k.perKmMinor, { currency, ...METRIC })}`,
      },
    ],
    roadM,
    minutes: Math.ceil((roadM / 1000 / k.speedKmh) * 60),
  };
}
