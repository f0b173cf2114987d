// The Compliance page's view and commands (issue 14 items 3 and 7): every permit of the shop with
// its derived status and what it takes away right now, the renewal tasks, a timeline of expiries per
// node, the jurisdiction proposals for each node and corridor, and the commands the page sends
// (add, edit, renew, suspend, accept or dismiss a proposal, tick a checklist step). All reads are the
// shop's; statuses and holds come from the core at `now`, the same the gate reads.
import {
  formatPermitDate,
  GATING_STATUSES,
  JURISDICTIONS,
  jurisdictionName,
  jurisdictionsOf,
  PERMIT_GATE_WORDS,
  PERMIT_KINDS,
  PERMIT_STATUS_WORDS,
  PERMIT_TEMPLATES,
  permitKindLabel,
  permitStanding,
  permitState,
  permitTimeline,
  proposeTemplates,
  RECURRENCE_WORDS,
  resolveSubject,
  rolesOf,
  templateExpiry,
  type Permit,
  type PermitStatus,
  type PermitTemplate,
} from "~/core/permits";
import { z } from "zod";
import type { NodeKind } from "~/core/network/types";
import { db } from "~/db.server";
import { clockFor } from "~/core/geo/localTime";
import { createPermit, updatePermit } from "./repository.server";
import { loadPermitSubjects, toPermit } from "./store.server";

const DAY_MS = 86_400_000;

/** "3 Dec 2026", or "on notice" for a permit without an expiry. */
const dateWords = (iso: string | null): string => (iso ? formatPermitDate(iso, null) : "on notice");

export interface PermitRow {
  id: string;
  version: number;
  kind: string;
  name: string;
  subject: { type: Permit["subjectType"]; id: string; name: string; href: string | null };
  jurisdiction: string;
  number: string | null;
  issuer: string | null;
  owner: string | null;
  issuedOn: string;
  expiresOn: string | null;
  issuedWords: string;
  expiresWords: string;
  status: PermitStatus;
  statusTitle: string;
  statusTone: "success" | "attention" | "warning" | "critical";
  /** "in 12 days", "4 days ago", "renewed on notice". */
  when: string;
  gates: string[];
  /** The sentence of what it takes away right now; null when it takes nothing. */
  gatingNow: string | null;
  recurrence: string;
  graceDays: number;
  leadDays: number;
  task: { id: string; owner: string | null; checklist: { text: string; done: boolean }[] } | null;
  documents: { id: string; fileName: string; sizeBytes: number; uploadedAt: string }[];
  fields: Permit;
}

export interface Proposal {
  subject: { type: "NODE" | "CORRIDOR"; id: string; name: string };
  template: Pick<PermitTemplate, "id" | "kind" | "title" | "issuer" | "recurrence" | "termMonths" | "leadDays" | "feeMinor" | "gates" | "checklist" | "source" | "jurisdiction">;
  name: string;
  jurisdiction: string;
  expiresOn: string | null;
}

export interface ComplianceView {
  today: string;
  summary: { valid: number; due: number; grace: number; out: number };
  permits: PermitRow[];
  gatedNow: { permitId: string; sentence: string }[];
  timeline: { subject: string; href: string | null; marks: { permitId: string; name: string; at: number; status: PermitStatus; words: string }[] }[];
  timelineFrom: number;
  timelineTo: number;
  proposals: Proposal[];
  options: {
    subjects: { value: string; label: string }[];
    kinds: { value: string; label: string }[];
    jurisdictions: { value: string; label: string }[];
    gates: { value: string; label: string }[];
    recurrences: { value: string; label: string }[];
  };
}

/** What this permit alone takes away at `now`, as the gate says it (null: nothing). */
function holdSentence(p: Permit, subjects: Parameters<typeof permitStanding>[1], now: number): string | null {
  const s = permitStanding([p], subjects, now);
  for (const n of Object.values(s.nodes)) {
    const r = Object.values(n.purposes).find(Boolean) ?? n.courier;
    if (r) return r.message;
  }
  const [corridorId, why] = Object.entries(s.corridors)[0] ?? [];
  if (!corridorId) return null;
  const name = subjects.corridors.find((c) => c.id === corridorId)?.name ?? "The corridor";
  return `${name}: ${why}; courier services from its node still apply`;
}

