// Inputs and outputs of the landed-cost engine.
import { z } from "zod";
import type { ProductProfile } from "../network/types";

export const SERVICE_KINDS = ["SAME_DAY", "NEXT_DAY", "STANDARD", "AUTONOMOUS", "PICKUP"] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];
export const serviceKindSchema = z.enum(SERVICE_KINDS);

export interface CartLine {
  product: ProductProfile;
  quantity: number;
  /** What the shopper pays per unit, minor units; defaults to the product's typical value. */
  unitPriceMinor?: number;
}

/** Where the parcel goes. Coordinates may be missing (then only location-free services apply). */
export interface Destination {
  latitude?: number | null;
  longitude?: number | null;
  postalCode?: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** Unknown (null or absent) is treated as residential: the surcharge is charged rather than hidden. */
  residential?: boolean | null;
}

export const destinationSchema = z.object({
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
  postalCode: z.string().min(1).nullish(),
  country: z.string().length(2),
  residential: z.boolean().nullish(),
});

export function hasCoordinates(d: Destination): d is Destination & { latitude: number; longitude: number } {
  return d.latitude != null && d.longitude != null && Number.isFinite(d.latitude) && Number.isFinite(d.longitude);
}

export interface CostComponent {
  code: string;
  label: string;
  amountMinor: number;
  detail: string;
}

export type LegMode = "CARRIER" | "COURIER" | "AUTONOMOUS" | "NONE";

export interface TransitEstimate {
  mode: LegMode;
  /** Door-to-door minutes after dispatch, for courier and autonomous legs. */
  minutes: number | null;
  /** Business days after the ship day, for carrier legs. */
  days: { min: number; max: number } | null;
  /** Road (courier, autonomous) or great-circle (carrier) metres; null when unknown. */
  distanceM: number | null;
  /** Who carries it: courier name, "carrier / service", corridor name. */
  provider: string | null;
  /** Carrier zone, when priced by a rate card. */
  zone: string | null;
  /**
   * When it can arrive, UTC ms: carrier legs give the delivery-day window (carrier days and
   * hours, in the node's zone); courier and autonomous legs give dispatch + minutes twice;
   * pickup gives the dispatch (ready) instant twice.
   */
  earliestArrivalMs: number;
  latestArrivalMs: number;
}

export interface LandedCost {
  nodeId: string;
  nodeHandle: string;
  service: ServiceKind;
  currency: string;
  components: CostComponent[];
  /** Cost of getting the order to the shopper. */
  forwardMinor: number;
  /** Expected cost of returns (already one of the components). */
  expectedReverseMinor: number;
  /** forwardMinor + expectedReverseMinor: what the order costs the merchant to fulfil. */
  totalMinor: number;
  /** Minutes before the order can leave the node: preparation plus made-to-order production. */
  leadTimeMinutes: number;
  transit: TransitEstimate;
  reasons: string[];
}

export type CostResult = { ok: true; cost: LandedCost } | { ok: false; reasons: string[] };

/** Minutes before an order can leave a node (core/costing/leadTime computes it). */
export interface LeadTime {
  minutes: number;
  /** Units the node must make for this order. */
  unitsToMake: number;
  detail: string;
}
