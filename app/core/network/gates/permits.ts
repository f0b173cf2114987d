import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { PURPOSES, type Gate } from "./types";

/**
 * A lapsed or suspended permit takes away what it gates (core/permits): the whole node for a fire
 * inspection, only receiving returns for a secondhand dealer licence. The holds are worked out once
 * per snapshot (NetworkSnapshot.permits), so asking costs one lookup.
 */
export const permitsGate = defineStrategy({
  code: "PERMITS",
  label: "Its permits are in force",
  args: z.object({}),
  build: (): Gate => ({
    purposes: PURPOSES,
    run(s, purpose, _ctx, out) {
      const hold = s.permitHolds?.[purpose];
      if (hold === undefined) return true;
      out.reasons?.push(hold);
      return false;
    },
  }),
});
