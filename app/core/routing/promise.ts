// The promise an order carries from checkout: the service code of the rate the shopper chose,
// "NH:<nodeHandle>:<SERVICE>" (core/quoting). A shipment keeps the promise when its service is at
// least as fast as the chosen one; pickup is kept only by pickup at the chosen node. A split rate,
// "NH:<node1>+<node2>:<SERVICE>", names the nodes of its shipments: a shipment from one of them keeps
// the promise like any other (at least as fast; routing ships with the quoted service while it can:
// preferredService); leaving the plan's nodes is a change of node like leaving a chosen node.
import type { ServiceKind } from "../costing/types";
import { SERVICE_WORDS, type ServiceWord } from "../network/reasons";
import { isBackupServiceCode, parseServiceCode } from "../quoting/serviceCode";
import type { RoutingNetwork } from "./prepare";
import type { PromiseInfo, PromiseStatus } from "./types";

/** Speed rank: a higher rank arrives no later. Pickup is not on the scale. */
export const SERVICE_RANK: Record<ServiceKind, number> = {
  SAME_DAY: 3,
  AUTONOMOUS: 3,
  NEXT_DAY: 2,
  STANDARD: 1,
  PICKUP: 0,
};

export interface ResolvedPromise extends PromiseInfo {
  /** Index of the chosen node, or -1. */
  nodeIndex: number;
  /** Why the code was not used (unknown node, not a Nearhub code). */
  notes: string[];
  /** A split rate's nodes (indexes, in the code's order); null for any other promise. */
  planNodes: number[] | null;
  /** The service each of planNodes ships with, as quoted. */
  planServices: ServiceKind[] | null;
}

/** The promise checkout prices a rate under: `service` or faster, from any node. */
export function servicePromise(service: ServiceKind): ResolvedPromise {
  return { requested: null, service, nodeId: null, nodeIndex: -1, notes: [], planNodes: null, planServices: null };
}

/**
 * The service the shopper's choice names for node `n`: the chosen node's service, or a split rate's
 * service for that parcel; null for any other node. Routing ships with it when it still can, so the
 * order goes as checkout priced it (a faster service would keep the promise too).
 */
export function preferredService(promise: ResolvedPromise, n: number): ServiceKind | null {
  if (promise.planNodes !== null) {
    const at = promise.planNodes.indexOf(n);
    return at >= 0 ? promise.planServices![at] : null;
  }
  return n === promise.nodeIndex ? promise.service : null;
}

export function resolvePromise(net: RoutingNetwork, serviceCode: string | null | undefined): ResolvedPromise {
  const fallback = net.config.promise.defaultService;
  if (!serviceCode) return servicePromise(fallback);
  const parsed = parseServiceCode(serviceCode);
  if (!parsed) {
    return {
      requested: null,
      service: fallback,
      nodeId: null,
      nodeIndex: -1,
      planNodes: null,
      planServices: null,
      notes: [
        isBackupServiceCode(serviceCode)
          ? `the shopper chose a backup rate (live quotes could not answer at checkout): the promise is ${serviceWords(fallback)} delivery`
          : `shipping code "${serviceCode}" is not a Nearhub rate: the promise is ${serviceWords(fallback)} delivery`,
      ],
    };
  }
  const requested = { nodeHandle: parsed.nodeHandle, service: parsed.service };
  if (parsed.nodeHandles) {
    const plan = parsed.nodeHandles.map((h) => net.nodeByHandle.get(h) ?? -1);
    const gone = parsed.nodeHandles.filter((_, i) => plan[i] < 0);
    const nodeIndex = gone.length === 0 ? plan[0] : -1;
    return {
      requested,
      service: parsed.service,
      nodeId: nodeIndex >= 0 ? net.nodes[nodeIndex].node.id : null,
      nodeIndex,
      planNodes: gone.length === 0 ? plan : null,
      planServices: gone.length === 0 ? parsed.shipmentServices!.slice() : null,
      notes: gone.length === 0 ? [] : [`the chosen split rate names nodes that are not in the network any more: ${gone.join(", ")}`],
    };
  }
  const nodeIndex = net.nodeByHandle.get(parsed.nodeHandle) ?? -1;
  return {
    requested,
    service: parsed.service,
    nodeId: nodeIndex >= 0 ? net.nodes[nodeIndex].node.id : null,
    nodeIndex,
    planNodes: null,
    planServices: null,
    notes: nodeIndex >= 0 ? [] : [`the chosen node "${parsed.nodeHandle}" is not in the network any more`],
  };
}

/** Whether a shipment from `node` with `service` keeps the promise's speed. */
export function keepsService(promise: ResolvedPromise, node: number, service: ServiceKind): boolean {
  if (promise.service === "PICKUP") return service === "PICKUP" && node === promise.nodeIndex;
  return service !== "PICKUP" && SERVICE_RANK[service] >= SERVICE_RANK[promise.service];
}

/** Services worth costing at all: pickup only when the shopper chose to pick up. */
export function consideredService(promise: ResolvedPromise, service: ServiceKind): boolean {
  return service !== "PICKUP" || promise.service === "PICKUP";
}

export function promiseStatusOf(promise: ResolvedPromise, shipments: readonly { node: number; keepsPromise: boolean }[]): PromiseStatus {
  if (shipments.some((s) => !s.keepsPromise)) return "BROKEN";
  const plan = promise.planNodes;
  if (plan !== null) return shipments.every((s) => plan.includes(s.node)) ? "KEPT" : "NODE_CHANGED";
  if (promise.nodeIndex >= 0 && shipments.some((s) => s.node !== promise.nodeIndex)) return "NODE_CHANGED";
  return "KEPT";
}

export function promisePenalty(net: RoutingNetwork, status: PromiseStatus): number {
  const p = net.config.promise;
  if (status === "BROKEN") return p.breakPenaltyMinor;
  if (status === "NODE_CHANGED" && p.keep === "NODE_AND_SERVICE") return p.nodeChangePenaltyMinor;
  return 0;
}

/** A service kind in the merchant's words ("same-day", "standard carrier"), never its code. */
export function serviceWords(service: ServiceKind | string): string {
  return SERVICE_WORDS[service as ServiceWord] ?? service.toLowerCase().replace(/_/g, "-");
}

/** The promise in words; `nodeName` names the requested node (its handle is an internal key). */
export function describePromise(promise: ResolvedPromise, nodeName: (handle: string) => string = (h) => h): string {
  if (promise.requested && promise.planNodes) return `${serviceWords(promise.requested.service)} in ${promise.planNodes.length} parcels from ${promise.requested.nodeHandle.split("+").map(nodeName).join(" and ")}`;
  if (promise.requested) return `${serviceWords(promise.requested.service)} from ${nodeName(promise.requested.nodeHandle)}`;
  return `${serviceWords(promise.service)} (no Nearhub rate chosen)`;
}
