// Permit renewals remind and open tasks by themselves (issue 14 item 4). The `permits.remind` job
// runs every 15 minutes (once per slot, whatever the number of processes) and whenever a permit
// changes (enqueued in the change's transaction, repository.server.ts). For each permit it asks the
// core which reminder slot has fallen due (reminderSlots/dueReminder: 60/30/7/1 days before the
// expiry date by default, then on lapse) and, for that slot:
// - opens the cycle's renewal task (PermitTask, one per permit and expiry date) with the template's
//   checklist and the permit's owner;
// - records a reminder row per channel (PermitReminder, unique per permit, cycle, offset and
//   channel), and in the same transaction enqueues its sending as a `permits.send-reminder` job keyed
//   by the row: TODO (the Overview's to-do list: nothing to send), EMAIL (SMTP_URL, to the shop's
//   reminder address or contact email and the permit's owner) and WEBHOOK (the merchant's URL, signed
//   like every Nearhub webhook, notify.server.ts). A restart or a second process finds the row and
//   records nothing; a send that fails is the job engine's to retry, with its backoff, and a dead
//   letter on the Activity page when it keeps failing.
// Renewing (a new expiry date) closes the task and starts a new cycle of slots.
import type { Prisma } from "@prisma/client";
import {
  dueReminder,
  formatPermitDate,
  LAPSE_OFFSET,
  PERMIT_STATUS_WORDS,
  PERMIT_TEMPLATES,
  permitKindLabel,
  permitState,
  reminderSlots,
  resolveSubject,
  type Permit,
  type PermitState,
  type ReminderSlot,
} from "~/core/permits";
import { db } from "~/db.server";
import { logger } from "../logger.server";
import { defineJob, enqueue } from "../jobs/index.server";
import { postMerchantWebhook, sendMerchantMail, smtpUrlOf, type NotifyOptions } from "../notify.server";
import { yieldToEventLoop } from "../event-loop.server";
import { loadPermitSubjects, toPermit } from "./store.server";

export const PERMIT_REMINDERS_SCHEDULE = "*/15 * * * *";

type Channel = "TODO" | "EMAIL" | "WEBHOOK";

export interface ReminderOptions extends NotifyOptions {
  now: number;
  shopId?: string;
}

export interface ReminderRun {
  /** Reminder rows recorded (one per channel): to-dos at once, emails and webhooks as send jobs. */
  recorded: number;
  tasksOpened: number;
}

const GENERIC_CHECKLIST = ["Gather what the issuer asks for", "Submit the renewal and pay the fee", "Upload the new permit and record its dates"];

/** The renewal checklist: the jurisdiction template's, else a general one. */
export function renewalChecklist(p: Pick<Permit, "issuer">, templateId: string | null): string[] {
  const tpl = templateId ? PERMIT_TEMPLATES.find((t) => t.id === templateId) : undefined;
  if (tpl) return [...tpl.checklist];
  return p.issuer ? [GENERIC_CHECKLIST[0], `Submit the renewal to ${p.issuer} and pay the fee`, GENERIC_CHECKLIST[2]] : [...GENERIC_CHECKLIST];
}

interface Notice {
  shopDomain: string;
  permit: Permit;
  subjectName: string;
  state: PermitState;
  slot: ReminderSlot;
  now: number;
}

/** "Fire inspection for Williamsburg Micro-hub expires on 3 Dec (in 7 days)" / "... lapsed on 3 Dec". */
export function reminderSentence(n: Pick<Notice, "permit" | "subjectName" | "state" | "now">): string {
  const what = `${n.permit.title ?? permitKindLabel(n.permit.kind)} for ${n.subjectName}`;
  const s = n.state;
  if (s.status === "LAPSED") return `${what} lapsed on ${formatPermitDate(s.lapseDate!, n.now)}: what it gates is out of service until it is renewed`;
  const on = formatPermitDate(n.permit.expiresOn!, n.now);
  if (s.status === "IN_GRACE") return `${what} expired on ${on}; its grace period ends on ${formatPermitDate(s.lapseDate!, n.now)}`;
  const days = s.daysToExpiry ?? 0;
  return `${what} expires on ${on} (${days === 0 ? "today" : days === 1 ? "tomorrow" : `in ${days} days`})`;
}

/** Sends one recorded reminder; throws (for the engine to retry) when the channel fails. */
interface Recipients {
  emails: string[];
  webhookUrl: string | null;
}

/** Who a permit's reminders reach: the shop's reminder address (else its contact email) and the permit's owner; the shop's webhook. */
function recipientsOf(settings: { reminderEmail: string | null; reminderWebhookUrl: string | null } | null, shopEmail: string | null, p: Permit): Recipients {
  const emails = [...new Set([settings?.reminderEmail ?? shopEmail, p.ownerEmail].filter((e): e is string => !!e))];
  return { emails, webhookUrl: settings?.reminderWebhookUrl ?? null };
}

