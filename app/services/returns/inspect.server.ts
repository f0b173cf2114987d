// Inspection: grade and disposition, then at once what the disposition says (restock at the hub,
// refurbish, dispose), in the same transaction. The outbox disposes the reverse fulfillment order
// lines in Shopify: RESTOCKED at the hub's location, PROCESSING_REQUIRED, or NOT_RESTOCKED.
import type { Shop } from "@prisma/client";
import type { Disposition, Grade, ReturnEvent } from "~/core/returns";
import { moveReturn, type MoveOptions } from "./move.server";

const FOLLOW_UP: Record<Disposition, ReturnEvent> = {
  RESTOCK: { type: "RESTOCK", hubId: null },
  REFURBISH: { type: "REFURBISH" },
  DISPOSE: { type: "DISPOSE" },
};

export async function inspectReturn(
  shop: Pick<Shop, "id">,
  returnId: string,
  input: { grade: Grade; disposition: Disposition; note?: string | null },
  opts: MoveOptions,
) {
  const inspect: ReturnEvent = { type: "INSPECT", grade: input.grade, disposition: input.disposition, note: input.note ?? null };
  return moveReturn(shop, returnId, [inspect, FOLLOW_UP[input.disposition]], opts);
}
