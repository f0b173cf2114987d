// Demo returns: about forty returns of the demo marketplace's own recent orders, in every state of
// the returns life cycle, placed relative to `now` so the queue always has some due soon, some
// overdue and some resold. Every line runs the core's state machine (openReturn + transition), so
// timestamps, deadlines and figures are the machine's own; ReturnLine keeps each line's state,
// ReturnEvent each accepted event, and ReturnCase the aggregate view computed by the repository's
// own `aggregate` (app/services/returns/repository.server.ts) from the line states.
import type { PrismaClient } from "@prisma/client";
import { greatCircleM } from "../../app/core/geo/distance";
import {
  openReturn,
  returnPolicySchema,
  transition,
  type ReturnEventInput,
  type ReturnState,
  type ReturnStatus,
  returnEventSchema,
} from "../../app/core/returns";
import {
  RETURN_REASONS,
  type ReturnReason,
} from "../../app/core/returns/types";
import { aggregate, lineStateColumns, toDbStatus } from "../../app/services/returns/repository.server";
import { intBetween, pick, substream, type Rng } from "./random";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** What the demo shop's return settings say: a few rules a merchant would really write. */
export const DEMO_RETURN_RULES = [
  {
    id: "late-returns",
    name: "Late returns get store credit",
    enabled: true,
    when: [{ code: "DAYS_SINCE_DELIVERY", args: { minDays: 31, maxDays: 60 } }],
    then: { code: "STORE_CREDIT", args: { bonusPercent: 5 } },
  },
  {
    id: "too-late",
    name: "Decline after 60 days",
    enabled: true,
    when: [
      { code: "DAYS_SINCE_DELIVERY", args: { minDays: 61, maxDays: null } },
    ],
    then: {
      code: "DECLINE",
      args: {
        declineReason: "RETURN_PERIOD_ENDED",
        customerMessage: "Our return window is 60 days from delivery.",
      },
    },
  },
  {
    id: "cheap-damaged",
    name: "Keep cheap damaged items",
    enabled: true,
    when: [
      { code: "REPORTED_CONDITION", args: { conditions: ["DAMAGED"] } },
      { code: "ITEM_VALUE", args: { minMinor: null, maxMinor: 1500 } },
    ],
    then: { code: "KEEP_ITEM", args: { resolution: "REFUND" } },
  },
  {
    id: "changed-mind",
    name: "Changed their mind: refund less 10%",
    enabled: true,
    when: [
      { code: "REASON", args: { reasons: ["UNWANTED", "STYLE", "COLOR"] } },
    ],
    then: { code: "REFUND", args: { restockingFeePercent: 10 } },
  },
];

type Plan =
  | { to: "requested" | "approved" | "in_transit" | "declined" | "kept" }
  | { to: "received"; dueInHours: number; items?: 2 }
  | {
      to: "restocked" | "refurbishing" | "disposed" | "resold";
      inspectAfterHours: number;
      resoldAfterDays?: number;
    };

/** The mix: every state, with received ones due soon, on time and overdue. */
const PLANS: Plan[] = [
  { to: "requested" },
  { to: "requested" },
  { to: "requested" },
  { to: "requested" },
  { to: "declined" },
  { to: "kept" },
  { to: "kept" },
  { to: "approved" },
  { to: "approved" },
  { to: "approved" },
  { to: "in_transit" },
  { to: "in_transit" },
  { to: "in_transit" },
  { to: "received", dueInHours: 40 },
  { to: "received", dueInHours: 30, items: 2 },
  { to: "received", dueInHours: 9 },
  { to: "received", dueInHours: 5, items: 2 },
  { to: "received", dueInHours: 2 },
  { to: "received", dueInHours: -3 },
  { to: "received", dueInHours: -14 },
  { to: "received", dueInHours: -30 },
  ...[20, 30, 26, 44, 12, 60].map(
    (h): Plan => ({ to: "restocked", inspectAfterHours: h })
  ),
  ...[36, 70].map((h): Plan => ({ to: "refurbishing", inspectAfterHours: h })),
  ...[18, 28].map((h): Plan => ({ to: "disposed", inspectAfterHours: h })),
  ...[
    [10, 3],
    [22, 6],
    [30, 9],
    [16, 4],
    [40, 12],
    [8, 2],
    [52, 15],
    [26, 7],
    [20, 5],
    [34, 11],
  ].map(
    ([h, d]): Plan => ({
      to: "resold",
      inspectAfterHours: h,
      resoldAfterDays: d,
    })
  ),
];

export interface SeedDemoReturnsResult {
  returns: number;
  lines: number;
  events: number;
}

