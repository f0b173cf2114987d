// The read side of order routing for the admin: the decision log with each decision's explanation
// and its moves (settings live in routing-settings.server.ts).
// Every query names the shop. Decision rows are written by the routing service
// (routing/decision-rows.server.ts): the shipments, their lines and costs are rows; the explanation
// columns (alternatives, reasons) are parsed here with zod, tolerantly (a column that does not parse
// is shown as missing, never half-read), accepting the core's shapes bare or wrapped in an object.
import { issueSummary } from "~/core/validation/issues";
import { z } from "zod";
import { db } from "~/db.server";

// ---------------------------------------------------------------------------------------------
// Decisions

/** Statuses as stored by the routing service (defined where browser code can import them too). */
export { DECISION_STATUSES, type DecisionStatusCode } from "~/core/routing/decision-statuses";

/** A shipment of the decision as the admin shows it (from RoutingShipment and its lines and costs). */
export interface DecisionShipment {
  nodeId: string | null;
  nodeHandle: string;
  nodeName: string | null;
  service: string;
  serviceCode: string | null;
  lines: { lineId: string | null; productId: string | null; sku: string | null; quantity: number; madeUnits: number }[];
  cost: {
    totalMinor: number;
    forwardMinor: number;
    expectedReverseMinor: number;
    components: { code: string; label: string; amountMinor: number; detail: string }[];
    reasons: string[];
  };
  keepsPromise: boolean;
  /** The arrival window the cost engine gave (ISO), when it gave one. */
  promisedFrom: string | null;
  promisedBy: string | null;
}

const lossSchema = z.object({ code: z.string(), message: z.string() });

const alternativeSchema = z.object({
  nodes: z.array(z.string()),
  services: z.array(z.string()).default([]),
  costMinor: z.number(),
  deltaMinor: z.number(),
  promise: z.string().nullish(),
  lost: z.array(lossSchema).default([]),
});
export type DecisionAlternative = z.infer<typeof alternativeSchema>;

const exclusionSchema = z.object({ nodeId: z.string().nullish(), nodeHandle: z.string(), reasons: z.array(lossSchema).default([]) });
export type DecisionExclusion = z.infer<typeof exclusionSchema>;

/** The checkout promise (the decision's promise columns and the reasons column's promiseReasons). */
export interface DecisionPromise {
  requested: { nodeHandle: string; service: string } | null;
  service: string | null;
  status: string | null;
  reasons: string[];
}

const alternativesColumn = z.union([
  z.array(alternativeSchema).transform((alternatives) => ({ alternatives, excluded: [] as DecisionExclusion[] })),
  z
    .object({ alternatives: z.array(alternativeSchema).default([]), excluded: z.array(exclusionSchema).default([]) })
    .transform((a) => ({ alternatives: a.alternatives, excluded: a.excluded })),
]);

const reasonsColumn = z.union([
  z.array(z.string()).transform((reasons) => ({ reasons, promiseReasons: [] as string[], method: null as string | null })),
  z
    .object({
      reasons: z.array(z.string()).default([]),
      promiseReasons: z.array(z.string()).default([]).catch([]),
      method: z.string().nullish(),
      methodReason: z.string().nullish(),
    })
    .transform((r) => ({ reasons: r.reasons, promiseReasons: r.promiseReasons, method: r.methodReason ?? r.method ?? null })),
]);

function parseColumn<T>(schema: z.ZodType<T>, json: string | null, what: string, problems: string[]): T | null {
  if (!json) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    problems.push(`${what} is not valid JSON`);
    return null;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    problems.push(`${what} could not be read (${issueSummary(parsed.error, { root: "value", max: 1 })})`);
    return null;
  }
  return parsed.data;
}

export interface DecisionRow {
  id: string;
  orderGid: string;
  orderName: string | null;
  status: string;
  mode: string;
  source: string;
  totalCostMinor: number | null;
  currency: string;
  /** Node names (or handles) of the chosen shipments. */
  nodes: string[];
  createdAt: string;
}

export interface DecisionFilter {
  status?: string | null;
  limit?: number;
  /** Decisions created strictly before this one (id of the last row of the previous page). */
  before?: string | null;
}

/** Newest first, filtered by status; `nextBefore` pages on. */
export async function listDecisions(shopId: string, filter: DecisionFilter = {}): Promise<{ rows: DecisionRow[]; nextBefore: string | null; counts: Record<string, number> }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  let cursor: { createdAt: Date; id: string } | null = null;
  if (filter.before) {
    cursor = await db.routingDecision.findFirst({ where: { shopId, id: filter.before }, select: { createdAt: true, id: true } });
  }
  const rows = await db.routingDecision.findMany({
    where: {
      shopId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true, orderGid: true, orderName: true, status: true, mode: true, source: true, totalCostMinor: true, currency: true, createdAt: true,
      shipments: { where: { shopId }, select: { nodeHandle: true, nodeName: true }, orderBy: { position: "asc" } },
    },
  });
  const grouped = await db.routingDecision.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } });
  const counts: Record<string, number> = {};
  for (const g of grouped) counts[g.status] = g._count._all;
  const page = rows.slice(0, limit);
  return {
    rows: page.map((r) => {
      return {
        id: r.id,
        orderGid: r.orderGid,
        orderName: r.orderName,
        status: r.status,
        mode: r.mode,
        source: r.source,
        totalCostMinor: r.totalCostMinor,
        currency: r.currency,
        nodes: [...new Set(r.shipments.map((s) => s.nodeName || s.nodeHandle))],
        createdAt: r.createdAt.toISOString(),
      };
    }),
    nextBefore: rows.length > limit ? page[page.length - 1].id : null,
    counts,
  };
}

