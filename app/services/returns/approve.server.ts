// Approving or declining a requested return by hand (auto-approve off, or the merchant overrides
// the rules): each line goes to the hub the plan chose unless another is named. Shopify is told
// through the outbox (returnApproveRequest / returnDeclineRequest).
import type { Shop } from "@prisma/client";
import type { DeclineReason } from "~/core/returns";
import { moveReturn, type MoveOptions } from "./move.server";
import { getReturnCase } from "./repository.server";

export async function approveReturn(shop: Pick<Shop, "id">, returnId: string, input: { hubId?: string | null; refundedMinor?: number }, opts: MoveOptions) {
  const c = await getReturnCase(shop.id, returnId);
  const hubId = input.hubId ?? c.destinationNodeId ?? c.lines.find((l) => l.destinationNodeId)?.destinationNodeId ?? null;
  const refundedMinor = input.refundedMinor ?? c.lines.reduce((t, l) => t + l.valueMinor * l.quantity, 0);
  return moveReturn(shop, returnId, [{ type: "APPROVE", hubId, refundedMinor }], opts);
}

export async function declineReturn(shop: Pick<Shop, "id">, returnId: string, input: { declineReason: DeclineReason; customerMessage: string }, opts: MoveOptions) {
  return moveReturn(shop, returnId, [{ type: "DECLINE", ...input }], opts);
}
