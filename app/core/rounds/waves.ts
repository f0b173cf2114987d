// A hub's local orders grouped into waves by its cut-off times: an order placed at or before a
// cut-off (local time in the hub's zone) goes out with that cut-off's wave, an order after the day's
// last cut-off with the first wave of the next day. A wave leaves `dispatchAfterMinutes` after its
// cut-off (pick, pack, load).
import { z } from "zod";
import { clockFor, formatLocalTime, MINUTE_MS, parseLocalTime } from "../geo/localTime";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time such as 14:00");

export const roundsHubSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  timeZone: z.string().min(1),
  /** Local cut-off times of the day's waves. */
  cutoffs: z
    .array(hhmm)
    .min(1)
    .refine((xs) => xs.every((x, i) => i === 0 || x > xs[i - 1]), { message: "cut-offs must be in increasing order" }),
  dispatchAfterMinutes: z.number().int().nonnegative().default(30),
});
export type RoundsHub = z.output<typeof roundsHubSchema>;
export type RoundsHubInput = z.input<typeof roundsHubSchema>;

export interface RoundOrder {
  id: string;
  /** UTC ms the order was placed (paid). */
  placedAt: number;
  latitude: number;
  longitude: number;
  weightGrams: number;
}

export interface Wave {
  /** "dayNumber@HH:MM" in the hub's zone: stable, for keys and logs. */
  key: string;
  /** Local day number in the hub's zone. */
  day: number;
  cutoffMinute: number;
  cutoffAt: number;
  dispatchAt: number;
  /** "14:00 cut-off". */
  label: string;
  orders: RoundOrder[];
}

export function groupIntoWaves(hub: RoundsHub, orders: readonly RoundOrder[]): Wave[] {
  const clock = clockFor(hub.timeZone);
  const cutoffs = hub.cutoffs.map(parseLocalTime);
  const waves = new Map<string, Wave>();
  for (const o of orders) {
    const at = clock.local(o.placedAt);
    let day = at.day;
    // Compared as instants: 11:00:30 is after an 11:00 cut-off, though its minute of day is 11:00.
    let idx = cutoffs.findIndex((c) => o.placedAt <= clock.instant(day, c));
    if (idx < 0) {
      day += 1;
      idx = 0;
    }
    const minute = cutoffs[idx];
    const key = `${day}@${formatLocalTime(minute)}`;
    let w = waves.get(key);
    if (!w) {
      const cutoffAt = clock.instant(day, minute);
      w = {
        key,
        day,
        cutoffMinute: minute,
        cutoffAt,
        dispatchAt: cutoffAt + hub.dispatchAfterMinutes * MINUTE_MS,
        label: `${formatLocalTime(minute)} cut-off`,
        orders: [],
      };
      waves.set(key, w);
    }
    w.orders.push(o);
  }
  const out = [...waves.values()].sort((a, b) => a.cutoffAt - b.cutoffAt);
  for (const w of out) w.orders.sort((a, b) => a.placedAt - b.placedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}
