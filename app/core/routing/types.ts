// Inputs and outputs of order routing: plain values, no ORM entities, no Shopify objects.
import { z } from "zod";
import { destinationSchema, type Destination, type LandedCost, type ServiceKind } from "../costing/types";
import type { Reason, ReasonCode } from "../network/reasons";

export interface RoutingOrderLine {
  /** The shop's line id (Shopify line item or fulfillment order line item), echoed back. */
  id?: string;
  productId: string;
  quantity: number;
  unitPriceMinor?: number;
}

export interface RoutingOrder {
  id: string;
  /** UTC ms. */
  placedAt: number;
  destination: Destination;
  lines: RoutingOrderLine[];
  /** The shipping line's code: "NH:<nodeHandle>:<SERVICE>" when the shopper chose a Nearhub rate. */
  serviceCode?: string | null;
}

export const routingOrderSchema = z.object({
  id: z.string().min(1),
  placedAt: z.number().int(),
  destination: destinationSchema,
  lines: z
    .array(
      z.object({
        id: z.string().min(1).optional(),
        productId: z.string().min(1),
        quantity: z.number().int().positive(),
        unitPriceMinor: z.number().int().nonnegative().optional(),
      }),
    )
    .min(1, "an order needs at least one line"),
  serviceCode: z.string().nullish(),
});

/** Why a node, or an option, was not chosen: codes of the one vocabulary (core/network/reasons.ts). */
export const LOSS_CODES = [
  // the node cannot take the order at all (the availability gate)
  "DISABLED",
  "PERMIT_LAPSED",
  "PERMIT_SUSPENDED",
  "NO_STOCK",
  "OVER_CAPACITY",
  "MAKE_CAPACITY",
  // the node cannot deliver it with any service
  "NO_LOCATION",
  "OUTSIDE_SERVICE_AREA",
  "HOLIDAY",
  "CLOSED",
  "PAST_CUTOFF",
  "LEAD_TIME",
  "NOT_PRICED",
  "CORRIDOR_UNAVAILABLE",
  "NO_SERVICE",
  // an option that could have served it
  "COST",
  "BROKE_PROMISE",
  "LEFT_CHOSEN_NODE",
  "STOCK_TAKEN",
  "CAPACITY_TAKEN",
  "MAKE_CAPACITY_TAKEN",
  "TOO_MANY_LINES",
  "UNKNOWN_PRODUCT",
] as const satisfies readonly ReasonCode[];
export type LossCode = (typeof LOSS_CODES)[number];

export type LossReason = Reason<LossCode>;

export interface NodeExclusion {
  nodeId: string;
  nodeHandle: string;
  reasons: LossReason[];
}

export interface ShipmentLine {
  lineId: string | null;
  productId: string;
  sku: string;
  quantity: number;
  /** Units a micro-factory makes for this line (the rest comes off its shelf). */
  madeUnits: number;
}

export interface Shipment {
  nodeId: string;
  nodeHandle: string;
  nodeName: string;
  service: ServiceKind;
  /** NH:<nodeHandle>:<SERVICE>, the same code quoting gives. */
  serviceCode: string;
  lines: ShipmentLine[];
  /** Landed cost of this shipment from core/costing, with its components and reasons. */
  cost: LandedCost;
  /** Whether this shipment's service is at least as fast as the promise. */
  keepsPromise: boolean;
}

/** PROMISE statuses: the chosen node and service kept, another node with a service as fast, or slower. */
export type PromiseStatus = "KEPT" | "NODE_CHANGED" | "BROKEN";

export interface PromiseInfo {
  /** What the shopper chose at checkout; null when the order carries no Nearhub service code. */
  requested: { nodeHandle: string; service: ServiceKind } | null;
  /** The service the order must match or beat. */
  service: ServiceKind;
  /** The chosen node, if it is one of this network's nodes. */
  nodeId: string | null;
}

export interface Alternative {
  /** Node handles, one per shipment. */
  nodes: string[];
  services: ServiceKind[];
  /** Landed cost plus split penalty. */
  costMinor: number;
  /** Against the chosen assignment (landed + split penalty); negative when the alternative was cheaper. */
  deltaMinor: number;
  promise: PromiseStatus;
  lost: LossReason[];
}

export type DecisionStatus = "ROUTED" | "UNROUTABLE";

export interface RoutingDecision {
  orderId: string;
  status: DecisionStatus;
  currency: string;
  shipments: Shipment[];
  /** Σ landed cost of the shipments (forward + expected reverse). */
  landedMinor: number;
  splitPenaltyMinor: number;
  /** landedMinor + splitPenaltyMinor: what the choice costs the merchant. */
  totalMinor: number;
  promise: PromiseInfo & { status: PromiseStatus | null; reasons: string[] };
  alternatives: Alternative[];
  /** Nodes that could not take the order, and why. */
  excluded: NodeExclusion[];
  /** The decision in words: why this choice, and for unroutable orders why nothing fits. */
  reasons: string[];
}

export type RoutingMethod = "EXACT" | "HEURISTIC" | "DIRECT" | "SHOPIFY_DEFAULT";

export interface BatchStats {
  orders: number;
  routed: number;
  unroutable: number;
  /** Options costed over all orders. */
  optionsCosted: number;
  /** Orders whose best option used only uncontended stock and capacity (decided without optimisation). */
  decidedDirectly: number;
  /** Orders that competed for scarce stock or capacity. */
  contended: number;
  /** Binary variables of the reduced model (0 when nothing competed). */
  variables: number;
  /** Contended resources (rows of the reduced model). */
  constraints: number;
  /** How the contended orders were decided. */
  method: RoutingMethod;
  /** Why the method was chosen ("4812 variables > exact.maxVariables 4000"). */
  methodReason: string;
  /** Objective of the contended part as the exact solver proved it (EXACT only). */
  solverStatus: string | null;
  /** Orders routed again against what was left after the optimisation (new options, splits included). */
  repaired: number;
  /** Local-improvement moves the heuristic made. */
  improvementMoves: number;
}

export interface BatchResult {
  currency: string;
  decisions: RoutingDecision[];
  /** Σ totalMinor of routed orders. */
  totalMinor: number;
  /** The optimised objective: totals plus promise and unrouted penalties. */
  objectiveMinor: number;
  stats: BatchStats;
}
