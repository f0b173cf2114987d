import type { QuotedCourierFees } from "../costing/quotedFees";
import type { CartLine, Destination, LandedCost, ServiceKind } from "../costing/types";
import type { Reason, ReasonCode } from "../network/reasons";
import type { NetworkSnapshot } from "../network/types";
import type { QuoteConfigInput } from "./config";
import type { PricingStep } from "./pricing";

export interface Cart {
  lines: CartLine[];
}

export interface QuoteRequest {
  cart: Cart;
  destination: Destination;
  now: Date | number;
  /** Courier fees quoted ahead (courierQuoteLookup in app/services/courier-quotes.server.ts); fresh ones replace rate estimates. */
  quotedCourierFees?: QuotedCourierFees;
}

export interface QuoteInput extends QuoteRequest {
  snapshot: NetworkSnapshot;
  config: QuoteConfigInput;
}

/** When the shopper gets it: UTC instants, plus the node's zone for showing them. */
export interface DeliveryWindow {
  earliestMs: number;
  latestMs: number;
  timezone: string;
}

/** One parcel of a split rate: the lines one node ships, with the rate's service. */
export interface QuoteShipment {
  nodeId: string;
  nodeHandle: string;
  nodeName: string;
  service: ServiceKind;
  lines: { productId: string; sku: string; quantity: number }[];
  /** This parcel's part of the rate's price (the pricing rules applied to its costs). */
  priceMinor: number;
  cost: LandedCost;
  window: DeliveryWindow;
  /** "Today by 8 pm from the Brooklyn hub". */
  description: string;
}

export interface QuoteOption {
  /**
   * NH:<nodeHandle>:<SERVICE>, or NH:<node1>+<node2>:<SERVICE> for a split rate; read back by routing
   * with parseServiceCode.
   */
  serviceCode: string;
  service: ServiceKind;
  nodeId: string;
  nodeHandle: string;
  nodeName: string;
  currency: string;
  /** What the shopper pays. */
  priceMinor: number;
  cost: LandedCost;
  pricing: PricingStep[];
  window: DeliveryWindow;
  /** "Today by 8 pm from the Brooklyn hub". */
  description: string;
  /** Why this option is offered: service area, cut-off, dispatch time. */
  reasons: string[];
  /**
   * A split rate (no single node could ship the whole cart with this service): its parcels, in
   * the order of the service code's nodes. nodeId and nodeHandle are then the first parcel's,
   * nodeName names every node, cost adds the parcels' costs up and window is the latest parcel's.
   */
  shipments?: QuoteShipment[];
}

/** Why a node or one of its services is left out of a quote: codes of the one vocabulary (core/network/reasons.ts). */
export const EXCLUSION_CODES = [
  // the availability gate (the whole node)
  "DISABLED",
  "PERMIT_LAPSED",
  "PERMIT_SUSPENDED",
  "OVER_CAPACITY",
  "NO_STOCK",
  "MAKE_CAPACITY",
  // a service (core/quoting planners)
  "NO_LOCATION",
  "OUTSIDE_SERVICE_AREA",
  "HOLIDAY",
  "CLOSED",
  "PAST_CUTOFF",
  "LEAD_TIME",
  "NOT_PRICED",
  "CORRIDOR_UNAVAILABLE",
] as const satisfies readonly ReasonCode[];
export type ExclusionCode = (typeof EXCLUSION_CODES)[number];

export type ExclusionReason = Reason<ExclusionCode>;

export interface Exclusion {
  nodeId: string;
  nodeHandle: string;
  /** Null when the whole node is out (disabled, no stock, over capacity). */
  service: ServiceKind | null;
  reasons: ExclusionReason[];
}

export interface QuoteResult {
  currency: string;
  quotedAt: number;
  /** Cheapest first. */
  options: QuoteOption[];
  excluded: Exclusion[];
  reasons: string[];
}
