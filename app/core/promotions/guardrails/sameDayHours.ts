import { z } from "zod";
import { formatLocalTime } from "../../geo/localTime";
import { reason } from "../../network/reasons";
import { defineStrategy } from "../../rules/registry";
import { localWeekMinute, nextWindowStart, WEEKDAY_NAMES, windowAt } from "../hours";
import type { Guardrail } from "./types";

/** Ads run only while an order can still leave the same day: from opening to the cut-off (the plan's windows). */
export const outsideSameDayHours = defineStrategy({
  code: "OUTSIDE_SAME_DAY_HOURS",
  label: "Pause outside same-day hours (opening to the cut-off)",
  args: z.object({}),
  build: (): Guardrail => (s) => {
    const { day, minute } = localWeekMinute(s.now, s.hubTimezone);
    const inside = windowAt(s.windows, day, minute);
    if (inside) {
      return { action: "RUN", reason: reason("CAMPAIGN_IN_HOURS", { weekday: WEEKDAY_NAMES[day], until: formatLocalTime(inside.endMinute), zone: s.hubTimezone }) };
    }
    const next = nextWindowStart(s.windows, day, minute);
    return {
      action: "PAUSE",
      reason: reason("CAMPAIGN_OUTSIDE_HOURS", {
        weekday: WEEKDAY_NAMES[day],
        time: formatLocalTime(minute),
        zone: s.hubTimezone,
        next: next ? { weekday: next.day === day && next.minute > minute ? "today" : WEEKDAY_NAMES[next.day], time: formatLocalTime(next.minute) } : null,
      }),
    };
  },
});