function whenWords(state: ReturnType<typeof permitState>): string {
  if (state.daysToExpiry === null) return "renewed on notice";
  const d = state.daysToExpiry;
  if (d === 0) return "expires today";
  return d > 0 ? `${d === 1 ? "1 day" : `${d} days`} left` : `expired ${-d === 1 ? "1 day" : `${-d} days`} ago`;
}

export async function complianceView(shopId: string, now: number): Promise<ComplianceView> {
  const [rows, subjects, tasks, documents, dismissed, shop] = await Promise.all([
    db.permit.findMany({ where: { shopId }, orderBy: [{ expiresOn: "asc" }, { createdAt: "asc" }] }),
    loadPermitSubjects(shopId),
    db.permitTask.findMany({ where: { shopId, state: "OPEN" } }),
    db.permitDocument.findMany({ where: { shopId }, orderBy: { uploadedAt: "desc" } }),
    db.permitProposal.findMany({ where: { shopId } }),
    db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { timezone: true } }),
  ]);
  const permits = rows.map(toPermit);
  const summary = { valid: 0, due: 0, grace: 0, out: 0 };
  const out: PermitRow[] = [];
  for (const p of permits) {
    const subject = resolveSubject(p, subjects);
    const tz = subject?.timezone ?? subjects.shopTimezone;
    const state = permitState(p, tz, now);
    if (state.status === "VALID") summary.valid++;
    else if (state.status === "RENEWAL_DUE") summary.due++;
    else if (state.status === "IN_GRACE") summary.grace++;
    else summary.out++;
    const gatingNow = subject && GATING_STATUSES.has(state.status) ? holdSentence(p, subjects, now) : null;
    const task = tasks.find((t) => t.permitId === p.id && t.cycle === p.expiresOn);
    out.push({
      id: p.id,
      version: p.version,
      kind: p.kind,
      name: p.kind === "CUSTOM" && p.title ? p.title : (p.title ?? permitKindLabel(p.kind)),
      subject: {
        type: p.subjectType,
        id: p.subjectId,
        name: subject?.name ?? "removed",
        href: p.subjectType === "NODE" && subject ? `/app/network/${p.subjectId}` : p.subjectType === "CORRIDOR" && subject ? "/app/shipping/couriers" : null,
      },
      jurisdiction: jurisdictionName(p.jurisdiction),
      number: p.number,
      issuer: p.issuer,
      owner: p.owner,
      issuedOn: p.issuedOn,
      expiresOn: p.expiresOn,
      issuedWords: dateWords(p.issuedOn),
      expiresWords: dateWords(p.expiresOn),
      status: state.status,
      statusTitle: PERMIT_STATUS_WORDS[state.status].title,
      statusTone: PERMIT_STATUS_WORDS[state.status].tone,
      when: state.status === "SUSPENDED" ? `suspended${p.suspendedReason ? `: ${p.suspendedReason}` : ""}` : whenWords(state),
      gates: p.gates.map((g) => PERMIT_GATE_WORDS[g].title),
      gatingNow,
      recurrence: RECURRENCE_WORDS[p.recurrence],
      graceDays: p.graceDays,
      leadDays: p.leadDays,
      task: task ? { id: task.id, owner: task.owner, checklist: JSON.parse(task.checklistJson) as { text: string; done: boolean }[] } : null,
      documents: documents.filter((d) => d.permitId === p.id).map((d) => ({ id: d.id, fileName: d.fileName, sizeBytes: d.sizeBytes, uploadedAt: d.uploadedAt.toISOString() })),
      fields: p,
    });
  }

  // The next 12 months of expiries, one row per node, corridor or seller.
  const from = now - 30 * DAY_MS;
  const to = now + 365 * DAY_MS;
  const bySubject = new Map<string, ComplianceView["timeline"][number]>();
  for (const r of out) {
    if (!r.expiresOn) continue;
    const at = permitTimeline(r.fields, resolveSubject(r.fields, subjects)?.timezone ?? subjects.shopTimezone).expiresAt!;
    if (at > to) continue;
    const key = `${r.subject.type}:${r.subject.id}`;
    const row = bySubject.get(key) ?? { subject: r.subject.name, href: r.subject.href, marks: [] };
    row.marks.push({ permitId: r.id, name: r.name, at: Math.max(from, at), status: r.status, words: `${r.name}: expires ${r.expiresWords}` });
    bySubject.set(key, row);
  }

  // Proposals: for each node and corridor, the templates of its place and roles not held there yet and not dismissed.
  const proposals: Proposal[] = [];
  const heldTemplates = new Set(rows.filter((r) => r.templateId).map((r) => `${r.subjectType}:${r.subjectId}:${r.templateId}`));
  const heldKinds = new Set(permits.map((p) => `${p.subjectType}:${p.subjectId}:${p.kind}`));
  const skipFor = (type: string, id: string) =>
    new Set([
      ...dismissed.filter((d) => d.subjectType === type && d.subjectId === id).map((d) => d.templateId),
      ...PERMIT_TEMPLATES.filter((t) => heldTemplates.has(`${type}:${id}:${t.id}`) || heldKinds.has(`${type}:${id}:${t.kind}`)).map((t) => t.id),
    ]);
  const today = clockFor(shop.timezone).local(now);
  const todayIso = new Date(today.day * DAY_MS).toISOString().slice(0, 10);
  for (const n of subjects.nodes) {
    const roles = rolesOf({ kind: n.kind as NodeKind, acceptsReturns: n.acceptsReturns }, false);
    for (const tpl of proposeTemplates(jurisdictionsOf(n), roles, skipFor("NODE", n.id))) {
      proposals.push({ subject: { type: "NODE", id: n.id, name: n.name }, template: tpl, name: tpl.title ?? permitKindLabel(tpl.kind), jurisdiction: jurisdictionName(tpl.jurisdiction), expiresOn: templateExpiry(tpl, todayIso) });
    }
  }
  for (const c of subjects.corridors) {
    const node = subjects.nodes.find((n) => n.id === c.nodeId);
    if (!node) continue;
    for (const tpl of proposeTemplates(jurisdictionsOf(node), ["ROBOT_CORRIDOR"], skipFor("CORRIDOR", c.id))) {
      proposals.push({ subject: { type: "CORRIDOR", id: c.id, name: c.name }, template: tpl, name: tpl.title ?? permitKindLabel(tpl.kind), jurisdiction: jurisdictionName(tpl.jurisdiction), expiresOn: templateExpiry(tpl, todayIso) });
    }
  }

  return {
    today: todayIso,
    summary,
    permits: out,
    gatedNow: out.filter((r) => r.gatingNow).map((r) => ({ permitId: r.id, sentence: r.gatingNow! })),
    timeline: [...bySubject.values()].sort((a, b) => a.subject.localeCompare(b.subject)),
    timelineFrom: from,
    timelineTo: to,
    proposals,
    options: {
      subjects: [
        ...subjects.nodes.map((n) => ({ value: `NODE:${n.id}`, label: n.name })),
        ...subjects.corridors.map((c) => ({ value: `CORRIDOR:${c.id}`, label: `${c.name} (autonomous corridor)` })),
        ...subjects.sellers.map((s) => ({ value: `SELLER:${s.id}`, label: `${s.name} (seller)` })),
      ],
      kinds: PERMIT_KINDS.map((k) => ({ value: k.code, label: k.label })),
      jurisdictions: JURISDICTIONS.map((j) => ({ value: j.code, label: j.name })),
      gates: Object.entries(PERMIT_GATE_WORDS).map(([value, w]) => ({ value, label: w.title })),
      recurrences: Object.entries(RECURRENCE_WORDS).map(([value, label]) => ({ value, label })),
    },
  };
}

