// Planning a return: the shop's policy and network loaded once (the quote snapshot, reused), then
// core/returns decides each line's outcome and destination hub with the reasons. Used by the
// returns/request webhook, returns created from admin, the admin's rule tester and
// POST /api/v1/returns/plan, so the same return gets the same answer from each: its address is
// placed by the one geocoder (geocode.server.ts), and which nodes may receive it is the core's
// availability gate (status, the shop's return hubs, each node's "accepts returns").
import type { CostingNetwork } from "~/core/costing";
import { greatCircleM } from "~/core/geo/distance";
import { DAY_MS } from "~/core/geo/localTime";
import { serviceAreaContains } from "~/core/geo/serviceArea";
import { evaluateReturnLine, summarizeReturn, type ReturnEvaluation, type ReturnOrigin, type ReturnPolicy, type ReturnRequest, type SalesPerDay } from "~/core/returns";
import { db } from "~/db.server";
import { mapInSlices, yieldToEventLoop } from "../event-loop.server";
import { geocode, type Placement } from "../geocode.server";
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
  const [settings, lines] = await Promise.all([getReturnSettings(shop.id), recentOrderLines(shop.id, now)]);
  // The checkout network as it is: its RETURN gate already knows which nodes may receive a return.
  const costing = snapshot.net.costing;
  const hubHours = Object.fromEntries(costing.nodes.flatMap((n) => (n.node.inspectionHours ? [[n.node.id, n.node.inspectionHours]] : [])));
  const policy = policyFor(settings, hubHours);

  // Recent sales per day of each product inside each hub's delivery area.
  const salesPerDay: SalesPerDay = {};
  for (const hub of costing.returnHubs) {
    if (!hub.area) continue;
    await yieldToEventLoop();
    const bucket: Record<string, number> = {};
    for (const l of lines) {
      if (l.productId === null || l.order.destLatitude === null || l.order.destLongitude === null) continue;
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

/** Where the item comes back from, placed as quotes and routing place an address: its coordinates, else its ZIP's centroid. */
export function placeReturnOrigin(from: ReturnOrigin): { from: ReturnOrigin; placed: Placement } {
  const geo = geocode({ country: from.country, postalCode: from.postalCode ?? null, latitude: from.latitude ?? null, longitude: from.longitude ?? null });
  return { from: { ...geo.destination, residential: from.residential ?? null, province: from.province ?? null }, placed: geo.placed };
}

export interface PlannedReturn extends ReturnEvaluation {
  /** How the customer's address was placed on the map. */
  placed: Placement;
}

/**
 * Outcome and destination of every line, with the reasons; `policy` replaces the shop's (the rule
 * tester's unsaved rules). A slice of lines at a time: the work is linear in the lines (each costs
 * rules × hubs) and yields to the event loop between slices, so a long return never holds up the
 * requests arriving meanwhile.
 */
export async function planReturn(ctx: ReturnPlanningContext, request: ReturnRequest, now: number, policy: ReturnPolicy = ctx.policy): Promise<PlannedReturn> {
  const origin = placeReturnOrigin(request.from);
  const placed = { ...request, from: origin.from };
  const context = { costing: ctx.costing, salesPerDay: ctx.salesPerDay, now };
  const lines = await mapInSlices(placed.lines, (line) => evaluateReturnLine(policy, placed, line, context));
  return { ...summarizeReturn(placed, lines, context), placed: origin.placed };
}

/** Inspection hours at a hub: Node.inspectionHours, else the shop's setting. */
export function inspectionHoursFor(ctx: Pick<ReturnPlanningContext, "policy">, hubId: string): number {
  return ctx.policy.config.hubs[hubId]?.inspectionHours ?? ctx.policy.config.inspection.inspectionHours;
}
