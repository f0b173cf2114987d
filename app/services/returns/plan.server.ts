// Planning a return: the shop's policy and network loaded once (the quote snapshot, reused), then
// core/returns decides each line's outcome and destination hub with the reasons. Used by the
// returns/request webhook, returns created from admin and POST /api/v1/returns/plan.
import { prepareCosting, type CostingNetwork } from "~/core/costing";
import { greatCircleM } from "~/core/geo/distance";
import { DAY_MS } from "~/core/geo/localTime";
import { serviceAreaContains } from "~/core/geo/serviceArea";
import { evaluateReturn, type ReturnEvaluation, type ReturnPolicy, type ReturnRequest, type SalesPerDay } from "~/core/returns";
import { db } from "~/db.server";
import { loadSnapshot, type QuoteSnapshot } from "../quote-snapshot.server";
import { getReturnSettings, policyFor, type ShopReturnSettings } from "../return-settings.server";

/** How far back local sales count towards a hub's resale odds. */
export const SALES_WINDOW_DAYS = 28;

export interface ReturnPlanningContext {
  shopId: string;
  currency: string;
  settings: ShopReturnSettings;
  policy: ReturnPolicy;
  snapshot: QuoteSnapshot;
  costing: CostingNetwork;
  salesPerDay: SalesPerDay;
}

export class PlanningUnavailableError extends Error {}

export async function loadReturnContext(shop: { id: string; currency: string }, now: number): Promise<ReturnPlanningContext> {
  const result = await loadSnapshot(shop);
  if (!result.ok) throw new PlanningUnavailableError(`the shop's network could not be loaded: ${result.failure.error}`);
  const snapshot = result.snapshot;
  const [settings, hubRows, lines] = await Promise.all([
    getReturnSettings(shop.id),
    db.node.findMany({ where: { shopId: shop.id }, select: { id: true, acceptsReturns: true, inspectionHours: true } }),
    db.orderLine.findMany({
      where: { shopId: shop.id, order: { placedAt: { gte: new Date(now - SALES_WINDOW_DAYS * DAY_MS), lte: new Date(now) } } },
      select: { productId: true, quantity: true, order: { select: { destLatitude: true, destLongitude: true } } },
    }),
  ]);
  const base = snapshot.net.costing;
  // Hubs that take returns: the costing config's list (or its default kinds) and Node.acceptsReturns.
  const accepting = new Set(hubRows.filter((n) => n.acceptsReturns).map((n) => n.id));
  const defaultHubs = base.returnHubs.map((h) => h.node.id);
  const hubNodeIds = (base.config.returns.hubNodeIds ?? defaultHubs).filter((id) => accepting.has(id));
  const costing = prepareCosting(base.snapshot, { ...base.config, returns: { ...base.config.returns, hubNodeIds } });
  const hubHours = Object.fromEntries(hubRows.flatMap((n) => (n.inspectionHours ? [[n.id, n.inspectionHours]] : [])));
  const policy = policyFor(settings, hubHours);

  // Recent sales per day of each product inside each hub's delivery area.
  const salesPerDay: SalesPerDay = {};
  for (const hub of costing.returnHubs) {
    if (!hub.area) continue;
    const bucket: Record<string, number> = {};
    for (const l of lines) {
      const d = greatCircleM(hub.node.latitude, hub.node.longitude, l.order.destLatitude, l.order.destLongitude);
      if (serviceAreaContains(hub.area, d, l.order.destLatitude, l.order.destLongitude)) {
        bucket[l.productId] = (bucket[l.productId] ?? 0) + l.quantity / SALES_WINDOW_DAYS;
      }
    }
    salesPerDay[hub.node.id] = bucket;
  }
  return { shopId: shop.id, currency: shop.currency, settings, policy, snapshot, costing, salesPerDay };
}

export function planReturn(ctx: ReturnPlanningContext, request: ReturnRequest, now: number): ReturnEvaluation {
  return evaluateReturn(ctx.policy, request, { costing: ctx.costing, salesPerDay: ctx.salesPerDay, now });
}

/** Inspection hours at a hub: Node.inspectionHours, else the shop's setting. */
export function inspectionHoursFor(ctx: Pick<ReturnPlanningContext, "policy">, hubId: string): number {
  return ctx.policy.config.hubs[hubId]?.inspectionHours ?? ctx.policy.config.inspection.inspectionHours;
}
