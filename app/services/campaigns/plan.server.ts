// Planning a campaign around one hub (issue 15 item 1, the service half): load what the pure
// planner (core/promotions planCampaign) reads, ask it, and add the exact requests launching would
// send to the platform (the adapter's preview: Meta's validate_only, nothing spent). A platform that
// is not connected still gets a plan, with `connection.connected = false` and no payloads.
import { cellToLatLng } from "h3-js";
import { z } from "zod";
import { clockFor, dayOfIsoDate } from "~/core/geo/localTime";
import { greatCircleM } from "~/core/geo/distance";
import { currencyDigits } from "~/core/money/money";
import { planCampaign as planCore, RADIUS_LIMITS } from "~/core/promotions";
import { AD_PLATFORMS, type AdPlatform, type CampaignPlan, type PlanInput } from "~/core/promotions/types";
import { issuePath } from "~/core/validation/issues";
import { db } from "~/db.server";
import { adapterFor, draftRequests } from "../ads/index.server";
import { accountFor } from "../ads/connections.server";
import { AdPlatformError, type AdAccount, type AdCampaignSpec, type AdRequest } from "../ads/types";
import { logger } from "../logger.server";
import { campaignAvailability, landedCostPerOrder, loadDemand, loadHub, loadHubStock, loadNetwork, loadShop, sameDayReach, sameDayReachNote, type ShopRow } from "./hub-context.server";
import { CampaignInputError, type PlannedCampaign } from "./types";

/** What POST /campaigns/plan and the admin's first steps send. */
export const planRequestSchema = z.object({
  nodeId: z.string().min(1).max(200).describe("The hub the campaign is around"),
  platform: z.enum(AD_PLATFORMS).optional().describe("Default: the shop's connected platform, else the sandbox"),
  dailyBudgetMinor: z.number().int().positive().max(100_000_000).optional().describe("Minor units of the ad account's currency; default: the suggested figure"),
  days: z.number().int().min(1).max(90).optional().describe("Length of the test; default 21 (three weeks)"),
  radiusM: z.number().int().positive().optional().describe("A smaller circle than the hub's same-day reach, metres; within the platform's limits"),
});
export type PlanRequest = z.infer<typeof planRequestSchema>;

/** The parsed request, or a CampaignInputError naming the first bad field. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issuePath(issue) || "body";
  throw new CampaignInputError(`${field}: ${issue.message}`, field.split(".")[0].split("[")[0]);
}

export interface Connection {
  platform: AdPlatform;
  account: AdAccount | null;
  /** Why there is no account (not connected, reconnect, or the platform not answering a token refresh). */
  error: unknown;
  accountId: string;
  currency: string;
}

/** The shop's account on the platform (services/ads), or null when it is not connected (or needs reconnecting). */
export async function connectionFor(shopId: string, platform: AdPlatform, shopCurrency: string): Promise<Connection> {
  let account: AdAccount | null = null;
  let problem: unknown = null;
  try {
    account = (await accountFor(shopId, platform)) ?? null;
  } catch (error) {
    logger.info({ shopId, platform, err: (error as Error).message }, "campaigns: no usable ad account");
    problem = error;
  }
  return { platform, account, error: problem, accountId: account?.accountId ?? "", currency: account?.currency ?? shopCurrency };
}

/** The platform asked, else the shop's connected one, else the sandbox. */
async function defaultPlatform(shopId: string, asked: AdPlatform | undefined): Promise<AdPlatform> {
  if (asked) return asked;
  const row = await db.adConnection.findFirst({ where: { shopId, status: "CONNECTED", platform: { not: "SANDBOX" } }, orderBy: { createdAt: "asc" }, select: { platform: true } });
  return row && (AD_PLATFORMS as readonly string[]).includes(row.platform) ? (row.platform as AdPlatform) : "SANDBOX";
}

/** A radius the merchant asked for: within the platform's limits, and no wider than the same-day reach. */
export function checkAskedRadius(platform: AdPlatform, radiusM: number, reachM: number): void {
  const limits = RADIUS_LIMITS[platform];
  if (radiusM < limits.minM || radiusM > limits.maxM) {
    throw new CampaignInputError(`radiusM: ${radiusM} m is outside ${platform}'s limits (${limits.minM}–${limits.maxM} m)`, "radiusM");
  }
  if (radiusM > reachM) throw new CampaignInputError(`radiusM: ${radiusM} m is wider than the hub's same-day reach (${reachM} m)`, "radiusM");
}

/** The UTC instants a plan's local start and end dates begin and end at the hub. */
export function planInstants(plan: Pick<CampaignPlan, "startsOn" | "endsOn" | "hours">): { startTime: string; endTime: string } {
  const clock = clockFor(plan.hours.timezone);
  return {
    startTime: new Date(clock.instant(dayOfIsoDate(plan.startsOn), 0)).toISOString(),
    endTime: new Date(clock.instant(dayOfIsoDate(plan.endsOn), 1440)).toISOString(),
  };
}

/** What the platform is asked to run for a plan. */
export function specOf(plan: CampaignPlan, shop: Pick<ShopRow, "domain">, name: string, dailyBudgetMinor: number, status: "ACTIVE" | "PAUSED" = "ACTIVE"): AdCampaignSpec {
  const utm = new URLSearchParams({ utm_source: plan.utm.source, utm_medium: plan.utm.medium, utm_campaign: plan.utm.campaign });
  return {
    name,
    latitude: plan.area.latitude,
    longitude: plan.area.longitude,
    radiusM: plan.area.radiusM,
    dailyBudgetMinor,
    ...planInstants(plan),
    landingUrl: `https://${shop.domain}/?${utm.toString()}`,
    status,
  };
}

