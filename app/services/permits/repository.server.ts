// Permits repository (issue 14, ADR 0028): every function takes the shop id and every query filters
// by it. A permit changes in one way: a transaction that also moves the shop's configuration
// version (checkout, routing and returns read the permits through the network snapshot, so every
// process's cache reloads) and enqueues the shop's reminder job, so the gate and the reminders read
// the same stored state.
import type { Permit as PermitRow } from "@prisma/client";
import { z } from "zod";
import { permitInputSchema, type Permit, type PermitFields, type PermitSubjects } from "~/core/permits";
import { PERMIT_GATES } from "~/core/permits/kinds";
import { db } from "~/db.server";
import { changeConfig, StaleConfigError, type Tx } from "../config-version.server";
import { enqueue } from "../jobs/index.server";
import { getShopShipping } from "../shipping-settings.server";
import { permitDocumentsRemoval } from "./documents.server";

export class PermitNotFoundError extends Error {
  constructor(id: string) {
    super(`permit ${id} was not found`);
  }
}

/** Bad input: `field` names what is wrong (the API answers 400 with it). */
export class PermitInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const jsonList = <T extends z.ZodType>(schema: T, text: string, fallback: z.infer<T>): z.infer<T> => {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
};

export function toPermit(row: PermitRow): Permit {
  return {
    id: row.id,
    version: row.version,
    subjectType: row.subjectType as Permit["subjectType"],
    subjectId: row.subjectId,
    kind: row.kind,
    title: row.title,
    jurisdiction: row.jurisdiction,
    number: row.number,
    issuer: row.issuer,
    issuedOn: row.issuedOn,
    expiresOn: row.expiresOn,
    recurrence: row.recurrence as Permit["recurrence"],
    graceDays: row.graceDays,
    leadDays: row.leadDays,
    feeMinor: row.feeMinor,
    owner: row.owner,
    ownerEmail: row.ownerEmail,
    // A gate this build does not know is dropped rather than failing the whole network.
    gates: jsonList(z.array(z.string()), row.gatesJson, []).filter((g): g is Permit["gates"][number] => (PERMIT_GATES as readonly string[]).includes(g)),
    suspended: row.suspended,
    suspendedReason: row.suspendedReason,
    reminderOffsetsDays: jsonList(z.array(z.number().int()), row.reminderOffsetsJson, [60, 30, 7, 1]),
    notes: row.notes,
  };
}

function toRow(p: PermitFields) {
  return {
    subjectType: p.subjectType,
    subjectId: p.subjectId,
    kind: p.kind,
    title: p.title,
    jurisdiction: p.jurisdiction,
    number: p.number,
    issuer: p.issuer,
    issuedOn: p.issuedOn,
    expiresOn: p.expiresOn,
    recurrence: p.recurrence,
    graceDays: p.graceDays,
    leadDays: p.leadDays,
    feeMinor: p.feeMinor,
    owner: p.owner,
    ownerEmail: p.ownerEmail,
    gatesJson: JSON.stringify(p.gates),
    suspended: p.suspended,
    suspendedReason: p.suspended ? p.suspendedReason : null,
    reminderOffsetsJson: JSON.stringify(p.reminderOffsetsDays),
    notes: p.notes,
  };
}

/** What permits can be attached to in the shop, with what the core needs to place them in time. */
export interface ShopPermitSubjects extends PermitSubjects {
  nodes: (PermitSubjects["nodes"][number] & { kind: string; city: string; province: string | null; country: string; acceptsReturns: boolean })[];
}

