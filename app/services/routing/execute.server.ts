// A paid Shopify order, routed and (in AUTO mode) moved: the service behind the
// fulfillment_orders/order_routing_complete and orders/create webhooks and the retry job.
//
//   routeShopifyOrder(shop, admin, { orderGid | fulfillmentOrderGid }, { source }) → outcome
//
// 1. refetch the order and its fulfillment orders (the routing_complete payload has only the FO id);
// 2. decide over the shop's network and stock (decide.server.ts), honouring the shopper's service code;
// 3. store the decision and the moves it needs in one transaction. RoutingDecision is unique per
//    shop and order: a second delivery (or the other topic) for the same order finds it and
//    changes nothing but resume moves still PENDING and due;
//    (SUGGEST mode keeps the moves it would make as PROPOSED, never run);
// 4. AUTO mode: each move is claimed (PENDING → MOVING, one winner), then fulfillmentOrderMove;
//    DONE is final and never repeated. A userError is stored on the move and the decision
//    (FAILED: the order stays where Shopify put it); throttling or a network failure leaves the
//    move PENDING with nextAttemptAt (exponential backoff, or the cost bucket's refill time), up to
//    MAX_MOVE_ATTEMPTS, and the decision's `routing.moves` job (ADR 0022) is enqueued for the
//    earliest of them, only then: a decision whose moves all finished leaves no job behind (ADR
//    0029). Moves a process left behind when it died are run by the routing job's own retry
//    (resume) and the `routing.retry` sweep (retry.server.ts: due PENDING moves, and moves left
//    MOVING taken back).
import type { Prisma, RoutingDecision as DecisionRow, RoutingMove } from "@prisma/client";
import type { RoutingDecision } from "~/core/routing";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { db } from "~/db.server";
import { defineJob, enqueue } from "../jobs/index.server";
import { logger } from "../logger.server";
import { decideShopifyOrder, routingInputOf, type ShopifyRoutingInput } from "./decide.server";
import { decisionRows } from "./decision-rows.server";
import { offlineAdmin, ShopifyThrottledError, ShopifyUserErrors, type AdminGraphql, type CallOptions } from "../shopify-admin.server";
import { fetchOrder, moveFulfillmentOrder, orderOfFulfillmentOrder } from "./shopify.server";
import { availabilityNow, loadRoutingNetwork, type RoutingSnapshot } from "./snapshot.server";
import { enqueueHubGuards } from "../campaigns/guardrails.server";

export const MAX_MOVE_ATTEMPTS = 6;
/** A move left MOVING this long (a process died mid-call) is looked at again by the retry job. */
export const STALE_MOVING_MS = 10 * 60_000;

/** A decision's moves still PENDING, run when due; a job runs at most one decision's moves at a time. */
export const routingMovesJob = defineJob<{ shopId: string; decisionId: string }>({
  name: "routing.moves",
  switch: "routing",
  retries: 5,
  backoff: { type: "exponential", delayMs: 30_000, maxMs: 30 * 60_000 },
  timeout: 5 * 60_000,
  concurrency: 2,
  run: async ({ shopId, decisionId }, ctx) => {
    const shop = await db.shop.findUnique({ where: { id: shopId }, select: { id: true, domain: true } });
    if (!shop) return { moved: false, why: "no such shop" };
    let admin: AdminGraphql;
    try {
      admin = await offlineAdmin(shop.domain);
    } catch (error) {
      // Uninstalled (no offline session): nothing of this shop can move in Shopify, now or later.
      if (error instanceof SessionNotFoundError) return { moved: false, why: "no offline session" };
      throw error;
    }
    await runMoves(shop, admin, decisionId, { source: "JOB", now: ctx.now });
    return { moved: true };
  },
});

export type RoutingSource = "WEBHOOK" | "API" | "MANUAL" | "JOB";

export interface RouteOutcome {
  outcome: "DECIDED" | "ALREADY_DECIDED" | "UNKNOWN_ORDER";
  decisionId: string | null;
  status: string | null;
}

export interface ExecuteOptions {
  source?: RoutingSource;
  now?: () => number;
  call?: CallOptions;
}

interface PlannedMove {
  key: string;
  fulfillmentOrderGid: string;
  fromLocationGid: string | null;
  toLocationGid: string;
  nodeHandle: string;
  lineItems: { id: string; quantity: number }[] | null;
}

