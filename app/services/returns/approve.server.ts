// Approving or declining a requested return by hand (auto-approve off, or the merchant overrides
// the rules): each line goes to the hub the plan chose for it unless another is named. Shopify is
// told through the outbox (returnApproveRequest / returnDeclineRequest). One event over the lines,
// one transaction, whatever the number of lines.
import type { Shop } from "@prisma/client";
import type { DeclineReason } from "~/core/returns";
import { moveReturn, type MoveOptions } from "./move.server";
import { getReturnCase } from "./repository.server";

export async function approveReturn(shop: Pick<Shop, "id">, returnId: string, input: { hubId?: string | null; refundedMinor?: number }, opts: MoveOptions) {
  const c = await getReturnCase(shop.id, returnId);
  const caseHub = c.destinationNodeId ?? c.lines.find((l) => l.destinationNodeId)?.destinationNodeId ?? null;
  if (input.refundedMinor !== undefined) {
    return moveReturn(shop, returnId, [{ type: "APPROVE", hubId: input.hubId ?? caseHub, refundedMinor: input.refundedMinor }], opts);
  }
  // No amount given: each line is refunded its own value, never the whole return's total per line.
  return moveReturn(
    shop,
    returnId,
    [(line) => ({ type: "APPROVE", hubId: input.hubId ?? line.destinationNodeId ?? caseHub, refundedMinor: line.valueMinor * line.quantity })],
    opts,
  );
}

export async function declineReturn(shop: Pick<Shop, "id">, returnId: string, input: { declineReason: DeclineReason; customerMessage: string }, opts: MoveOptions) {
  return moveReturn(shop, returnId, [{ type: "DECLINE", ...input }], opts);
}
