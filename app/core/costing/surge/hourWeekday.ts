import { z } from "zod";
import { localTimeSchema, WEEKDAYS } from "../../network/types";
import { parseLocalTime } from "../../geo/localTime";
import { defineStrategy } from "../../rules/registry";
import type { SurgeRule } from "./types";

export const hourWeekday = defineStrategy({
  code: "HOUR_WEEKDAY",
  label: "Surge by hour and weekday (node local time)",
  args: z
    .object({
      days: z.array(z.enum(WEEKDAYS)).min(1),
      from: localTimeSchema,
      to: localTimeSchema,
      multiplier: z.number().min(1).max(10),
    })
    .refine((a) => a.from < a.to, { message: "from must be before to", path: ["to"] }),
  build: ({ days, from, to, multiplier }): SurgeRule => {
    const dayset = new Set(days);
    const start = parseLocalTime(from);
    const end = parseLocalTime(to);
    const hit = Object.freeze({ multiplier, detail: `×${multiplier} ${days.join("/")} ${from}–${to}` });
    return (ctx) => (dayset.has(ctx.weekday) && ctx.minuteOfDay >= start && ctx.minuteOfDay < end ? hit : null);
  },
});
