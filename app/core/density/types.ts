// Inputs and outputs of the density analysis: plain arrays in, a report with reasons out.
import type { NetworkNode, NodeKind, ProductProfile } from "../network/types";
import type { DensityConfig, DensityConfigInput } from "./config";

export interface DensityOrderLine {
  productId: string;
  /** Defaults to the product's seller. */
  sellerId?: string | null;
  quantity: number;
}

export interface DensityOrder {
  id: string;
  /** UTC ms. */
  placedAt: number;
  latitude: number;
  longitude: number;
  /** ISO 3166-1 alpha-2 (for pricing the sample). */
  country: string;
  postalCode?: string | null;
  /** The destination city, used to name clusters. */
  city?: string | null;
  lines: DensityOrderLine[];
}

export interface DensitySeller {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
  city?: string | null;
}

/** What serving a sample of a cluster's orders costs from the central network and locally. */
export interface SavingEstimate {
  /** Orders priced both ways. */
  priced: number;
  sampled: number;
  centralMinor: number;
  localMinor: number;
  /** (central − local) / priced, rounded. */
  perOrderMinor: number;
  currency: string;
  /** How local was priced: an existing node or a new hub at the cluster's centre. */
  localFrom: string;
  reasons: string[];
}

export interface SavingRequest {
  clusterId: string;
  name: string;
  centroid: { latitude: number; longitude: number };
  radiusM: number;
  /** Existing nodes inside the cluster. */
  nodeIds: string[];
  sample: DensityOrder[];
}

/** Prices a cluster's sample central vs local (see costingSavingEstimator); null when it cannot. */
export type SavingEstimator = (request: SavingRequest) => SavingEstimate | null;

export interface DensityInput {
  orders: readonly DensityOrder[];
  sellers: readonly DensitySeller[];
  products: readonly ProductProfile[];
  /** The current network, to say which clusters already have a node. */
  nodes?: readonly NetworkNode[];
  /** End of the window, UTC ms (the clock is an input). */
  now: number;
  config?: DensityConfigInput;
  saving?: SavingEstimator;
}

export type Recommendation = "LOCAL_MICRO_FULFILMENT" | "MICRO_FACTORY" | "CENTRAL";

export interface SkuVelocity {
  productId: string;
  sku: string;
  sellerId: string | null;
  madeToOrder: boolean;
  unitsPerDay: number;
  /** Over the last recentDays. */
  recentUnitsPerDay: number;
  ordersPerDay: number;
}

export interface ClusterReport {
  id: string;
  name: string;
  centroid: { latitude: number; longitude: number };
  /** 90th percentile distance of its orders from the centroid. */
  radiusM: number;
  /** H3 cells (dense cells and the neighbours that joined them). */
  cells: string[];
  areaKm2: number;
  orders: number;
  ordersPerDay: number;
  recentOrdersPerDay: number;
  /** Share of all orders in the window. */
  shareOfOrders: number;
  unitsPerDay: number;
  /** Orders a day per km² of its cells. */
  ordersPerKm2PerDay: number;
  /** Share of the cluster's units sold by sellers based inside it: demand a local node could meet from local supply. */
  sameCitySellerShare: number;
  madeToOrderUnitsPerDay: number;
  madeToOrderShare: number;
  topSkus: SkuVelocity[];
  sellers: { sellerId: string; unitsPerDay: number; share: number }[];
  /** Nodes already inside the cluster. */
  /** The nodes inside it: the handle is a key, the name is what a merchant reads. */
  nodes: { id: string; handle: string; name: string; kind: NodeKind }[];
  saving: SavingEstimate | null;
  recommendation: Recommendation;
  reasons: string[];
}

export interface SellerReport {
  sellerId: string;
  name: string;
  /** The cluster the seller is based in, if any. */
  homeClusterId: string | null;
  ordersPerDay: number;
  unitsPerDay: number;
  recentUnitsPerDay: number;
  /** Where its units go, and its SKUs selling fast enough there to stock locally (sku.minUnitsPerWeek). */
  clusters: { clusterId: string; unitsPerDay: number; share: number; skusToStock: string[] }[];
  /** Share of the seller's units going to clusters recommended for local or micro-factory service. */
  localShare: number;
  madeToOrderShare: number;
  topSkus: SkuVelocity[];
  recommendation: Recommendation;
  reasons: string[];
}

export interface PilotPick {
  clusterId: string;
  name: string;
  recommendation: Recommendation;
  ordersPerDay: number;
  shareOfOrders: number;
  sameCitySellerShare: number;
  savingPerOrderMinor: number | null;
  savingPerDayMinor: number | null;
  reasons: string[];
}

export interface DensityReport {
  window: { from: number; to: number; days: number };
  totals: { orders: number; ordersPerDay: number; unitsPerDay: number; clusteredShare: number };
  clusters: ClusterReport[];
  longTail: { orders: number; ordersPerDay: number; shareOfOrders: number };
  sellers: SellerReport[];
  skus: SkuVelocity[];
  pilot: { clusters: PilotPick[]; reasons: string[] };
  config: DensityConfig;
  warnings: string[];
}
