// A permit's status, derived from its dates and the time now; never typed by anyone. Dates are the
// local calendar days of what the permit is attached to: a permit that "expires on 2 Dec" is good
// through 2 Dec local time, in grace for its grace days after that, and lapsed from the next
// local midnight on.
//
//   valid ── leadDays before expiry ──▶ renewal due ── expiry ──▶ in grace ── graceDays ──▶ lapsed
//   suspended: set by the merchant (the issuer suspended it), whatever the dates say.
import { clockFor, dayOfIsoDate, DAY_MS } from "../geo/localTime";
import type { Permit } from "./types";

export const PERMIT_STATUSES = ["VALID", "RENEWAL_DUE", "IN_GRACE", "LAPSED", "SUSPENDED"] as const;
export type PermitStatus = (typeof PERMIT_STATUSES)[number];

export const PERMIT_STATUS_WORDS: Record<PermitStatus, { title: string; tone: "success" | "attention" | "warning" | "critical" }> = {
  VALID: { title: "Valid", tone: "success" },
  RENEWAL_DUE: { title: "Renewal due", tone: "attention" },
  IN_GRACE: { title: "In grace period", tone: "warning" },
  LAPSED: { title: "Lapsed", tone: "critical" },
  SUSPENDED: { title: "Suspended", tone: "critical" },
};

/** Whether a permit in this status takes away what it gates. */
export const GATING_STATUSES: ReadonlySet<PermitStatus> = new Set(["LAPSED", "SUSPENDED"]);

export interface PermitTimeline {
  /** UTC ms: renewal is due from here (expiry − lead days); null without an expiry. */
  renewalDueAt: number | null;
  /** UTC ms: the local midnight after the expiry date; null without an expiry. */
  expiresAt: number | null;
  /** UTC ms: the permit lapses here (expiry + grace days); null without an expiry. */
  lapsesAt: number | null;
  /** The local date it lapses on ("YYYY-MM-DD"), for sentences. */
  lapseDate: string | null;
}

export interface PermitState extends PermitTimeline {
  status: PermitStatus;
  /** The next instant the status changes by itself (null: it never does). */
  changesAt: number | null;
  /** Whole local days from today to the expiry date (negative once past). */
  daysToExpiry: number | null;
}

const isoOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The instants of a permit's dates, in the time zone of what it is attached to. */
export function permitTimeline(p: Pick<Permit, "expiresOn" | "graceDays" | "leadDays">, timezone: string): PermitTimeline {
  if (p.expiresOn === null) return { renewalDueAt: null, expiresAt: null, lapsesAt: null, lapseDate: null };
  const clock = clockFor(timezone);
  const last = dayOfIsoDate(p.expiresOn);
  return {
    renewalDueAt: clock.instant(last + 1 - p.leadDays, 0),
    expiresAt: clock.instant(last + 1, 0),
    lapsesAt: clock.instant(last + 1 + p.graceDays, 0),
    lapseDate: isoOfDay(last + 1 + p.graceDays),
  };
}

/** The status at `now` (UTC ms) and when it next changes. */
export function permitState(p: Pick<Permit, "expiresOn" | "graceDays" | "leadDays" | "suspended">, timezone: string, now: number): PermitState {
  const t = permitTimeline(p, timezone);
  const daysToExpiry = p.expiresOn === null ? null : dayOfIsoDate(p.expiresOn) - clockFor(timezone).local(now).day;
  if (p.suspended) return { ...t, status: "SUSPENDED", changesAt: null, daysToExpiry };
  if (t.expiresAt === null || t.renewalDueAt === null || t.lapsesAt === null) return { ...t, status: "VALID", changesAt: null, daysToExpiry };
  if (now < t.renewalDueAt) return { ...t, status: "VALID", changesAt: t.renewalDueAt, daysToExpiry };
  if (now < t.expiresAt) return { ...t, status: "RENEWAL_DUE", changesAt: t.expiresAt, daysToExpiry };
  if (now < t.lapsesAt) return { ...t, status: "IN_GRACE", changesAt: t.lapsesAt, daysToExpiry };
  return { ...t, status: "LAPSED", changesAt: null, daysToExpiry };
}

/** "3 Dec", or "3 Dec 2027" when not in the year of `now` (always with the year when `now` is null). */
export function formatPermitDate(isoDate: string, now: number | null): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1];
  return now !== null && y === new Date(now).getUTCFullYear() ? `${d} ${month}` : `${d} ${month} ${y}`;
}
