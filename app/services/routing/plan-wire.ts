// The routing plan in the open API's wire format (RoutingPlan), shared by POST
// /api/v1/routing/plan and the CLI (scripts/route.ts). Pure mapping, no I/O.
import type { ApiRoutingPlan, ApiRoutingPlanRequest } from "../open-api/schemas";
import type { PlanOrderInput, RoutingPlan } from "./decide.server";

export function toPlanInputs(body: ApiRoutingPlanRequest): PlanOrderInput[] {
  return body.orders.map((o) => ({
    id: o.id,
    lines: o.lines,
    destination: o.destination,
    serviceCode: o.serviceCode ?? null,
    ...(o.placedAt ? { placedAt: Date.parse(o.placedAt) } : {}),
  }));
}

export function toApiRoutingPlan(plan: RoutingPlan): ApiRoutingPlan {
  const money = (amountMinor: number) => ({ amountMinor, currency: plan.currency });
  return {
    plannedAt: new Date(plan.plannedAt).toISOString(),
    currency: plan.currency,
    orders: plan.orders.map(({ input, decision: d, placed, unknownSkus }) => ({
      id: input.id,
      status: d.status,
      shipments: d.shipments.map((s) => ({
        node: { id: s.nodeId, handle: s.nodeHandle, name: s.nodeName },
        service: s.service,
        serviceCode: s.serviceCode,
        lines: s.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, madeUnits: l.madeUnits })),
        cost: {
          components: s.cost.components.map((c) => ({ code: c.code, label: c.label, amount: money(c.amountMinor), detail: c.detail })),
          forward: money(s.cost.forwardMinor),
          expectedReturns: money(s.cost.expectedReverseMinor),
          total: money(s.cost.totalMinor),
        },
        keepsPromise: s.keepsPromise,
      })),
      landed: money(d.status === "ROUTED" ? d.landedMinor : 0),
      splitPenalty: money(d.status === "ROUTED" ? d.splitPenaltyMinor : 0),
      total: money(d.status === "ROUTED" ? d.totalMinor : 0),
      promise: { requested: input.serviceCode ?? null, status: d.promise.status, reasons: d.promise.reasons },
      alternatives: d.alternatives.map((a) => ({ nodes: a.nodes, services: a.services, cost: money(a.costMinor), delta: money(a.deltaMinor), promise: a.promise, lost: a.lost })),
      excluded: d.excluded.map((e) => ({ nodeHandle: e.nodeHandle, reasons: e.reasons })),
      unknownSkus,
      placed,
      reasons: d.reasons,
    })),
    totals: {
      orders: plan.totals.orders,
      routed: plan.totals.routed,
      unroutable: plan.totals.unroutable,
      shipments: plan.totals.shipments,
      landed: money(plan.totals.landedMinor),
      splitPenalty: money(plan.totals.splitPenaltyMinor),
      total: money(plan.totals.totalMinor),
    },
    method: plan.method,
    methodReason: plan.methodReason,
    warnings: plan.warnings,
  };
}
