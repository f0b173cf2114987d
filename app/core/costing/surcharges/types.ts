import type { Destination } from "../types";

export interface SurchargeContext {
  /** Freight from the rate card's weight band, before surcharges. */
  freightMinor: number;
  billableGrams: number;
  destination: Destination;
  /** False for a return shipped to a hub, whatever the shopper's address is. */
  toResidence: boolean;
}

export interface SurchargeResult {
  amountMinor: number;
  detail: string;
}

export type Surcharge = (ctx: SurchargeContext) => SurchargeResult | null;
