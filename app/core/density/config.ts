// Thresholds of the density analysis: stored per shop as JSON, every one with a default, so `{}`
// is a valid config. Rates are per day over the analysis window.
import { z } from "zod";
import { minorSchema } from "../money/money";

const rate = z.number().nonnegative();
const share = z.number().min(0).max(1);

export const densityConfigSchema = z.object({
  /** Days of order history analysed, ending at `now`. */
  windowDays: z.number().int().min(7).max(730).default(90),
  /** Days counted as "recent" for velocity trends. */
  recentDays: z.number().int().min(1).max(365).default(28),
  /**
   * H3 resolution of the demand grid. 6 (about 36 km² per cell, 3.7 km edge) resolves neighbourhoods of
   * a metro while a city still spans dozens of cells; 5 (about 250 km²) for sparse, spread-out demand.
   */
  h3Resolution: z.number().int().min(3).max(9).default(6),
  /** Dense cells this many rings apart (or fewer) belong to one cluster; the cells next to them join it. */
  joinRings: z.number().int().min(1).max(5).default(2),
  cell: z
    .object({
      /** A cell is dense from this many orders a day (0.25: about 22 orders in 90 days). */
      minOrdersPerDay: rate.default(0.25),
    })
    .prefault({}),
  cluster: z
    .object({
      /** A cluster with fewer orders a day folds back into the long tail. */
      minOrdersPerDay: rate.default(3),
    })
    .prefault({}),
  local: z
    .object({
      /** Local micro-fulfilment from this many orders a day in the cluster… */
      minOrdersPerDay: rate.default(10),
      /**
       * …when serving them locally saves at least this much per order (checked when a cost model is
       * given). Negative: local may cost up to that much more than central, the price of delivering the
       * same day (which checkout charges for). Default: at most 2.00 more.
       */
      minSavingPerOrderMinor: z.number().int().default(-200),
    })
    .prefault({}),
  microFactory: z
    .object({
      /** A micro-factory from this many made-to-order units a day in the cluster… */
      minUnitsPerDay: rate.default(5),
      /** …when made-to-order products are at least this share of the cluster's units. */
      minShare: share.default(0.3),
    })
    .prefault({}),
  seller: z
    .object({
      /** Sellers with fewer orders a day stay central whatever their geography. */
      minOrdersPerDay: rate.default(0.5),
      /** A seller goes local when at least this share of its units goes to clusters served locally. */
      minLocalShare: share.default(0.5),
    })
    .prefault({}),
  sku: z
    .object({
      /** SKUs worth stocking in a cluster's hub: from this many units a week there. */
      minUnitsPerWeek: rate.default(3),
      /** SKUs listed per cluster and per seller. */
      listed: z.number().int().min(1).max(50).default(10),
    })
    .prefault({}),
  pilot: z
    .object({
      /** Clusters a 90-day pilot starts with: the busiest eligible ones (then the larger saving a day). */
      clusters: z.number().int().min(1).max(5).default(2),
      /** A pilot cluster needs at least this many orders a day to show results within the pilot. */
      minOrdersPerDay: rate.default(10),
    })
    .prefault({}),
  saving: z
    .object({
      /** Orders per cluster priced central vs local with the cost engine (evenly spread over the window). */
      sampleOrders: z.number().int().min(1).max(1000).default(40),
      /** A new hub, where a cluster has none: its handling cost per order and its delivery radius. */
      hubHandlingMinor: minorSchema.default(150),
      hubRadiusM: z.number().positive().default(8000),
    })
    .prefault({}),
});
export type DensityConfig = z.output<typeof densityConfigSchema>;
export type DensityConfigInput = z.input<typeof densityConfigSchema>;
