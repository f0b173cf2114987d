// Everything the cost engine needs beyond the network snapshot. Stored as JSON, edited in admin,
// parsed here once per prepared network.
import { z } from "zod";
import { minorSchema } from "../money/money";
import { corridorSchema } from "./corridor";
import { courierSchema } from "./courier";
import { rateCardSchema } from "./rateCard";
import { roundsConfigSchema } from "./rounds";

const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD");

/**
 * Day-to-day operating facts of one node. Orders taken today are not typed here: they are counted
 * (NetworkSnapshot.today). A stored `currentLoad` from before is dropped when the config is read.
 */
export const nodeOpsSchema = z.object({
  /** Local dates the node is closed. */
  holidays: z.array(isoDateSchema).default([]),
  /** Minutes to pick and pack an order. */
  prepMinutes: z.number().int().nonnegative().default(30),
  /** Micro-factories: minutes to set up a made-to-order run, and per unit made. */
  makeSetupMinutes: z.number().int().nonnegative().default(0),
  makeMinutesPerUnit: z.number().nonnegative().default(0),
});
export type NodeOps = z.output<typeof nodeOpsSchema>;
export type NodeOpsInput = z.input<typeof nodeOpsSchema>;

export const costingConfigSchema = z.object({
  rateCards: z.array(rateCardSchema).default([]),
  couriers: z.array(courierSchema).default([]),
  corridors: z.array(corridorSchema).default([]),
  /** Hubs' own delivery rounds (riders, cargo bikes, vans, a subscription courier); the first for a node counts. */
  rounds: z.array(roundsConfigSchema).default([]),
  /** Keyed by node id; a node without an entry gets the defaults. */
  nodes: z.record(z.string(), nodeOpsSchema).default({}),
  returns: z
    .object({
      /** Nodes that accept returns; null: every active micro-hub and central warehouse. */
      hubNodeIds: z.array(z.string()).nullable().default(null),
      /** Cost per returned unit when no return leg can be priced. */
      fallbackUnitCostMinor: minorSchema.default(0),
    })
    .prefault({}),
});
export type CostingConfig = z.output<typeof costingConfigSchema>;
export type CostingConfigInput = z.input<typeof costingConfigSchema>;