/** The moves that put each fulfillment order's lines at the chosen nodes' locations. */
export function planMoves(
  rs: RoutingSnapshot,
  input: ShopifyRoutingInput,
  decision: RoutingDecision,
): { moves: PlannedMove[]; problems: string[] } {
  const problems: string[] = [];
  const moves: PlannedMove[] = [];
  if (decision.status !== "ROUTED") return { moves, problems };
  const locationOf = new Map(rs.snap.net.costing.snapshot.nodes.map((n) => [n.id, n.shopifyLocationId]));
  const targetOfLine = new Map<string, { nodeId: string; handle: string }>();
  for (const s of decision.shipments) for (const l of s.lines) if (l.lineId) targetOfLine.set(l.lineId, { nodeId: s.nodeId, handle: s.nodeHandle });
  for (const fo of input.movable) {
    const from = fo.assignedLocation?.location?.id ?? null;
    const groups = new Map<string, { handle: string; lines: { id: string; quantity: number }[] }>();
    let open = 0;
    for (const l of fo.lineItems.nodes) {
      if (l.remainingQuantity <= 0) continue;
      open++;
      const target = targetOfLine.get(l.id);
      if (!target) continue;
      const to = locationOf.get(target.nodeId);
      if (!to) {
        problems.push(`${target.handle} has no Shopify location: its lines stay where Shopify put them (link the node to a location in Network)`);
        continue;
      }
      const g = groups.get(to) ?? { handle: target.handle, lines: [] };
      g.lines.push({ id: l.id, quantity: l.remainingQuantity });
      groups.set(to, g);
    }
    const away = [...groups.entries()].filter(([to]) => to !== from);
    const whole = away.length === 1 && groups.size === 1 && away[0][1].lines.length === open;
    for (const [to, g] of away) {
      // The whole fulfillment order goes (its own id is the key); a part of it is keyed by destination.
      moves.push({
        key: whole ? fo.id : `${fo.id}#${to}`,
        fulfillmentOrderGid: fo.id,
        fromLocationGid: from,
        toLocationGid: to,
        nodeHandle: g.handle,
        lineItems: whole ? null : g.lines,
      });
    }
  }
  return { moves, problems: [...new Set(problems)] };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

export async function routeShopifyOrder(
  shop: { id: string; currency: string; domain: string },
  admin: AdminGraphql,
  ref: { orderGid?: string; fulfillmentOrderGid?: string },
  opts: ExecuteOptions = {},
): Promise<RouteOutcome> {
  const clock = opts.now ?? Date.now;
  let orderGid = ref.orderGid ?? null;
  if (orderGid) {
    const known = await db.routingDecision.findUnique({ where: { shopId_orderGid: { shopId: shop.id, orderGid } } });
    if (known) return resume(shop, admin, known, opts);
  }
  if (!orderGid && ref.fulfillmentOrderGid) orderGid = await orderOfFulfillmentOrder(admin, ref.fulfillmentOrderGid, opts.call);
  if (!orderGid) {
    logger.warn({ shop: shop.domain, fulfillmentOrder: ref.fulfillmentOrderGid }, "routing: Shopify knows no such fulfillment order; nothing done");
    return { outcome: "UNKNOWN_ORDER", decisionId: null, status: null };
  }
  const known = await db.routingDecision.findUnique({ where: { shopId_orderGid: { shopId: shop.id, orderGid } } });
  if (known) return resume(shop, admin, known, opts);

  const order = await fetchOrder(admin, orderGid, opts.call);
  if (!order) {
    logger.warn({ shop: shop.domain, order: orderGid }, "routing: Shopify knows no such order; nothing done");
    return { outcome: "UNKNOWN_ORDER", decisionId: null, status: null };
  }
  const now = clock();
  const rs = await loadRoutingNetwork(shop);
  const input = routingInputOf(rs, order, now);
  const mode = rs.settings.mode;

  let decision: RoutingDecision | null = null;
  let status: string;
  let planned: PlannedMove[] = [];
  let problems: string[] = [];
  if (input.blocked) {
    status = "KEPT";
  } else {
    decision = decideShopifyOrder(rs, input, now, await availabilityNow(rs, shop.id, now));
    ({ moves: planned, problems } = planMoves(rs, input, decision));
    if (decision.status === "UNROUTABLE") status = "UNROUTABLE";
    else if (mode === "SUGGEST") status = "SUGGESTED";
    else status = planned.length > 0 ? "MOVING" : problems.length > 0 ? "FAILED" : "KEPT";
  }
  const reasons = decision ? [...decision.reasons] : [`not routed: ${input.blocked}`];
  if (decision && decision.status === "ROUTED") {
    if (mode === "SUGGEST") reasons.push(`suggest only: ${planned.length} move${planned.length === 1 ? "" : "s"} proposed, nothing moved in Shopify`);
    else if (planned.length === 0 && problems.length === 0) reasons.push("already where Shopify put it: nothing to move");
  }
  const data: Prisma.RoutingDecisionUncheckedCreateInput = {
    shopId: shop.id,
    orderGid,
    orderName: order.name ?? null,
    source: opts.source ?? "WEBHOOK",
    mode,
    status,
    serviceCode: input.order.serviceCode ?? null,
    // The shipments, their lines and costs, and where Shopify had the order: rows (decision-rows.server.ts).
    ...decisionRows(shop.id, decision, decision?.currency ?? rs.net.currency, {
      reasons,
      // Where Shopify had the order: it counts against those nodes' day unless Nearhub moves it (node-day.server.ts).
      shopifyLocations: decision ? input.movable.flatMap((fo) => (fo.assignedLocation?.location?.id ? [fo.assignedLocation.location.id] : [])) : [],
    }),
    lastError: problems.length ? problems.join("; ") : null,
  };

  let row: DecisionRow;
  try {
    row = await db.$transaction(async (tx) => {
      const created = await tx.routingDecision.create({ data });
      // The order takes capacity at its nodes: their campaigns re-check the capacity guardrail.
      if (decision?.shipments.length) await enqueueHubGuards(tx, shop.id, [...new Set(decision.shipments.map((s) => s.nodeId))]);
      // AUTO: the moves to make (PENDING). SUGGEST: the moves Nearhub would make, kept as PROPOSED
      // (never run: the moves job, the retry job and settleDecision look at the other statuses only).
      if (decision?.status === "ROUTED") {
        for (const m of planned) {
          await tx.routingMove.create({
            data: {
              shopId: shop.id,
              decisionId: created.id,
              fulfillmentOrderGid: m.key,
              fromLocationGid: m.fromLocationGid,
              toLocationGid: m.toLocationGid,
              lineItemsJson: JSON.stringify(m.lineItems ?? []),
              status: mode === "AUTO" ? "PENDING" : "PROPOSED",
              nextAttemptAt: mode === "AUTO" ? new Date(now) : null,
            },
          });
        }
      }
      return created;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another delivery for this order decided first: its decision stands.
    const winner = await db.routingDecision.findUniqueOrThrow({ where: { shopId_orderGid: { shopId: shop.id, orderGid } } });
    return { outcome: "ALREADY_DECIDED", decisionId: winner.id, status: winner.status };
  }
  logger.info({ shop: shop.domain, order: orderGid, status, moves: planned.length }, "routing: decided");
  if (status === "MOVING") await runMoves(shop, admin, row.id, opts);
  const final = await db.routingDecision.findUniqueOrThrow({ where: { id: row.id }, select: { status: true } });
  return { outcome: "DECIDED", decisionId: row.id, status: final.status };
}

async function resume(shop: { id: string; domain: string }, admin: AdminGraphql, known: DecisionRow, opts: ExecuteOptions): Promise<RouteOutcome> {
  if (known.status === "MOVING") await runMoves(shop, admin, known.id, opts);
  const final = await db.routingDecision.findUniqueOrThrow({ where: { id: known.id }, select: { status: true } });
  return { outcome: "ALREADY_DECIDED", decisionId: known.id, status: final.status };
}

/** Parts moved out of a fulfillment order go before the move of what remains of it. */
const moveOrder = (a: RoutingMove, b: RoutingMove) => Number(!a.fulfillmentOrderGid.includes("#")) - Number(!b.fulfillmentOrderGid.includes("#"));

/** Runs the decision's due PENDING moves, then settles the decision's status. */
export async function runMoves(shop: { id: string; domain: string }, admin: AdminGraphql, decisionId: string, opts: ExecuteOptions = {}): Promise<void> {
  const clock = opts.now ?? Date.now;
  const due = await db.routingMove.findMany({
    where: { shopId: shop.id, decisionId, status: "PENDING", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: new Date(clock()) } }] },
  });
  for (const move of due.sort(moveOrder)) {
    await runMove(shop, admin, move, opts);
  }
  await settleDecision(shop.id, decisionId);
  // Moves that wait (throttled, failed on the way): their job, for the earliest of them.
  const next = await db.routingMove.findFirst({
    where: { shopId: shop.id, decisionId, status: "PENDING", nextAttemptAt: { not: null } },
    orderBy: { nextAttemptAt: "asc" },
    select: { nextAttemptAt: true },
  });
  if (next?.nextAttemptAt) {
    await enqueue(db, routingMovesJob, { shopId: shop.id, decisionId }, { key: decisionId, delayMs: Math.max(0, next.nextAttemptAt.getTime() - clock()) });
  }
}

