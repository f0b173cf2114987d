// A small New York network whose costs can be checked by hand: no returns (return rate 0), one
// bike courier at 5.00 + 1.00 per km of straight-line distance (circuity 1, no surge), and one
// flat carrier price of 10.00 from the warehouse. A shipment then costs
//   courier:  handling + 500 + round(100 × km)      carrier:  handling + pickup + 1000
// Hub A (Williamsburg) is near the test address but expensive to handle at; hub B (Chelsea) is
// farther and cheap; W is a warehouse in Long Island City; F a micro-factory at the Navy Yard.
import { greatCircleM } from "../../../app/core/geo/distance";
import { prepareNetwork } from "../../../app/core/quoting";
import type { QuoteConfigInput } from "../../../app/core/quoting/config";
import type { RateCardInput } from "../../../app/core/costing/rateCard";
import { prepareRouting, type RoutingConfigInput, type RoutingNetwork, type RoutingOrder } from "../../../app/core/routing";
import type { NetworkNode, NetworkSnapshot, ProductProfile } from "../../../app/core/network/types";
import { hours, local, makeNode, makeProduct } from "../fixtures";

export const NOW = local("2025-06-10T10:00"); // a Tuesday

export const ADDRESS = { latitude: 40.7181, longitude: -73.9571, postalCode: "11211", country: "US" };

export function nodes(): Record<"A" | "B" | "W" | "F", NetworkNode> {
  return {
    A: makeNode({ id: "A", handle: "hub-a", name: "Hub A", latitude: 40.7142, longitude: -73.9614, serviceArea: { radiusM: 10_000, polygon: null }, sameDayCutoff: "16:00", openingHours: hours("08:00", "20:00"), handlingCostMinor: 600, dailyCapacity: 100 }),
    B: makeNode({ id: "B", handle: "hub-b", name: "Hub B", latitude: 40.7465, longitude: -74.0014, serviceArea: { radiusM: 10_000, polygon: null }, sameDayCutoff: "16:00", openingHours: hours("08:00", "20:00"), handlingCostMinor: 100, dailyCapacity: 100 }),
    W: makeNode({ id: "W", handle: "warehouse", name: "Warehouse W", kind: "CENTRAL_WAREHOUSE", latitude: 40.7447, longitude: -73.9485, serviceArea: { radiusM: null, polygon: null }, openingHours: hours("07:00", "19:00"), handlingCostMinor: 150, pickupCostMinor: 0, dailyCapacity: 1000 }),
    F: makeNode({ id: "F", handle: "factory", name: "Factory F", kind: "MICRO_FACTORY", latitude: 40.7003, longitude: -73.9717, serviceArea: { radiusM: 8000, polygon: null }, sameDayCutoff: "16:00", openingHours: hours("09:00", "18:00"), handlingCostMinor: 200, dailyCapacity: 40 }),
  };
}

export function catalogue(): Record<"mug" | "tee" | "print", ProductProfile> {
  return {
    mug: makeProduct({ id: "mug", sku: "MUG", weightGrams: 400 }),
    tee: makeProduct({ id: "tee", sku: "TEE", weightGrams: 200 }),
    print: makeProduct({ id: "print", sku: "PRINT", weightGrams: 300, madeToOrder: true }),
  };
}

export function flatCard(): RateCardInput {
  return {
    id: "flat",
    carrier: "Flat Parcel",
    service: "Ground",
    currency: "USD",
    destinationCountries: ["US"],
    zoning: { by: "distance", bands: [{ upToM: 6_000_000, zone: "1" }] },
    zones: [{ zone: "1", transitDaysMin: 2, transitDaysMax: 3 }],
    weightBands: [{ upToGrams: 30_000, pricesMinor: { "1": 1000 } }],
    extraPerKgMinor: null,
    dimDivisor: null,
    surcharges: [],
  };
}

export function config(over: Partial<QuoteConfigInput> = {}): QuoteConfigInput {
  return {
    rateCards: [flatCard()],
    couriers: [{ id: "bike", name: "Bike", baseMinor: 500, perKmMinor: 100, circuityFactor: 1, maxRoadDistanceM: 20_000, speedKmh: 20, pickupMinutes: 10, surge: [] }],
    corridors: [],
    nodes: { A: { prepMinutes: 30 }, B: { prepMinutes: 30 }, W: { prepMinutes: 30 }, F: { prepMinutes: 30, makeSetupMinutes: 45, makeMinutesPerUnit: 30 } },
    returns: { hubNodeIds: null, fallbackUnitCostMinor: 0 },
    ...over,
  };
}

export interface Build {
  nodes?: NetworkNode[];
  stock?: NetworkSnapshot["stock"];
  today?: NetworkSnapshot["today"];
  quote?: Partial<QuoteConfigInput>;
  routing?: RoutingConfigInput;
}

export function network(b: Build = {}): RoutingNetwork {
  const n = nodes();
  const snapshot: NetworkSnapshot = {
    shopId: "shop_small",
    currency: "USD",
    nodes: b.nodes ?? [n.A, n.B, n.W, n.F],
    products: Object.values(catalogue()),
    stock: b.stock ?? { A: { mug: 10, tee: 10 }, B: { mug: 10, tee: 10 }, W: { mug: 100, tee: 100 }, F: {} },
    ...(b.today ? { today: b.today } : {}),
  };
  return prepareRouting(prepareNetwork(snapshot, config(b.quote)), b.routing ?? {});
}

/** Courier cost of one shipment from a node to the test address, by the formula above. */
export function courierCost(node: NetworkNode, to: { latitude: number; longitude: number } = ADDRESS): number {
  const m = greatCircleM(node.latitude, node.longitude, to.latitude, to.longitude);
  return node.handlingCostMinor + 500 + Math.round((100 * m) / 1000);
}

export function carrierCost(node: NetworkNode): number {
  return node.handlingCostMinor + node.pickupCostMinor + 1000;
}

let seq = 0;
export function order(lines: [string, number][], over: Partial<RoutingOrder> = {}): RoutingOrder {
  seq++;
  return {
    id: over.id ?? `o${seq}`,
    placedAt: NOW - 3_600_000,
    destination: ADDRESS,
    lines: lines.map(([productId, quantity], i) => ({ id: `l${i}`, productId, quantity })),
    serviceCode: null,
    ...over,
  };
}
