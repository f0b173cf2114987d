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

export interface QuoteOption {
  /** NH:<nodeHandle>:<SERVICE>, read back by routing with parseServiceCode. */
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
}

/** Why a node or one of its services is left out of a quote: codes of the one vocabulary (core/network/reasons.ts). */
export const EXCLUSION_CODES = [
  // the availability gate (the whole node)
  "DISABLED",
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
