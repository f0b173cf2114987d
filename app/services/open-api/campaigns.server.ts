// Open API v1 for campaigns (issue 15 item 7): POST /campaigns/plan (a hub, optional budget and
// days → the plan with its reasons and the exact platform payloads; nothing is created), POST
// /campaigns (create and launch on a connected or sandbox platform: 201, the campaign pending until
// the platform confirms), GET /campaigns and GET /campaigns/{id} (status, reasons, guardrail log,
// results). Every query names the shop of the API key; another shop's campaign is a 404. Bad input
// is a 400 naming the field; a platform's refusal carries the platform's own words.
import type { Shop } from "@prisma/client";
import { z } from "zod";
import { AD_PLATFORMS } from "~/core/promotions/types";
import { issueSummary } from "~/core/validation/issues";
import { AdPlatformError } from "~/services/ads/types";
import { campaignDetail, launchCampaign, listCampaigns, planCampaign } from "~/services/campaigns/index.server";
import { launchRequestSchema } from "~/services/campaigns/launch.server";
import { planRequestSchema } from "~/services/campaigns/plan.server";
import { CampaignInputError, CampaignNotLaunchableError, type CampaignDetail, type CampaignSummary, type PlannedCampaign } from "~/services/campaigns/types";
import { brokenUnicodeAt } from "~/services/webhooks.server";
import { apiInputRegistry, apiRegistry, paginationQuerySchema } from "./schemas";
import { apiError } from "./v1.server";

// ---------------------------------------------------------------------------------------------
// The wire format.

planRequestSchema.register(apiInputRegistry, { id: "CampaignPlanRequest" });
launchRequestSchema.register(apiInputRegistry, { id: "CampaignLaunchRequest" });

const reasonSchema = z.object({
  code: z.string().describe("A code of Nearhub's one vocabulary of reasons"),
  title: z.string(),
  sentence: z.string().describe("The reason in words"),
  tone: z.enum(["critical", "warning", "info"]).nullable(),
});

const totalsSchema = z.object({
  spendMinor: z.number().int(),
  orders: z.number().int().describe("Orders Nearhub attributed to the campaign (UTM, landing page, code)"),
  revenueMinor: z.number().int(),
  landedCostMinor: z.number().int().describe("Forward + expected return cost of those orders"),
  profitMinor: z.number().int().describe("revenue − landed cost − ad spend"),
  roasBps: z.number().int().nullable().describe("revenue ÷ spend in basis points; null before any spend"),
  profitRoasBps: z.number().int().nullable().describe("(revenue − landed cost) ÷ spend in basis points; null before any spend"),
});

const requestSchema = z.object({ method: z.enum(["GET", "POST", "DELETE"]), url: z.string(), body: z.unknown().optional() }).describe("An HTTP request exactly as Nearhub sends it to the platform");

const planSchema = z
  .looseObject({
    hubId: z.string(),
    hubName: z.string(),
    platform: z.enum(AD_PLATFORMS),
    launchable: z.boolean().describe("False: the hub may not run a campaign now; `reasons` say why"),
    reasons: z.array(z.object({ code: z.string(), message: z.string() })),
    area: z.looseObject({ latitude: z.number(), longitude: z.number(), radiusM: z.number().int(), h3Resolution: z.number().int(), cells: z.array(z.object({ h3: z.string(), orders: z.number(), weight: z.number() })), explanation: z.array(z.string()) }),
    products: z.array(z.looseObject({ productId: z.string(), sku: z.string(), title: z.string(), onHand: z.number().int(), restockedReturns: z.number().int(), why: z.string() })),
    budget: z.looseObject({ currency: z.string(), dailyMinor: z.number().int(), days: z.number().int(), totalMinor: z.number().int(), minimumMinor: z.number().int(), suggestedMinor: z.number().int(), targetRoasBps: z.number().int(), explanation: z.array(z.string()) }),
    hours: z.object({ timezone: z.string(), windows: z.array(z.object({ day: z.number().int().describe("0 = Sunday"), startMinute: z.number().int(), endMinute: z.number().int() })) }),
    utm: z.object({ campaign: z.string(), source: z.string(), medium: z.string() }),
    guardrails: z.array(z.object({ code: z.string(), args: z.unknown() })),
    startsOn: z.string(),
    endsOn: z.string(),
    explanation: z.array(z.string()),
  })
  .register(apiRegistry, { id: "CampaignPlan" });

export const plannedCampaignSchema = z
  .object({
    plan: planSchema,
    payloads: z.array(requestSchema).describe("The exact requests launching would send (while the platform is not connected: drafted for a placeholder account, {account_id})"),
    connection: z.object({ platform: z.enum(AD_PLATFORMS), accountId: z.string(), currency: z.string(), connected: z.boolean() }),
  })
  .register(apiRegistry, { id: "PlannedCampaign" });

