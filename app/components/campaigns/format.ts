// How the Campaigns pages say things to a merchant: money in the shop's currency with Intl (the
// stored figures are integer minor units), ROAS as "2.40×", distances in the shop's units with the
// other beside them, statuses, actors and actions in words. Isomorphic: loaders and components use it.
import { currencyDigits } from "~/core/money/money";
import { DEFAULT_LOCALE, formatDistance, formatMoney, METRIC, unitSystemOf } from "~/core/format/format";
import type { AdPlatform } from "~/core/promotions/types";
import type { CampaignChangeView, CampaignSummary } from "~/services/campaigns/types";

/** 1234 USD minor → "$12.34" (the one format module, core/format); negative amounts keep their sign. */
export function money(minor: number, currency: string, locale = DEFAULT_LOCALE): string {
  return formatMoney(minor, { currency, locale });
}

/** A minor amount as the budget field shows it: 2500 USD → "25.00". */
export function amountText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** Money in major units for a chart's axis (charts plot numbers, the tooltip formats them). */
export const major = (minor: number, currency: string) => minor / 10 ** currencyDigits(currency);

/** Basis points of return → "2.40×", or "no spend yet". */
export function roasText(bps: number | null): string {
  if (bps === null) return "no spend yet";
  return `${(bps / 10_000).toFixed(2)}×`;
}

/** Whether the shop measures in miles (a US shop weighs in pounds or ounces: core/format, ADR 0040). */
export const usesMiles = (weightUnit: string | null | undefined) => unitSystemOf(weightUnit ?? "") === "imperial";

/** "5.0 mi (8.0 km)" for a US shop, "8.0 km (5.0 mi)" otherwise: platforms take either unit, so both are shown. */
export function distanceText(metres: number, miles: boolean): string {
  const mi = formatDistance(metres, { unitSystem: "imperial", weightUnit: "POUNDS" });
  const km = formatDistance(metres, METRIC);
  return miles ? `${mi} (${km})` : `${km} (${mi})`;
}

export const PLATFORM_WORDS: Record<AdPlatform, string> = {
  META: "Meta",
  GOOGLE: "Google Ads",
  SANDBOX: "Sandbox",
};

type Tone = "success" | "attention" | "warning" | "critical" | "info" | undefined;

const STATUS_WORDS: Record<CampaignSummary["status"], { label: string; tone: Tone }> = {
  DRAFT: { label: "Draft", tone: undefined },
  ACTIVE: { label: "Running", tone: "success" },
  PAUSED: { label: "Paused", tone: "warning" },
  ENDED: { label: "Ended", tone: undefined },
  FAILED: { label: "Failed", tone: "critical" },
};

const WANT_WORDS: Record<CampaignSummary["wantStatus"], string> = {
  ACTIVE: "resuming…",
  PAUSED: "pausing…",
  ENDED: "ending…",
};

/**
 * The status a merchant reads: what the platform last confirmed, and, while a change waits or keeps
 * failing, what Nearhub is doing about it ("Running · pausing…", "Running · retrying: <platform's words>").
 * Never reports a change the platform has not confirmed.
 */
export function statusWords(c: Pick<CampaignSummary, "status" | "wantStatus" | "pendingChange" | "lastError">): {
  label: string;
  tone: Tone;
  detail: string | null;
} {
  const base = STATUS_WORDS[c.status] ?? { label: c.status.toLowerCase(), tone: undefined };
  const differs = c.wantStatus !== c.status && c.status !== "FAILED" && c.status !== "DRAFT";
  if (c.lastError) return { label: base.label, tone: "critical", detail: `${differs ? `${WANT_WORDS[c.wantStatus]} ` : ""}retrying: ${c.lastError}` };
  if (differs || (c.pendingChange && c.status === "DRAFT")) {
    return { label: base.label, tone: "attention", detail: WANT_WORDS[c.wantStatus] };
  }
  if (c.pendingChange) return { label: base.label, tone: base.tone, detail: "change waiting for the platform…" };
  return { ...base, detail: null };
}

export const ACTOR_WORDS: Record<CampaignChangeView["actor"], string> = {
  GUARDRAIL: "Guardrail",
  MERCHANT: "You",
  SCHEDULE: "Schedule",
};

export const ACTION_WORDS: Record<CampaignChangeView["action"], string> = {
  LAUNCH: "Launched",
  PAUSE: "Paused",
  RESUME: "Resumed",
  BUDGET: "Changed the daily budget",
  END: "Ended",
};

export const CHANGE_STATE_WORDS: Record<CampaignChangeView["state"], { label: string; tone: Tone }> = {
  PENDING: { label: "Waiting for the platform", tone: "attention" },
  APPLIED: { label: "Applied", tone: "success" },
  FAILED: { label: "Failed", tone: "critical" },
};

// Dates are written from numbers, not with Intl's words: the server's and the browser's ICU differ in
// the spaces they put around dashes and before AM/PM, and the page must read the same when React
// hydrates it.
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Dec 4, 2026, 2:05 PM New York time" in a time zone (the shop's), from the parts Intl gives as numbers. */
export function whenText(iso: string, timezone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: timezone, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" }).formatToParts(new Date(iso));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const zone = (timezone.split("/").pop() ?? timezone).replace(/_/g, " ");
  return `${MONTHS[get("month") - 1]} ${get("day")}, ${get("year")}, ${hhmm((get("hour") % 24) * 60 + get("minute"))} ${zone} time`;
}

/** "2026-11-14" → "Nov 14" (a campaign's local day, no time zone shift). */
export function dayText(day: string): string {
  const [, m, d] = day.split("-").map(Number);
  return `${MONTHS[m - 1]} ${d}`;
}

/** "Nov 13 to Dec 3, 2026" (or "Dec 28, 2026 to Jan 17, 2027"). */
export function dateRangeText(from: string, to: string): string {
  const [y1] = from.split("-").map(Number);
  const [y2] = to.split("-").map(Number);
  return y1 === y2 ? `${dayText(from)} to ${dayText(to)}, ${y2}` : `${dayText(from)}, ${y1} to ${dayText(to)}, ${y2}`;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const hhmm = (minute: number) => {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  const suffix = h >= 12 && h < 24 ? "PM" : "AM";
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return m === 0 ? `${h12} ${suffix}` : `${h12}:${String(m).padStart(2, "0")} ${suffix}`;
};

/** Same-day hours as lines: "Mon 8 AM–2 PM". Days with the same window are listed together. */
export function hoursLines(windows: Array<{ day: number; startMinute: number; endMinute: number }>): string[] {
  const byWindow = new Map<string, number[]>();
  for (const w of [...windows].sort((a, b) => a.day - b.day || a.startMinute - b.startMinute)) {
    const key = `${hhmm(w.startMinute)}–${hhmm(w.endMinute)}`;
    byWindow.set(key, [...(byWindow.get(key) ?? []), w.day]);
  }
  return [...byWindow.entries()].map(([span, days]) => `${[...new Set(days)].map((d) => WEEKDAYS[d]).join(", ")}: ${span}`);
}

/** A service message without the request field it starts with ("dailyBudgetMinor: …"): pages show it beside that field. */
export function inWords(message: string): string {
  const text = message.replace(/^[A-Za-z][\w.[\]]*: /, "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A sentence from the planner or the vocabulary, capitalised to start a list item. */
export const sentenceCase = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
