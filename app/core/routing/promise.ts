// The promise an order carries from checkout: the service code of the rate the shopper chose,
// "NH:<nodeHandle>:<SERVICE>" (core/quoting). A shipment keeps the promise when its service is at
// least as fast as the chosen one; pickup is kept only by pickup at the chosen node.
import type { ServiceKind } from "../costing/types";
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
}

export function resolvePromise(net: RoutingNetwork, serviceCode: string | null | undefined): ResolvedPromise {
  const fallback = net.config.promise.defaultService;
  if (!serviceCode) return { requested: null, service: fallback, nodeId: null, nodeIndex: -1, notes: [] };
  const parsed = parseServiceCode(serviceCode);
  if (!parsed) {
    return {
      requested: null,
      service: fallback,
      nodeId: null,
      nodeIndex: -1,
      notes: [
        isBackupServiceCode(serviceCode)
          ? `the shopper chose the backup rate "${serviceCode}" (live quotes could not answer at checkout): the promise is ${fallback}`
          : `shipping code "${serviceCode}" is not a Nearhub rate: the promise is ${fallback}`,
      ],
    };
  }
  const nodeIndex = net.nodeByHandle.get(parsed.nodeHandle) ?? -1;
  return {
    requested: parsed,
    service: parsed.service,
    nodeId: nodeIndex >= 0 ? net.nodes[nodeIndex].node.id : null,
    nodeIndex,
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
  if (promise.nodeIndex >= 0 && shipments.some((s) => s.node !== promise.nodeIndex)) return "NODE_CHANGED";
  return "KEPT";
}

export function promisePenalty(net: RoutingNetwork, status: PromiseStatus): number {
  const p = net.config.promise;
  if (status === "BROKEN") return p.breakPenaltyMinor;
  if (status === "NODE_CHANGED" && p.keep === "NODE_AND_SERVICE") return p.nodeChangePenaltyMinor;
  return 0;
}

export function describePromise(promise: ResolvedPromise): string {
  if (promise.requested) return `${promise.requested.service} from ${promise.requested.nodeHandle}`;
  return `${promise.service} (no Nearhub rate chosen)`;
}
