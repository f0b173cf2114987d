import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { reason } from "../reasons";
import type { Gate } from "./types";

/** A node takes at most its daily capacity of orders: what is left of today (ctx.ordersLeft) must be one or more. */
export const capacityGate = defineStrategy({
  code: "ORDER_CAPACITY",
  label: "The node has capacity left today",
  args: z.object({}),
  build: (): Gate => ({
    purposes: ["SHIP", "MAKE", "PICKUP", "CAMPAIGN"],
    run(s, _purpose, ctx, out) {
      if (ctx.ordersLeft === undefined || ctx.ordersLeft >= 1) return true;
      const capacity = s.node.dailyCapacity;
      out.reasons?.push(reason("OVER_CAPACITY", { node: s.node.name, taken: Math.max(0, capacity - Math.max(0, ctx.ordersLeft)), capacity }));
      return false;
    },
  }),
});
