import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { reason } from "../reasons";
import type { Gate } from "./types";

/** Shortfalls listed one by one; the rest are counted in one more reason. */
export const LISTED_SHORTFALLS = 4;

/**
 * Every line asked is on the shelf or, at a node that makes to order (a micro-factory), a
 * made-to-order product it can still make today (a campaign promotes what is on the shelf only).
 * Marks the lines it can supply, so routing can split.
 */
export const stockGate = defineStrategy({
  code: "STOCK",
  label: "The node has every line, on the shelf or made to order",
  args: z.object({ listed: z.number().int().min(0).max(50).default(LISTED_SHORTFALLS) }),
  build: ({ listed }): Gate => ({
    purposes: ["SHIP", "MAKE", "PICKUP", "CAMPAIGN"],
    run(s, purpose, ctx, out) {
      const demand = ctx.demand;
      if (!demand) return true;
      const { lines, onHand } = demand;
      const making = s.makesToOrder && purpose !== "CAMPAIGN";
      const makeLeft = ctx.makeLeft ?? Infinity;
      const node = s.node.name;
      let short = 0;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const has = onHand[i];
        if (has >= line.quantity) continue;
        if (making && line.product.madeToOrder) {
          const units = line.quantity - Math.max(0, has);
          if (makeLeft >= units) continue;
          if (i < 30) out.supplied &= ~(1 << i);
          if (++short <= listed) out.reasons?.push(reason("MAKE_CAPACITY", { node, sku: line.product.sku, units, left: makeLeft }));
          continue;
        }
        if (i < 30) out.supplied &= ~(1 << i);
        if (++short <= listed) out.reasons?.push(reason("NO_STOCK", { node, sku: line.product.sku, needs: line.quantity, has }));
      }
      if (out.reasons && short > listed) out.reasons.push(reason("NO_STOCK", { node, more: short - listed }));
      return short === 0;
    },
  }),
});
