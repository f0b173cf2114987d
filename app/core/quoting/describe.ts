// The promise in words, in the node's local time: "Today by 8 pm from the Brooklyn hub".
import type { ServiceKind } from "../costing/types";
import { civilOfDay, clockFor, weekdayIndexOfDay } from "../geo/localTime";
import type { DeliveryWindow } from "./types";

const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "8 pm", "8:30 pm", "12 pm" (noon), "12 am" (midnight). */
export function formatClock(minuteOfDay: number): string {
  const h24 = Math.floor(minuteOfDay / 60) % 24;
  const m = minuteOfDay % 60;
  const h = h24 % 12 === 0 ? 12 : h24 % 12;
  return `${h}${m === 0 ? "" : `:${m < 10 ? "0" : ""}${m}`} ${h24 < 12 ? "am" : "pm"}`;
}

/** "Today", "Tomorrow", else "Thu, Dec 4". */
export function formatDay(day: number, today: number): string {
  if (day === today) return "Today";
  if (day === today + 1) return "Tomorrow";
  const c = civilOfDay(day);
  return `${DAY_NAMES[weekdayIndexOfDay(day)]}, ${MONTH_NAMES[c.month - 1]} ${c.day}`;
}

function fromNode(name: string): string {
  return /^the /i.test(name) ? name : `the ${name}`;
}

export interface Describable {
  service: ServiceKind;
  nodeName: string;
  window: DeliveryWindow;
}

export function describeOption(o: Describable, nowMs: number): string {
  const clock = clockFor(o.window.timezone);
  const today = clock.local(nowMs).day;
  const from = clock.local(o.window.earliestMs);
  const by = clock.local(o.window.latestMs);
  // A window ending at local midnight reads as "by 12 am" on the next day; say "by midnight" on its own day.
  const byDay = by.minuteOfDay === 0 && by.day > from.day ? by.day - 1 : by.day;
  const byTime = by.minuteOfDay === 0 && by.day > from.day ? "midnight" : formatClock(by.minuteOfDay);
  switch (o.service) {
    case "PICKUP":
      return `Pick up ${formatDay(from.day, today).toLowerCase()} from ${formatClock(from.minuteOfDay)} at ${fromNode(o.nodeName)}`;
    case "AUTONOMOUS":
      return `${formatDay(byDay, today)} by ${byTime} by autonomous delivery from ${fromNode(o.nodeName)}`;
    case "STANDARD":
      if (from.day !== byDay) {
        return `${formatDay(from.day, today)} – ${formatDay(byDay, today)} from ${fromNode(o.nodeName)}`;
      }
      return `${formatDay(byDay, today)} by ${byTime} from ${fromNode(o.nodeName)}`;
    case "SAME_DAY":
    case "NEXT_DAY":
      return `${formatDay(byDay, today)} by ${byTime} from ${fromNode(o.nodeName)}`;
  }
}
