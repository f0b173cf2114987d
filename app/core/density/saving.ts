// The expected saving of serving a cluster locally, priced by the landed-cost engine on a sample of
// the cluster's orders: central = the cheapest carrier (STANDARD) shipment from a central warehouse
// that may ship (core/network/availability); local = the cheapest shipment from such a node already in the cluster (a courier
// inside its delivery area, a robot corridor, or a carrier where it is a rate card's origin), or,
// where the cluster has none, from a new micro-hub at the cluster's centre (handling and radius from
// the density config). Both include the expected cost of returns, as routing does. Orders either
// side cannot price are left out and counted.
import { landedCost } from "../costing/landedCost";
import { prepareCosting, type CostingNetwork, type PreparedNode } from "../costing/network";
import { isAvailable, orderPurpose } from "../network/availability";
import type { CostingConfigInput } from "../costing/config";
import type { CartLine, Destination, ServiceKind } from "../costing/types";
import { greatCircleM } from "../geo/distance";
import { formatMinor } from "../money/money";
import { serviceAreaContains } from "../geo/serviceArea";
import type { NetworkNode, NetworkSnapshot } from "../network/types";
import { densityConfigSchema, type DensityConfigInput } from "./config";
import type { SavingEstimator, SavingRequest } from "./types";

const CENTRAL_SERVICES: readonly ServiceKind[] = ["STANDARD"];
const LOCAL_SERVICES: readonly ServiceKind[] = ["NEXT_DAY", "AUTONOMOUS", "STANDARD"];

export interface CostingSavingOptions {
  /** The shop's network: nodes and product profiles (stock is not needed). */
  snapshot: NetworkSnapshot;
  /** The shop's costing config: rate cards, couriers, returns. */
  config: CostingConfigInput;
  /** For the new hub's handling cost and radius (saving.hubHandlingMinor, saving.hubRadiusM). */
  density?: DensityConfigInput;
}

export function costingSavingEstimator(opts: CostingSavingOptions): SavingEstimator {
  const cfg = densityConfigSchema.parse(opts.density ?? {}).saving;
  const base = prepareCosting(opts.snapshot, opts.config);
  const products = new Map(opts.snapshot.products.map((p) => [p.id, p]));
  // Nodes that may take orders (the availability gate; planning over a year of orders asks no stock or capacity of today).
  const mayShip = (n: PreparedNode) => isAvailable(n.gate, orderPurpose(n.node));
  const central = base.nodes.filter((n) => mayShip(n) && n.node.kind === "CENTRAL_WAREHOUSE");

  return (req: SavingRequest) => {
    const reasons: string[] = [];
    let net: CostingNetwork = base;
    let localIds = req.nodeIds.filter((id) => {
      const n = base.byId.get(id);
      return n !== undefined && mayShip(n) && n.node.kind !== "CENTRAL_WAREHOUSE" && (n.couriers.length > 0 || n.rateCards.length > 0 || n.corridors.length > 0);
    });
    let localFrom: string;
    if (localIds.length > 0) {
      localFrom = `from ${localIds.map((id) => base.byId.get(id)!.node.name).join(" or ")}`;
    } else {
      const hub = newHub(opts.snapshot, req, cfg.hubHandlingMinor, Math.max(cfg.hubRadiusM, req.radiusM));
      net = prepareCosting({ ...opts.snapshot, nodes: [...opts.snapshot.nodes, hub] }, opts.config);
      localIds = [hub.id];
      localFrom = `from a new hub at the centre (${(hub.serviceArea.radiusM! / 1000).toFixed(1)} km radius, ${formatMinor(cfg.hubHandlingMinor, base.currency)} handling)`;
      if (net.byId.get(hub.id)!.couriers.length === 0) reasons.push("no courier is configured for every node, so a new hub has none");
    }
    if (central.length === 0) reasons.push("the network has no active central warehouse to compare with");
    let centralSum = 0;
    let localSum = 0;
    let priced = 0;
    let unpricedCentral = 0;
    let unpricedLocal = 0;
    for (const order of req.sample) {
      const lines: CartLine[] = [];
      for (const l of order.lines) {
        const p = products.get(l.productId);
        if (p) lines.push({ product: p, quantity: l.quantity });
      }
      if (lines.length === 0) continue;
      const destination: Destination = { latitude: order.latitude, longitude: order.longitude, postalCode: order.postalCode ?? null, country: order.country };
      const cheapest = (ids: string[], services: readonly ServiceKind[], network: CostingNetwork): number | null => {
        let best: number | null = null;
        for (const id of ids) {
          const n = network.byId.get(id)!;
          const d = greatCircleM(n.node.latitude, n.node.longitude, order.latitude, order.longitude);
          const inArea = n.area !== null && serviceAreaContains(n.area, d, order.latitude, order.longitude);
          for (const service of services) {
            if (service === "NEXT_DAY" && !inArea) continue;
            if (service === "AUTONOMOUS" && n.corridors.length === 0) continue;
            if (service === "STANDARD" && n.rateCards.length === 0) continue;
            const r = landedCost(network, { nodeId: id, service, lines, destination, dispatchAt: order.placedAt, loadRatio: 0 });
            if (r.ok && (best === null || r.cost.totalMinor < best)) best = r.cost.totalMinor;
          }
        }
        return best;
      };
      const c = cheapest(central.map((n) => n.node.id), CENTRAL_SERVICES, base);
      const l = cheapest(localIds, LOCAL_SERVICES, net);
      if (c === null) unpricedCentral++;
      if (l === null) unpricedLocal++;
      if (c === null || l === null) continue;
      centralSum += c;
      localSum += l;
      priced++;
    }
    if (unpricedCentral > 0) reasons.push(`${unpricedCentral} sampled orders have no central carrier price`);
    if (unpricedLocal > 0) reasons.push(`${unpricedLocal} sampled orders are out of the local node's reach (area or courier limits)`);
    return {
      priced,
      sampled: req.sample.length,
      centralMinor: centralSum,
      localMinor: localSum,
      perOrderMinor: priced > 0 ? Math.round((centralSum - localSum) / priced) : 0,
      currency: base.currency,
      localFrom,
      reasons,
    };
  };
}

/** A micro-hub at the cluster's centre, in the time zone of the nearest existing node. */
function newHub(snapshot: NetworkSnapshot, req: SavingRequest, handlingMinor: number, radiusM: number): NetworkNode {
  let nearest: NetworkNode | null = null;
  let best = Infinity;
  for (const n of snapshot.nodes) {
    const d = greatCircleM(n.latitude, n.longitude, req.centroid.latitude, req.centroid.longitude);
    if (d < best) {
      best = d;
      nearest = n;
    }
  }
  const all = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
  return {
    id: `new-hub-${req.clusterId}`,
    handle: `new-hub-${req.clusterId}`,
    name: `a new hub in ${req.name}`,
    kind: "MICRO_HUB",
    status: "ACTIVE",
    latitude: req.centroid.latitude,
    longitude: req.centroid.longitude,
    timezone: nearest?.timezone ?? "UTC",
    postalCode: "",
    country: nearest?.country ?? req.sample[0]?.country ?? "US",
    shopifyLocationId: null,
    serviceArea: { radiusM, polygon: null },
    openingHours: Object.fromEntries(all.map((d) => [d, [["08:00", "20:00"]]])) as NetworkNode["openingHours"],
    sameDayCutoff: "16:00",
    dailyCapacity: 1000,
    handlingCostMinor: handlingMinor,
    pickupCostMinor: 0,
    sellerId: null,
    acceptsReturns: true,
    inspectionHours: null,
  };
}
