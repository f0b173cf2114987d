import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import type { SurgeRule } from "./types";

export const loadRatio = defineStrategy({
  code: "LOAD_RATIO",
  label: "Surge by the node's load today",
  args: z.object({
    /** The highest step whose atLeast the load ratio reaches applies. */
    steps: z.array(z.object({ atLeast: z.number().min(0), multiplier: z.number().min(1).max(10) })).min(1),
  }),
  build: ({ steps }): SurgeRule => {
    const sorted = [...steps].sort((a, b) => b.atLeast - a.atLeast);
    return (ctx) => {
      const step = sorted.find((s) => ctx.loadRatio >= s.atLeast);
      return step
        ? { multiplier: step.multiplier, detail: `×${step.multiplier} node load ${Math.round(ctx.loadRatio * 100)}% ≥ ${Math.round(step.atLeast * 100)}%` }
        : null;
    };
  },
});
