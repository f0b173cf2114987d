// The shop's routing settings (one row per shop): whether decisions are only logged (SUGGEST) or
// executed in Shopify (AUTO), the split penalty, and the core's routing options (configJson,
// parsed by core/routing's routingConfigSchema). One zod schema for the admin form and the action.
import { issueSummary } from "~/core/validation/issues";
import type { RoutingSettings } from "@prisma/client";
import { z } from "zod";
import { routingConfigSchema, type RoutingConfigInput } from "~/core/routing";
import { db } from "~/db.server";
import { changeConfig } from "./config-version.server";

export const ROUTING_MODES = ["SUGGEST", "AUTO"] as const;
export type RoutingMode = (typeof ROUTING_MODES)[number];

export interface ShopRouting {
  mode: RoutingMode;
  splitPenaltyMinor: number;
  /** The core's routing config, splitPenaltyMinor included: pass it to prepareRouting. */
  config: RoutingConfigInput;
  updatedAt: Date | null;
}

/** The settings a shop has before it saves any (the schema's defaults). */
export const DEFAULT_ROUTING: ShopRouting = { mode: "SUGGEST", splitPenaltyMinor: 300, config: { splitPenaltyMinor: 300 }, updatedAt: null };

export const routingSettingsInputSchema = z.object({
  mode: z.enum(ROUTING_MODES, { error: "mode must be SUGGEST (log only) or AUTO (move fulfillment orders)" }),
  splitPenaltyMinor: z.coerce
    .number({ error: "split penalty must be a whole number of cents" })
    .int("split penalty must be a whole number of cents")
    .min(0, "split penalty cannot be negative")
    .max(100_000, "split penalty must be at most 100000"),
  config: z
    .record(z.string(), z.unknown())
    .default({})
    .superRefine((value, ctx) => {
      const parsed = routingConfigSchema.safeParse(value);
      if (!parsed.success) for (const i of parsed.error.issues) ctx.addIssue({ code: "custom", message: i.message, path: i.path });
    }),
});
export type RoutingSettingsInput = z.input<typeof routingSettingsInputSchema>;

export class InvalidRoutingSettingsError extends Error {}

function fromRow(row: RoutingSettings): ShopRouting {
  let stored: unknown;
  try {
    stored = JSON.parse(row.configJson);
  } catch {
    throw new InvalidRoutingSettingsError(`stored routing configuration of shop ${row.shopId} is not JSON`);
  }
  const parsed = routingConfigSchema.safeParse(stored);
  if (!parsed.success) {
    throw new InvalidRoutingSettingsError(
      `stored routing configuration of shop ${row.shopId} is invalid: ${issueSummary(parsed.error, { root: "value" })}`,
    );
  }
  const mode: RoutingMode = row.mode === "AUTO" ? "AUTO" : "SUGGEST";
  return {
    mode,
    splitPenaltyMinor: row.splitPenaltyMinor,
    // The column wins over a splitPenaltyMinor inside the JSON: the admin edits the column.
    config: { ...(stored as RoutingConfigInput), splitPenaltyMinor: row.splitPenaltyMinor },
    updatedAt: row.updatedAt,
  };
}

export async function getRoutingSettings(shopId: string): Promise<ShopRouting> {
  const row = await db.routingSettings.findUnique({ where: { shopId } });
  return row ? fromRow(row) : DEFAULT_ROUTING;
}

/** Validates and stores; throws a ZodError naming the field when the input is wrong. */
export async function saveRoutingSettings(shopId: string, input: RoutingSettingsInput): Promise<ShopRouting> {
  const data = routingSettingsInputSchema.parse(input);
  const configJson = JSON.stringify(data.config);
  // Checkout's split quotes read these settings (quote-snapshot.server.ts): the quote cache reloads.
  const row = await changeConfig(shopId, (tx) =>
    tx.routingSettings.upsert({
      where: { shopId },
      create: { shopId, mode: data.mode, splitPenaltyMinor: data.splitPenaltyMinor, configJson },
      update: { mode: data.mode, splitPenaltyMinor: data.splitPenaltyMinor, configJson },
    }),
  );
  return fromRow(row);
}