export async function loadPermitSubjects(shopId: string, client: Tx | typeof db = db): Promise<ShopPermitSubjects> {
  const [shop, nodes, sellers, shipping] = await Promise.all([
    client.shop.findUnique({ where: { id: shopId }, select: { timezone: true } }),
    client.node.findMany({
      where: { shopId },
      orderBy: { name: "asc" },
      select: { id: true, name: true, timezone: true, sellerId: true, kind: true, city: true, province: true, country: true, acceptsReturns: true },
    }),
    client.seller.findMany({ where: { shopId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    getShopShipping(shopId, client),
  ]);
  const corridors = shipping.config.corridors.map((c) => ({ id: c.id, name: c.name, nodeId: c.nodeId }));
  return { nodes, sellers, corridors, shopTimezone: shop?.timezone ?? "UTC" };
}

export async function listPermits(shopId: string, client: Tx | typeof db = db): Promise<Permit[]> {
  const rows = await client.permit.findMany({ where: { shopId }, orderBy: [{ expiresOn: "asc" }, { createdAt: "asc" }] });
  return rows.map(toPermit);
}

export async function getPermit(shopId: string, id: string): Promise<Permit> {
  const row = await db.permit.findFirst({ where: { id, shopId } });
  if (!row) throw new PermitNotFoundError(id);
  return toPermit(row);
}

/** Parses input with the messages of the schema; the first problem names its field. */
export function parsePermitInput(input: unknown): PermitFields {
  const parsed = permitInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PermitInputError(issue.message, issue.path.join(".") || "body");
  }
  return parsed.data;
}

async function checkSubject(shopId: string, p: PermitFields, client: Tx): Promise<void> {
  const subjects = await loadPermitSubjects(shopId, client);
  const list = p.subjectType === "NODE" ? subjects.nodes : p.subjectType === "CORRIDOR" ? subjects.corridors : subjects.sellers;
  if (!list.some((s) => s.id === p.subjectId)) {
    throw new PermitInputError(`no ${p.subjectType.toLowerCase()} ${p.subjectId} in this shop`, "subjectId");
  }
}

/** The shop's reminder job, enqueued in the transaction of the change that may make a reminder due. */
export async function enqueueReminders(tx: Tx, shopId: string): Promise<void> {
  await enqueue(tx, "permits.remind", { shopId }, { key: shopId });
}

export async function createPermit(shopId: string, input: unknown, opts: { templateId?: string | null } = {}): Promise<Permit> {
  const fields = parsePermitInput(input);
  const row = await changeConfig(shopId, async (tx) => {
    await checkSubject(shopId, fields, tx);
    const created = await tx.permit.create({ data: { shopId, ...toRow(fields), templateId: opts.templateId ?? null } });
    await enqueueReminders(tx, shopId);
    return created;
  });
  return toPermit(row);
}

/**
 * Changes a permit: the fields given replace the stored ones (a renewal gives new dates). With
 * `version`, a change made from an older read is refused (StaleConfigError). A renewal (a new
 * expiry date) completes the open renewal task of the old cycle, recording the new date.
 */
export async function updatePermit(shopId: string, id: string, patch: Record<string, unknown>, version?: number, now = Date.now()): Promise<Permit> {
  const row = await changeConfig(shopId, async (tx) => {
    const current = await tx.permit.findFirst({ where: { id, shopId } });
    if (!current) throw new PermitNotFoundError(id);
    if (version !== undefined && current.version !== version) throw new StaleConfigError("The permit");
    const { id: _id, version: _v, ...stored } = toPermit(current);
    const fields = parsePermitInput({ ...stored, ...patch });
    if (fields.subjectType !== current.subjectType || fields.subjectId !== current.subjectId) await checkSubject(shopId, fields, tx);
    const updated = await tx.permit.update({ where: { id }, data: { ...toRow(fields), version: { increment: 1 } } });
    if (current.expiresOn !== null && fields.expiresOn !== current.expiresOn) {
      await tx.permitTask.updateMany({
        where: { shopId, permitId: id, cycle: current.expiresOn, state: "OPEN" },
        data: { state: "DONE", completedAt: new Date(now), renewedTo: fields.expiresOn ?? "on notice" },
      });
    }
    await enqueueReminders(tx, shopId);
    return updated;
  });
  return toPermit(row);
}

export async function deletePermit(shopId: string, id: string): Promise<void> {
  const removeFiles = await changeConfig(shopId, async (tx) => {
    // Its documents' stored files, read before the rows cascade away, removed once this commits.
    const removal = await permitDocumentsRemoval(tx, shopId, id);
    const { count } = await tx.permit.deleteMany({ where: { id, shopId } });
    if (count === 0) throw new PermitNotFoundError(id);
    return removal;
  });
  await removeFiles();
}
