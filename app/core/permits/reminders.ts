// When a permit's reminders fall: at the configured offsets before its expiry date (default 60, 30,
// 7 and 1 days), at 09:00 local time of what it is attached to, and once more when it lapses. A
// reminder is one per permit, per renewal cycle (its expiry date) and per offset: the job engine
// records each before sending, so restarts and second processes never send one twice, and a renewal
// (a new expiry date) starts a new cycle.
import { clockFor, dayOfIsoDate } from "../geo/localTime";
import { permitTimeline } from "./status";
import type { Permit } from "./types";

export const LAPSE_OFFSET = -1;
const NINE_AM = 9 * 60;

export interface ReminderSlot {
  /** Days before the expiry date; LAPSE_OFFSET (−1) for the reminder on lapse. */
  offsetDays: number;
  /** UTC ms it falls due. */
  at: number;
  /** The renewal cycle: the expiry date it is about. */
  cycle: string;
}

/** Every reminder of the permit's current cycle, earliest first; none for a permit without an expiry date or suspended. */
export function reminderSlots(p: Pick<Permit, "expiresOn" | "graceDays" | "leadDays" | "reminderOffsetsDays" | "suspended">, timezone: string): ReminderSlot[] {
  if (p.expiresOn === null || p.suspended) return [];
  const clock = clockFor(timezone);
  const last = dayOfIsoDate(p.expiresOn);
  const slots: ReminderSlot[] = p.reminderOffsetsDays.map((offsetDays) => ({ offsetDays, at: clock.instant(last - offsetDays, NINE_AM), cycle: p.expiresOn! }));
  slots.push({ offsetDays: LAPSE_OFFSET, at: permitTimeline(p, timezone).lapsesAt!, cycle: p.expiresOn });
  return slots.sort((a, b) => a.at - b.at);
}

/**
 * The reminder to send now, if any: the latest slot that has fallen due. Earlier slots that were
 * missed (the permit was entered late, the app was down) are not sent as a burst: only the
 * latest says where the permit stands.
 */
export function dueReminder(slots: readonly ReminderSlot[], now: number): ReminderSlot | null {
  let due: ReminderSlot | null = null;
  for (const s of slots) if (s.at <= now) due = s;
  return due;
}

/** The next slot after `now` (to schedule the next check), or null. */
export function nextReminder(slots: readonly ReminderSlot[], now: number): ReminderSlot | null {
  return slots.find((s) => s.at > now) ?? null;
}

export function reminderWords(offsetDays: number): string {
  if (offsetDays === LAPSE_OFFSET) return "lapsed";
  if (offsetDays === 0) return "expires today";
  return offsetDays === 1 ? "expires tomorrow" : `expires in ${offsetDays} days`;
}
