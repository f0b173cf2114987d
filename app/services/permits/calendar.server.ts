// The shop's permit calendar (issue 14 item 5, ADR 0030): an RFC 5545 feed, built with the `ics`
// library, of one all-day event per permit expiry and one per reminder date (core/permits
// reminderSlots), each with a stable UID `<permitId>-<cycle>-<offset>@nearhub` (offset: the days
// before expiry, `lapse` for the day it lapses, `expiry` for the expiry itself), so a calendar app
// updates events in place as the feed changes and a renewal (a new cycle) adds new ones.
//
// Served at a secret per-shop URL (/calendar/permits/<token>.ics: only the token's SHA-256 and its
// last 4 characters are stored) and at GET /api/v1/permits.ics with an API key. Calendar apps
// refresh feeds slowly and often drop alarms: the feed informs, Nearhub's own reminders act.
import { createHash, randomBytes } from "node:crypto";
import type { Shop } from "@prisma/client";
import { createEvents, type EventAttributes } from "ics";
import { clockFor, DAY_MS } from "~/core/geo/localTime";
import {
  formatPermitDate,
  LAPSE_OFFSET,
  PERMIT_GATE_WORDS,
  PERMIT_STATUS_WORDS,
  permitKindLabel,
  permitState,
  permitWords,
  reminderSlots,
  reminderWords,
  resolveSubject,
  type Permit,
  type PermitSubjects,
} from "~/core/permits";
import { db } from "~/db.server";
import { listPermits, loadPermitSubjects } from "./repository.server";

/** RFC 5545 §3.1: a content line is at most 75 octets, excluding the line break. */
export const MAX_LINE_OCTETS = 75;
export const PRODUCT_ID = "-//Nearhub//Permit calendar//EN";

type DateArray = [number, number, number];
/** `ics` takes DTSTAMP from `timestamp` (its types leave it out). */
type FeedEvent = EventAttributes & { timestamp: number };
const dateArray = (iso: string): DateArray => iso.split("-").map(Number) as DateArray;
const isoOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const nextDay = (iso: string) => isoOfDay(Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS) + 1);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Folds every content line at 75 octets. `ics` folds at 75 characters, so a line with accented
 * names or dashes can pass 75 octets; its lines are unfolded and folded again here, never inside a
 * UTF-8 sequence, each continuation starting with one space.
 */
export function foldOctets(text: string): string {
  const lines = text.replace(/\r\n[ \t]/g, "").split("\r\n");
  const out: string[] = [];
  for (const line of lines) {
    const bytes = Buffer.from(line, "utf8");
    if (bytes.length <= MAX_LINE_OCTETS) {
      out.push(line);
      continue;
    }
    let start = 0;
    let limit = MAX_LINE_OCTETS;
    while (start < bytes.length) {
      let end = Math.min(bytes.length, start + limit);
      // Back up to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx).
      while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
      out.push((start === 0 ? "" : " ") + bytes.subarray(start, end).toString("utf8"));
      start = end;
      limit = MAX_LINE_OCTETS - 1; // the leading space counts
    }
  }
  return out.join("\r\n");
}

interface FeedPermit {
  permit: Permit;
  subject: string;
  timezone: string;
}

function describe(p: FeedPermit, now: number): string {
  const state = permitState(p.permit, p.timezone, now);
  const lines = [`${permitKindLabel(p.permit.kind)}${p.permit.title && p.permit.kind !== "CUSTOM" ? ` (${p.permit.title})` : ""} for ${p.subject}.`];
  lines.push(`Status now: ${PERMIT_STATUS_WORDS[state.status].title.toLowerCase()}.`);
  if (p.permit.expiresOn) {
    const grace = p.permit.graceDays > 0 ? ` after ${p.permit.graceDays} days of grace` : "";
    lines.push(`Expires on ${formatPermitDate(p.permit.expiresOn, now)}; lapses on ${formatPermitDate(state.lapseDate!, now)}${grace}.`);
  }
  if (p.permit.gates.length > 0) lines.push(`If it lapses, ${p.subject}: ${p.permit.gates.map((g) => PERMIT_GATE_WORDS[g].loses).join("; ")}.`);
  if (p.permit.issuer) lines.push(`Issuer: ${p.permit.issuer}.`);
  if (p.permit.number) lines.push(`Number: ${p.permit.number}.`);
  if (p.permit.owner) lines.push(`Owner: ${p.permit.owner}.`);
  lines.push("Renew it on Nearhub's Compliance page. This calendar informs; Nearhub's own reminders act.");
  return lines.join("\n");
}

