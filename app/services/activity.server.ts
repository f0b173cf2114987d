// The Activity page's view of the job engine (ADR 0022) for one shop: its jobs running and recent,
// failures with their message (Shopify's own, where it answered one), dead letters with a retry, the
// catalogue sync's and the order history import's state, and when each schedule last ran. Only the shop's own jobs (they name it in
// their payload); the app-wide schedules show when they ran, never their errors (which may be about
// another shop).
import { jobDefinitions, lastJob, listJobs, retryJob, type JobRow, type JobState } from "./jobs/index.server";
import "./jobs/all.server";
import { orderSyncView, type OrderSyncView } from "./orders/sync-view.server";

/** What each job does, in the merchant's words. */
export const JOB_LABELS: Record<string, string> = {
  "returns.effects": "Return: carry out its steps in Shopify",
  "returns.decide": "Return: decide where it goes and what is refunded",
  "returns.sweep": "Returns: pending decisions, overdue inspections, resales",
  "routing.order": "Route a paid order",
  "routing.moves": "Move an order's fulfillment orders in Shopify",
  "routing.retry": "Routing: moves left half-done",
  "courier-quotes.prefetch": "Courier quotes fetched ahead of checkout",
  "insights.compute": "Network insights: analyse the orders",
  "catalog.sync": "Products and stock from Shopify",
  "deliveries.post-events": "Deliveries: tell Shopify what couriers and riders reported",
  "orders.import": "Order history from Shopify (the last 12 months)",
  "orders.reconcile": "Orders: catch up on changes Shopify's notifications missed",
  "permits.remind": "Permits: renewal reminders and tasks",
  "permits.send-reminder": "Permit reminder: send the email or webhook",
  "campaigns.apply": "Campaign: send the change to the ad platform",
  "campaigns.guard": "Campaigns: re-check the guardrails (every 15 minutes)",
  "campaigns.guard-hub": "Campaigns of a hub: re-check the guardrails after a stock, capacity or permit change",
  "campaigns.marketing": "Campaign: show it in Shopify's Marketing page",
  "campaigns.results": "Campaigns: spend, clicks and attributed orders per day",
};

export const STATE_LABELS: Record<JobState, string> = {
  waiting: "Waiting",
  running: "Running",
  retrying: "Failed, retried soon",
  completed: "Done",
  dead: "Gave up",
  cancelled: "Replaced by a newer run",
};

export interface ActivityRow {
  id: string;
  name: string;
  label: string;
  subject: string | null;
  state: JobState;
  stateLabel: string;
  attempts: string;
  when: string;
  lastError: string | null;
}

export interface ActivityView {
  running: ActivityRow[];
  failures: ActivityRow[];
  dead: ActivityRow[];
  recent: ActivityRow[];
  catalog: ActivityRow | null;
  /** The order history import from Shopify (its own state: Shopify's part and Nearhub's). */
  orders: OrderSyncView;
  schedules: { name: string; label: string; every: string; lastRun: string | null; state: string | null }[];
}

const EVERY: Record<string, string> = { "* * * * *": "every minute", "*/4 * * * *": "every 4 minutes", "30 3 * * *": "every night at 03:30 UTC" };

function subjectOf(job: JobRow): string | null {
  const p = job.payload;
  const gidTail = (v: unknown) => (typeof v === "string" ? `#${v.split("/").pop()}` : null);
  if (typeof p.orderGid === "string") return `Order ${gidTail(p.orderGid)}`;
  if (typeof p.fulfillmentOrderGid === "string") return `Fulfillment order ${gidTail(p.fulfillmentOrderGid)}`;
  if (typeof p.returnId === "string") return "A return";
  if (typeof p.decisionId === "string") return "A routing decision";
  return null;
}

export function activityRow(job: JobRow, timeZone: string): ActivityRow {
  const at = job.finishedAt ?? job.startedAt ?? job.runAt ?? job.createdAt;
  // In the shop's zone, labelled ("Dec 3, 2026, 9:05 AM EST"): a merchant reads when, not in which zone.
  const fmt = (d: Date) =>
    d.toLocaleString("en-US", { timeZone, year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" });
  const when =
    job.state === "waiting" || job.state === "retrying"
      ? `next try ${fmt(job.runAt ?? job.createdAt)}`
      : job.state === "running"
        ? `since ${fmt(job.startedAt ?? job.createdAt)}`
        : fmt(at);
  return {
    id: job.id,
    name: job.name,
    label: JOB_LABELS[job.name] ?? job.name,
    subject: subjectOf(job),
    state: job.state,
    stateLabel: STATE_LABELS[job.state],
    attempts: job.state === "waiting" ? "" : `attempt ${job.attempts} of ${job.maxAttempts}`,
    when,
    lastError: job.lastError,
  };
}

export async function activityFor(shop: { id: string; timezone: string }): Promise<ActivityView> {
  const tz = shop.timezone;
  const [mine, dead, catalog, orders] = await Promise.all([
    listJobs({ shopId: shop.id, limit: 100 }),
    listJobs({ shopId: shop.id, states: ["dead"], limit: 50 }),
    lastJob("catalog.sync", shop.id),
    orderSyncView(shop),
  ]);
  const rows = mine.map((j) => activityRow(j, tz));
  const schedules = await Promise.all(
    jobDefinitions()
      .filter((d) => d.schedule)
      .map(async (d) => {
        const [last] = await listJobs({ name: d.name, limit: 1, states: ["completed", "running", "dead"] });
        return {
          name: d.name,
          label: JOB_LABELS[d.name] ?? d.name,
          every: EVERY[d.schedule!] ?? `on the schedule ${d.schedule}`,
          lastRun: last ? activityRow(last, tz).when : null,
          state: last ? STATE_LABELS[last.state] : null,
        };
      }),
  );
  return {
    running: rows.filter((r) => r.state === "running"),
    failures: rows.filter((r) => r.state === "retrying"),
    dead: dead.map((j) => activityRow(j, tz)),
    recent: rows.filter((r) => r.state !== "running" && r.state !== "retrying" && r.state !== "dead").slice(0, 30),
    catalog: catalog ? activityRow(catalog, tz) : null,
    orders,
    schedules,
  };
}

/** Retries one of the shop's dead letters; false when it is not one (or not the shop's). */
export function retryDeadLetter(shopId: string, name: string, id: string): Promise<boolean> {
  return retryJob(name, id, { shopId });
}
