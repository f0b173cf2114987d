import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { describeRange, type ReturnCondition } from "./types";

const days = z.number().int().nonnegative().nullable().default(null);

export const daysSinceDelivery = defineStrategy({
  code: "DAYS_SINCE_DELIVERY",
  label: "Days since delivery are within a range",
  args: z
    .object({
      minDays: days.describe("At least this many whole days after delivery; empty: no lower bound"),
      maxDays: days.describe("At most this many whole days after delivery; empty: no upper bound"),
    })
    .refine((a) => a.minDays !== null || a.maxDays !== null, { message: "set a minimum, a maximum or both", path: ["maxDays"] })
    .refine((a) => a.minDays === null || a.maxDays === null || a.minDays <= a.maxDays, {
      message: "the maximum must be at least the minimum",
      path: ["maxDays"],
    }),
  build: ({ minDays, maxDays }): ReturnCondition => {
    const wanted = describeRange(minDays, maxDays, (d) => `${d}`);
    return ({ daysSinceDelivery: d }) => {
      if (d === null) return { met: false, detail: "the delivery date is unknown" };
      const met = (minDays === null || d >= minDays) && (maxDays === null || d <= maxDays);
      return { met, detail: `${d} days since delivery${met ? ", " : "; the rule wants "}${wanted}` };
    };
  },
});
