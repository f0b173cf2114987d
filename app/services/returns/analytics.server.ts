// Returns analytics for the admin pages: resale velocity (days receipt→inspection and
// receipt→resale), recovery rate and reverse cost per return, per hub and per product, computed
// by the core's returnMetrics over every stored line's state; plus the inspection queue.
import { inspectionStatus, returnMetrics, type InspectionStatus, type ReturnMetrics } from "~/core/returns";
import { db } from "~/db.server";
import { lineState } from "./repository.server";
import { findInBatches } from "../batch.server";

export interface ReturnAnalytics {
  byHub: (ReturnMetrics & { name: string })[];
  byProduct: (ReturnMetrics & { name: string })[];
  overall: ReturnMetrics | null;
}

export async function returnAnalytics(shopId: string): Promise<ReturnAnalytics> {
  const lines = await db.returnLine.findMany({ where: { shopId } });
  const states = lines.map(lineState);
  const [nodes, products] = await Promise.all([
    db.node.findMany({ where: { shopId }, select: { id: true, name: true } }),
    findInBatches(states.map((s) => s.productId), (batch) => db.product.findMany({ where: { shopId, id: { in: batch } }, select: { id: true, title: true, sku: true } })),
  ]);
  const nodeName = new Map(nodes.map((n) => [n.id, n.name]));
  const productName = new Map(products.map((p) => [p.id, `${p.title} (${p.sku})`]));
  const all = returnMetrics(states.map((s) => ({ ...s, hubId: "all" })), "hub");
  return {
    byHub: returnMetrics(states, "hub").map((m) => ({ ...m, name: nodeName.get(m.key) ?? m.key })),
    byProduct: returnMetrics(states, "product").map((m) => ({ ...m, name: productName.get(m.key) ?? m.key })),
    overall: all[0] ?? null,
  };
}

export interface QueueItem {
  returnId: string;
  lineId: string;
  orderName: string | null;
  sku: string | null;
  hubId: string | null;
  inspection: InspectionStatus;
}

/** Received lines waiting for inspection, most urgent first, with due/overdue status. */
export async function inspectionQueue(shopId: string, now: number): Promise<QueueItem[]> {
  const lines = await db.returnLine.findMany({
    where: { shopId, status: "RECEIVED" },
    include: { returnCase: { select: { orderName: true } } },
  });
  return lines
    .map((l) => {
      const s = lineState(l);
      return { returnId: l.returnId, lineId: l.id, orderName: l.returnCase.orderName, sku: l.sku, hubId: s.hubId, inspection: inspectionStatus(s, now) };
    })
    .sort((a, b) => ("deadlineAt" in a.inspection ? a.inspection.deadlineAt : 0) - ("deadlineAt" in b.inspection ? b.inspection.deadlineAt : 0));
}
