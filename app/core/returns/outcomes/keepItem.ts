import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { formatMinor } from "../../money/money";
import { applied, itemComesBackAfter, paidAs, resolutionSchema, type ReturnOutcome } from "./types";

/**
 * The customer keeps the item and is paid, but only when bringing it back costs more than it
 * recovers at the hub it would go to (expected resale net of the return leg, handling and
 * holding, see destination.ts); otherwise the rule does not match and the next one is tried.
 */
export const keepItem = defineStrategy({
  code: "KEEP_ITEM",
  label: "Keep the item when bringing it back costs more than it recovers",
  args: z.object({ resolution: resolutionSchema }),
  build: ({ resolution }): ReturnOutcome => {
    return ({ paidMinor, currency, line, destination }) => {
      const d = destination();
      const hub = d.hub;
      if (hub && hub.netRecoveryMinor >= 0) {
        return {
          applies: false,
          detail: `bringing it back pays: ${hub.name} recovers ${formatMinor(hub.netRecoveryMinor, currency)} net per unit (${hub.detail})`,
        };
      }
      const why = hub
        ? `bringing it back to ${hub.name} would lose ${formatMinor(-hub.netRecoveryMinor, currency)} per unit (${hub.detail})`
        : `no return hub can take it back (${d.reasons.join("; ")})`;
      const money = paidAs(resolution, paidMinor);
      return applied({
        code: "KEEP_ITEM",
        label: "Keep the item",
        itemComesBack: itemComesBackAfter("KEEP_ITEM"),
        ...money,
        customerMessage: `Keep the ${line.product.title}: there is no need to send it back.`,
        detail: `keeps ${line.product.sku} and gets ${resolution === "REFUND" ? "a refund" : "store credit"} of ${formatMinor(paidMinor, currency)}: ${why}`,
      });
    };
  },
});
