// Local wall-clock time in a node's IANA time zone, fast enough for the checkout path.
//
// luxon is exact but slow, so a ZoneClock asks it only on cache misses:
// - the UTC offset per 15-minute bucket of UTC time (every tz transition in use falls on a
//   quarter hour, so an offset is constant inside a bucket);
// - the UTC instant of a local day + minute (this is where DST gaps and overlaps are resolved:
//   a time in a spring-forward gap moves forward by the gap, an ambiguous fall-back time takes
//   the later of its two instants, as luxon does).
// Days are counted as "local day numbers": whole days since 1970-01-01 in the zone's calendar.
import { DateTime, IANAZone } from "luxon";
import { WEEKDAYS, type Weekday } from "../network/types";

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const BUCKET_MS = 15 * MINUTE_MS;
const CACHE_LIMIT = 4096;

/** "HH:MM" (or "24:00") to minutes after local midnight. */
export function parseLocalTime(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Minutes after midnight to "HH:MM". */
export function formatLocalTime(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay - h * 60;
  return `${h < 10 ? "0" : ""}${h}:${m < 10 ? "0" : ""}${m}`;
}

/** Index into WEEKDAYS (mon = 0) of a local day number; day 0, 1970-01-01, was a Thursday. */
export function weekdayIndexOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function weekdayOfDay(day: number): Weekday {
  return WEEKDAYS[weekdayIndexOfDay(day)];
}

/** Local day number of an ISO calendar date "YYYY-MM-DD". */
export function dayOfIsoDate(isoDate: string): number {
  return Math.floor(
    Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) /
      DAY_MS,
  );
}

/** Calendar fields of a local day number. */
export function civilOfDay(day: number): { year: number; month: number; day: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export interface LocalMoment {
  /** Local day number. */
  day: number;
  weekday: Weekday;
  /** mon = 0 … sun = 6. */
  weekdayIndex: number;
  /** Minutes since local midnight, 0–1439. */
  minuteOfDay: number;
  offsetMinutes: number;
}

export class ZoneClock {
  private readonly offsets = new Map<number, number>();
  private readonly instants = new Map<number, number>();

  constructor(readonly zone: string) {
    if (!IANAZone.isValidZone(zone)) throw new Error(`unknown time zone "${zone}"`);
  }

  offsetMinutesAt(utcMs: number): number {
    const bucket = Math.floor(utcMs / BUCKET_MS);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      if (this.offsets.size >= CACHE_LIMIT) this.offsets.clear();
      offset = DateTime.fromMillis(bucket * BUCKET_MS, { zone: this.zone }).offset;
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  local(utcMs: number): LocalMoment {
    const offsetMinutes = this.offsetMinutesAt(utcMs);
    const localMs = utcMs + offsetMinutes * MINUTE_MS;
    const day = Math.floor(localMs / DAY_MS);
    const weekdayIndex = weekdayIndexOfDay(day);
    return {
      day,
      weekday: WEEKDAYS[weekdayIndex],
      weekdayIndex,
      minuteOfDay: Math.floor((localMs - day * DAY_MS) / MINUTE_MS),
      offsetMinutes,
    };
  }

  /** UTC instant of a local day and minute (1440 is the next midnight). */
  instant(day: number, minuteOfDay: number): number {
    const key = day * 1441 + minuteOfDay;
    let ms = this.instants.get(key);
    if (ms === undefined) {
      if (this.instants.size >= CACHE_LIMIT) this.instants.clear();
      const d = minuteOfDay >= 1440 ? day + 1 : day;
      const minute = minuteOfDay >= 1440 ? minuteOfDay - 1440 : minuteOfDay;
      const c = civilOfDay(d);
      ms = DateTime.fromObject(
        { year: c.year, month: c.month, day: c.day, hour: Math.floor(minute / 60), minute: minute % 60 },
        { zone: this.zone },
      ).toMillis();
      this.instants.set(key, ms);
    }
    return ms;
  }
}

const clocks = new Map<string, ZoneClock>();

/** The shared clock of a time zone (clocks only cache, so sharing them is safe). */
export function clockFor(zone: string): ZoneClock {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = new ZoneClock(zone);
    clocks.set(zone, clock);
  }
  return clock;
}
