// Expected reverse cost: for each line, return rate × quantity × the cost of bringing one unit
// back to the best return hub (the cheapest return leg, courier collection or carrier label,
// over every return-capable node). It depends on the cart and the address, not on the node
// that ships, so quoting computes it once per quote.
import { greatCircleM } from "../geo/distance";
import { serviceAreaContains } from "../geo/serviceArea";
import { formatMinor } from "../money/money";
import { carrierPriceMinor, zoneFor, type CompiledRateCard } from "./carrier";
import { courierPriceMinor, type CompiledCourier } from "./courier";
import type { CostingNetwork, PreparedNode } from "./network";
import { unitParcel, type Parcel } from "./parcel";
import type { ProductProfile } from "../network/types";
import { hasCoordinates, type CartLine, type Destination } from "./types";

export interface ReverseLine {
  productId: string;
  sku: string;
  /** quantity × return rate. */
  expectedUnits: number;
  unitCostMinor: number;
  /** Null when no return leg could be priced and the fallback unit cost was used. */
  hubId: string | null;
  via: string;
}

export interface ReverseEstimate {
  amountMinor: number;
  lines: ReverseLine[];
  detail: string;
  reasons: string[];
}

interface HubRoute {
  hub: PreparedNode;
  distanceM: number | null;
  couriers: CompiledCourier[];
  cards: { card: CompiledRateCard; zone: string }[];
}

function routeTo(hub: PreparedNode, destination: Destination): HubRoute {
  const n = hub.node;
  const located = hasCoordinates(destination);
  const distanceM = located ? greatCircleM(destination.latitude, destination.longitude, n.latitude, n.longitude) : null;
  const collects =
    located && distanceM != null && hub.area != null &&
    serviceAreaContains(hub.area, distanceM, destination.latitude, destination.longitude);
  const cards: HubRoute["cards"] = [];
  for (const card of hub.rateCards) {
    const z = zoneFor(card.card, { distanceM, postalCode: n.postalCode, country: n.country });
    if (z.ok) cards.push({ card, zone: z.zone });
  }
  return { hub, distanceM, couriers: collects ? hub.couriers : [], cards };
}

/** The cheapest return leg on one route: courier collection or carrier label; null when none prices the parcel. */
function cheapestLeg(r: HubRoute, parcel: Parcel, destination: Destination): { priceMinor: number; via: string } | null {
  let best: { priceMinor: number; via: string } | null = null;
  for (const c of r.couriers) {
    const price = courierPriceMinor(c, r.distanceM ?? 0, parcel);
    if (price !== null && (best === null || price < best.priceMinor)) {
      best = { priceMinor: price, via: `${c.config.name} collection to ${r.hub.node.name}` };
    }
  }
  for (const { card, zone } of r.cards) {
    const price = carrierPriceMinor(card, zone, parcel, destination, false);
    if (price !== null && (best === null || price < best.priceMinor)) {
      best = { priceMinor: price, via: `${card.card.carrier} ${card.card.service} label to ${r.hub.node.name}` };
    }
  }
  return best;
}

export type ReturnLeg =
  | { ok: true; hub: PreparedNode; distanceM: number | null; costMinor: number; via: string }
  | { ok: false; hub: PreparedNode; distanceM: number | null; reason: string };

/**
 * What bringing one unit of `product` back from `from` to one hub costs: the cheapest courier
 * collection (inside the hub's area) or carrier label, or why no leg reaches the hub.
 */
export function returnLegTo(hub: PreparedNode, product: ProductProfile, from: Destination): ReturnLeg {
  const route = routeTo(hub, from);
  const best = cheapestLeg(route, unitParcel(product), from);
  if (best) return { ok: true, hub, distanceM: route.distanceM, costMinor: best.priceMinor, via: best.via };
  const n = hub.node;
  const why: string[] = [];
  if (route.couriers.length > 0) why.push("its couriers refuse the parcel (distance or weight limit)");
  else if (hub.couriers.length > 0) {
    why.push(
      hub.area === null
        ? "it has no delivery area for courier collections"
        : route.distanceM === null
          ? "the address has no coordinates for a courier collection"
          : "the address is outside its collection area",
    );
  }
  for (const card of hub.rateCards) {
    const z = zoneFor(card.card, { distanceM: route.distanceM, postalCode: n.postalCode, country: n.country });
    why.push(z.ok ? `${card.card.carrier} ${card.card.service} has no price for this parcel` : z.reason);
  }
  if (why.length === 0) why.push("no courier or rate card serves it");
  return { ok: false, hub, distanceM: route.distanceM, reason: `no return leg reaches ${n.name}: ${why.join("; ")}` };
}

export function expectedReverseCost(
  net: CostingNetwork,
  lines: readonly CartLine[],
  destination: Destination,
): ReverseEstimate {
  let routes: HubRoute[] | null = null;
  const out: ReverseLine[] = [];
  const reasons: string[] = [];
  let amount = 0;
  for (const line of lines) {
    const p = line.product;
    if (p.returnRateBps <= 0) continue;
    routes ??= net.returnHubs.map((hub) => routeTo(hub, destination));
    const parcel = unitParcel(p);
    let best = Infinity;
    let hubId: string | null = null;
    let via = "fallback unit cost";
    for (const r of routes) {
      const leg = cheapestLeg(r, parcel, destination);
      if (leg && leg.priceMinor < best) {
        best = leg.priceMinor;
        hubId = r.hub.node.id;
        via = leg.via;
      }
    }
    if (hubId === null) {
      best = net.config.returns.fallbackUnitCostMinor;
      reasons.push(`no return leg prices ${p.sku} from this address: fallback ${formatMinor(best, net.currency)} per unit`);
    }
    const expectedUnits = (line.quantity * p.returnRateBps) / 10_000;
    amount += expectedUnits * best;
    out.push({ productId: p.id, sku: p.sku, expectedUnits, unitCostMinor: best, hubId, via });
  }
  return { amountMinor: Math.round(amount), lines: out, detail: describe(out, net.currency), reasons };
}

const LISTED = 5;

function describe(lines: ReverseLine[], currency: string): string {
  if (lines.length === 0) return "no line has a return rate";
  const parts = lines
    .slice(0, LISTED)
    .map((l) => `${l.sku}: ${Number(l.expectedUnits.toFixed(3))} units × ${formatMinor(l.unitCostMinor, currency)} (${l.via})`);
  if (lines.length > LISTED) parts.push(`${lines.length - LISTED} more lines`);
  return parts.join("; ");
}
