// The service code a shopper's choice carries from checkout to routing: "NH:<nodeHandle>:<SERVICE>".
import { SERVICE_KINDS, type ServiceKind } from "../costing/types";

const PREFIX = "NH:";

export function serviceCodeOf(nodeHandle: string, service: ServiceKind): string {
  return `${PREFIX}${nodeHandle}:${service}`;
}

/**
 * The merchant's backup rates (backup.ts) are coded "NH:BACKUP:<name>". They name no node: node
 * handles are lowercase (network/node-input.ts), so no node is called BACKUP.
 */
const BACKUP_PREFIX = `${PREFIX}BACKUP:`;

export function isBackupServiceCode(code: string): boolean {
  return code.startsWith(BACKUP_PREFIX);
}

/** Null for anything that is not a Nearhub node's service code (backup rates, other apps' and Shopify's rates). */
export function parseServiceCode(code: string): { nodeHandle: string; service: ServiceKind } | null {
  if (!code.startsWith(PREFIX) || isBackupServiceCode(code)) return null;
  const last = code.lastIndexOf(":");
  const nodeHandle = code.slice(PREFIX.length, last);
  const service = code.slice(last + 1);
  if (nodeHandle.length === 0 || !(SERVICE_KINDS as readonly string[]).includes(service)) return null;
  return { nodeHandle, service: service as ServiceKind };
}