export interface MoveView {
  id: string;
  fulfillmentOrderGid: string;
  fromLocation: string | null;
  toLocation: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  movedFulfillmentOrderGid: string | null;
  userErrors: { field: string | null; message: string; code: string | null }[];
  updatedAt: string;
}

const userErrorsSchema = z.array(
  z.object({
    field: z.union([z.array(z.string()).transform((f) => f.join(".")), z.string()]).nullish(),
    message: z.string(),
    code: z.string().nullish(),
  }),
);

export interface DecisionDetail extends Omit<DecisionRow, "nodes"> {
  serviceCode: string | null;
  lastError: string | null;
  updatedAt: string;
  shipments: DecisionShipment[];
  landedMinor: number | null;
  splitPenaltyMinor: number | null;
  alternatives: DecisionAlternative[];
  excluded: DecisionExclusion[];
  reasons: string[];
  promise: DecisionPromise | null;
  method: string | null;
  moves: MoveView[];
  /** Location gid → node name, for moves. */
  locationNames: Record<string, string>;
  /** Node handle → name: alternatives, exclusions and the shopper's choice are stored by handle, an internal key. */
  nodeNames: Record<string, string>;
  /** Columns that could not be read, said plainly. */
  problems: string[];
}

/** One decision of this shop, or null (another shop's id is simply not found). */
export async function getDecision(shopId: string, id: string): Promise<DecisionDetail | null> {
  const row = await db.routingDecision.findFirst({
    where: { id, shopId },
    include: {
      moves: { where: { shopId }, orderBy: { updatedAt: "asc" } },
      shipments: {
        where: { shopId },
        orderBy: { position: "asc" },
        include: { lines: { where: { shopId }, orderBy: { position: "asc" } }, costs: { where: { shopId }, orderBy: { position: "asc" } } },
      },
    },
  });
  if (!row) return null;
  const problems: string[] = [];
  const alternatives = parseColumn(alternativesColumn, row.alternativesJson, "The list of alternatives", problems);
  const reasons = parseColumn(reasonsColumn, row.reasonsJson, "The reasons", problems);
  const locationIds = [...new Set(row.moves.flatMap((m) => [m.toLocationGid, m.fromLocationGid].filter((x): x is string => !!x)))];
  const nodes = locationIds.length
    ? await db.node.findMany({ where: { shopId, shopifyLocationId: { in: locationIds } }, select: { shopifyLocationId: true, name: true } })
    : [];
  const nodeNames: Record<string, string> = {};
  for (const n of await db.node.findMany({ where: { shopId }, select: { handle: true, name: true } })) nodeNames[n.handle] = n.name;
  const locationNames: Record<string, string> = {};
  for (const n of nodes) if (n.shopifyLocationId) locationNames[n.shopifyLocationId] = n.name;
  return {
    id: row.id,
    orderGid: row.orderGid,
    orderName: row.orderName,
    status: row.status,
    mode: row.mode,
    source: row.source,
    totalCostMinor: row.totalCostMinor,
    currency: row.currency,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    serviceCode: row.serviceCode,
    lastError: row.lastError,
    shipments: row.shipments.map(
      (s): DecisionShipment => ({
        nodeId: s.nodeId,
        nodeHandle: s.nodeHandle,
        nodeName: s.nodeName,
        service: s.service,
        serviceCode: s.serviceCode,
        lines: s.lines.map((l) => ({ lineId: l.lineGid, productId: l.productId, sku: l.sku, quantity: l.quantity, madeUnits: l.madeUnits })),
        cost: {
          totalMinor: s.totalMinor,
          forwardMinor: s.forwardMinor,
          expectedReverseMinor: s.expectedReverseMinor,
          components: s.costs.map((c) => ({ code: c.code, label: c.label, amountMinor: c.amountMinor, detail: c.detail })),
          reasons: s.costNotes ? s.costNotes.split("\n") : [],
        },
        keepsPromise: s.keepsPromise,
        promisedFrom: s.promisedFrom?.toISOString() ?? null,
        promisedBy: s.promisedBy?.toISOString() ?? null,
      }),
    ),
    landedMinor: row.landedMinor,
    splitPenaltyMinor: row.splitPenaltyMinor,
    alternatives: alternatives?.alternatives ?? [],
    excluded: alternatives?.excluded ?? [],
    reasons: reasons?.reasons ?? [],
    promise:
      row.promiseService || row.promiseStatus || row.requestedNodeHandle
        ? {
            requested: row.requestedNodeHandle && row.requestedService ? { nodeHandle: row.requestedNodeHandle, service: row.requestedService } : null,
            service: row.promiseService,
            status: row.promiseStatus,
            reasons: reasons?.promiseReasons ?? [],
          }
        : null,
    method: reasons?.method ?? null,
    moves: row.moves.map((m) => {
      const errors = parseColumn(userErrorsSchema, m.userErrorsJson, "Shopify's errors", problems) ?? [];
      return {
        id: m.id,
        fulfillmentOrderGid: m.fulfillmentOrderGid,
        fromLocation: m.fromLocationGid,
        toLocation: m.toLocationGid,
        status: m.status,
        attempts: m.attempts,
        nextAttemptAt: m.nextAttemptAt?.toISOString() ?? null,
        movedFulfillmentOrderGid: m.movedFulfillmentOrderGid,
        userErrors: errors.map((e) => ({ field: e.field ?? null, message: e.message, code: e.code ?? null })),
        updatedAt: m.updatedAt.toISOString(),
      };
    }),
    locationNames,
    nodeNames,
    problems,
  };
}