export async function seedDemoReturns(
  db: PrismaClient,
  opts: { shopId: string; now: Date; seed?: number }
): Promise<SeedDemoReturnsResult> {
  const rng = substream(opts.seed ?? 1001, "returns");
  const now = opts.now.getTime();
  const shopId = opts.shopId;
  const shop = await db.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { currency: true },
  });
  returnPolicySchema.parse({ rules: DEMO_RETURN_RULES });
  await db.returnSettings.upsert({
    where: { shopId },
    create: {
      shopId,
      rulesJson: JSON.stringify(DEMO_RETURN_RULES),
      inspectionHours: 48,
      escalationEmail: "returns@nearhub-demo.example",
    },
    update: { rulesJson: JSON.stringify(DEMO_RETURN_RULES) },
  });
  const hubs = await db.node.findMany({
    where: {
      shopId,
      acceptsReturns: true,
      status: "ACTIVE",
      kind: { in: ["MICRO_HUB", "CENTRAL_WAREHOUSE"] },
    },
    select: {
      id: true,
      latitude: true,
      longitude: true,
      inspectionHours: true,
      handlingCostMinor: true,
    },
    orderBy: { handle: "asc" },
  });
  if (hubs.length === 0) return { returns: 0, lines: 0, events: 0 };
  const orders = await db.order.findMany({
    where: {
      shopId,
      placedAt: {
        lte: new Date(now - 12 * DAY),
        gte: new Date(now - 60 * DAY),
      },
    },
    select: {
      id: true,
      name: true,
      destLatitude: true,
      destLongitude: true,
      placedAt: true,
      lines: {
        select: {
          productId: true,
          quantity: true,
          priceMinor: true,
          product: { select: { sku: true } },
        },
      },
    },
    orderBy: { placedAt: "asc" },
  });
  if (orders.length === 0) return { returns: 0, lines: 0, events: 0 };

  const counts = { returns: 0, lines: 0, events: 0 };
  const used = new Set<string>();
  // One transaction for all of them: one commit instead of forty.
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < PLANS.length; i++) {
        const plan = PLANS[i];
        const two = "items" in plan && plan.items === 2;
        const pool = two ? orders.filter((o) => o.lines.length >= 2) : orders;
        let order = pick(rng, pool.length ? pool : orders);
        for (let tries = 0; used.has(order.id) && tries < 20; tries++)
          order = pick(rng, pool.length ? pool : orders);
        used.add(order.id);
        const hub = hubs.reduce((a, b) =>
          greatCircleM(
            b.latitude,
            b.longitude,
            order.destLatitude!,
            order.destLongitude!
          ) <
          greatCircleM(
            a.latitude,
            a.longitude,
            order.destLatitude!,
            order.destLongitude!
          )
            ? b
            : a
        );
        const chosen = order.lines.slice(0, two || rng.next() < 0.2 ? 2 : 1);
        const requestedAt = requestTime(rng, plan, now);
        {
          const c = await tx.returnCase.create({
            data: {
              shopId,
              orderName: order.name,
              status: "REQUESTED",
              destinationNodeId: plan.to === "kept" ? null : hub.id,
              currency: shop.currency,
              requestedAt: new Date(requestedAt),
              decisionJson: JSON.stringify({
                source: "demo seed",
                reasons: ["the nearest return hub to the customer (demo data)"],
              }),
            },
          });
          const states: ReturnState[] = [];
          for (const ol of chosen) {
            const reason: ReturnReason = pick(
              rng,
              RETURN_REASONS.filter((r) => r !== "UNKNOWN")
            );
            const line = await tx.returnLine.create({
              data: {
                shopId,
                returnId: c.id,
                productId: ol.productId,
                sku: ol.product!.sku,
                quantity: 1,
                valueMinor: ol.priceMinor,
                reason,
                condition:
                  reason === "DEFECTIVE"
                    ? "DAMAGED"
                    : pick(rng, [
                        "UNOPENED",
                        "OPENED",
                        "OPENED",
                        "USED",
                      ] as const),
                outcome: plan.to === "declined" ? "DECLINE" : plan.to === "kept" ? "KEEP_ITEM" : "REFUND",
                destinationNodeId: plan.to === "kept" ? null : hub.id,
                changedAt: new Date(requestedAt),
                requestedAt: new Date(requestedAt),
              },
            });
            let state = openReturn(
              {
                returnId: c.id,
                lineId: line.id,
                productId: ol.productId!,
                quantity: 1,
              },
              requestedAt
            );
            const events: {
              type: string;
              from: ReturnStatus;
              to: ReturnStatus;
              at: number;
              event: unknown;
            }[] = [];
            const apply = (input: ReturnEventInput, at: number) => {
              const event = returnEventSchema.parse(input);
              const result = transition(state, event, at);
              if (!result.ok) throw new Error(`demo returns: ${result.error}`);
              events.push({
                type: event.type,
                from: state.status,
                to: result.state.status,
                at,
                event,
              });
              state = result.state;
            };
            runPlan(plan, apply, {
              requestedAt,
              now,
              hubId: hub.id,
              hours: hub.inspectionHours ?? 48,
              valueMinor: ol.priceMinor,
              rng,
            });
            states.push(state);
            await tx.returnLine.update({
              where: { id: line.id },
              data: lineStateColumns(state),
            });
            for (const e of events) {
              await tx.returnEvent.create({
                data: {
                  shopId,
                  returnId: c.id,
                  type: e.type,
                  fromStatus: toDbStatus(e.from),
                  toStatus: toDbStatus(e.to),
                  idempotencyKey: `seed:${c.id}:${e.type}#${line.id}`,
                  payloadJson: JSON.stringify({
                    lineId: line.id,
                    source: "demo seed",
                    event: e.event,
                  }),
                  effectsJson: "[]",
                  effectsDoneAt: new Date(e.at),
                  at: new Date(e.at),
                },
              });
            }
            counts.lines++;
            counts.events += events.length;
          }
          // The case is the aggregate of its lines' machines, by the repository's own rule.
          await tx.returnCase.update({
            where: { id: c.id },
            data: {
              ...aggregate(states),
              outcome: plan.to === "declined" ? "DECLINE" : plan.to === "kept" ? "KEEP_ITEM" : "REFUND",
              version: 1,
            },
          });
        }
        counts.returns++;
      }
    },
    { timeout: 60_000, maxWait: 10_000 }
  );
  return counts;
}

