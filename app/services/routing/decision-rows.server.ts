// A routing decision as rows (issue 11, part 3): the chosen shipments in RoutingShipment (node,
// service, landed cost, promised arrival window), what each carries in RoutingShipmentLine, its cost
// components in RoutingShipmentCost, and where Shopify had the order in RoutingPlacement. The
// explanation that is only ever shown (alternatives, excluded nodes, reasons) stays in the
// decision's two JSON columns: { alternatives, excluded } and { reasons, promiseReasons }.
//
// decisionRows(shopId, decision) is the nested create of all of it, for tx.routingDecision.create:
// the routing service (execute.server.ts), the seed and the tests write decisions the same way.
import type { Prisma } from "@prisma/client";
import type { RoutingDecision } from "~/core/routing";

type DecisionColumns = Pick<
  Prisma.RoutingDecisionUncheckedCreateInput,
  | "totalCostMinor"
  | "currency"
  | "landedMinor"
  | "splitPenaltyMinor"
  | "promiseService"
  | "promiseStatus"
  | "requestedNodeHandle"
  | "requestedService"
  | "alternativesJson"
  | "reasonsJson"
  | "shipments"
  | "placements"
>;

export interface DecisionRowOptions {
  /** The decision's reasons as stored (default: the core's). */
  reasons?: readonly string[];
  /** Where Shopify had the order's fulfillment orders (location gids) when Nearhub decided. */
  shopifyLocations?: readonly string[];
  /**
   * Store the shipments without a link to their Node rows (handle and name only): for decisions made
   * over a network that is not in the database (tests that decide over fixture networks).
   */
  unlinkedNodes?: boolean;
}

/** The columns and nested rows of a RoutingDecision for a core decision (null: none was made, e.g. KEPT). */
export function decisionRows(shopId: string, decision: RoutingDecision | null, currency: string, opts: DecisionRowOptions = {}): DecisionColumns {
  const locations = [...new Set(opts.shopifyLocations ?? [])];
  const placements = locations.length ? { create: locations.map((locationGid) => ({ shopId, locationGid })) } : undefined;
  if (!decision) {
    return {
      currency,
      totalCostMinor: null,
      alternativesJson: JSON.stringify({ alternatives: [], excluded: [] }),
      reasonsJson: JSON.stringify({ reasons: opts.reasons ?? [], promiseReasons: [] }),
      placements,
    };
  }
  const routed = decision.status === "ROUTED";
  return {
    currency: decision.currency,
    totalCostMinor: routed ? decision.totalMinor : null,
    landedMinor: routed ? decision.landedMinor : null,
    splitPenaltyMinor: routed ? decision.splitPenaltyMinor : null,
    promiseService: decision.promise.service,
    promiseStatus: decision.promise.status,
    requestedNodeHandle: decision.promise.requested?.nodeHandle ?? null,
    requestedService: decision.promise.requested?.service ?? null,
    alternativesJson: JSON.stringify({ alternatives: decision.alternatives, excluded: decision.excluded }),
    reasonsJson: JSON.stringify({ reasons: opts.reasons ?? decision.reasons, promiseReasons: decision.promise.reasons }),
    shipments: decision.shipments.length
      ? {
          create: decision.shipments.map((s, position) => ({
            shopId,
            position,
            nodeId: opts.unlinkedNodes ? null : s.nodeId,
            nodeHandle: s.nodeHandle,
            nodeName: s.nodeName,
            service: s.service,
            serviceCode: s.serviceCode,
            currency: s.cost.currency,
            forwardMinor: s.cost.forwardMinor,
            expectedReverseMinor: s.cost.expectedReverseMinor,
            totalMinor: s.cost.totalMinor,
            keepsPromise: s.keepsPromise,
            leadTimeMinutes: Math.round(s.cost.leadTimeMinutes),
            transitMode: s.cost.transit.mode,
            provider: s.cost.transit.provider,
            promisedFrom: finiteDate(s.cost.transit.earliestArrivalMs),
            promisedBy: finiteDate(s.cost.transit.latestArrivalMs),
            costNotes: s.cost.reasons.join("\n"),
            lines: {
              create: s.lines.map((l, k) => ({ shopId, position: k, lineGid: l.lineId, productId: l.productId, sku: l.sku, quantity: l.quantity, madeUnits: l.madeUnits })),
            },
            costs: {
              create: s.cost.components.map((c, k) => ({ shopId, position: k, code: c.code, label: c.label, amountMinor: Math.round(c.amountMinor), detail: c.detail ?? "" })),
            },
          })),
        }
      : undefined,
    placements,
  };
}

function finiteDate(ms: number | null | undefined): Date | null {
  return typeof ms === "number" && Number.isFinite(ms) ? new Date(ms) : null;
}
