import { z } from "zod";
import { serviceKindSchema, type ServiceKind } from "../../costing/types";

export interface PricingContext {
  service: ServiceKind;
  currency: string;
  /** Cost of getting the order to the shopper: the base the shopper's price starts from. */
  forwardCostMinor: number;
  /** Forward cost plus expected returns: what the order costs the merchant. */
  landedCostMinor: number;
  /** What the shopper pays for the goods. */
  subtotalMinor: number;
}

export interface PricingResult {
  priceMinor: number;
  detail: string;
}

/** A merchant pricing rule: takes the price so far, returns a new one, or null when it does not apply. */
export type PricingRule = (priceMinor: number, ctx: PricingContext) => PricingResult | null;

/** Every pricing rule can be limited to some services; null means all. */
export const servicesArg = z.array(serviceKindSchema).nullable().default(null);

export function inScope(services: readonly ServiceKind[] | null, ctx: PricingContext): boolean {
  return services === null || services.includes(ctx.service);
}
