// The Overview: what needs the merchant now (a to-do list, each item a link), the few numbers that
// matter with their trend, and what the network holds.
import { db } from "~/db.server";
import { formatMinor } from "~/core/money/money";
import { listJobs } from "./jobs/index.server";
import { toNetworkNode } from "./network.server";
import { nodeDay } from "./node-day.server";
import { permitToDos } from "./permits/reminders.server";
import { AD_PLATFORM_LABELS, type AdPlatform } from "~/core/promotions/types";

const DAY_MS = 86_400_000;
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export interface ToDo {
  key: string;
  /** A badge in words. */
  label: string;
  tone: "critical" | "warning" | "attention";
  text: string;
  href: string;
}

/** Everything that waits for the merchant, most urgent first. Each count is the shop's, read at `now`. */
export async function overviewToDos(shopId: string, now: Date): Promise<ToDo[]> {
  const soon = new Date(now.getTime() + 12 * 3_600_000);
  const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
  const [overdue, dueSoon, failedMoves, unroutable, sync, dead, permits, campaigns, reconnect] = await Promise.all([
    db.returnLine.count({ where: { shopId, status: "RECEIVED", inspectionDueAt: { lt: now } } }),
    db.returnLine.count({ where: { shopId, status: "RECEIVED", inspectionDueAt: { gte: now, lt: soon } } }),
    db.routingDecision.findMany({ where: { shopId, status: { in: ["FAILED", "PARTIAL"] } }, select: { id: true, orderName: true }, orderBy: { updatedAt: "desc" }, take: 50 }),
    db.routingDecision.count({ where: { shopId, status: "UNROUTABLE", createdAt: { gte: weekAgo } } }),
    db.orderSync.findUnique({ where: { shopId }, select: { status: true, error: true } }),
    listJobs({ shopId, states: ["dead"], limit: 50 }),
    permitToDos(shopId, now.getTime()),
    // Campaigns a guardrail paused (and why), and those whose change keeps failing on the platform.
    db.campaign.findMany({
      where: { shopId, OR: [{ status: "PAUSED", wantStatus: "PAUSED", changes: { some: { actor: "GUARDRAIL", state: "APPLIED" } } }, { lastError: { not: null }, status: { not: "ENDED" } }] },
      select: { id: true, name: true, status: true, lastError: true, lastReasonsJson: true, node: { select: { name: true } } },
      orderBy: { updatedAt: "desc" },
      take: 20,
    }),
    db.adConnection.findMany({ where: { shopId, status: "RECONNECT" }, select: { platform: true } }),
  ]);
  const todos: ToDo[] = [];
  if (overdue > 0) {
    todos.push({ key: "inspections-overdue", label: "Overdue", tone: "critical", text: `${plural(overdue, "returned item")} waited past the inspection deadline`, href: "/app/returns" });
  }
  for (const p of permits) {
    todos.push({ key: `permit-${p.permitId}`, label: p.tone === "critical" ? "Out of service" : p.tone === "warning" ? "In grace period" : "Renewal due", tone: p.tone, text: `${p.text}${p.task ? `; renewal task ${p.task.done} of ${p.task.total} steps done${p.task.owner ? ` (${p.task.owner})` : ""}` : ""}`, href: "/app/compliance" });
  }
  if (failedMoves.length > 0) {
    const first = failedMoves[0];
    todos.push({
      key: "moves-failed",
      label: "Not moved in Shopify",
      tone: "critical",
      text: failedMoves.length === 1 ? `Order ${first.orderName ?? "without a name"} was routed but Shopify refused to move its fulfillment orders` : `${plural(failedMoves.length, "routed order")} could not be moved in Shopify`,
      href: failedMoves.length === 1 ? `/app/routing/${first.id}` : "/app/routing",
    });
  }
  for (const p of reconnect) {
    todos.push({ key: `ads-reconnect-${p.platform}`, label: "Reconnect", tone: "critical", text: `${AD_PLATFORM_LABELS[p.platform as AdPlatform] ?? p.platform} refused Nearhub's access: campaigns there cannot be paused or resumed until you reconnect`, href: "/app/settings/ads" });
  }
  for (const c of campaigns) {
    if (c.lastError) {
      todos.push({ key: `campaign-retrying-${c.id}`, label: "Platform not answering", tone: "warning", text: `${c.name}: a change keeps failing on the platform (${c.lastError}); Nearhub keeps trying`, href: `/app/campaigns/${c.id}` });
      continue;
    }
    const why = (JSON.parse(c.lastReasonsJson) as { message?: string }[]).find((r) => r.message)?.message;
    todos.push({ key: `campaign-paused-${c.id}`, label: "Campaign paused", tone: "attention", text: `${c.name} around ${c.node.name} was paused by its guardrails${why ? `: ${why}` : ""}`, href: `/app/campaigns/${c.id}` });
  }
  if (unroutable > 0) {
    todos.push({ key: "unroutable", label: "Unroutable", tone: "warning", text: `${plural(unroutable, "order")} in the last 7 days could not be routed to any node`, href: "/app/routing" });
  }
  if (sync?.status === "failed") {
    todos.push({ key: "order-sync", label: "Sync failed", tone: "warning", text: `The order history import from Shopify failed${sync.error ? `: ${sync.error}` : ""}`, href: "/app/insights" });
  }
  if (dead.length > 0) {
    todos.push({ key: "jobs-dead", label: "Gave up", tone: "warning", text: `${plural(dead.length, "background task")} failed every retry`, href: "/app/activity" });
  }
  if (dueSoon > 0) {
    todos.push({ key: "inspections-due", label: "Due soon", tone: "attention", text: `${plural(dueSoon, "returned item")} must be inspected in the next 12 hours`, href: "/app/returns" });
  }
  return todos;
}

