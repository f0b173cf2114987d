// A return arrives at a hub: the inspection clock starts (deadline = receipt + the hub's
// inspection hours, stored on the line and as ReturnCase.inspectionDueAt, so it survives restarts).
import type { Shop } from "@prisma/client";
import { inspectionHoursAt, moveReturn, type MoveOptions } from "./move.server";

export async function receiveReturn(shop: Pick<Shop, "id">, returnId: string, input: { hubId: string; inspectionHours?: number }, opts: MoveOptions) {
  const inspectionHours = input.inspectionHours ?? (await inspectionHoursAt(shop.id, input.hubId));
  return moveReturn(shop, returnId, [{ type: "RECEIVE", hubId: input.hubId, inspectionHours }], opts);
}

/** The customer shipped it (reverse leg cost known): in transit to the planned hub. */
export async function shipReturn(shop: Pick<Shop, "id">, returnId: string, input: { reverseCostMinor?: number; trackingNumber?: string | null }, opts: MoveOptions) {
  return moveReturn(shop, returnId, [{ type: "SHIP", reverseCostMinor: input.reverseCostMinor ?? 0, trackingNumber: input.trackingNumber ?? null }], opts);
}
