// The service code a shopper's choice carries from checkout to routing:
//   "NH:<nodeHandle>:<SERVICE>"                 one shipment from one node (every code before split quotes), or
//   "NH:<handle1>+<handle2>[+<handle3>]:<SERVICE>"  a split rate: one shipment from each node, each with SERVICE.
// Node handles are 3–40 lowercase letters, digits and dashes (network/node-input.ts), so neither "+"
// nor ":" occurs in one and a split code reads back unambiguously; a single-node code is unchanged.
// The longest split code (3 shipments of 40-character handles, "AUTONOMOUS") is 136 characters.
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

/** The code of a split rate: its nodes in the order of its shipments, one service for all of them. */
export function splitServiceCodeOf(nodeHandles: readonly string[], service: ServiceKind): string {
  return `${PREFIX}${nodeHandles.join(SPLIT)}:${service}`;
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
}

/** Null for anything that is not a Nearhub node's service code (backup rates, other apps' and Shopify's rates). */
export function parseServiceCode(code: string): ParsedServiceCode | null {
  if (!code.startsWith(PREFIX) || isBackupServiceCode(code)) return null;
  const last = code.lastIndexOf(":");
  const nodeHandle = code.slice(PREFIX.length, last);
  const service = code.slice(last + 1);
  if (nodeHandle.length === 0 || !(SERVICE_KINDS as readonly string[]).includes(service)) return null;
  if (!nodeHandle.includes(SPLIT)) return { nodeHandle, service: service as ServiceKind };
  const nodeHandles = nodeHandle.split(SPLIT);
  if (nodeHandles.length > MAX_CODE_SHIPMENTS || nodeHandles.some((h) => h.length === 0) || new Set(nodeHandles).size !== nodeHandles.length) {
    return null;
  }
  return { nodeHandle, service: service as ServiceKind, nodeHandles };
}
