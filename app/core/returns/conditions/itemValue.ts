import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { formatMinor, minorSchema } from "../../money/money";
import { describeRange, type ReturnCondition } from "./types";

export const itemValue = defineStrategy({
  code: "ITEM_VALUE",
  label: "Price paid per item is within a range",
  args: z
    .object({
      minMinor: minorSchema.nullable().default(null).describe("At least this much, minor units; empty: no lower bound"),
      maxMinor: minorSchema.nullable().default(null).describe("At most this much, minor units; empty: no upper bound"),
    })
    .refine((a) => a.minMinor !== null || a.maxMinor !== null, { message: "set a minimum, a maximum or both", path: ["maxMinor"] })
    .refine((a) => a.minMinor === null || a.maxMinor === null || a.minMinor <= a.maxMinor, {
      message: "the maximum must be at least the minimum",
      path: ["maxMinor"],
    }),
  build: ({ minMinor, maxMinor }): ReturnCondition => {
    return ({ line, currency }) => {
      const paid = line.unitPriceMinor;
      const shown = formatMinor(paid, currency);
      if (minMinor !== null && paid < minMinor) return { met: false, detail: `paid ${shown}, under ${formatMinor(minMinor, currency)}` };
      if (maxMinor !== null && paid > maxMinor) return { met: false, detail: `paid ${shown}, over ${formatMinor(maxMinor, currency)}` };
      return { met: true, detail: `paid ${shown}, ${describeRange(minMinor, maxMinor, (v) => formatMinor(v, currency))}` };
    };
  },
});

