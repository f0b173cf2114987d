// Nearhub's order routing location rule (target cart.fulfillment-groups.location-rankings.generate.run).
//
// For each fulfillment group Shopify gives the locations that stock it; this function routes the
// group as one order with app/core/routing (routeOrder: the same landed costs, promise rules and
// reasons as the routing service and the admin), then ranks the locations: the chosen node's
// location first, the alternatives in the core's order (cheapest objective first), and every other
// location after them, tied, so Shopify's next rule decides among those.
//
// It never throws: a missing or malformed configuration, a variant Nearhub does not know, a group
// without an address or anything the core refuses gives that group (or every group) a neutral
// ranking (every location rank 0), which leaves Shopify's own rules in charge.
import { prepareNetwork } from "../../../app/core/quoting/prepare";
import { availabilityAt, prepareRouting, routeOrder, type RoutingNetwork, type RoutingOrder } from "../../../app/core/routing";
import type { NetworkSnapshot } from "../../../app/core/network/types";
import { locationRuleConfigSchema, type LocationRuleConfig } from "../../../app/core/routing/location-rule-config";

// ---- Input and output, as the input query (src/run.graphql) and the target's schema give them ----

export interface RunInput {
  fulfillmentGroups: {
    handle: string;
    inventoryLocationHandles: string[];
    deliveryAddress?: {
      countryCode?: string | null;
      provinceCode?: string | null;
      city?: string | null;
      zip?: string | null;
      latitude?: number | null;
      longitude?: number | null;
    } | null;
    lines: { id: string; quantity: number; merchandise: { __typename: string; id?: string; sku?: string | null } }[];
  }[];
  locations: {
    handle: string;
    id: string;
    name?: string;
    address?: { countryCode?: string | null; zip?: string | null; latitude?: number | null; longitude?: number | null } | null;
  }[];
  shop?: {
    localTime?: { date?: string | null } | null;
    metafield?: { jsonValue?: unknown } | null;
  } | null;
}

export interface RankedLocation {
  locationHandle: string;
  rank: number;
}

export interface RunResult {
  operations: { fulfillmentGroupLocationRankingAdd: { fulfillmentGroupHandle: string; rankings: RankedLocation[] } }[];
}

// ---- The function ----