/** Accepts a proposal: the template's permit, issued today, with its term, gates and checklist source. */
export async function acceptProposal(shopId: string, subject: { type: "NODE" | "CORRIDOR"; id: string }, templateId: string, issuedOn: string, overrides: Record<string, unknown> = {}) {
  const tpl = PERMIT_TEMPLATES.find((t) => t.id === templateId);
  if (!tpl) throw new Error(`no jurisdiction template ${templateId}`);
  return createPermit(
    shopId,
    {
      subjectType: subject.type,
      subjectId: subject.id,
      kind: tpl.kind,
      title: tpl.title,
      jurisdiction: tpl.jurisdiction,
      issuer: tpl.issuer,
      issuedOn,
      expiresOn: templateExpiry(tpl, issuedOn),
      recurrence: tpl.recurrence,
      graceDays: tpl.graceDays,
      leadDays: tpl.leadDays,
      feeMinor: tpl.feeMinor,
      gates: [...tpl.gates],
      ...overrides,
    },
    { templateId: tpl.id },
  );
}

export async function dismissProposal(shopId: string, subject: { type: "NODE" | "CORRIDOR"; id: string }, templateId: string): Promise<void> {
  await db.permitProposal.upsert({
    where: { shopId_subjectType_subjectId_templateId: { shopId, subjectType: subject.type, subjectId: subject.id, templateId } },
    create: { shopId, subjectType: subject.type, subjectId: subject.id, templateId },
    update: {},
  });
}

