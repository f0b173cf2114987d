// Planning a return: the shop's policy and network loaded once (the quote snapshot, reused), then
// core/returns decides each line's outcome and destination hub with the reasons. Used by the
// returns/request webhook, returns created from admin and POST /api/v1/returns/plan.
import { prepareCosting, type CostingNetwork } from "~/core/costing";
import { greatCircleM } from "~/core/geo/distance";
import { DAY_MS } from "~/core/geo/localTime";
import { serviceAreaContains } from "~/core/geo/serviceArea";
import { evaluateReturnLine, summarizeReturn, type ReturnEvaluation, type ReturnPolicy, type ReturnRequest, type SalesPerDay } from "~/core/returns";
import { db } from "~/db.server";
import { mapInSlices, yieldToEventLoop } from "../event-loop.server";
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

/**
 * The shop's policy, network and recent local sales, as planning needs them. It yields to the
 * event loop between its steps (and between hubs), each a bounded stretch of work.
 */
export async function loadReturnContext(shop: { id: string; currency: string }, now: number): Promise<ReturnPlanningContext> {
  const result = await loadSnapshot(shop);
  if (!result.ok) throw new PlanningUnavailableError(`the shop's network could not be loaded: ${result.failure.error}`);
  const snapshot = result.snapshot;
  const [settings, hubRows] = await Promise.all([
    getReturnSettings(shop.id),
    db.node.findMany({ where: { shopId: shop.id }, select: { id: true, acceptsReturns: true, inspectionHours: true } }),
  ]);
  const lines = await recentOrderLines(shop.id, now);
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
    await yieldToEventLoop();
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

const SALES_PAGE = 1_000;

/** The order lines of the sales window, a page at a time (yielding between pages): a busy shop has thousands. */
async function recentOrderLines(shopId: string, now: number) {
  const where = { shopId, order: { placedAt: { gte: new Date(now - SALES_WINDOW_DAYS * DAY_MS), lte: new Date(now) } } };
  const select = { id: true, productId: true, quantity: true, order: { select: { destLatitude: true, destLongitude: true } } } as const;
  const page = (after: string | null) =>
    db.orderLine.findMany({ where: after ? { ...where, id: { gt: after } } : where, select, orderBy: { id: "asc" }, take: SALES_PAGE });
  const all: Awaited<ReturnType<typeof page>> = [];
  for (let after: string | null = null; ; ) {
    await yieldToEventLoop();
    const rows = await page(after);
    all.push(...rows);
    if (rows.length < SALES_PAGE) return all;
    after = rows[rows.length - 1].id;
  }
}

/**
 * The rules and destination of every line, a slice of lines at a time: the work is linear in the
 * lines (each costs rules × hubs) and yields to the event loop between slices, so a long return
 * never holds up the requests arriving meanwhile.
 */
export async function planReturn(ctx: ReturnPlanningContext, request: ReturnRequest, now: number): Promise<ReturnEvaluation> {
  const context = { costing: ctx.costing, salesPerDay: ctx.salesPerDay, now };
  const lines = await mapInSlices(request.lines, (line) => evaluateReturnLine(ctx.policy, request, line, context));
  return summarizeReturn(request, lines, context);
}

/** Inspection hours at a hub: Node.inspectionHours, else the shop's setting. */
export function inspectionHoursFor(ctx: Pick<ReturnPlanningContext, "policy">, hubId: string): number {
  return ctx.policy.config.hubs[hubId]?.inspectionHours ?? ctx.policy.config.inspection.inspectionHours;
}
