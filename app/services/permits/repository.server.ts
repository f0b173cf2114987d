// Permits repository (issue 14, ADR 0028): every function takes the shop id and every query filters
// by it. A permit changes in one way: a transaction that also moves the shop's configuration
// version (checkout, routing and returns read the permits through the network snapshot, so every
// process's cache reloads) and enqueues the shop's reminder job, so the gate and the reminders read
// the same stored state.
import { permitInputSchema, type Permit, type PermitFields } from "~/core/permits";
import { db } from "~/db.server";
import { changeConfig, StaleConfigError, type Tx } from "../config-version.server";
import { enqueue } from "../jobs/index.server";
import { permitRemindersJob } from "./reminders.server";
import { loadPermitSubjects, toPermit } from "./store.server";

export { loadPermitSubjects, toPermit, type ShopPermitSubjects } from "./store.server";
import { permitDocumentsRemoval } from "./documents.server";
import { enqueueHubGuards } from "../campaigns/guardrails.server";

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

/**
 * The subject must be the shop's. Checked before the change's transaction: reading the corridors
 * may create the shop's settings row, a write SQLite would queue behind the transaction's own lock.
 * A subject deleted in between leaves a permit that gates nothing (permitStanding ignores it).
 */
async function checkSubject(shopId: string, p: PermitFields): Promise<void> {
  const subjects = await loadPermitSubjects(shopId);
  const list = p.subjectType === "NODE" ? subjects.nodes : p.subjectType === "CORRIDOR" ? subjects.corridors : subjects.sellers;
  if (!list.some((s) => s.id === p.subjectId)) {
    throw new PermitInputError(`no ${p.subjectType.toLowerCase()} ${p.subjectId} in this shop`, "subjectId");
  }
}

/** The shop's reminder job, enqueued in the transaction of the change that may make a reminder due. */
export async function enqueueReminders(tx: Tx, shopId: string): Promise<void> {
  await enqueue(tx, permitRemindersJob, { shopId }, { key: shopId });
  // A permit's status may take a hub out of campaigns (or give it back): its campaigns re-check.
  await enqueueHubGuards(tx, shopId, null);
}

export async function createPermit(shopId: string, input: unknown, opts: { templateId?: string | null } = {}): Promise<Permit> {
  const fields = parsePermitInput(input);
  await checkSubject(shopId, fields);
  const row = await changeConfig(shopId, async (tx) => {
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
    if (fields.subjectType !== current.subjectType || fields.subjectId !== current.subjectId) {
      throw new PermitInputError("a permit stays with what it was issued for: add a new permit for another node, corridor or seller", "subjectId");
    }
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
