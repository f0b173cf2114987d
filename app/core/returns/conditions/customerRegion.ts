import { z } from "zod";
import { defineStrategy } from "../../rules/registry";
import { normalisePostalCode } from "../../geo/postal";
import type { ReturnCondition } from "./types";

const upper = (s: string) => s.trim().toUpperCase();

export const customerRegion = defineStrategy({
  code: "CUSTOMER_REGION",
  label: "Customer is in a region",
  args: z.object({
    countries: z
      .array(z.string().trim().length(2, "use a two-letter country code such as US").transform(upper))
      .min(1, "name at least one country")
      .describe("ISO 3166-1 alpha-2 country codes"),
    provinces: z
      .array(z.string().trim().min(1).transform(upper))
      .default([])
      .describe("Province or state codes (e.g. NY); empty: any"),
    postalPrefixes: z
      .array(z.string().trim().min(1).transform(normalisePostalCode))
      .default([])
      .describe("Postal code prefixes (e.g. 112); empty: any"),
  }),
  build: ({ countries, provinces, postalPrefixes }): ReturnCondition => {
    return ({ request }) => {
      const from = request.from;
      const country = upper(from.country);
      if (!countries.includes(country)) return { met: false, detail: `country ${country} is not one of: ${countries.join(", ")}` };
      const province = from.province ? upper(from.province) : null;
      if (provinces.length > 0 && (province === null || !provinces.includes(province))) {
        return { met: false, detail: `province ${province ?? "unknown"} is not one of: ${provinces.join(", ")}` };
      }
      const postal = from.postalCode ? normalisePostalCode(from.postalCode) : null;
      if (postalPrefixes.length > 0) {
        const prefix = postal === null ? undefined : postalPrefixes.find((p) => postal.startsWith(p));
        if (prefix === undefined) {
          return { met: false, detail: `postal code ${from.postalCode ?? "unknown"} starts with none of: ${postalPrefixes.join(", ")}` };
        }
        return { met: true, detail: `${country}${province ? ` ${province}` : ""}, postal code ${from.postalCode} starts with ${prefix}` };
      }
      return { met: true, detail: `${country}${province ? ` ${province}` : ""} is in the region` };
    };
  },
});
