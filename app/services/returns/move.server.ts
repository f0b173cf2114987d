// Moving a return through its life from admin or the open API: one parsed event (the core's
// returnEventSchema, the same for form and action), applied to the return's lines in one
// transaction with its idempotency key, then its effects. RECEIVE without inspectionHours takes
// the hub's (Node.inspectionHours, else ReturnSettings.inspectionHours). An illegal change throws
// IllegalTransitionError (409) and writes nothing.
import type { Shop } from "@prisma/client";
import { z } from "zod";
import { MAX_RETURN_ID_LENGTH, MAX_RETURN_LINES, returnEventSchema, type ReturnEvent } from "~/core/returns";
import { db } from "~/db.server";
import { getReturnSettings } from "../return-settings.server";
import { afterChange, type AdminFor, type OutboxRun } from "./effects.server";
import { applyReturnEventTx, type ApplyOptions, type CaseWithLines, type EventOf } from "./repository.server";

/** Lines named by a caller: no more than a return can hold, each id of a sane length. */
export const lineIdsSchema = z
  .array(z.string().min(1).max(MAX_RETURN_ID_LENGTH, `at most ${MAX_RETURN_ID_LENGTH} characters`))
  .min(1)
  .max(MAX_RETURN_LINES, `at most ${MAX_RETURN_LINES} lines`);

/** The API/admin body: an event plus which lines (default: every line it can move). */
export const moveInputSchema = z.object({ lineIds: lineIdsSchema.nullish(), expectedVersion: z.number().int().min(0).nullish() }).passthrough();

export interface MoveOptions {
  idempotencyKey: string;
  now: number;
  lineIds?: readonly string[] | null;
  expectedVersion?: number | null;
  source: string;
  adminFor?: AdminFor;
}

export interface MoveResult {
  returnCase: CaseWithLines;
  duplicate: boolean;
  run: OutboxRun;
}

/** Hours to inspect a return received at `hubId`. */
export async function inspectionHoursAt(shopId: string, hubId: string): Promise<number> {
  const node = await db.node.findFirst({ where: { id: hubId, shopId }, select: { inspectionHours: true } });
  if (!node) throw new z.ZodError([{ code: "custom", path: ["hubId"], message: `no hub ${hubId} in this shop`, input: hubId }]);
  return node.inspectionHours ?? (await getReturnSettings(shopId)).inspectionHours;
}

/** Parses a raw event (throws a ZodError naming the field), filling RECEIVE's hours from the hub. */
export async function parseReturnEvent(shopId: string, raw: unknown): Promise<ReturnEvent> {
  const event = returnEventSchema.parse(raw);
  if (event.type === "RECEIVE" && (raw as { inspectionHours?: unknown }).inspectionHours === undefined) {
    event.inspectionHours = await inspectionHoursAt(shopId, event.hubId);
  }
  if ((event.type === "APPROVE" && event.hubId) || (event.type === "RESTOCK" && event.hubId)) {
    await inspectionHoursAt(shopId, event.hubId); // the hub must be the shop's
  }
  return event;
}

/** Applies events in order (each to every line at once), all or nothing, in one transaction; then runs their effects. */
export async function moveReturn(shop: Pick<Shop, "id">, returnId: string, events: EventOf[], opts: MoveOptions): Promise<MoveResult> {
  const result = await db.$transaction(async (tx) => {
    const ids: string[] = [];
    let last: Awaited<ReturnType<typeof applyReturnEventTx>> | null = null;
    for (const [i, event] of events.entries()) {
      const o: ApplyOptions = {
        idempotencyKey: events.length > 1 ? `${opts.idempotencyKey}/${i}` : opts.idempotencyKey,
        now: opts.now,
        lineIds: opts.lineIds,
        expectedVersion: i === 0 ? opts.expectedVersion : null,
        source: opts.source,
      };
      last = await applyReturnEventTx(tx, shop.id, returnId, event, o);
      if (last.duplicate) return { ...last, eventIds: [] };
      ids.push(...last.eventIds);
    }
    return { ...last!, eventIds: ids };
  });
  const run = await afterChange(result.eventIds, { adminFor: opts.adminFor });
  return { returnCase: result.returnCase, duplicate: result.duplicate, run };
}
