import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { reason } from "../reasons";
import type { Gate } from "./types";

/**
 * Open today (no holiday, opening hours today). Only where the purpose is about today as a whole:
 * a campaign promises same-day delivery from local stock. Shipping and pickup are judged per
 * service by core/quoting's planners, which know cut-offs and lead times.
 */
export const openTodayGate = defineStrategy({
  code: "OPEN_TODAY",
  label: "The node is open today",
  args: z.object({}),
  build: (): Gate => ({
    purposes: ["CAMPAIGN"],
    run(_s, _purpose, ctx, out) {
      const day = ctx.day;
      if (!day || (day.open && !day.holiday)) return true;
      out.reasons?.push(day.holiday ? reason("HOLIDAY", {}) : reason("CLOSED", { weekday: day.weekday }));
      return false;
    },
  }),
});
