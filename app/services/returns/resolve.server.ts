// After refurbishment: back on the shelf at the hub (restocked in Shopify at its location) or
// disposed of. Resolving twice is refused by the state machine (409) and changes nothing.
import type { Shop } from "@prisma/client";
import { moveReturn, type MoveOptions } from "./move.server";

export async function resolveRefurbished(shop: Pick<Shop, "id">, returnId: string, outcome: "RESTOCK" | "DISPOSE", opts: MoveOptions) {
  return moveReturn(shop, returnId, [outcome === "RESTOCK" ? { type: "RESTOCK", hubId: null } : { type: "DISPOSE" }], opts);
}
