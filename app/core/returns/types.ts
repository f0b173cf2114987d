// What a return request looks like to the core: plain, already-loaded values. Services build it
// from Shopify's return (returns/request webhook, Return.returnLineItems) and the order.
import type { Destination } from "../costing/types";
import type { ProductProfile } from "../network/types";

/** Shopify's ReturnReason enum (Admin GraphQL), so a reason maps one to one. */
export const RETURN_REASONS = [
  "COLOR",
  "DEFECTIVE",
  "NOT_AS_DESCRIBED",
  "OTHER",
  "SIZE_TOO_LARGE",
  "SIZE_TOO_SMALL",
  "STYLE",
  "UNKNOWN",
  "UNWANTED",
  "WRONG_ITEM",
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** As Shopify displays them. */
export const RETURN_REASON_LABELS: Record<ReturnReason, string> = {
  COLOR: "Color",
  DEFECTIVE: "Damaged or defective",
  NOT_AS_DESCRIBED: "Item not as described",
  OTHER: "Other",
  SIZE_TOO_LARGE: "Size was too large",
  SIZE_TOO_SMALL: "Size was too small",
  STYLE: "Style",
  UNKNOWN: "Unknown",
  UNWANTED: "Customer changed their mind",
  WRONG_ITEM: "Received the wrong item",
};

/** The condition the customer reports when asking to return an item. */
export const ITEM_CONDITIONS = ["UNOPENED", "OPENED", "USED", "DAMAGED"] as const;
export type ItemCondition = (typeof ITEM_CONDITIONS)[number];

export const ITEM_CONDITION_LABELS: Record<ItemCondition, string> = {
  UNOPENED: "Unopened",
  OPENED: "Opened, unused",
  USED: "Used",
  DAMAGED: "Damaged",
};

/** Shopify's ReturnDeclineReason enum: what returnDeclineRequest takes. */
export const DECLINE_REASONS = ["FINAL_SALE", "RETURN_PERIOD_ENDED", "OTHER"] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** Shopify's decline reasons in words, for everything a merchant reads. */
export const DECLINE_REASON_LABELS: Record<DeclineReason, string> = {
  FINAL_SALE: "final sale",
  RETURN_PERIOD_ENDED: "the return period has ended",
  OTHER: "another reason",
};

export interface ReturnLine {
  lineId: string;
  product: ProductProfile;
  quantity: number;
  /** What the customer paid per unit, minor units of the shop currency. */
  unitPriceMinor: number;
  reason: ReturnReason;
  /** Null when the customer did not say. */
  condition: ItemCondition | null;
  /** The Shopify product's tags (product type is ProductProfile.category). */
  tags: readonly string[];
}

/** Where the item comes back from: the customer's address, with the province for region rules. */
export interface ReturnOrigin extends Destination {
  province?: string | null;
}

export interface ReturnRequest {
  returnId: string;
  /** When the order was delivered, UTC ms; null when unknown. */
  deliveredAt: number | null;
  from: ReturnOrigin;
  lines: readonly ReturnLine[];
}

/** Recent sales per day of each product within each hub's service area: salesPerDay[hubId][productId]. */
export type SalesPerDay = Record<string, Record<string, number>>;

// What chooseDestination (destination.ts) decides for one line; here so outcomes can name it without a cycle.
export type DestinationMode = "NEAREST" | "BEST_RECOVERY";

export interface HubAssessment {
  nodeId: string;
  name: string;
  /** Great-circle metres from the customer; null when the address has no coordinates. */
  distanceM: number | null;
  /** The cheapest leg back, per unit. */
  reverseCostMinor: number;
  via: string;
  handlingMinor: number;
  salesPerDay: number;
  onHand: number;
  /** 0 on hand while the SKU sells nearby. */
  stockOut: boolean;
  resaleProbability: number;
  expectedDaysToResale: number | null;
  /** value × P(resale) × (1 − refurbishment loss). */
  grossRecoveryMinor: number;
  holdingMinor: number;
  /** gross − holding − return leg − handling, per unit; negative when bringing it back loses money. */
  netRecoveryMinor: number;
  detail: string;
}

/** Why a node is not considered: the RETURN availability gate's codes, or no way back from the address. */
export type ExclusionCode = "DISABLED" | "PERMIT_LAPSED" | "PERMIT_SUSPENDED" | "NOT_RETURN_HUB" | "NOT_ACCEPTING_RETURNS" | "OUT_OF_REACH";

export interface ExcludedHub {
  nodeId: string;
  name: string;
  code: ExclusionCode;
  message: string;
}

export interface DestinationDecision {
  mode: DestinationMode;
  /** The chosen hub; null when no hub can take the item back. */
  hub: HubAssessment | null;
  /** Every eligible hub, best first in the mode's order. */
  considered: HubAssessment[];
  excluded: ExcludedHub[];
  /** Why the chosen hub won, or why there is none. */
  reasons: string[];
}