async function runMove(shop: { id: string; domain: string }, admin: AdminGraphql, move: RoutingMove, opts: ExecuteOptions): Promise<void> {
  const clock = opts.now ?? Date.now;
  // Claim: only one process moves it (DONE is never repeated; MOVING is nobody else's).
  const claimed = await db.routingMove.updateMany({
    where: { id: move.id, shopId: shop.id, status: "PENDING", attempts: move.attempts },
    data: { status: "MOVING", attempts: { increment: 1 } },
  });
  if (claimed.count === 0) return;
  const attempts = move.attempts + 1;
  const foGid = move.fulfillmentOrderGid.split("#")[0];
  const lines = JSON.parse(move.lineItemsJson) as { id: string; quantity: number }[];
  try {
    const answer = await moveFulfillmentOrder(admin, { id: foGid, newLocationId: move.toLocationGid, lineItems: lines.length ? lines : null }, opts.call);
    await db.routingMove.update({
      where: { id: move.id },
      data: { status: "DONE", movedFulfillmentOrderGid: answer.movedFulfillmentOrder?.id ?? foGid, nextAttemptAt: null, userErrorsJson: null },
    });
  } catch (error) {
    if (error instanceof ShopifyUserErrors) {
      const message = error.userErrors.map((e) => e.message.replace(/\.+$/, "")).join("; ");
      await db.$transaction([
        db.routingMove.update({ where: { id: move.id }, data: { status: "FAILED", userErrorsJson: JSON.stringify(error.userErrors), nextAttemptAt: null } }),
        db.routingDecision.update({ where: { id: move.decisionId }, data: { lastError: `Shopify refused to move ${foGid}: ${message}. The order stays where Shopify put it.` } }),
      ]);
      logger.warn({ shop: shop.domain, fulfillmentOrder: foGid, userErrors: error.userErrors }, "routing: fulfillmentOrderMove refused");
      return;
    }
    const message = (error as Error).message;
    const giveUp = attempts >= MAX_MOVE_ATTEMPTS;
    const waitMs = error instanceof ShopifyThrottledError ? Math.max(error.retryAfterMs, 1000) : Math.min(3_600_000, 30_000 * 2 ** (attempts - 1));
    await db.$transaction([
      db.routingMove.update({
        where: { id: move.id },
        data: giveUp
          ? { status: "FAILED", nextAttemptAt: null, userErrorsJson: JSON.stringify([{ field: null, message }]) }
          : { status: "PENDING", nextAttemptAt: new Date(clock() + waitMs), userErrorsJson: JSON.stringify([{ field: null, message }]) },
      }),
      db.routingDecision.update({
        where: { id: move.decisionId },
        data: { lastError: giveUp ? `moving ${foGid} failed ${attempts} times: ${message}` : `moving ${foGid} failed (attempt ${attempts}, retried in ${Math.round(waitMs / 1000)} s): ${message}` },
      }),
    ]);
    logger.warn({ shop: shop.domain, fulfillmentOrder: foGid, attempts, err: message, giveUp }, "routing: fulfillmentOrderMove failed");
  }
}

/** MOVED when every move is done, PARTIAL or FAILED when some could not be, MOVING while any waits. */
export async function settleDecision(shopId: string, decisionId: string): Promise<void> {
  const moves = await db.routingMove.findMany({ where: { shopId, decisionId, status: { not: "PROPOSED" } }, select: { status: true } });
  if (moves.length === 0) return;
  const count = (s: string) => moves.filter((m) => m.status === s).length;
  let status: string;
  if (count("PENDING") + count("MOVING") > 0) status = "MOVING";
  else if (count("FAILED") === 0) status = "MOVED";
  else status = count("DONE") > 0 ? "PARTIAL" : "FAILED";
  const data: Prisma.RoutingDecisionUpdateManyMutationInput = { status };
  if (status === "MOVED") data.lastError = null;
  await db.routingDecision.updateMany({ where: { id: decisionId, shopId, status: { not: status } }, data });
}