const summaryShape = {
  id: z.string(),
  name: z.string(),
  nodeId: z.string(),
  hubName: z.string(),
  platform: z.enum(AD_PLATFORMS),
  status: z.enum(["DRAFT", "ACTIVE", "PAUSED", "ENDED", "FAILED"]).describe("What the platform last confirmed"),
  wantStatus: z.enum(["ACTIVE", "PAUSED", "ENDED"]).describe("What Nearhub decided; differs from status while a change waits for the platform"),
  pendingChange: z.boolean(),
  lastError: z.string().nullable().describe("The platform's message while a change keeps failing (retrying)"),
  currency: z.string(),
  dailyBudgetMinor: z.number().int(),
  plannedBudgetMinor: z.number().int(),
  startsOn: z.string(),
  endsOn: z.string(),
  radiusM: z.number().int(),
  latitude: z.number(),
  longitude: z.number(),
  utmCampaign: z.string(),
  lastReasons: z.array(reasonSchema).describe("Why the last change (or why it keeps its state)"),
  totals: totalsSchema,
};

export const campaignSummarySchema = z.object(summaryShape).register(apiRegistry, { id: "CampaignSummary" });

export const campaignListSchema = z
  .object({ data: z.array(campaignSummarySchema), pagination: z.object({ limit: z.number().int(), nextCursor: z.string().nullable() }) })
  .register(apiRegistry, { id: "CampaignList" });

export const campaignSchema = z
  .object({
    ...summaryShape,
    plan: planSchema,
    guardrails: z.array(z.object({ code: z.string(), args: z.unknown() })),
    skus: z.array(z.object({ productId: z.string(), sku: z.string() })),
    discountCode: z.string().nullable(),
    shopifyActivityId: z.string().nullable(),
    days: z.array(z.object({ day: z.string(), impressions: z.number().int(), clicks: z.number().int(), ...totalsSchema.shape })),
    changes: z
      .array(
        z.object({
          id: z.string(),
          at: z.iso.datetime(),
          action: z.enum(["LAUNCH", "PAUSE", "RESUME", "BUDGET", "END"]),
          actor: z.enum(["GUARDRAIL", "MERCHANT", "SCHEDULE"]),
          fromStatus: z.string().nullable(),
          toStatus: z.string().nullable(),
          budgetFrom: z.number().int().nullable(),
          budgetTo: z.number().int().nullable(),
          state: z.enum(["PENDING", "APPLIED", "FAILED"]),
          attempts: z.number().int(),
          error: z.string().nullable(),
          reasons: z.array(reasonSchema),
          request: z.unknown().describe("The exact request sent to the platform"),
        }),
      )
      .describe("The change log, newest first: every change with its reasons, its state and the platform's answer"),
  })
  .register(apiRegistry, { id: "Campaign" });

// ---------------------------------------------------------------------------------------------
// Answers.

async function jsonObject(request: Request): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw apiError(400, "body: not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw apiError(400, "body: must be a JSON object");
  const broken = brokenUnicodeAt(body);
  if (broken) throw Response.json({ error: `${broken}: not well-formed Unicode (a lone surrogate or NUL)`, field: broken }, { status: 400 });
  return body as Record<string, unknown>;
}

/** 400 naming the field (with the plan's reasons when it cannot launch), 404, 409; a platform refusal in its own words. */
function apiProblem(error: unknown): never {
  if (error instanceof CampaignNotLaunchableError) throw Response.json({ error: error.message, field: error.field, reasons: error.reasons }, { status: 400 });
  if (error instanceof CampaignInputError) {
    if (error.status === 404) throw apiError(404, error.message);
    throw Response.json({ error: error.message, field: error.field }, { status: error.status });
  }
  if (error instanceof AdPlatformError) {
    if (error.opts.retryable) throw Response.json({ error: `${error.platform} is not answering right now: ${error.message}` }, { status: 503, headers: { "Retry-After": "30" } });
    const field = error.opts.field ?? "platform";
    throw Response.json({ error: `${field}: ${error.platform} refused: ${error.message}`, field, platformCode: error.opts.code ?? null }, { status: 400 });
  }
  throw error;
}

export async function planApiCampaign(shop: Shop, request: Request, now = Date.now()): Promise<PlannedCampaign> {
  const body = await jsonObject(request);
  const planned = await planCampaign(shop.id, body, now).catch(apiProblem);
  return { plan: planned.plan, payloads: planned.payloads, connection: planned.connection };
}

export async function launchApiCampaign(shop: Shop, request: Request, now = Date.now()): Promise<CampaignDetail> {
  const body = await jsonObject(request);
  return launchCampaign(shop.id, body, now).catch(apiProblem);
}

export async function listApiCampaigns(shop: Shop, request: Request): Promise<{ data: CampaignSummary[]; pagination: { limit: number; nextCursor: string | null } }> {
  const parsed = paginationQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw apiError(400, issueSummary(parsed.error));
  const q = parsed.data;
  const all = (await listCampaigns(shop.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const after = q.cursor ? all.filter((c) => c.id > q.cursor!) : all;
  const data = after.slice(0, q.limit);
  return { data, pagination: { limit: q.limit, nextCursor: after.length > q.limit ? data[data.length - 1].id : null } };
}

export async function getApiCampaign(shop: Shop, id: string): Promise<CampaignDetail> {
  const detail = await campaignDetail(shop.id, id);
  if (!detail) throw apiError(404, `campaign ${id} was not found`);
  return detail;
}