/** Ticks (or unticks) one step of an open renewal task of the shop. */
export async function tickTaskStep(shopId: string, taskId: string, index: number, done: boolean): Promise<void> {
  const task = await db.permitTask.findFirst({ where: { id: taskId, shopId, state: "OPEN" } });
  if (!task) throw new Error("That renewal task is done or no longer exists: reload the page.");
  const checklist = JSON.parse(task.checklistJson) as { text: string; done: boolean }[];
  if (!checklist[index]) throw new Error("That step is not on the task's checklist.");
  checklist[index].done = done;
  await db.permitTask.update({ where: { id: task.id }, data: { checklistJson: JSON.stringify(checklist) } });
}

/** Renewal: the new dates (a new cycle), and the suspension lifted. */
export function renewPermit(shopId: string, id: string, dates: { issuedOn: string; expiresOn: string | null }, version: number) {
  return updatePermit(shopId, id, { issuedOn: dates.issuedOn, expiresOn: dates.expiresOn, suspended: false, suspendedReason: null }, version);
}

/** The permits of one node (its page shows them). */
export async function nodePermits(shopId: string, nodeId: string, now: number) {
  const view = await complianceView(shopId, now);
  return view.permits.filter((p) => p.subject.type === "NODE" && p.subject.id === nodeId);
}

/** Where permit reminders go besides each permit's owner: an address, and a URL for the signed webhook. */
export const reminderSettingsSchema = z.object({
  reminderEmail: z
    .union([z.literal(""), z.email("enter an email address")])
    .nullish()
    .transform((v) => v || null),
  reminderWebhookUrl: z
    .union([z.literal(""), z.url({ protocol: /^https?$/, error: "enter an http(s) URL" })])
    .nullish()
    .transform((v) => v || null),
});

export async function reminderSettings(shopId: string) {
  const row = await db.complianceSettings.findUnique({ where: { shopId } });
  return { reminderEmail: row?.reminderEmail ?? null, reminderWebhookUrl: row?.reminderWebhookUrl ?? null };
}

export async function saveReminderSettings(shopId: string, input: z.output<typeof reminderSettingsSchema>): Promise<void> {
  await db.complianceSettings.upsert({ where: { shopId }, create: { shopId, ...input }, update: input });
}
