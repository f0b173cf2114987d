// Overdue inspections escalate. Deadlines are rows (each received line's inspectionDueAt, and
// ReturnCase.inspectionDueAt), so nothing is lost on restart: the returns job scans every minute,
// asks the core which escalation levels are due (escalationsDue, given what was already sent), and
// notifies by email (SMTP_URL, to ReturnSettings.escalationEmail) and by a POST to the merchant's
// ReturnSettings.escalationWebhookUrl, signed with HMAC-SHA256 (X-Nearhub-Hmac-Sha256, base64, of
// the raw body, keyed with merchantWebhookSecret(shop)), both through notify.server.ts. Each notice is
// an Escalation row (unique per return, level and channel), written in one transaction with the
// `returns.send-escalation` job that sends it (keyed by the row), so two processes or a restart never
// send it twice; a send that fails is the job engine's to retry, with its backoff, and a dead letter on
// the Activity page when it keeps failing (as permit reminders are, permits/reminders.server.ts).
//
// The scan is the `returns.sweep` job of the job engine (ADR 0022), every minute, fired once per
// minute whatever the number of processes; it also decides returns recorded but not decided, and
// closes restocked returns whose SKU was routed again from their hub (resale). The outbox is not
// its business any more: each change enqueues its return's `returns.effects` job (effects.server.ts).
// NEARHUB_RETURNS_JOB=0 switches the returns jobs off in a process (tests, benchmarks).
import { escalationsDue, type Escalation as DueEscalation } from "~/core/returns";
import { db } from "~/db.server";
import { postMerchantWebhook, sendMerchantMail, smtpUrlOf, type NotifyOptions } from "../notify.server";
import { yieldToEventLoop } from "../event-loop.server";
import { logger } from "../logger.server";
import { getReturnSettings } from "../return-settings.server";
import { defineJob, enqueue } from "../jobs/index.server";
import type { AdminFor } from "./effects.server";
import { lineState } from "./repository.server";
import { decidePendingReturns } from "./request.server";
import { recordResalesFromRouting } from "./resale.server";
import { DEFAULT_ESCALATIONS } from "~/core/returns";
import { findInBatches } from "../batch.server";

/** The sweep's schedule (UTC cron): every minute. */
export const RETURNS_JOB_SCHEDULE = "* * * * *";

export { merchantWebhookSecret, signWebhookBody } from "../notify.server";

export interface EscalationOptions extends NotifyOptions {
  now: number;
  shopId?: string;
}

export interface EscalationRun {
  /** Notices recorded this scan (one per return, level and channel), each with its send job. */
  recorded: number;
  skipped: string[];
}

export interface Notice {
  shopId: string;
  shopDomain: string;
  returnId: string;
  orderName: string | null;
  hubName: string | null;
  due: DueEscalation;
}

