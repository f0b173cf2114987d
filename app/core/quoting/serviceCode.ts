// The service code a shopper's choice carries from checkout to routing:
//   "NH:<nodeHandle>:<SERVICE>"                 one shipment from one node (every code before split quotes), or
//   "NH:<handle1>+<handle2>[+<handle3>]:<SERVICE>"  a split rate of service level SERVICE: one shipment
//       from each node, with SERVICE, or with a faster service written after the handle as "~SD"
//       (same-day), "~ND" (next-day), "~AU" (autonomous): "NH:hub-a~SD+warehouse:STANDARD".
// Node handles are 3–40 lowercase letters, digits and dashes (network/node-input.ts), so none of
// "+", "~" and ":" occurs in one and a split code reads back unambiguously; a single-node code is
// unchanged. The longest split code (3 shipments of 40-character handles, each with a suffix,
// "AUTONOMOUS") is 145 characters.
import { SERVICE_KINDS, type ServiceKind } from "../costing/types";

const PREFIX = "NH:";
const SPLIT = "+";
/** Most parcels a split code names (routing's maxShipments is at most 3). */
export const MAX_CODE_SHIPMENTS = 3;
/**
 * Longest code we emit. Shopify's reference (shared/reference/shopify-platform.md) states no
 * limit for a rate's service_code; the merchant's own backup codes are held to 60 characters
 * (backup.ts). 255 is the common bound of Shopify's string fields; split codes stay far below it.
 */
export const MAX_SERVICE_CODE_LENGTH = 255;

export function serviceCodeOf(nodeHandle: string, service: ServiceKind): string {
  return `${PREFIX}${nodeHandle}:${service}`;
}

const SHORT: Record<ServiceKind, string> = { SAME_DAY: "SD", NEXT_DAY: "ND", STANDARD: "ST", AUTONOMOUS: "AU", PICKUP: "PU" };
const LONG = Object.fromEntries(Object.entries(SHORT).map(([k, v]) => [v, k])) as Record<string, ServiceKind>;

/** The code of a split rate of service level `service`: its shipments' nodes and services, in order. */
export function splitServiceCodeOf(shipments: readonly { nodeHandle: string; service: ServiceKind }[], service: ServiceKind): string {
  const parts = shipments.map((s) => (s.service === service ? s.nodeHandle : `${s.nodeHandle}~${SHORT[s.service]}`));
  return `${PREFIX}${parts.join(SPLIT)}:${service}`;
}

/**
 * The merchant's backup rates (backup.ts) are coded "NH:BACKUP:<name>". They name no node: node
 * handles are lowercase (network/node-input.ts), so no node is called BACKUP.
 */
const BACKUP_PREFIX = `${PREFIX}BACKUP:`;

export function isBackupServiceCode(code: string): boolean {
  return code.startsWith(BACKUP_PREFIX);
}

export interface ParsedServiceCode {
  /** The node's handle; for a split code, the handles joined by "+" as written. */
  nodeHandle: string;
  service: ServiceKind;
  /** A split rate only: one handle per shipment (two or three). Absent for a single-node code. */
  nodeHandles?: string[];
  /** A split rate only: each shipment's service. */
  shipmentServices?: ServiceKind[];
}

/** Null for anything that is not a Nearhub node's service code (backup rates, other apps' and Shopify's rates). */
export function parseServiceCode(code: string): ParsedServiceCode | null {
  if (!code.startsWith(PREFIX) || isBackupServiceCode(code)) return null;
  const last = code.lastIndexOf(":");
  const nodeHandle = code.slice(PREFIX.length, last);
  const service = code.slice(last + 1);
  if (nodeHandle.length === 0 || !(SERVICE_KINDS as readonly string[]).includes(service)) return null;
  if (!nodeHandle.includes(SPLIT)) return { nodeHandle, service: service as ServiceKind };
  const parts = nodeHandle.split(SPLIT);
  const nodeHandles: string[] = [];
  const shipmentServices: ServiceKind[] = [];
  for (const part of parts) {
    const tilde = part.indexOf("~");
    const handle = tilde < 0 ? part : part.slice(0, tilde);
    const own = tilde < 0 ? (service as ServiceKind) : LONG[part.slice(tilde + 1)];
    if (handle.length === 0 || own === undefined) return null;
    nodeHandles.push(handle);
    shipmentServices.push(own);
  }
  if (nodeHandles.length > MAX_CODE_SHIPMENTS || new Set(nodeHandles).size !== nodeHandles.length) return null;
  return { nodeHandle: nodeHandles.join(SPLIT), service: service as ServiceKind, nodeHandles, shipmentServices };
}