export const campaignName = (plan: Pick<CampaignPlan, "hubName" | "startsOn">) => `Nearhub · ${plan.hubName} · ${plan.startsOn}`;

export interface PlanOptions {
  /** Mints the UTM (launch passes a fresh one; a preview a stable one per hub and day). */
  campaignKey?: string;
}

export interface PlanResult extends PlannedCampaign {
  connectionAccount: AdAccount | null;
  sameDayReachM: number;
}

/** planCampaign(shopId, { nodeId, platform?, dailyBudgetMinor?, days? }, now?) → the plan, its payloads and the connection. */
export async function planCampaign(shopId: string, input: unknown, now = Date.now(), opts: PlanOptions = {}): Promise<PlanResult> {
  const req = parseRequest(planRequestSchema, input);
  const shop = await loadShop(shopId);
  const snapshot = await loadNetwork(shop);
  const { qn, node } = await loadHub(shopId, req.nodeId, snapshot);
  const platform = await defaultPlatform(shopId, req.platform);
  const adapter = adapterFor(platform);
  const connection = await connectionFor(shopId, platform, shop.currency);

  const reach = sameDayReach(qn);
  if (req.radiusM !== undefined) checkAskedRadius(platform, req.radiusM, reach.reachM);
  const withinM = req.radiusM ?? reach.reachM;
  const [demand, stock, landed, minimum] = await Promise.all([
    loadDemand(shopId, node, withinM, now),
    loadHubStock(shopId, node, withinM, now),
    landedCostPerOrder(shopId, node, shop.currency, now),
    connection.account ? adapter.minimumDailyBudget(connection.account) : Promise.resolve(null),
  ]);
  const averageOrderMinor = demand.length > 0 ? Math.round(demand.reduce((s, d) => s + d.totalMinor, 0) / demand.length) : stock.length > 0 ? Math.round(stock.reduce((s, l) => s + l.priceMinor, 0) / stock.length) : 0;
  const day = new Date(now).toISOString().slice(0, 10).replaceAll("-", "");
  const planInput: PlanInput = {
    hub: node,
    availability: campaignAvailability(snapshot, node.id, now),
    now,
    shopTimezone: shop.timezone,
    currency: connection.currency,
    sameDayReachM: withinM,
    demand,
    stock,
    platform,
    limits: RADIUS_LIMITS[platform],
    // Not connected: the account's minimum is unknown; one major unit of the currency stands in until it is read.
    minDailyBudgetMinor: minimum ?? 10 ** currencyDigits(connection.currency),
    target: { dailyBudgetMinor: req.dailyBudgetMinor, days: req.days },
    landedCostPerOrderMinor: landed.minor,
    averageOrderMinor,
    campaignKey: opts.campaignKey ?? day,
  };
  const plan = planCore(planInput);
  plan.explanation = [...plan.explanation, sameDayReachNote(reach), landed.explanation];
  if (minimum === null) plan.explanation.push(`${platform} is not connected: its account's minimum daily budget is read once it is`);
  if (req.radiusM !== undefined) narrowArea(plan, req.radiusM);

  let payloads: AdRequest[];
  const spec = specOf(plan, shop, campaignName(plan), plan.budget.dailyMinor);
  try {
    payloads = connection.account
      ? await adapter.preview(connection.account, spec)
      : // Not connected: the requests as they would be sent, built without calling anyone, the account a placeholder.
        draftRequests(platform, { platform, accountId: "{account_id}", currency: connection.currency, accessToken: "", timezone: shop.timezone, shopId }, spec);
  } catch (error) {
    throw platformRefusal(error);
  }
  return {
    plan,
    payloads,
    connection: { platform, accountId: connection.accountId, currency: connection.currency, connected: connection.account !== null },
    connectionAccount: connection.account,
    sameDayReachM: reach.reachM,
  };
}

/** The plan's circle shrunk to the asked radius: demand cells outside it dropped, the rest re-weighted. */
function narrowArea(plan: CampaignPlan, radiusM: number): void {
  if (radiusM >= plan.area.radiusM) return;
  const { latitude, longitude, h3Resolution } = plan.area;
  const kept = plan.area.cells.filter((c) => {
    const [lat, lng] = cellCentre(c.h3);
    return greatCircleM(latitude, longitude, lat, lng) <= radiusM;
  });
  const total = kept.reduce((s, c) => s + c.orders, 0);
  plan.area = {
    ...plan.area,
    radiusM,
    cells: kept.map((c) => ({ ...c, weight: total > 0 ? c.orders / total : 0 })),
    explanation: [...plan.area.explanation, `narrowed to ${radiusM} m as asked (resolution ${h3Resolution} cells outside it left out)`],
  };
}

const cellCentre = (h3: string): [number, number] => cellToLatLng(h3);

/** The request field a platform's refusal is about (its own field names mapped to ours). */
function requestField(platformField: string | undefined): string {
  if (!platformField) return "platform";
  if (/budget/i.test(platformField)) return "dailyBudgetMinor";
  if (/radius|custom_locations|proximity|geo/i.test(platformField)) return "radiusM";
  return platformField;
}

/** A platform's refusal of a dry run as a 400 naming the field, in the platform's own words; an outage passes on. */
export function platformRefusal(error: unknown): unknown {
  if (!(error instanceof AdPlatformError) || error.opts.retryable) return error;
  const field = requestField(error.opts.field);
  return new CampaignInputError(`${field}: ${error.platform} refused: ${error.message}`, field);
}