export async function runEscalations(opts: EscalationOptions): Promise<EscalationRun> {
  const run: EscalationRun = { recorded: 0, skipped: [] };
  const lines = await db.returnLine.findMany({
    where: { status: "RECEIVED", ...(opts.shopId ? { shopId: opts.shopId } : {}), returnCase: { status: { not: "CANCELLED" } } },
    include: { returnCase: { select: { id: true, orderName: true, shop: { select: { domain: true } } } } },
  });
  const byShop = new Map<string, typeof lines>();
  for (const l of lines) byShop.set(l.shopId, [...(byShop.get(l.shopId) ?? []), l]);

  for (const [shopId, shopLines] of byShop) {
    await yieldToEventLoop();
    const settings = await getReturnSettings(shopId);
    // Mail only when this process has SMTP configured (SMTP_URL): otherwise the webhook alone.
    const channels = [
      ...(settings.escalationEmail && smtpUrlOf(opts) ? (["EMAIL"] as const) : []),
      ...(settings.escalationWebhookUrl ? (["WEBHOOK"] as const) : []),
    ];
    if (channels.length === 0) {
      run.skipped.push(`${shopId}: no escalation webhook, and no escalation email or no SMTP_URL`);
      continue;
    }
    const returnIds = [...new Set(shopLines.map((l) => l.returnId))];
    const rows = await findInBatches(returnIds, (batch) => db.escalation.findMany({ where: { shopId, returnId: { in: batch } } }));
    const states = shopLines.map(lineState);
    // Sent per return and level: every line of the return counts it as sent (one notice per return).
    const sentKeys = rows.flatMap((r) => states.filter((s) => s.returnId === r.returnId).map((s) => `${s.returnId}/${s.lineId}/escalation-${r.level}`));
    const due = escalationsDue(states, opts.now, sentKeys, DEFAULT_ESCALATIONS);
    const seen = new Set<string>();
    const hubs = new Map((await db.node.findMany({ where: { shopId }, select: { id: true, name: true } })).map((n) => [n.id, n.name]));
    for (const d of due) {
      const k = `${d.returnId}/${d.level}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const line = shopLines.find((l) => l.returnId === d.returnId)!;
      const notice: Notice = {
        shopId,
        shopDomain: line.returnCase.shop.domain,
        returnId: d.returnId,
        orderName: line.returnCase.orderName,
        hubName: d.hubId ? (hubs.get(d.hubId) ?? d.hubId) : null,
        due: d,
      };
      for (const channel of channels) {
        try {
          await db.$transaction(async (tx) => {
            const row = await tx.escalation.create({ data: { shopId, returnId: d.returnId, level: String(d.level), channel, status: "PENDING" } });
            await enqueue(tx, sendEscalationJob, { shopId, escalationId: row.id, notice }, { key: row.id });
          });
          run.recorded++;
        } catch (error) {
          if ((error as { code?: string }).code === "P2002") continue; // another process has it
          throw error;
        }
      }
    }
  }
  return run;
}

/**
 * Sends one recorded notice (the `returns.send-escalation` job): nothing when it was sent already, or
 * when the return is no longer waiting for inspection or the shop removed the channel since; throws
 * (after recording the error on the row) when the send fails, so the job engine retries it.
 */
export async function sendEscalation(escalationId: string, notice: Notice, opts: NotifyOptions & { now: number }): Promise<"sent" | "skipped"> {
  const row = await db.escalation.findUnique({ where: { id: escalationId }, include: { returnCase: { select: { status: true } } } });
  if (!row || row.status === "SENT") return "skipped";
  const skip = async (why: string) => {
    await db.escalation.update({ where: { id: row.id }, data: { status: "FAILED", lastError: why } });
    return "skipped" as const;
  };
  if (row.returnCase.status !== "RECEIVED") return skip("not sent: the return is no longer waiting for inspection");
  const settings = await getReturnSettings(row.shopId);
  const channel = row.channel === "EMAIL" ? "EMAIL" : "WEBHOOK";
  if (channel === "EMAIL" ? !settings.escalationEmail || !smtpUrlOf(opts) : !settings.escalationWebhookUrl) {
    return skip(`not sent: the shop has no escalation ${channel === "EMAIL" ? "email (or this process no SMTP_URL)" : "webhook"} any more`);
  }
  try {
    if (channel === "EMAIL") await sendMail(notice, settings.escalationEmail!, opts);
    else await postWebhook(notice, settings.escalationWebhookUrl!, opts);
  } catch (error) {
    const message = (error as Error).message.slice(0, 500);
    await db.escalation.update({ where: { id: row.id }, data: { status: "FAILED", attempts: { increment: 1 }, lastError: message } });
    logger.warn({ returnId: notice.returnId, channel, err: message }, "inspection escalation not sent; the job engine retries it");
    throw error;
  }
  await db.escalation.update({ where: { id: row.id }, data: { status: "SENT", sentAt: new Date(opts.now), attempts: { increment: 1 }, lastError: null } });
  return "sent";
}

export const sendEscalationJob = defineJob<{ shopId: string; escalationId: string; notice: Notice }>({
  name: "returns.send-escalation",
  switch: "returns",
  retries: 6,
  backoff: { type: "exponential", delayMs: 60_000, maxMs: 60 * 60_000 },
  timeout: 60_000,
  run: (payload, ctx) => sendEscalation(payload.escalationId, payload.notice, { now: ctx.now() }),
});

function subjectOf(n: Notice): string {
  const late = n.due.message.includes("overdue") ? "overdue" : "due";
  return `Inspection ${late}: return ${n.orderName ?? n.returnId}${n.hubName ? ` at ${n.hubName}` : ""}`;
}

async function sendMail(n: Notice, to: string, opts: EscalationOptions): Promise<void> {
  await sendMerchantMail(
    {
      to,
      subject: subjectOf(n),
      text: [
        n.due.message.replace(n.due.returnId, n.orderName ?? n.due.returnId).replace(n.due.hubId ?? "\u0000", n.hubName ?? ""),
        "",
        `Level ${n.due.level} (${n.due.notify.replace("_", " ").toLowerCase()}); deadline ${new Date(n.due.deadlineAt).toISOString()}.`,
        `Shop: ${n.shopDomain}. Return id: ${n.returnId}.`,
        "Open Nearhub → Returns → Inspection queue to grade it.",
      ].join("\n"),
    },
    opts,
  );
}

async function postWebhook(n: Notice, url: string, opts: EscalationOptions): Promise<void> {
  const body = {
    type: "return.inspection_escalated",
    shop: n.shopDomain,
    returnId: n.returnId,
    orderName: n.orderName,
    lineId: n.due.lineId,
    hubId: n.due.hubId,
    hubName: n.hubName,
    level: n.due.level,
    notify: n.due.notify,
    deadlineAt: new Date(n.due.deadlineAt).toISOString(),
    message: n.due.message,
    sentAt: new Date(opts.now).toISOString(),
  };
  await postMerchantWebhook({ url, topic: "returns/inspection_escalated", shopDomain: n.shopDomain, body }, opts);
}

/**
 * One pass of the returns sweep: undecided requests, escalations, resales. It runs in a web
 * process, so each step, and each item inside the steps, gives the event loop back.
 */
export async function runReturnsJobOnce(now = Date.now(), adminFor?: AdminFor) {
  const decided = await decidePendingReturns(now, 60_000, adminFor);
  await yieldToEventLoop();
  const escalations = await runEscalations({ now });
  await yieldToEventLoop();
  const resold = (await recordResalesFromRouting()).length;
  return { decided, escalations, resold };
}

/** The returns sweep, every minute (NEARHUB_RETURNS_JOB=0: not in this process). */
export const returnsSweepJob = defineJob({
  name: "returns.sweep",
  schedule: RETURNS_JOB_SCHEDULE,
  switch: "returns",
  retries: 0, // the next minute's firing is the retry
  backoff: { type: "fixed", delayMs: 0 },
  timeout: 5 * 60_000,
  run: async (_payload, ctx) => runReturnsJobOnce(ctx.now()),
});
