// The merchant's backup rates: what the shopper is offered when live quoting cannot answer
// in time or at all (and Shopify's own backup rates would otherwise show a banner).
import { z } from "zod";
import { minorSchema } from "../money/money";

export const backupRateSchema = z.object({
  serviceName: z.string().trim().min(1, "Service name is required").max(80),
  serviceCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_:-]{1,60}$/, "Service code must be 1–60 letters, digits, _, : or -"),
  description: z.string().trim().max(200).default(""),
  priceMinor: minorSchema,
  /** Free when the cart subtotal reaches this; null: never free. */
  freeOverMinor: minorSchema.nullable().default(null),
  transitDaysMin: z.number().int().nonnegative().default(3),
  transitDaysMax: z.number().int().nonnegative().default(7),
});
export const backupRatesSchema = z.array(backupRateSchema).max(10, "At most 10 backup rates");
export type BackupRate = z.output<typeof backupRateSchema>;

/** Used when the merchant has not configured any. */
export const DEFAULT_BACKUP_RATES: BackupRate[] = [
  {
    serviceName: "Standard shipping",
    serviceCode: "NH:BACKUP:STANDARD",
    description: "Ships from our warehouse",
    priceMinor: 899,
    freeOverMinor: null,
    transitDaysMin: 3,
    transitDaysMax: 7,
  },
];
