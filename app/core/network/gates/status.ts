import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { reason } from "../reasons";
import { PURPOSES, type Gate } from "./types";

/** A disabled node serves nothing. */
export const statusGate = defineStrategy({
  code: "STATUS",
  label: "The node is active",
  args: z.object({}),
  build: (): Gate => ({
    purposes: PURPOSES,
    run(s, _purpose, _ctx, out) {
      if (s.node.status === "ACTIVE") return true;
      out.reasons?.push(reason("DISABLED", { node: s.node.name }));
      return false;
    },
  }),
});
