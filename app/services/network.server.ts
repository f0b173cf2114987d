// Node network repository: every function takes the shop id and every query filters by it.
import type { Node as NodeRow, Prisma } from "@prisma/client";
import { db } from "~/db.server";
import type { NodeInput } from "~/core/network/node-input";
import {
  NODE_KINDS,
  NODE_STATUSES,
  openingHoursSchema,
  polygonSchema,
  type NetworkNode,
  type NodeKind,
  type NodeStatus,
} from "~/core/network/types";
import { invalidateQuoteCache } from "./quote-cache-invalidation.server";

export class NotFoundError extends Error {}
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

function parseJsonColumn<T>(text: string | null, parse: (v: unknown) => T, column: string, id: string): T | null {
  if (text === null || text === "") return null;
  try {
    return parse(JSON.parse(text));
  } catch (error) {
    throw new Error(`Node ${id}: stored ${column} is not valid (${(error as Error).message})`);
  }
}

/** A database row as the core's NetworkNode (JSON columns parsed and validated). */
export function toNetworkNode(row: NodeRow): NetworkNode {
  return {
    id: row.id,
    handle: row.handle,
    name: row.name,
    kind: asKind(row.kind),
    status: asStatus(row.status),
    latitude: row.latitude,
    longitude: row.longitude,
    timezone: row.timezone,
    postalCode: row.postalCode,
    country: row.country,
    shopifyLocationId: row.shopifyLocationId,
    serviceArea: {
      radiusM: row.serviceRadiusM,
      polygon: parseJsonColumn(row.serviceAreaJson, (v) => polygonSchema.parse(v), "service area", row.id),
    },
    openingHours:
      parseJsonColumn(row.openingHoursJson, (v) => openingHoursSchema.parse(v), "opening hours", row.id) ??
      openingHoursSchema.parse({}),
    sameDayCutoff: row.sameDayCutoff,
    dailyCapacity: row.dailyCapacity,
    handlingCostMinor: row.handlingCostMinor,
    pickupCostMinor: row.pickupCostMinor,
    sellerId: row.sellerId,
    acceptsReturns: row.acceptsReturns,
    inspectionHours: row.inspectionHours,
  };
}

function asKind(value: string): NodeKind {
  if ((NODE_KINDS as readonly string[]).includes(value)) return value as NodeKind;
  throw new Error(`Unknown node kind in database: ${value}`);
}
function asStatus(value: string): NodeStatus {
  if ((NODE_STATUSES as readonly string[]).includes(value)) return value as NodeStatus;
  throw new Error(`Unknown node status in database: ${value}`);
}

function toRowData(input: NodeInput) {
  return {
    name: input.name,
    handle: input.handle,
    kind: input.kind,
    address1: input.address1,
    city: input.city,
    province: input.province,
    postalCode: input.postalCode,
    country: input.country,
    latitude: input.latitude,
    longitude: input.longitude,
    timezone: input.timezone,
    shopifyLocationId: input.shopifyLocationId,
    serviceRadiusM: input.serviceRadiusM,
    serviceAreaJson: input.serviceArea ? JSON.stringify(input.serviceArea) : null,
    openingHoursJson: JSON.stringify(input.openingHours),
    sameDayCutoff: input.sameDayCutoff,
    dailyCapacity: input.dailyCapacity,
    handlingCostMinor: input.handlingCostMinor,
    pickupCostMinor: input.pickupCostMinor,
    acceptsReturns: input.acceptsReturns,
    inspectionHours: input.inspectionHours,
  } satisfies Omit<Prisma.NodeUncheckedCreateInput, "shopId">;
}

export function listNodes(shopId: string): Promise<NodeRow[]> {
  return db.node.findMany({ where: { shopId }, orderBy: [{ status: "asc" }, { kind: "asc" }, { name: "asc" }] });
}

export async function getNode(shopId: string, id: string): Promise<NodeRow> {
  const row = await db.node.findFirst({ where: { shopId, id } });
  if (!row) throw new NotFoundError(`No node ${id} in this shop`);
  return row;
}

async function assertHandleFree(shopId: string, handle: string, exceptId?: string) {
  const clash = await db.node.findFirst({ where: { shopId, handle, ...(exceptId ? { NOT: { id: exceptId } } : {}) } });
  if (clash) throw new ConflictError(`Handle "${handle}" is already used by ${clash.name}`, "handle");
}

export async function createNode(shopId: string, input: NodeInput): Promise<NodeRow> {
  await assertHandleFree(shopId, input.handle);
  const row = await db.node.create({ data: { shopId, ...toRowData(input) } });
  invalidateQuoteCache(shopId); // checkout quotes see the change now, not after the cache's TTL
  return row;
}

export async function updateNode(shopId: string, id: string, input: NodeInput): Promise<NodeRow> {
  await getNode(shopId, id);
  await assertHandleFree(shopId, input.handle, id);
  const row = await db.node.update({ where: { id }, data: toRowData(input) });
  invalidateQuoteCache(shopId);
  return row;
}

export async function setNodeStatus(shopId: string, id: string, status: NodeStatus): Promise<NodeRow> {
  await getNode(shopId, id);
  const row = await db.node.update({ where: { id }, data: { status } });
  invalidateQuoteCache(shopId);
  return row;
}
