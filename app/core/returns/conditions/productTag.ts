import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import type { ReturnCondition } from "./types";

export const productTagged = defineStrategy({
  code: "PRODUCT_TAG",
  label: "Product has any of the tags",
  args: z.object({
    tags: z
      .array(z.string().trim().min(1, "a tag cannot be empty"))
      .min(1, "name at least one tag")
      .describe("Shopify product tags, compared without regard to case (e.g. final-sale)"),
  }),
  build: ({ tags }): ReturnCondition => {
    const wanted = new Set(tags.map((t) => t.toLowerCase()));
    const listed = tags.join(", ");
    return ({ line }) => {
      const hit = line.tags.find((t) => wanted.has(t.trim().toLowerCase()));
      if (hit !== undefined) return { met: true, detail: `tagged "${hit}"` };
      const has = line.tags.length > 0 ? line.tags.join(", ") : "no tags";
      return { met: false, detail: `has ${has}, none of: ${listed}` };
    };
  },
});
