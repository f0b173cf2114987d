// A network prepared for routing: built once per network snapshot and config, reused for every
// order and batch. It holds the quoting network (costing engine, calendars, services per node) and
// flat arrays for what a batch consumes: stock per node and product, orders a node can still take
// today, units a micro-factory can still make.
import type { ServiceKind } from "../costing/types";
import { describeServiceArea } from "../geo/serviceArea";
import { isAvailable, type GateSubject } from "../network/availability";
import { reason, type Reason } from "../network/reasons";
import type { NetworkNode, ProductProfile } from "../network/types";
import { makeUnitsLeft, UNLIMITED, type QuoteNetwork, type QuoteNode } from "../quoting/prepare";
import { routingConfigSchema, type RoutingConfig, type RoutingConfigInput } from "./config";

export interface RoutingNode {
  index: number;
  qn: QuoteNode;
  node: NetworkNode;
  /** The node as the availability gate reads it, and what it is asked for an order (SHIP, or MAKE at a micro-factory). */
  gate: GateSubject;
  purpose: "SHIP" | "MAKE";
  /** Passes the gates no order changes (its status): only such a node is worth placing on the map. */
  active: boolean;
  /** A micro-factory makes made-to-order products it does not have on the shelf. */
  factory: boolean;
  services: ServiceKind[];
  /** The delivery radius when the area is a plain circle (no polygon), else null. */
  radiusOnlyM: number | null;
  /** Shared reason for an address no service of this node reaches (one object for every order). */
  unreachable: Reason<"OUTSIDE_SERVICE_AREA">;
  /** The same as a decision's exclusion entry, shared by every order. */
  unreachableExclusion: { nodeId: string; nodeHandle: string; reasons: Reason<"OUTSIDE_SERVICE_AREA">[] };
}

export interface RoutingNetwork {
  quote: QuoteNetwork;
  config: RoutingConfig;
  currency: string;
  nodes: RoutingNode[];
  nodeById: Map<string, number>;
  nodeByHandle: Map<string, number>;
  products: ProductProfile[];
  productById: Map<string, number>;
  /** Units on hand, node-major: stock[node * products.length + product]. */
  stock: Int32Array;
  /** Resource layout of a batch: stock (N×P), then capacity (N), then make capacity (N). */
  resources: { count: number; capacityBase: number; makeBase: number };
  warnings: string[];
}

export { UNLIMITED };

/** Parses the routing config (throws a ZodError naming the field) and indexes the network. */
export function prepareRouting(quote: QuoteNetwork, configInput: RoutingConfigInput = {}): RoutingNetwork {
  const config = routingConfigSchema.parse(configInput);
  const snapshot = quote.costing.snapshot;
  const warnings = [...quote.warnings];
  const nodes = quote.nodes.map((qn, index): RoutingNode => {
    const node = qn.prepared.node;
    const area = qn.prepared.area;
    const reach = area ? `delivers only ${describeServiceArea(area)}` : "has no delivery area";
    const unreachable = reason("OUTSIDE_SERVICE_AREA", { node: node.name, reach, carrier: qn.services.includes("STANDARD") });
    const gate = qn.prepared.gate;
    return {
      index,
      qn,
      node,
      gate,
      purpose: qn.purpose,
      active: isAvailable(gate, qn.purpose),
      factory: node.kind === "MICRO_FACTORY",
      services: qn.services,
      radiusOnlyM: area && area.polygon === null ? area.radiusM : null,
      unreachable,
      unreachableExclusion: Object.freeze({ nodeId: node.id, nodeHandle: node.handle, reasons: Object.freeze([unreachable]) as (typeof unreachable)[] }),
    };
  });
  const nodeById = new Map(nodes.map((n) => [n.node.id, n.index]));
  const nodeByHandle = new Map(nodes.map((n) => [n.node.handle, n.index]));
  const products = snapshot.products;
  const productById = new Map(products.map((p, i) => [p.id, i]));
  const P = products.length;
  const N = nodes.length;
  const stock = new Int32Array(N * P);
  for (const [nodeId, levels] of Object.entries(snapshot.stock)) {
    const n = nodeById.get(nodeId);
    if (n === undefined) {
      warnings.push(`stock for unknown node ${nodeId}: ignored`);
      continue;
    }
    for (const [productId, units] of Object.entries(levels)) {
      const p = productById.get(productId);
      if (p === undefined) continue;
      stock[n * P + p] = Math.max(0, Math.floor(units));
    }
  }
  for (const id of [...Object.keys(config.capacityRemaining), ...Object.keys(config.makeUnitsRemaining)]) {
    if (!nodeById.has(id)) warnings.push(`routing settings for unknown node ${id}: ignored`);
  }
  return {
    quote,
    config,
    currency: quote.costing.currency,
    nodes,
    nodeById,
    nodeByHandle,
    products,
    productById,
    stock,
    resources: { count: N * P + 2 * N, capacityBase: N * P, makeBase: N * P + N },
    warnings,
  };
}

/**
 * What a batch starting at `now` may consume: stock, orders per node (daily capacity less the
 * orders taken today, the one figure checkout reads too), units per micro-factory (its production
 * day less what it made today). The routing settings' capacityRemaining and makeUnitsRemaining,
 * when given for a node, replace those figures.
 */
export function availabilityAt(net: RoutingNetwork, now: number): Float64Array {
  const { capacityBase, makeBase, count } = net.resources;
  const avail = new Float64Array(count);
  avail.set(net.stock);
  for (const n of net.nodes) {
    const id = n.node.id;
    avail[capacityBase + n.index] = net.config.capacityRemaining[id] ?? n.gate.ordersLeft;
    avail[makeBase + n.index] = n.factory ? (net.config.makeUnitsRemaining[id] ?? makeUnitsLeft(n.qn, now)) : 0;
  }
  return avail;
}
