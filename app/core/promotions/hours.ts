// Same-day hours: from opening to the hub's same-day cut-off, per local weekday (0 = Sunday, as
// CampaignPlan.hours.windows counts them). Outside them an ad would promise what the hub can no
// longer deliver today, so the guardrails pause it.
import { clockFor, parseLocalTime } from "../geo/localTime";
import { WEEKDAYS, type NetworkNode } from "../network/types";
import type { CampaignPlan } from "./types";

export type SameDayWindow = CampaignPlan["hours"]["windows"][number];

/** Weekday names by index, 0 = Sunday. */
export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** The opening-hours key of a weekday index (0 = Sunday). */
const weekdayKey = (day: number) => WEEKDAYS[(day + 6) % 7];

/** Opening to the cut-off on each day the hub opens; none without a cut-off. */
export function sameDayWindows(hub: Pick<NetworkNode, "openingHours" | "sameDayCutoff">): SameDayWindow[] {
  if (hub.sameDayCutoff === null) return [];
  const cutoff = parseLocalTime(hub.sameDayCutoff);
  const windows: SameDayWindow[] = [];
  for (let day = 0; day < 7; day++) {
    for (const [open, close] of hub.openingHours[weekdayKey(day)] ?? []) {
      const startMinute = parseLocalTime(open);
      const endMinute = Math.min(parseLocalTime(close), cutoff);
      if (startMinute < endMinute) windows.push({ day, startMinute, endMinute });
    }
  }
  return windows;
}

/** The local weekday (0 = Sunday) and minute of an instant in a time zone. */
export function localWeekMinute(now: number, zone: string): { day: number; minute: number } {
  const m = clockFor(zone).local(now);
  return { day: (m.weekdayIndex + 1) % 7, minute: m.minuteOfDay };
}

/** The window the instant is in, or null. */
export function windowAt(windows: readonly SameDayWindow[], day: number, minute: number): SameDayWindow | null {
  for (const w of windows) if (w.day === day && w.startMinute <= minute && minute < w.endMinute) return w;
  return null;
}

/** The next window's start after the instant, within a week; null when there is none. */
export function nextWindowStart(windows: readonly SameDayWindow[], day: number, minute: number): { day: number; minute: number } | null {
  for (let ahead = 0; ahead <= 7; ahead++) {
    const d = (day + ahead) % 7;
    let best: number | null = null;
    for (const w of windows) {
      if (w.day !== d || (ahead === 0 && w.startMinute <= minute)) continue;
      if (best === null || w.startMinute < best) best = w.startMinute;
    }
    if (best !== null) return { day: d, minute: best };
  }
  return null;
}

