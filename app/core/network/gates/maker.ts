import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { reason } from "../reasons";
import type { Gate } from "./types";

/** Making to order is what a micro-factory does; any other node only ships from its shelf. */
export const makerGate = defineStrategy({
  code: "MAKER",
  label: "The node makes to order",
  args: z.object({}),
  build: (): Gate => ({
    purposes: ["MAKE"],
    run(s, _purpose, _ctx, out) {
      if (s.makesToOrder) return true;
      out.reasons?.push(reason("NOT_A_MAKER", { node: s.node.name, kind: s.kindWords }));
      return false;
    },
  }),
});
