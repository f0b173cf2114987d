// Node network repository: every function takes the shop id and every query filters by it.
import type { Node as NodeRow, Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { nodeOpsSchema, type NodeOps } from "~/core/costing/config";
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
import { changeConfig, StaleConfigError, type Tx } from "./config-version.server";

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

/** A node's stored operations that no longer parse: which node, and what to fix. */
export class NodeOpsError extends Error {
  constructor(
    readonly nodeId: string,
    readonly nodeName: string,
    readonly issues: string[],
  ) {
    super(`${nodeName}: the stored operations do not read (${issues.join("; ")}); correct them on Shipping → Node operations and save`);
  }
}

type OpsColumns = Pick<NodeRow, "id" | "name" | "holidaysJson" | "prepMinutes" | "makeSetupMinutes" | "makeMinutesPerUnit">;

/** The node's operations, parsed from its row; a value that no longer parses is a NodeOpsError. */
export function nodeOpsOf(row: OpsColumns): NodeOps {
  let holidays: unknown;
  try {
    holidays = JSON.parse(row.holidaysJson);
  } catch {
    throw new NodeOpsError(row.id, row.name, ["closed days: not a list of dates"]);
  }
  const parsed = nodeOpsSchema.safeParse({
    holidays,
    prepMinutes: row.prepMinutes,
    makeSetupMinutes: row.makeSetupMinutes,
    makeMinutesPerUnit: row.makeMinutesPerUnit,
  });
  if (!parsed.success) {
    throw new NodeOpsError(row.id, row.name, parsed.error.issues.map((i) => `${i.path.join(".") || "operations"}: ${i.message}`));
  }
  return parsed.data;
}

/** Operations by node id, as the quote configuration's `nodes` (core/costing) takes them. */
export function nodeOpsById(rows: OpsColumns[]): Record<string, NodeOps> {
  return Object.fromEntries(rows.map((r) => [r.id, nodeOpsOf(r)]));
}

function opsToRowData(ops: NodeOps) {
  return {
    holidaysJson: JSON.stringify(ops.holidays),
    prepMinutes: ops.prepMinutes,
    makeSetupMinutes: ops.makeSetupMinutes,
    makeMinutesPerUnit: ops.makeMinutesPerUnit,
  };
}

/**
 * Writes `data` to the node read at `version`, moving its version, or refuses with StaleConfigError
 * when the node changed since (the transaction is rolled back: nothing is written).
 */
async function writeNodeAt(tx: Tx, shopId: string, id: string, version: number | undefined, data: Prisma.NodeUncheckedUpdateManyInput, name: string) {
  const { count } = await tx.node.updateMany({
    where: { shopId, id, ...(version === undefined ? {} : { version }) },
    data: { ...data, version: { increment: 1 } },
  });
  if (count === 0) {
    if (version !== undefined && (await tx.node.count({ where: { shopId, id } })) > 0) throw new StaleConfigError(name);
    throw new NotFoundError(`No node ${id} in this shop`);
  }
}

export interface NodeOpsChange {
  nodeId: string;
  /** Node.version the page read. */
  version: number;
  ops: unknown;
}

/**
 * Node operations of several nodes, saved together: each is parsed (the stored value is the parsed
 * one), a node whose operations are what is stored already is left alone, and every other node
 * must still be at the version the page read, or nothing at all is written (StaleConfigError).
 */
export async function saveNodeOperations(shopId: string, changes: NodeOpsChange[]): Promise<{ changed: number }> {
  const parsed = changes.map((c) => ({ ...c, ops: nodeOpsSchema.parse(c.ops) }));
  return changeConfig(shopId, async (tx) => {
    const rows = await tx.node.findMany({ where: { shopId, id: { in: parsed.map((c) => c.nodeId) } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    let changed = 0;
    for (const c of parsed) {
      const row = byId.get(c.nodeId);
      if (!row) throw new NotFoundError(`No node ${c.nodeId} in this shop`);
      const data = opsToRowData(c.ops);
      const same = (Object.keys(data) as (keyof typeof data)[]).every((k) => row[k] === data[k]);
      if (same) continue;
      await writeNodeAt(tx, shopId, row.id, c.version, data, `${row.name}'s operations`);
      changed++;
    }
    return { changed };
  });
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

// Node saves move the shop's configuration version (changeConfig): every process's quote cache
// sees them within its check interval, this one at once.

export async function createNode(shopId: string, input: NodeInput, ops?: NodeOps): Promise<NodeRow> {
  await assertHandleFree(shopId, input.handle);
  return changeConfig(shopId, (tx) => tx.node.create({ data: { shopId, ...toRowData(input), ...(ops ? opsToRowData(ops) : {}) } }));
}

/** `expectedVersion`: Node.version the page read; a node saved since is refused (StaleConfigError). */
export async function updateNode(shopId: string, id: string, input: NodeInput, expectedVersion?: number): Promise<NodeRow> {
  const current = await getNode(shopId, id);
  await assertHandleFree(shopId, input.handle, id);
  return changeConfig(shopId, async (tx) => {
    await writeNodeAt(tx, shopId, id, expectedVersion, toRowData(input), current.name);
    return tx.node.findUniqueOrThrow({ where: { id } });
  });
}

export async function setNodeStatus(shopId: string, id: string, status: NodeStatus): Promise<NodeRow> {
  const current = await getNode(shopId, id);
  return changeConfig(shopId, async (tx) => {
    await writeNodeAt(tx, shopId, id, undefined, { status }, current.name);
    return tx.node.findUniqueOrThrow({ where: { id } });
  });
}
