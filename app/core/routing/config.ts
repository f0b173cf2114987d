// How routing weighs its choices: stored per shop as JSON, parsed once when a network is prepared.
// Every figure has a default, so `{}` is a valid config.
//
// The objective is lexicographic in spirit and additive in practice: an order is left unrouted only
// if nothing else fits (unroutedPenaltyMinor), a promise is broken only if nothing keeps it
// (breakPenaltyMinor), the shopper's chosen node is left only if keeping it is infeasible or, with
// keep = "SERVICE", free of charge (nodeChangePenaltyMinor), and among what is left the landed cost
// (forward + expected reverse, from core/costing) plus splitPenaltyMinor per extra shipment is minimised.
import { z } from "zod";
import { SERVICE_KINDS } from "../costing/types";
import { minorSchema } from "../money/money";

export const PROMISE_KEEPS = ["NODE_AND_SERVICE", "SERVICE"] as const;
export type PromiseKeep = (typeof PROMISE_KEEPS)[number];

export const routingConfigSchema = z.object({
  /** Cost of every shipment beyond the first: a second box, a second label, a shopper who gets two parcels. */
  splitPenaltyMinor: minorSchema.default(500),
  /** Most shipments one order may be split into (1: never split). */
  maxShipments: z.number().int().min(1).max(3).default(2),
  /** Nodes tried for splits, those supplying the most lines (then the nearest) first. */
  splitCandidateNodes: z.number().int().min(2).max(12).default(6),
  /** Options kept per order for the batch optimisation (the cheapest ones; 6 measured as good as 8 on bench/routing.ts). */
  candidatesPerOrder: z.number().int().min(1).max(50).default(6),
  /** Alternatives recorded on each decision. */
  alternativesListed: z.number().int().min(0).max(20).default(3),
  promise: z
    .object({
      /**
       * NODE_AND_SERVICE: ship from the node the shopper chose, with the chosen service, whenever that is
       * feasible; otherwise another node with a service at least as fast, flagged. SERVICE: any node
       * whose service is at least as fast as the chosen one keeps the promise.
       */
      keep: z.enum(PROMISE_KEEPS).default("NODE_AND_SERVICE"),
      /** The promise of an order without a Nearhub service code (another app's or a flat rate). */
      defaultService: z.enum(SERVICE_KINDS).default("STANDARD"),
      /** Added when an order leaves the node the shopper chose (keep = NODE_AND_SERVICE only). */
      nodeChangePenaltyMinor: minorSchema.default(100_000),
      /** Added when a shipment is slower than the promised service. */
      breakPenaltyMinor: minorSchema.default(1_000_000),
    })
    .prefault({}),
  /** Objective cost of leaving an order unrouted in a batch (it is then reported, never dropped). */
  unroutedPenaltyMinor: minorSchema.default(10_000_000),
  /** Orders a node can still take today; default: dailyCapacity minus the orders it took today (NetworkSnapshot.today). */
  capacityRemaining: z.record(z.string(), z.number().int().nonnegative()).default({}),
  /**
   * Units a micro-factory can still make today; default: today's opening minutes (less one set-up)
   * divided by makeMinutesPerUnit, unlimited when making takes no time.
   */
  makeUnitsRemaining: z.record(z.string(), z.number().int().nonnegative()).default({}),
  exact: z
    .object({
      /**
       * Largest batch (binary variables after reduction) solved as an exact MIP; above it the regret
       * heuristic decides. HiGHS took 0.2 s at 2,000 variables and 0.9 s at 8,300 on bench/routing.ts,
       * where the heuristic was 0–5% off (see docs/decisions/0007-order-routing.md).
       */
      maxVariables: z.number().int().nonnegative().default(10_000),
      /** Solver time limit; when it stops there, the better of its best solution and the heuristic's is used. */
      timeLimitSeconds: z.number().positive().default(2),
    })
    .prefault({}),
  heuristic: z
    .object({
      /** Passes of local improvement after the regret greedy. */
      improvementPasses: z.number().int().min(0).max(50).default(3),
    })
    .prefault({}),
});
export type RoutingConfig = z.output<typeof routingConfigSchema>;
export type RoutingConfigInput = z.input<typeof routingConfigSchema>;