/** When the customer asked: far enough back for the plan's steps to have happened by `now`. */
function requestTime(rng: Rng, plan: Plan, now: number): number {
  switch (plan.to) {
    case "requested":
      return now - intBetween(rng, 1, 20) * HOUR;
    case "declined":
    case "kept":
    case "approved":
      return now - intBetween(rng, 1, 3) * DAY;
    case "in_transit":
      return now - intBetween(rng, 2, 4) * DAY;
    case "received":
      return now - (48 - plan.dueInHours) * HOUR - intBetween(rng, 3, 5) * DAY;
    default:
      return (
        now -
        ((plan.resoldAfterDays ?? 2) + 6) * DAY -
        plan.inspectAfterHours * HOUR -
        intBetween(rng, 0, 10) * DAY
      );
  }
}

function runPlan(
  plan: Plan,
  apply: (e: ReturnEventInput, at: number) => void,
  ctx: {
    requestedAt: number;
    now: number;
    hubId: string;
    hours: number;
    valueMinor: number;
    rng: Rng;
  }
): void {
  const t0 = ctx.requestedAt;
  if (plan.to === "requested") return;
  if (plan.to === "declined") {
    apply(
      {
        type: "DECLINE",
        declineReason: "RETURN_PERIOD_ENDED",
        customerMessage: "Our return window is 60 days from delivery.",
      },
      t0 + 2 * HOUR
    );
    return;
  }
  if (plan.to === "kept") {
    // Refunded without the item coming back, as a KEEP_ITEM outcome decides.
    apply({ type: "KEEP", refundedMinor: ctx.valueMinor }, t0 + 2 * HOUR);
    return;
  }
  apply(
    { type: "APPROVE", hubId: ctx.hubId, refundedMinor: ctx.valueMinor },
    t0 + 2 * HOUR
  );
  if (plan.to === "approved") return;
  const legCost = 450 + intBetween(ctx.rng, 0, 500);
  apply(
    {
      type: "SHIP",
      reverseCostMinor: legCost,
      trackingNumber: `1Z${Math.floor(ctx.rng.next() * 1e10)}`,
    },
    t0 + 20 * HOUR
  );
  if (plan.to === "in_transit") return;
  // Received so that its deadline falls `dueInHours` from now (or so that every later step is in the past).
  const receivedAt =
    plan.to === "received"
      ? ctx.now - (ctx.hours - plan.dueInHours) * HOUR
      : t0 + 3 * DAY;
  apply(
    { type: "RECEIVE", hubId: ctx.hubId, inspectionHours: ctx.hours },
    Math.max(receivedAt, t0 + 21 * HOUR)
  );
  if (!("inspectAfterHours" in plan)) return;
  const inspectedAt =
    Math.max(receivedAt, t0 + 21 * HOUR) + plan.inspectAfterHours * HOUR;
  const grade =
    plan.to === "disposed"
      ? "D"
      : plan.to === "refurbishing"
      ? "C"
      : ctx.rng.next() < 0.6
      ? "A"
      : "B";
  const disposition =
    plan.to === "disposed"
      ? "DISPOSE"
      : plan.to === "refurbishing"
      ? "REFURBISH"
      : "RESTOCK";
  apply(
    {
      type: "INSPECT",
      grade,
      disposition,
      note:
        grade === "A"
          ? "Tags on, as new"
          : grade === "B"
          ? "Light wear on the box"
          : grade === "C"
          ? "Scuffed: needs a clean"
          : "Broken in transit",
    },
    inspectedAt
  );
  const next =
    disposition === "RESTOCK"
      ? { type: "RESTOCK" as const, hubId: null }
      : disposition === "REFURBISH"
      ? { type: "REFURBISH" as const }
      : { type: "DISPOSE" as const };
  apply(next, inspectedAt + 5 * 60 * 1000);
  if (plan.to !== "resold") return;
  const soldAt = Math.min(
    ctx.now - HOUR,
    inspectedAt + (plan.resoldAfterDays ?? 3) * DAY
  );
  apply(
    {
      type: "RESELL",
      priceMinor: Math.round(ctx.valueMinor * (grade === "A" ? 0.95 : 0.8)),
      orderId: null,
    },
    soldAt
  );
}
