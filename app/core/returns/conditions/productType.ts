import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import type { ReturnCondition } from "./types";

export const productTypeIs = defineStrategy({
  code: "PRODUCT_TYPE",
  label: "Product type is one of",
  args: z.object({
    types: z
      .array(z.string().trim().min(1, "a product type cannot be empty"))
      .min(1, "name at least one product type")
      .describe("Shopify product types, compared without regard to case"),
  }),
  build: ({ types }): ReturnCondition => {
    const wanted = new Set(types.map((t) => t.toLowerCase()));
    const listed = types.join(", ");
    return ({ line }) => {
      const type = line.product.category;
      return wanted.has(type.trim().toLowerCase())
        ? { met: true, detail: `product type "${type}" is one of: ${listed}` }
        : { met: false, detail: `product type "${type}" is not one of: ${listed}` };
    };
  },
});
