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
  if (input.refundedMinor !== undefined) {
    return moveReturn(shop, returnId, [{ type: "APPROVE", hubId, refundedMinor: input.refundedMinor }], opts);
  }
  // No amount given: each line is refunded its own value (one event per line, each idempotent),
  // never the whole return's total per line.
  const targets = c.lines.filter((l) => !opts.lineIds || opts.lineIds.includes(l.id));
  let result: Awaited<ReturnType<typeof moveReturn>> | null = null;
  for (const [i, line] of targets.entries()) {
    result = await moveReturn(shop, returnId, [{ type: "APPROVE", hubId, refundedMinor: line.valueMinor * line.quantity }], {
      ...opts,
      idempotencyKey: targets.length > 1 ? `${opts.idempotencyKey}/${line.id}` : opts.idempotencyKey,
      lineIds: [line.id],
      expectedVersion: i === 0 ? opts.expectedVersion : null,
    });
  }
  if (!result) throw new Error(`Return ${returnId} has no lines to approve`);
  return result;
}

export async function declineReturn(shop: Pick<Shop, "id">, returnId: string, input: { declineReason: DeclineReason; customerMessage: string }, opts: MoveOptions) {
  return moveReturn(shop, returnId, [{ type: "DECLINE", ...input }], opts);
}
