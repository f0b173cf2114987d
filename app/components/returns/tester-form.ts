// The rules tester's sample return: one zod schema for the form fields and the action.
import { z } from "zod";
import { ITEM_CONDITIONS, RETURN_REASONS } from "~/core/returns/types";

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

export function testerSampleSchema(currencyDigits: number) {
  return z.object({
    sku: z.string().trim().min(1, "Choose a product"),
    reason: z.enum(RETURN_REASONS, { error: "Choose a reason" }),
    condition: z.preprocess(blankToNull, z.enum(ITEM_CONDITIONS).nullable()),
    price: z
      .string()
      .trim()
      .min(1, "Enter the price paid per item")
      .regex(/^\d+([.,]\d{1,2})?$/, "Enter an amount such as 24.00")
      .transform((v) => Math.round(Number(v.replace(",", ".")) * 10 ** currencyDigits)),
    quantity: z.coerce.number().int("Whole items only").min(1, "At least 1").max(100, "At most 100"),
    daysSinceDelivery: z.preprocess(blankToNull, z.coerce.number().int("Whole days only").min(0, "Zero or more").max(3650, "At most 3650").nullable()),
    country: z
      .string()
      .trim()
      .length(2, "Two-letter country code such as US")
      .transform((v) => v.toUpperCase()),
    province: z.preprocess(blankToNull, z.string().trim().max(10, "A province or state code such as NY").nullable()),
    postalCode: z.preprocess(blankToNull, z.string().trim().max(12, "At most 12 characters").nullable()),
    tags: z
      .string()
      .default("")
      .transform((v) => v.split(",").map((t) => t.trim()).filter(Boolean)),
  });
}

export const TESTER_FIELDS = ["sku", "reason", "condition", "price", "quantity", "daysSinceDelivery", "country", "province", "postalCode", "tags"] as const;
export type TesterValues = Record<(typeof TESTER_FIELDS)[number], string>;

export const DEFAULT_TESTER_VALUES: TesterValues = {
  sku: "",
  reason: "UNWANTED",
  condition: "OPENED",
  price: "",
  quantity: "1",
  daysSinceDelivery: "10",
  country: "US",
  province: "NY",
  postalCode: "11211",
  tags: "",
};