/** Shopify calls this. The routing instant is the shop's local date at noon UTC (Functions have no clock). */
export function run(input: RunInput): RunResult {
  const date = input?.shop?.localTime?.date;
  const now = typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T12:00:00Z`) : 0;
  return rankLocations(input, { now });
}

export interface RankOptions {
  /** UTC ms: cut-offs, opening hours and today's capacity are read at this instant. */
  now: number;
}

/** Why a group got the ranking it got; for tests and logs (never part of the output). */
export interface GroupExplanation {
  handle: string;
  neutral: boolean;
  why: string;
  reasons: string[];
}

export function rankLocations(input: RunInput, opts: RankOptions, explain?: GroupExplanation[]): RunResult {
  const groups = Array.isArray(input?.fulfillmentGroups) ? input.fulfillmentGroups : [];
  let prepared: Prepared | null = null;
  let why = "no configuration";
  try {
    const parsed = locationRuleConfigSchema.safeParse(input?.shop?.metafield?.jsonValue);
    if (parsed.success) prepared = prepare(parsed.data);
    else if (input?.shop?.metafield?.jsonValue != null) why = `configuration does not parse (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})`;
  } catch (error) {
    prepared = null;
    why = `configuration refused by the routing core: ${error instanceof Error ? error.message : String(error)}`;
  }
  const operations: RunResult["operations"] = [];
  for (const group of groups) {
    if (!group || typeof group.handle !== "string") continue;
    const handles = Array.isArray(group.inventoryLocationHandles) ? group.inventoryLocationHandles.filter((h) => typeof h === "string") : [];
    let ranked: { rankings: RankedLocation[]; reasons: string[] } | { neutral: string };
    if (!prepared) ranked = { neutral: why };
    else {
      try {
        ranked = rankGroup(prepared, input, group, handles, opts.now);
      } catch (error) {
        ranked = { neutral: `routing failed: ${error instanceof Error ? error.message : String(error)}` };
      }
    }
    if ("neutral" in ranked) {
      operations.push(op(group.handle, handles.map((h) => ({ locationHandle: h, rank: 0 }))));
      explain?.push({ handle: group.handle, neutral: true, why: ranked.neutral, reasons: [] });
    } else {
      operations.push(op(group.handle, ranked.rankings));
      explain?.push({ handle: group.handle, neutral: false, why: "ranked by landed cost", reasons: ranked.reasons });
    }
  }
  return { operations };
}

function op(fulfillmentGroupHandle: string, rankings: RankedLocation[]): RunResult["operations"][number] {
  return { fulfillmentGroupLocationRankingAdd: { fulfillmentGroupHandle, rankings } };
}

interface Prepared {
  net: RoutingNetwork;
  config: LocationRuleConfig;
  /** Bare location id ("123") → node id. */
  nodeByLocation: Map<string, string>;
  /** Bare variant id → product id. */
  productByVariant: Map<string, string>;
}

/** "gid://shopify/Location/123" and "123" → "123". */
export function bareId(id: string): string {
  const slash = id.lastIndexOf("/");
  return slash >= 0 ? id.slice(slash + 1) : id;
}

function prepare(config: LocationRuleConfig): Prepared {
  const snapshot: NetworkSnapshot = {
    shopId: config.shopId,
    currency: config.currency,
    nodes: config.nodes,
    products: config.products.map(({ variantIds: _v, ...p }) => p),
    // Stock comes from Shopify per fulfillment group (the locations that stock it), not from here.
    stock: {},
  };
  const quote = prepareNetwork(snapshot, config.quote);
  // A fulfillment group ships from one location: single-node options only, every one of them listed.
  const net = prepareRouting(quote, { ...config.routing, maxShipments: 1, alternativesListed: 20 });
  const nodeByLocation = new Map<string, string>();
  for (const n of config.nodes) nodeByLocation.set(bareId(n.shopifyLocationId), n.id);
  const productByVariant = new Map<string, string>();
  for (const p of config.products) for (const v of p.variantIds) productByVariant.set(bareId(v), p.id);
  return { net, config, nodeByLocation, productByVariant };
}

function rankGroup(
  p: Prepared,
  input: RunInput,
  group: RunInput["fulfillmentGroups"][number],
  handles: string[],
  now: number,
): { rankings: RankedLocation[]; reasons: string[] } | { neutral: string } {
  const address = group.deliveryAddress;
  if (!address?.countryCode) return { neutral: "no delivery address yet" };
  const lines: RoutingOrder["lines"] = [];
  for (const line of group.lines ?? []) {
    const variant = line?.merchandise?.id;
    const productId = variant ? p.productByVariant.get(bareId(variant)) : undefined;
    if (!productId) return { neutral: `variant ${variant ?? "(not a product variant)"} is not described in Nearhub` };
    lines.push({ id: line.id, productId, quantity: Math.max(1, Math.floor(line.quantity)) });
  }
  if (lines.length === 0) return { neutral: "no lines" };

  // Location handle → node index, for the locations that stock this group.
  const locationIdByHandle = new Map<string, string>();
  for (const l of input.locations ?? []) if (l && typeof l.handle === "string" && typeof l.id === "string") locationIdByHandle.set(l.handle, bareId(l.id));
  const nodeOfHandle = new Map<string, number>();
  for (const h of handles) {
    const locationId = locationIdByHandle.get(h);
    const nodeId = locationId ? p.nodeByLocation.get(locationId) : undefined;
    const index = nodeId ? p.net.nodeById.get(nodeId) : undefined;
    if (index !== undefined) nodeOfHandle.set(h, index);
  }
  if (nodeOfHandle.size === 0) return { neutral: "none of the group's locations is a Nearhub node" };

  // What each node may use: the group's units at the locations Shopify says stock it, nothing elsewhere.
  const avail = availabilityAt(p.net, now);
  const P = p.net.products.length;
  const need = new Map<number, number>();
  for (const l of lines) {
    const idx = p.net.productById.get(l.productId)!;
    need.set(idx, (need.get(idx) ?? 0) + l.quantity);
  }
  for (const n of nodeOfHandle.values()) for (const [idx, qty] of need) avail[n * P + idx] = qty;

  const order: RoutingOrder = {
    id: group.handle,
    placedAt: now,
    destination: {
      country: address.countryCode,
      postalCode: address.zip ?? null,
      latitude: typeof address.latitude === "number" ? address.latitude : null,
      longitude: typeof address.longitude === "number" ? address.longitude : null,
    },
    lines,
  };
  const decision = routeOrder(p.net, order, { now, availability: avail });

  // The core's order: the chosen node, then the alternatives (best objective first).
  const order_: string[] = [];
  for (const s of decision.shipments) order_.push(s.nodeHandle);
  for (const a of decision.alternatives) if (a.nodes.length === 1) order_.push(a.nodes[0]);
  const rankOfNode = new Map<number, number>();
  for (const handle of order_) {
    const idx = p.net.nodeByHandle.get(handle);
    if (idx !== undefined && !rankOfNode.has(idx)) rankOfNode.set(idx, rankOfNode.size);
  }
  const tail = rankOfNode.size;
  const rankings = handles.map((h) => {
    const n = nodeOfHandle.get(h);
    const r = n === undefined ? undefined : rankOfNode.get(n);
    return { locationHandle: h, rank: r ?? tail };
  });
  rankings.sort((a, b) => a.rank - b.rank);
  return { rankings, reasons: decision.reasons };
}
