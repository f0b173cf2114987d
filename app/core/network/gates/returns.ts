import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { reason } from "../reasons";
import type { Gate } from "./types";

/** Returns go to the shop's return hubs: its list, or without one its micro-hubs and central warehouses. */
export const returnHubGate = defineStrategy({
  code: "RETURN_HUB",
  label: "The node is one of the shop's return hubs",
  args: z.object({}),
  build: (): Gate => ({
    purposes: ["RETURN"],
    run(s, _purpose, _ctx, out) {
      if (s.returnHub) return true;
      out.reasons?.push(reason("NOT_RETURN_HUB", { node: s.node.name, kind: s.returnHubsListed ? null : s.kindWords }));
      return false;
    },
  }),
});

/** The merchant's own setting on the node (Network page): it may be chosen as a return destination. */
export const acceptsReturnsGate = defineStrategy({
  code: "ACCEPTS_RETURNS",
  label: "The node accepts returns",
  args: z.object({}),
  build: (): Gate => ({
    purposes: ["RETURN"],
    run(s, _purpose, _ctx, out) {
      if (s.node.acceptsReturns) return true;
      out.reasons?.push(reason("NOT_ACCEPTING_RETURNS", { node: s.node.name }));
      return false;
    },
  }),
});
