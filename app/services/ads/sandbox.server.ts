// The demo's ad platform: the same interface and the same request shapes as Meta (custom_locations,
// advantage_audience, special_ad_categories, integer minor-unit budgets), sent nowhere and spending
// nothing. Its answers carry the AdRequests it "sent", so dry runs and the change log read like a
// real platform's.
//
// Insights are deterministic: each figure is a hash of (campaign id, day, figure), so every process
// and every run answers the same numbers for the same campaign and day. The sandbox lives in our own
// process, so it reads Nearhub's own rows for the campaign (scoped by the account's shop): the
// budget in force that day and the APPLIED status changes, so a day the campaign was paused all day
// has no figures and a day paused half the time spends about half.
import { createHash, randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import { currencyDigits } from "~/core/money/money";
import { db } from "~/db.server";
import { META_DEFAULT_VERSION, MetaAdapter, metaRadiusKm } from "./meta.server";
import {
  AdPlatformError,
  type AdAccount,
  type AdCampaignSpec,
  type AdDayInsight,
  type AdPlatformAdapter,
  type AdRequest,
  type RemoteCampaign,
  type RemoteRef,
} from "./types";

export const SANDBOX_URL = "https://sandbox.ads.nearhub.invalid";
/** Used when the sandbox finds no campaign row for a ref (minor units). */
const FALLBACK_BUDGET_MINOR = 1500;

export interface SandboxOptions {
  now?: () => number;
}

/** A number in [0, 1) from the hash of its parts: the same parts, the same number, everywhere. */
export function sandboxUnit(...parts: string[]): number {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** The sandbox account's minimum: one major unit, and never under 100 minor units (JPY 100). */
export function sandboxMinimum(currency: string): number {
  return Math.max(100, 10 ** currencyDigits(currency));
}

interface Timeline {
  startsOn: string | null;
  endsOn: string | null;
  /** [at ms, status] in order; the status before the first is `initial`. */
  statuses: Array<[number, string]>;
  initial: string;
  budgets: Array<[number, number]>;
  initialBudget: number;
}

async function timelineFor(account: AdAccount, ref: RemoteRef): Promise<Timeline | null> {
  if (!account.shopId) return null;
  const campaign = await db.campaign.findFirst({
    where: { shopId: account.shopId, remoteCampaignId: ref.campaignId },
    select: {
      startsOn: true,
      endsOn: true,
      plannedBudgetMinor: true,
      dailyBudgetMinor: true,
      status: true,
      createdAt: true,
      changes: {
        where: { shopId: account.shopId, state: "APPLIED" },
        orderBy: { appliedAt: "asc" },
        select: { action: true, toStatus: true, budgetTo: true, appliedAt: true, createdAt: true },
      },
    },
  });
  if (!campaign) return null;
  const statuses: Array<[number, string]> = [];
  const budgets: Array<[number, number]> = [];
  // Before any applied change the campaign runs from its first day, unless it never launched.
  let initial = campaign.status === "DRAFT" || campaign.status === "FAILED" ? "PAUSED" : "ACTIVE";
  const launch = campaign.changes.find((c) => c.action === "LAUNCH");
  if (launch) initial = launch.toStatus ?? "ACTIVE";
  for (const c of campaign.changes) {
    const at = (c.appliedAt ?? c.createdAt).getTime();
    if (c.action === "PAUSE") statuses.push([at, "PAUSED"]);
    else if (c.action === "RESUME") statuses.push([at, "ACTIVE"]);
    else if (c.action === "END") statuses.push([at, "ENDED"]);
    else if (c.action === "LAUNCH" && c !== launch && c.toStatus) statuses.push([at, c.toStatus]);
    if (c.action === "BUDGET" && c.budgetTo !== null) budgets.push([at, c.budgetTo]);
  }
  return { startsOn: campaign.startsOn, endsOn: campaign.endsOn, statuses, initial, budgets, initialBudget: campaign.plannedBudgetMinor };
}

/** Milliseconds of [from, to) the campaign was ACTIVE. */
function activeMs(t: Timeline, from: number, to: number): number {
  let status = t.initial;
  let cursor = from;
  let total = 0;
  for (const [at, next] of t.statuses) {
    if (at <= from) {
      status = next;
      continue;
    }
    if (at >= to) break;
    if (status === "ACTIVE") total += at - cursor;
    cursor = at;
    status = next;
  }
  if (status === "ACTIVE") total += to - cursor;
  return total;
}

function budgetAt(t: Timeline, at: number): number {
  let budget = t.initialBudget;
  for (const [when, value] of t.budgets) if (when <= at) budget = value;
  return budget;
}

export class SandboxAdapter implements AdPlatformAdapter {
  readonly platform = "SANDBOX" as const;
  private readonly shapes = new MetaAdapter({ graphUrl: SANDBOX_URL, version: META_DEFAULT_VERSION });
  private readonly now: () => number;

  constructor(options: SandboxOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  private check(account: AdAccount, spec: AdCampaignSpec) {
    metaRadiusKm(spec.radiusM);
    const min = sandboxMinimum(account.currency);
    if (!Number.isInteger(spec.dailyBudgetMinor) || spec.dailyBudgetMinor < min) {
      throw new AdPlatformError(`The daily budget must be at least ${min} (minor units of ${account.currency}) on this account`, "SANDBOX", {
        retryable: false,
        field: "dailyBudgetMinor",
        minimumDailyBudgetMinor: min,
      });
    }
  }

  /** What create() would answer as sent, with Meta's "{campaign_id}" placeholder. */
  draftRequests(account: AdAccount, spec: AdCampaignSpec): AdRequest[] {
    return this.shapes.createRequests(account, spec);
  }

  async minimumDailyBudget(account: AdAccount): Promise<number> {
    return sandboxMinimum(account.currency);
  }

  async preview(account: AdAccount, spec: AdCampaignSpec): Promise<AdRequest[]> {
    this.check(account, spec);
    return this.shapes.createRequests(account, spec, true);
  }

  async create(account: AdAccount, spec: AdCampaignSpec): Promise<RemoteCampaign> {
    this.check(account, spec);
    const [campaign, adSet] = this.shapes.createRequests(account, spec);
    const campaignId = `sbx-cmp-${randomBytes(6).toString("hex")}`;
    const adSetId = `sbx-adset-${randomBytes(6).toString("hex")}`;
    const adSetRequest = { ...adSet, body: { ...(adSet.body as object), campaign_id: campaignId } };
    return { campaignId, adSetId, budgetId: null, requests: [campaign, adSetRequest] };
  }

  async updateBudget(account: AdAccount, ref: RemoteRef, dailyBudgetMinor: number): Promise<AdRequest[]> {
    const min = sandboxMinimum(account.currency);
    if (!Number.isInteger(dailyBudgetMinor) || dailyBudgetMinor < min) {
      throw new AdPlatformError(`The daily budget must be at least ${min} (minor units of ${account.currency})`, "SANDBOX", { retryable: false, field: "dailyBudgetMinor", minimumDailyBudgetMinor: min });
    }
    return [{ method: "POST", url: this.shapes.url(ref.adSetId), body: { daily_budget: dailyBudgetMinor } }];
  }

  async pause(_account: AdAccount, ref: RemoteRef): Promise<AdRequest[]> {
    return [{ method: "POST", url: this.shapes.url(ref.adSetId), body: { status: "PAUSED" } }];
  }

  async resume(_account: AdAccount, ref: RemoteRef): Promise<AdRequest[]> {
    return [{ method: "POST", url: this.shapes.url(ref.adSetId), body: { status: "ACTIVE" } }];
  }

  async insights(account: AdAccount, ref: RemoteRef, since: string, until: string): Promise<AdDayInsight[]> {
    const zone = account.timezone || "UTC";
    const first = DateTime.fromISO(since, { zone });
    const last = DateTime.fromISO(until, { zone });
    if (!first.isValid || !last.isValid) throw new AdPlatformError("insights: since and until must be YYYY-MM-DD", "SANDBOX", { retryable: false });
    const timeline = await timelineFor(account, ref);
    const now = this.now();
    const unitMinor = 10 ** currencyDigits(account.currency);
    const days: AdDayInsight[] = [];
    for (let d = first.startOf("day"); d <= last; d = d.plus({ days: 1 })) {
      const day = d.toISODate()!;
      const from = d.toMillis();
      const to = Math.min(d.plus({ days: 1 }).toMillis(), now);
      if (to <= from) break;
      if (timeline && ((timeline.startsOn && day < timeline.startsOn) || (timeline.endsOn && day > timeline.endsOn))) continue;
      const share = timeline ? activeMs(timeline, from, to) / (24 * 3_600_000) : (to - from) / (24 * 3_600_000);
      if (share <= 0) continue; // paused (or not yet running) the whole day: no delivery, no figures
      const budget = timeline ? budgetAt(timeline, from) : FALLBACK_BUDGET_MINOR;
      const u = (figure: string) => sandboxUnit(ref.campaignId, day, figure);
      const spendMinor = Math.round(budget * share * (0.72 + 0.26 * u("spend")));
      // Roughly a 9–15 (major unit) CPM, 0.9–2.5 % CTR, 2–6 % conversion, 30–70 per order.
      const impressions = Math.round((spendMinor / unitMinor) * (65 + 45 * u("impressions")));
      const clicks = Math.round(impressions * (0.009 + 0.016 * u("clicks")));
      const orders = Math.floor(clicks * (0.02 + 0.04 * u("orders")) + u("orders-round"));
      const revenueMinor = orders * Math.round((30 + 40 * u("order-value")) * unitMinor);
      days.push({ day, spendMinor, impressions, clicks, orders, revenueMinor });
    }
    return days;
  }
}
