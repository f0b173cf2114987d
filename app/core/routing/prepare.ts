// A network prepared for routing: built once per network snapshot and config, reused for every
// order and batch. It holds the quoting network (costing engine, calendars, services per node) and
// flat arrays for what a batch consumes: stock per node and product, orders a node can still take
// today, units a micro-factory can still make.
import type { ServiceKind } from "../costing/types";
import { describeServiceArea } from "../geo/serviceArea";
import type { NetworkNode, ProductProfile } from "../network/types";
import type { QuoteNetwork, QuoteNode } from "../quoting/prepare";
import { routingConfigSchema, type RoutingConfig, type RoutingConfigInput } from "./config";

export interface RoutingNode {
  index: number;
  qn: QuoteNode;
  node: NetworkNode;
  active: boolean;
  /** A micro-factory makes made-to-order products it does not have on the shelf. */
  factory: boolean;
  services: ServiceKind[];
  /** The delivery radius when the area is a plain circle (no polygon), else null. */
  radiusOnlyM: number | null;
  /** Shared reason for an address no service of this node reaches (one object for every order). */
  unreachable: { code: "OUTSIDE_SERVICE_AREA"; message: string };
  /** The same as a decision's exclusion entry, shared by every order. */
  unreachableExclusion: { nodeId: string; nodeHandle: string; reasons: { code: "OUTSIDE_SERVICE_AREA"; message: string }[] };
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

/** Anything above this is "unlimited" (a micro-factory whose making takes no time). */
export const UNLIMITED = 1_000_000_000;

/** Parses the routing config (throws a ZodError naming the field) and indexes the network. */
export function prepareRouting(quote: QuoteNetwork, configInput: RoutingConfigInput = {}): RoutingNetwork {
  const config = routingConfigSchema.parse(configInput);
  const snapshot = quote.costing.snapshot;
  const warnings = [...quote.warnings];
  const nodes = quote.nodes.map((qn, index): RoutingNode => {
    const node = qn.prepared.node;
    const area = qn.prepared.area;
    const reach = area ? `delivers only ${describeServiceArea(area)}` : "has no delivery area";
    const unreachable = {
      code: "OUTSIDE_SERVICE_AREA" as const,
      message: `${node.name} ${reach}${qn.services.includes("STANDARD") ? "" : " and ships no carrier service"}: the address is out of its reach`,
    };
    return {
      index,
      qn,
      node,
      active: node.status === "ACTIVE",
      factory: node.kind === "MICRO_FACTORY",
      services: qn.services,
      radiusOnlyM: area && area.polygon === null ? area.radiusM : null,
      unreachable,
      unreachableExclusion: Object.freeze({ nodeId: node.id, nodeHandle: node.handle, reasons: Object.freeze([unreachable]) as typeof unreachable[] }),
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

/** Opening minutes of the production day: today, or the next opening day when closed today. */
function productionMinutes(n: RoutingNode, now: number): number {
  const cal = n.qn.calendar;
  const today = cal.clock.local(now).day;
  let day: number | null = today;
  if (cal.plan(today).intervals.length === 0) day = cal.nextOpenDay(today, 14);
  if (day === null) return 0;
  let ms = 0;
  for (const [a, b] of cal.plan(day).intervals) ms += b - a;
  return ms / 60_000;
}

/** What a batch starting at `now` may consume: stock, orders per node, units per micro-factory. */
export function availabilityAt(net: RoutingNetwork, now: number): Float64Array {
  const { capacityBase, makeBase, count } = net.resources;
  const avail = new Float64Array(count);
  avail.set(net.stock);
  for (const n of net.nodes) {
    const id = n.node.id;
    const ops = n.qn.prepared.ops;
    avail[capacityBase + n.index] = net.config.capacityRemaining[id] ?? Math.max(0, n.node.dailyCapacity - ops.currentLoad);
    let make = 0;
    if (n.factory) {
      const configured = net.config.makeUnitsRemaining[id];
      if (configured !== undefined) make = configured;
      else if (ops.makeMinutesPerUnit <= 0) make = UNLIMITED;
      else make = Math.max(0, Math.floor((productionMinutes(n, now) - ops.makeSetupMinutes) / ops.makeMinutesPerUnit));
    }
    avail[makeBase + n.index] = make;
  }
  return avail;
}