export interface Trend {
  value: number | null;
  /** The same figure over the 30 days before. */
  previous: number | null;
}

/** Same-day share of shipments and cost per routed order, over the last 30 days and the 30 before. */
async function pilotFigures(shopId: string, now: Date, currency: string) {
  const window = async (from: Date, to: Date) => {
    const [shipments, sameDay, cost] = await Promise.all([
      db.routingShipment.count({ where: { shopId, decision: { createdAt: { gte: from, lt: to } } } }),
      db.routingShipment.count({ where: { shopId, service: "SAME_DAY", decision: { createdAt: { gte: from, lt: to } } } }),
      db.routingDecision.aggregate({ where: { shopId, createdAt: { gte: from, lt: to }, totalCostMinor: { not: null } }, _avg: { totalCostMinor: true } }),
    ]);
    return { sameDayShare: shipments > 0 ? sameDay / shipments : null, costPerOrderMinor: cost._avg.totalCostMinor === null ? null : Math.round(cost._avg.totalCostMinor) };
  };
  const t = now.getTime();
  const [last, before] = await Promise.all([window(new Date(t - 30 * DAY_MS), now), window(new Date(t - 60 * DAY_MS), new Date(t - 30 * DAY_MS))]);
  const money = (m: number | null) => (m === null ? null : formatMinor(m, currency));
  return {
    sameDayShare: { value: last.sameDayShare, previous: before.sameDayShare } satisfies Trend,
    costPerOrder: { value: last.costPerOrderMinor, previous: before.costPerOrderMinor, text: money(last.costPerOrderMinor), previousText: money(before.costPerOrderMinor) },
  };
}

export async function networkOverview(shopId: string, now: Date) {
  const yearAgo = new Date(now.getTime() - 364 * DAY_MS);
  const [shop, nodeRows, sellers, products, ordersLast30Days, kinds, placed, todos] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } }),
    db.node.findMany({ where: { shopId, status: "ACTIVE" }, orderBy: { name: "asc" } }),
    db.seller.count({ where: { shopId } }),
    db.product.count({ where: { shopId } }),
    db.order.count({ where: { shopId, placedAt: { gte: new Date(now.getTime() - 30 * DAY_MS) } } }),
    db.node.groupBy({ by: ["kind"], where: { shopId }, _count: { _all: true }, orderBy: { kind: "asc" } }),
    db.order.findMany({ where: { shopId, placedAt: { gte: yearAgo } }, select: { placedAt: true } }),
    overviewToDos(shopId, now),
  ]);
  const nodes = nodeRows.flatMap((r) => {
    try {
      return [toNetworkNode(r)];
    } catch {
      return []; // a node whose stored row no longer reads is reported on its own page
    }
  });
  const [today, figures] = await Promise.all([nodeDay(shopId, nodes, now.getTime()), pilotFigures(shopId, now, shop.currency)]);
  return {
    activeNodes: nodeRows.length,
    sellers,
    products,
    ordersLast30Days,
    nodesByKind: kinds.map((k) => ({ kind: k.kind, count: k._count._all })),
    ordersByWeek: weeklyCounts(placed.map((o) => o.placedAt), yearAgo, now),
    todos,
    ordersToday: nodes.map((n) => ({ nodeId: n.id, name: n.name, orders: today.byNode[n.id]?.orders ?? 0, capacity: n.dailyCapacity })),
    ...figures,
  };
}

/** Orders per UTC week (weeks start on Monday), oldest first, empty weeks included. */
export function weeklyCounts(dates: Date[], from: Date, to: Date) {
  const monday = (d: Date) => {
    const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
  };
  const counts = new Map<number, number>();
  for (let w = monday(from); w <= to.getTime(); w += 7 * DAY_MS) counts.set(w, 0);
  for (const d of dates) {
    const w = monday(d);
    if (counts.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts].map(([w, orders]) => ({ weekStart: new Date(w).toISOString().slice(0, 10), orders }));
}
