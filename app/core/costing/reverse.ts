// Expected reverse cost: for each line, return rate × quantity × the cost of bringing one unit
// back to the best return hub (the cheapest return leg, courier collection or carrier label,
// over every return-capable node). It depends on the cart and the address, not on the node
// that ships, so quoting computes it once per quote.
import { formatBasisPoints } from "../format/format";
import { greatCircleM } from "../geo/distance";
import { serviceAreaContains } from "../geo/serviceArea";
import { formatMinor } from "../money/money";
import { carrierPriceMinor, zoneFor, zoneOf, type CompiledRateCard } from "./carrier";
import { courierPriceMinor, type CompiledCourier } from "./courier";
import type { CostingNetwork, PreparedNode } from "./network";
import { unitParcel, type Parcel } from "./parcel";
import type { ProductProfile } from "../network/types";
import { hasCoordinates, type CartLine, type Destination } from "./types";

export interface ReverseLine {
  productId: string;
  sku: string;
  quantity: number;
  /** The product's return rate, basis points. */
  returnRateBps: number;
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

/** The courier or rate card a return leg goes by. */
interface LegChoice {
  priceMinor: number;
  courier: CompiledCourier | null;
  card: CompiledRateCard | null;
}

type LegVisitor = (parcelIndex: number, priceMinor: number, courier: CompiledCourier | null, card: CompiledRateCard | null) => void;

function distanceTo(hub: PreparedNode, from: Destination): number | null {
  return hasCoordinates(from) ? greatCircleM(from.latitude, from.longitude, hub.node.latitude, hub.node.longitude) : null;
}

/** Whether the hub's couriers collect at the address: it lies inside the hub's delivery area. */
function collectsAt(hub: PreparedNode, from: Destination, distanceM: number | null): boolean {
  return hasCoordinates(from) && distanceM != null && hub.area != null && serviceAreaContains(hub.area, distanceM, from.latitude, from.longitude);
}

/**
 * Prices every return leg from `from` to `hub` for each parcel and shows each price to `visit`:
 * courier collections first (inside the hub's area), then carrier labels, in configuration order,
 * so "first cheapest" is stable. Builds no text: expected returns price every hub for every order.
 */
function priceReturnLegs(hub: PreparedNode, from: Destination, distanceM: number | null, parcels: readonly Parcel[], visit: LegVisitor): void {
  if (collectsAt(hub, from, distanceM)) {
    for (const c of hub.couriers) {
      for (let i = 0; i < parcels.length; i++) {
        const price = courierPriceMinor(c, distanceM!, parcels[i]);
        if (price !== null) visit(i, price, c, null);
      }
    }
  }
  if (hub.rateCards.length === 0) return;
  const zoning = { distanceM, postalCode: hub.node.postalCode, country: hub.node.country };
  for (const card of hub.rateCards) {
    const zone = zoneOf(card.card, zoning);
    if (zone === null) continue;
    for (let i = 0; i < parcels.length; i++) {
      const price = carrierPriceMinor(card, zone, parcels[i], from, false);
      if (price !== null) visit(i, price, null, card);
    }
  }
}

function viaOf(hub: PreparedNode, leg: LegChoice): string {
  return leg.courier
    ? `${leg.courier.config.name} collection to ${hub.node.name}`
    : `${leg.card!.card.carrier} ${leg.card!.card.service} label to ${hub.node.name}`;
}

export type ReturnLeg =
  | { ok: true; hub: PreparedNode; distanceM: number | null; costMinor: number; via: string }
  | { ok: false; hub: PreparedNode; distanceM: number | null; reason: string };

/**
 * What bringing one unit of `product` back from `from` to one hub costs: the cheapest courier
 * collection (inside the hub's area) or carrier label, or why no leg reaches the hub.
 */
export function returnLegTo(hub: PreparedNode, product: ProductProfile, from: Destination): ReturnLeg {
  const distanceM = distanceTo(hub, from);
  let best: LegChoice | null = null;
  priceReturnLegs(hub, from, distanceM, [unitParcel(product)], (_, priceMinor, courier, card) => {
    if (best === null || priceMinor < best.priceMinor) best = { priceMinor, courier, card };
  });
  const found = best as LegChoice | null;
  if (found) return { ok: true, hub, distanceM, costMinor: found.priceMinor, via: viaOf(hub, found) };
  const n = hub.node;
  const why: string[] = [];
  if (hub.couriers.length > 0 && collectsAt(hub, from, distanceM)) why.push("its couriers refuse the parcel (distance or weight limit)");
  else if (hub.couriers.length > 0) {
    why.push(
      hub.area === null
        ? "it has no delivery area for courier collections"
        : distanceM === null
          ? "the address has no coordinates for a courier collection"
          : "the address is outside its collection area",
    );
  }
  for (const card of hub.rateCards) {
    const z = zoneFor(card.card, { distanceM, postalCode: n.postalCode, country: n.country });
    why.push(z.ok ? `${card.card.carrier} ${card.card.service} has no price for this parcel` : z.reason);
  }
  if (why.length === 0) why.push("no courier or rate card serves it");
  return { ok: false, hub, distanceM, reason: `no return leg reaches ${n.name}: ${why.join("; ")}` };
}

export function expectedReverseCost(
  net: CostingNetwork,
  lines: readonly CartLine[],
  destination: Destination,
): ReverseEstimate {
  const rated = lines.filter((l) => l.product.returnRateBps > 0);
  const parcels = rated.map((l) => unitParcel(l.product));
  const best: (LegChoice | null)[] = rated.map(() => null);
  const bestHub: (PreparedNode | null)[] = rated.map(() => null);
  let hub: PreparedNode | null = null;
  const visit: LegVisitor = (i, priceMinor, courier, card) => {
    const b = best[i];
    if (b === null || priceMinor < b.priceMinor) {
      best[i] = { priceMinor, courier, card };
      bestHub[i] = hub;
    }
  };
  if (rated.length > 0) {
    for (hub of net.returnHubs) priceReturnLegs(hub, destination, distanceTo(hub, destination), parcels, visit);
  }
  const reasons: string[] = [];
  let amount = 0;
  const out = rated.map((line, i): ReverseLine => {
    const p = line.product;
    const leg = best[i];
    const at = bestHub[i];
    const unitCostMinor = leg?.priceMinor ?? net.config.returns.fallbackUnitCostMinor;
    if (leg === null) reasons.push(`no return leg prices ${p.sku} from this address: fallback ${formatMinor(unitCostMinor, net.currency)} per unit`);
    const expectedUnits = (line.quantity * p.returnRateBps) / 10_000;
    amount += expectedUnits * unitCostMinor;
    return {
      productId: p.id,
      sku: p.sku,
      quantity: line.quantity,
      returnRateBps: p.returnRateBps,
      expectedUnits,
      unitCostMinor,
      hubId: at ? at.node.id : null,
      via: leg && at ? viaOf(at, leg) : "fallback unit cost",
    };
  });
  return { amountMinor: Math.round(amount), lines: out, detail: describe(out, net.currency), reasons };
}

const LISTED = 5;

/** "TEE: 6.5% × $8.80 (label to Brooklyn hub)", "TEE: 2 × 6.5% × $8.80 (…)": units × return rate × the leg. */
export function describeReverseLine(l: ReverseLine, currency: string): string {
  return `${l.sku}: ${l.quantity === 1 ? "" : `${l.quantity} × `}${formatBasisPoints(l.returnRateBps)} × ${formatMinor(l.unitCostMinor, currency)} (${l.via})`;
}

function describe(lines: ReverseLine[], currency: string): string {
  if (lines.length === 0) return "no line has a return rate";
  const parts = lines
    .slice(0, LISTED)
    .map((l) => describeReverseLine(l, currency));
  if (lines.length > LISTED) parts.push(`${lines.length - LISTED} more lines`);
  return parts.join("; ");
}