/** The events of one permit: its expiry and each reminder date of its current cycle. */
export function permitEvents(p: FeedPermit, now: number): FeedEvent[] {
  const expiresOn = p.permit.expiresOn;
  if (expiresOn === null) return [];
  const words = permitWords(p.permit);
  const description = describe(p, now);
  const stamp = { timestamp: now };
  const allDay = (iso: string) => ({ start: dateArray(iso), end: dateArray(nextDay(iso)) });
  const events: FeedEvent[] = [
    {
      ...stamp,
      uid: `${p.permit.id}-${expiresOn}-expiry@nearhub`,
      title: `${capital(words)} for ${p.subject} expires`,
      description,
      ...allDay(expiresOn),
      transp: "TRANSPARENT",
      categories: ["Nearhub", "Permit expiry"],
    },
  ];
  const clock = clockFor(p.timezone);
  for (const slot of reminderSlots(p.permit, p.timezone)) {
    const lapse = slot.offsetDays === LAPSE_OFFSET;
    const on = isoOfDay(clock.local(slot.at).day);
    events.push({
      ...stamp,
      uid: `${p.permit.id}-${slot.cycle}-${lapse ? "lapse" : slot.offsetDays}@nearhub`,
      title: lapse
        ? `${capital(words)} for ${p.subject} lapses today`
        : `Renew ${words} for ${p.subject}: ${reminderWords(slot.offsetDays)}`,
      description,
      ...allDay(on),
      transp: "TRANSPARENT",
      categories: ["Nearhub", lapse ? "Permit lapse" : "Permit reminder"],
    });
  }
  return events;
}

/** The feed of these permits, as text with CRLF line ends and lines of at most 75 octets. */
export function buildPermitCalendar(permits: readonly Permit[], subjects: PermitSubjects, opts: { shopName: string; now: number }): string {
  const events: FeedEvent[] = [];
  for (const permit of permits) {
    const subject = resolveSubject(permit, subjects);
    if (!subject) continue; // its node, corridor or seller is gone: nothing to renew
    events.push(...permitEvents({ permit, subject: subject.name, timezone: subject.timezone }, opts.now));
  }
  const { error, value } = createEvents(events, { productId: PRODUCT_ID, method: "PUBLISH", calName: `Nearhub permits · ${opts.shopName}` });
  if (error || value === null) throw new Error(`permit calendar: ${error?.message ?? "no feed"}`);
  return foldOctets(value);
}

export async function shopPermitCalendar(shop: Pick<Shop, "id" | "name">, now = Date.now()): Promise<string> {
  const [permits, subjects] = await Promise.all([listPermits(shop.id), loadPermitSubjects(shop.id)]);
  return buildPermitCalendar(permits, subjects, { shopName: shop.name, now });
}

export function calendarResponse(feed: string, filename = "nearhub-permits.ics"): Response {
  return new Response(feed, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="${filename}"`,
      // The feed changes as permits do; the secret URL must not be kept by shared caches.
      "Cache-Control": "private, no-cache",
      "Referrer-Policy": "no-referrer",
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The secret subscription URL: a random token of 32 bytes (base64url, 43 characters), shown once.

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const hashCalendarToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export interface CalendarSubscription {
  /** The token's last 4 characters, to recognise the link. */
  hint: string;
  createdAt: Date;
}

/** A new token for the shop (replacing any earlier one, which stops working): shown once, only its hash kept. */
export async function createCalendarToken(shopId: string, now = new Date()): Promise<{ token: string; subscription: CalendarSubscription }> {
  const token = randomBytes(32).toString("base64url");
  const fields = { calendarTokenHash: hashCalendarToken(token), calendarTokenHint: token.slice(-4), calendarTokenCreated: now };
  await db.complianceSettings.upsert({ where: { shopId }, create: { shopId, ...fields }, update: fields });
  return { token, subscription: { hint: fields.calendarTokenHint, createdAt: now } };
}

export async function revokeCalendarToken(shopId: string): Promise<boolean> {
  const { count } = await db.complianceSettings.updateMany({
    where: { shopId, calendarTokenHash: { not: null } },
    data: { calendarTokenHash: null, calendarTokenHint: null, calendarTokenCreated: null },
  });
  return count > 0;
}

export async function calendarSubscription(shopId: string): Promise<CalendarSubscription | null> {
  const row = await db.complianceSettings.findUnique({ where: { shopId }, select: { calendarTokenHint: true, calendarTokenCreated: true, calendarTokenHash: true } });
  if (!row?.calendarTokenHash || !row.calendarTokenHint || !row.calendarTokenCreated) return null;
  return { hint: row.calendarTokenHint, createdAt: row.calendarTokenCreated };
}

/** The shop a token belongs to, or null (malformed, unknown or revoked). */
export async function shopForCalendarToken(token: string): Promise<Shop | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await db.complianceSettings.findUnique({ where: { calendarTokenHash: hashCalendarToken(token) }, select: { shop: true } });
  return row?.shop ?? null;
}

/** The path of the subscription URL for a token. */
export const calendarPath = (token: string) => `/calendar/permits/${token}.ics`;
