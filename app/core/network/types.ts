// The node network as the core sees it: plain, already-loaded values, no ORM entities.
// Services build these from the database (app/services/network.server.ts); Functions,
// the open API and tests can build them from JSON.
import { z } from "zod";
import type { Reason } from "./reasons";

export const NODE_KINDS = [
  "CENTRAL_WAREHOUSE",
  "MICRO_HUB",
  "MICRO_FACTORY",
  "STORE",
  "SELLER_STUDIO",
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const NODE_KIND_LABELS: Record<NodeKind, string> = {
  CENTRAL_WAREHOUSE: "Central warehouse",
  MICRO_HUB: "City micro-hub",
  MICRO_FACTORY: "Micro-factory",
  STORE: "Store",
  SELLER_STUDIO: "Creator studio",
};

export const NODE_STATUSES = ["ACTIVE", "DISABLED"] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** "HH:MM", 24-hour local time. "24:00" is allowed as the end of a day. */
export const localTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "must be a time as HH:MM (24-hour)");

const intervalSchema = z
  .tuple([localTimeSchema, localTimeSchema])
  .refine(([open, close]) => open < close, "opening time must be before closing time");

/** Opening hours per weekday in the node's local time; a missing or empty day is closed. */
export const openingHoursSchema = z.object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(intervalSchema).default([])])) as Record<
    Weekday,
    z.ZodDefault<z.ZodArray<typeof intervalSchema>>
  >,
);
export type OpeningHours = z.infer<typeof openingHoursSchema>;

const lngLatSchema = z.tuple([
  z.number().min(-180).max(180),
  z.number().min(-90).max(90),
]);

/** A GeoJSON Polygon: outer ring first, coordinates as [longitude, latitude], ring closed. */
export const polygonSchema = z.object({
  type: z.literal("Polygon"),
  coordinates: z
    .array(
      z
        .array(lngLatSchema)
        .min(4, "a ring needs at least 4 positions (the first repeated last)")
        .refine(
          (ring) => ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1],
          "a ring must end where it starts",
        ),
    )
    .min(1),
});
export type Polygon = z.infer<typeof polygonSchema>;

export interface ServiceArea {
  /** Radius around the node in metres, if the area is a circle. */
  radiusM: number | null;
  /** A polygon, if the area is drawn. When both are set, an address must be inside either. */
  polygon: Polygon | null;
}

export interface NetworkNode {
  id: string;
  handle: string;
  name: string;
  kind: NodeKind;
  status: NodeStatus;
  latitude: number;
  longitude: number;
  timezone: string;
  postalCode: string;
  country: string;
  shopifyLocationId: string | null;
  serviceArea: ServiceArea;
  openingHours: OpeningHours;
  /** "HH:MM" local; null means no same-day service. */
  sameDayCutoff: string | null;
  dailyCapacity: number;
  handlingCostMinor: number;
  pickupCostMinor: number;
  sellerId: string | null;
  /** May be chosen as a return destination (the merchant's setting on the node). */
  acceptsReturns: boolean;
  /** Hours from receipt to the inspection deadline for returns received here; null: the shop's default. */
  inspectionHours: number | null;
}

export interface ProductProfile {
  id: string;
  sku: string;
  title: string;
  sellerId: string | null;
  category: string;
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  valueMinor: number;
  returnRateBps: number;
  madeToOrder: boolean;
}

/** Available units per node id, per product id. */
export type StockByNode = Record<string, Record<string, number>>;

/** What a node's local day has taken so far. */
export interface NodeDay {
  /** Orders taken today: those Shopify sent there plus those Nearhub routed there. */
  orders: number;
  /** Units made to order today (micro-factories). */
  madeUnits: number;
}

/** Today's figures per node, counted once (app/services/node-day.server.ts) for checkout, routing and admin. */
export interface TodayAtNodes {
  /** UTC ms the figures were counted at: routing takes off only what its decisions took after it. */
  countedAt: number;
  /** By node id; a node missing here has taken nothing today. */
  byNode: Record<string, NodeDay>;
}

/**
 * What the shop's permits take away, as of an instant (core/permits permitStanding): the snapshot
 * is rebuilt at validUntil, so every path reads one view and a lapse acts at its moment.
 */
export interface PermitHolds {
  at: number;
  validUntil: number | null;
  /** Node id → the purposes it may not serve (SHIP, RETURN, …) with the reason, and whether couriers may leave it. */
  nodes: Record<string, { purposes: Partial<Record<string, Reason<"PERMIT_LAPSED" | "PERMIT_SUSPENDED">>>; courier: Reason<"PERMIT_LAPSED" | "PERMIT_SUSPENDED"> | null }>;
  /** Corridor id → why robots may not run it. */
  corridors: Record<string, string>;
}

export interface NetworkSnapshot {
  shopId: string;
  currency: string;
  nodes: NetworkNode[];
  products: ProductProfile[];
  stock: StockByNode;
  /** Absent: nothing taken today (a test, a script, the Function). */
  today?: TodayAtNodes;
  /** Absent: no permit takes anything away. */
  permits?: PermitHolds;
  /** Local orders a day each hub delivered lately (the order history), for pricing its rounds; absent: none counted. */
  localDemand?: Record<string, { ordersPerDay: number; days: number }>;
}

/** A NetworkNode as JSON (the location rule's metafield, scripts): parsed with the messages of zod. */
export const networkNodeSchema = z.object({
  id: z.string().min(1),
  handle: z.string().min(1),
  name: z.string(),
  kind: z.enum(NODE_KINDS),
  status: z.enum(NODE_STATUSES),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  timezone: z.string().min(1),
  postalCode: z.string(),
  country: z.string().length(2),
  shopifyLocationId: z.string().min(1).nullable(),
  serviceArea: z.object({ radiusM: z.number().positive().nullable(), polygon: polygonSchema.nullable() }),
  openingHours: openingHoursSchema,
  sameDayCutoff: z.string().nullable(),
  dailyCapacity: z.number().int().nonnegative(),
  handlingCostMinor: z.number().int().nonnegative(),
  pickupCostMinor: z.number().int().nonnegative(),
  sellerId: z.string().nullable(),
  // JSON written before these fields existed parses as it behaved then.
  acceptsReturns: z.boolean().default(true),
  inspectionHours: z.number().int().positive().nullable().default(null),
}) satisfies z.ZodType<NetworkNode>;

export const productProfileSchema = z.object({
  id: z.string().min(1),
  sku: z.string(),
  title: z.string(),
  sellerId: z.string().nullable(),
  category: z.string(),
  weightGrams: z.number().int().nonnegative(),
  lengthMm: z.number().int().nonnegative(),
  widthMm: z.number().int().nonnegative(),
  heightMm: z.number().int().nonnegative(),
  valueMinor: z.number().int().nonnegative(),
  returnRateBps: z.number().int().nonnegative(),
  madeToOrder: z.boolean(),
}) satisfies z.ZodType<ProductProfile>;