async function send(channel: Channel, n: Notice, to: Recipients, opts: NotifyOptions): Promise<void> {
  const sentence = reminderSentence(n);
  if (channel === "EMAIL") {
    if (to.emails.length === 0) throw new Error("no reminder address: set one in Settings or give the permit an owner's email");
    await sendMerchantMail(
      {
        to: to.emails,
        subject: `Permit ${n.state.status === "LAPSED" ? "lapsed" : "renewal"}: ${n.permit.title ?? permitKindLabel(n.permit.kind)} for ${n.subjectName}`,
        text: [sentence + ".", "", `Status: ${PERMIT_STATUS_WORDS[n.state.status].title}.`, n.permit.number ? `Number: ${n.permit.number}.` : "", "Open Nearhub → Compliance to renew it."]
          .filter(Boolean)
          .join("\n"),
      },
      opts,
    );
  } else if (channel === "WEBHOOK") {
    if (!to.webhookUrl) throw new Error("no reminder webhook URL is set any more");
    await postMerchantWebhook(
      {
        url: to.webhookUrl,
        topic: "permits/reminder",
        shopDomain: n.shopDomain,
        body: {
          type: n.slot.offsetDays === LAPSE_OFFSET ? "permit.lapsed" : "permit.renewal_due",
          shop: n.shopDomain,
          permitId: n.permit.id,
          kind: n.permit.kind,
          subject: { type: n.permit.subjectType, id: n.permit.subjectId, name: n.subjectName },
          status: n.state.status,
          expiresOn: n.permit.expiresOn,
          lapsesOn: n.state.lapseDate,
          offsetDays: n.slot.offsetDays,
          message: sentence,
          sentAt: new Date(n.now).toISOString(),
        },
      },
      opts,
    );
  }
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

async function openTask(shopId: string, p: Permit, templateId: string | null, cycle: string, now: number): Promise<boolean> {
  try {
    await db.permitTask.create({
      data: {
        shopId,
        permitId: p.id,
        cycle,
        owner: p.owner,
        checklistJson: JSON.stringify(renewalChecklist(p, templateId).map((text) => ({ text, done: false }))),
        openedAt: new Date(now),
      },
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false; // opened before (or by another process)
    throw error;
  }
}

/** One pass over the permits (of one shop, or all): the due reminder of each, once per channel. */
export async function runPermitReminders(opts: ReminderOptions): Promise<ReminderRun> {
  const run: ReminderRun = { recorded: 0, tasksOpened: 0 };
  const where: Prisma.PermitWhereInput = { expiresOn: { not: null }, suspended: false, ...(opts.shopId ? { shopId: opts.shopId } : {}) };
  const rows = await db.permit.findMany({ where, include: { shop: { select: { domain: true, contactEmail: true, uninstalledAt: true } } }, orderBy: { shopId: "asc" } });
  const byShop = new Map<string, typeof rows>();
  for (const r of rows) if (!r.shop.uninstalledAt) byShop.set(r.shopId, [...(byShop.get(r.shopId) ?? []), r]);
  for (const [shopId, permits] of byShop) {
    await yieldToEventLoop();
    const [subjects, settings] = await Promise.all([loadPermitSubjects(shopId), db.complianceSettings.findUnique({ where: { shopId } })]);
    for (const row of permits) {
      const p = toPermit(row);
      const subject = resolveSubject(p, subjects);
      if (!subject) continue;
      const slot = dueReminder(reminderSlots(p, subject.timezone), opts.now);
      if (!slot) continue;
      if (await openTask(shopId, p, row.templateId, slot.cycle, opts.now)) run.tasksOpened++;
      const to = recipientsOf(settings, permits[0].shop.contactEmail, p);
      const channels: Channel[] = ["TODO", ...(to.emails.length > 0 && smtpUrlOf(opts) ? (["EMAIL"] as const) : []), ...(to.webhookUrl ? (["WEBHOOK"] as const) : [])];
      for (const channel of channels) {
        try {
          await db.$transaction(async (tx) => {
            const row = await tx.permitReminder.create({
              data: { shopId, permitId: p.id, cycle: slot.cycle, offsetDays: slot.offsetDays, channel, dueAt: new Date(slot.at), createdAt: new Date(opts.now), ...(channel === "TODO" ? { status: "SENT", sentAt: new Date(opts.now) } : {}) },
            });
            if (channel !== "TODO") await enqueue(tx, sendReminderJob, { shopId, reminderId: row.id }, { key: row.id });
          });
          run.recorded++;
        } catch (error) {
          if (isUniqueViolation(error)) continue; // recorded already (by an earlier run or another process)
          throw error;
        }
      }
    }
  }
  return run;
}

/**
 * Sends one recorded reminder (the `permits.send-reminder` job). The permit is read as it is now: a
 * reminder about a cycle the permit was renewed out of is not sent. The sentence says where the
 * permit stood when the reminder fell due (the row's time).
 */
export async function sendReminder(reminderId: string, opts: NotifyOptions & { now: number }): Promise<"sent" | "skipped"> {
  const r = await db.permitReminder.findUnique({ where: { id: reminderId }, include: { permit: true, shop: { select: { domain: true, contactEmail: true } } } });
  if (!r || r.status === "SENT") return "skipped";
  const p = toPermit(r.permit);
  const [subjects, settings] = await Promise.all([loadPermitSubjects(r.shopId), db.complianceSettings.findUnique({ where: { shopId: r.shopId } })]);
  const subject = resolveSubject(p, subjects);
  if (p.expiresOn !== r.cycle || p.suspended || !subject) {
    await db.permitReminder.update({ where: { id: r.id }, data: { status: "FAILED", lastError: "not sent: the permit was renewed, suspended or removed since" } });
    return "skipped";
  }
  const at = r.createdAt.getTime();
  const notice: Notice = { shopDomain: r.shop.domain, permit: p, subjectName: subject.name, state: permitState(p, subject.timezone, at), slot: { offsetDays: r.offsetDays, at: r.dueAt.getTime(), cycle: r.cycle }, now: at };
  try {
    await send(r.channel as Channel, notice, recipientsOf(settings, r.shop.contactEmail, p), opts);
  } catch (error) {
    const message = (error as Error).message.slice(0, 500);
    await db.permitReminder.update({ where: { id: r.id }, data: { status: "FAILED", attempts: { increment: 1 }, lastError: message } });
    logger.warn({ permitId: p.id, channel: r.channel, err: message }, "permit reminder not sent; the job engine retries it");
    throw error;
  }
  await db.permitReminder.update({ where: { id: r.id }, data: { status: "SENT", sentAt: new Date(opts.now), attempts: { increment: 1 }, lastError: null } });
  return "sent";
}

export const sendReminderJob = defineJob<{ shopId: string; reminderId: string }>({
  name: "permits.send-reminder",
  switch: "permits",
  retries: 6,
  backoff: { type: "exponential", delayMs: 60_000, maxMs: 60 * 60_000 },
  timeout: 60_000,
  run: (payload, ctx) => sendReminder(payload.reminderId, { now: ctx.now() }),
});

export interface PermitToDo {
  permitId: string;
  /** The sentence a person reads. */
  text: string;
  tone: "critical" | "warning" | "attention";
  /** The open renewal task's checklist progress, when there is one. */
  task: { done: number; total: number; owner: string | null } | null;
}

/**
 * The Overview's permit to-dos: every permit renewal due, in grace, lapsed or suspended, most urgent
 * first, with its open task. Derived from the stored permits at `now` (the same state the gate reads).
 */
export async function permitToDos(shopId: string, now: number): Promise<PermitToDo[]> {
  const [rows, subjects, tasks] = await Promise.all([
    db.permit.findMany({ where: { shopId } }),
    loadPermitSubjects(shopId),
    db.permitTask.findMany({ where: { shopId, state: "OPEN" } }),
  ]);
  const rank = { SUSPENDED: 0, LAPSED: 1, IN_GRACE: 2, RENEWAL_DUE: 3, VALID: 4 } as const;
  const out: (PermitToDo & { rank: number; at: number })[] = [];
  for (const row of rows) {
    const p = toPermit(row);
    const subject = resolveSubject(p, subjects);
    if (!subject) continue;
    const state = permitState(p, subject.timezone, now);
    if (state.status === "VALID") continue;
    const task = tasks.find((t) => t.permitId === p.id && t.cycle === p.expiresOn);
    const checklist = task ? (JSON.parse(task.checklistJson) as { done: boolean }[]) : [];
    const text =
      state.status === "SUSPENDED"
        ? `${p.title ?? permitKindLabel(p.kind)} for ${subject.name} is suspended${p.suspendedReason ? ` (${p.suspendedReason})` : ""}: what it gates is out of service`
        : reminderSentence({ permit: p, subjectName: subject.name, state, now });
    out.push({
      permitId: p.id,
      text,
      tone: state.status === "RENEWAL_DUE" ? "attention" : state.status === "IN_GRACE" ? "warning" : "critical",
      task: task ? { done: checklist.filter((c) => c.done).length, total: checklist.length, owner: task.owner } : null,
      rank: rank[state.status],
      at: state.lapsesAt ?? 0,
    });
  }
  return out.sort((a, b) => a.rank - b.rank || a.at - b.at).map(({ rank: _r, at: _a, ...todo }) => todo);
}

export const permitRemindersJob = defineJob<{ shopId?: string }>({
  name: "permits.remind",
  schedule: PERMIT_REMINDERS_SCHEDULE,
  switch: "permits",
  retries: 3,
  backoff: { type: "exponential", delayMs: 30_000, maxMs: 10 * 60_000 },
  timeout: 5 * 60_000,
  run: async (payload, ctx) => runPermitReminders({ now: ctx.now(), shopId: payload.shopId }),
});
