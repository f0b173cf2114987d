// The shop's quoting configuration: the cost engine's config plus how options are offered and priced.
import { z } from "zod";
import { costingConfigSchema } from "../costing/config";
import { ruleRefSchema } from "../rules/registry";
import { NODE_KINDS } from "../network/types";

export const quoteConfigSchema = costingConfigSchema.extend({
  /** Merchant pricing rules, applied in order on top of the forward cost. */
  pricingRules: z.array(ruleRefSchema).default([]),
  pickup: z
    .object({
      nodeKinds: z.array(z.enum(NODE_KINDS)).default(["MICRO_HUB", "STORE"]),
      /** Pickup is offered within this distance when the address has coordinates; null: anywhere. */
      maxDistanceM: z.number().positive().nullable().default(50_000),
      /**
       * Pickup is offered in an opening the shopper has a real chance to use: one that leaves at least
       * this many minutes between ready and closing (else the next such opening is offered).
       */
      minWindowMinutes: z.number().int().min(0).max(720).default(60),
    })
    .prefault({}),
  promise: z
    .object({
      /** Width of a courier/autonomous delivery window after the earliest arrival. */
      windowMinutes: z.number().int().nonnegative().default(60),
      /** The promised "by" time is rounded up to this many minutes, in local time. */
      roundUpToMinutes: z.number().int().positive().max(1440).default(60),
      /** How far ahead to look for an opening day. */
      horizonDays: z.number().int().positive().max(60).default(14),
    })
    .prefault({}),
});
export type QuoteConfig = z.output<typeof quoteConfigSchema>;
export type QuoteConfigInput = z.input<typeof quoteConfigSchema>;

/**
 * The configuration as the shop's settings store it: without node operations, which live with
 * each node (the service puts them back under `nodes` before preparing a network).
 */
export const storedQuoteConfigSchema = quoteConfigSchema.omit({ nodes: true });
export type StoredQuoteConfig = z.output<typeof storedQuoteConfigSchema>;

/**
 * A stored configuration as this version reads it: keys earlier versions wrote and this one no
 * longer has are dropped, so they are neither shown nor saved back. `nodes.<id>.currentLoad` (orders
 * typed in by hand) went when orders taken today began to be counted (NetworkSnapshot.today).
 */
export function upgradeQuoteConfig<T>(stored: T): T {
  if (typeof stored !== "object" || stored === null || !("nodes" in stored)) return stored;
  const nodes = (stored as { nodes?: unknown }).nodes;
  if (typeof nodes !== "object" || nodes === null) return stored;
  const upgraded = Object.fromEntries(
    Object.entries(nodes).map(([id, ops]) => {
      if (typeof ops !== "object" || ops === null || !("currentLoad" in ops)) return [id, ops];
      const { currentLoad: _dropped, ...rest } = ops as Record<string, unknown>;
      return [id, rest];
    }),
  );
  return { ...stored, nodes: upgraded };
}
