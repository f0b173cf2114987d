// Launching a campaign (issue 15 item 2): plan it again with a freshly minted key (its UTM is set
// once here and never changes), refuse what cannot run (a radius outside the platform's limits, a
// budget under the account's minimum, an unknown hub or SKU, a plan the hub may not run now), then
// write the Campaign, its LAUNCH change (PENDING) and the campaigns.apply job in one transaction.
// The platform is only called by the job: a launch that cannot reach it is retried, and the page
// shows it pending, never active before the platform confirmed it.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { RADIUS_LIMITS } from "~/core/promotions";
import { db } from "~/db.server";
import { connectSandbox } from "../ads/connections.server";
import { enqueue } from "../jobs/index.server";
import { applyChangeJob } from "./apply.server";
import { campaignName, parseRequest, planCampaign, planRequestSchema } from "./plan.server";
import { CampaignInputError, CampaignNotLaunchableError, type CampaignDetail } from "./types";
import { campaignDetail } from "./views.server";

export const launchRequestSchema = planRequestSchema.extend({
  skus: z.array(z.string().min(1).max(200)).min(1).max(200).optional().describe("The products to advertise; default: the plan's"),
});
export type LaunchRequest = z.infer<typeof launchRequestSchema>;

/** A key no other campaign of the shop has: the hub's handle and 8 random hex digits. */
const mintKey = (handle: string) => `${handle}-${randomBytes(4).toString("hex")}`;

export async function launchCampaign(shopId: string, input: unknown, now = Date.now()): Promise<CampaignDetail> {
  const req = parseRequest(launchRequestSchema, input);
  const handle = (await db.node.findFirst({ where: { id: req.nodeId, shopId }, select: { handle: true } }))?.handle;
  if (!handle) throw new CampaignInputError(`nodeId: no hub ${req.nodeId} in this shop`, "nodeId");

  const key = mintKey(handle);
  let planned = await planCampaign(shopId, req, now, { campaignKey: key });
  if (!planned.connection.connected && planned.connection.platform === "SANDBOX") {
    // The sandbox needs no account of the merchant's: connect it on first use.
    await connectSandbox(shopId, planned.connection.currency);
    planned = await planCampaign(shopId, req, now, { campaignKey: key });
  }
  const { plan, connection } = planned;
  if (!connection.connected) {
    throw new CampaignInputError(`platform: ${connection.platform} is not connected (or needs reconnecting): connect it in Settings first`, "platform");
  }
  const limits = RADIUS_LIMITS[plan.platform];
  if (plan.area.radiusM < limits.minM || plan.area.radiusM > limits.maxM) {
    throw new CampaignInputError(`radiusM: the hub's circle of ${plan.area.radiusM} m is outside ${plan.platform}'s limits (${limits.minM}–${limits.maxM} m)`, "radiusM");
  }
  if (req.dailyBudgetMinor !== undefined && req.dailyBudgetMinor < plan.budget.minimumMinor) {
    throw new CampaignInputError(
      `dailyBudgetMinor: ${req.dailyBudgetMinor} is under the ad account's minimum daily budget of ${plan.budget.minimumMinor} (${plan.budget.currency} minor units)`,
      "dailyBudgetMinor",
    );
  }
  const skus = await chosenSkus(shopId, req.skus, plan.products);
  if (!plan.launchable) {
    throw new CampaignNotLaunchableError(`the plan cannot launch now: ${plan.reasons.map((r) => r.message).join("; ") || "no reason given"}`, plan.reasons);
  }
  const dailyBudgetMinor = plan.budget.dailyMinor;
  const connectionRow = await db.adConnection.findUnique({ where: { shopId_platform: { shopId, platform: plan.platform } }, select: { id: true } });

  const id = await db.$transaction(async (tx) => {
    const campaign = await tx.campaign.create({
      data: {
        shopId,
        nodeId: plan.hubId,
        connectionId: connectionRow?.id ?? null,
        platform: plan.platform,
        name: campaignName(plan),
        status: "DRAFT",
        wantStatus: "ACTIVE",
        currency: plan.budget.currency,
        dailyBudgetMinor,
        plannedBudgetMinor: dailyBudgetMinor,
        startsOn: plan.startsOn,
        endsOn: plan.endsOn,
        centerLat: plan.area.latitude,
        centerLng: plan.area.longitude,
        radiusM: plan.area.radiusM,
        skusJson: JSON.stringify(skus),
        guardrailsJson: JSON.stringify(plan.guardrails),
        planJson: JSON.stringify(plan),
        utmCampaign: plan.utm.campaign,
        lastReasonsJson: JSON.stringify(plan.reasons),
        lastCheckedAt: new Date(now),
      },
    });
    const change = await tx.campaignChange.create({
      data: {
        shopId,
        campaignId: campaign.id,
        action: "LAUNCH",
        actor: "MERCHANT",
        fromStatus: "DRAFT",
        toStatus: "ACTIVE",
        budgetTo: dailyBudgetMinor,
        reasonsJson: JSON.stringify(plan.reasons),
        requestJson: JSON.stringify(planned.payloads),
        createdAt: new Date(now),
      },
    });
    await enqueue(tx, applyChangeJob, { shopId, changeId: change.id }, { key: change.id });
    return campaign.id;
  });
  return (await campaignDetail(shopId, id))!;
}

/** The SKUs to advertise: the ones asked (each must be a product of the shop the hub holds), else the plan's. */
async function chosenSkus(shopId: string, asked: string[] | undefined, planned: Array<{ productId: string; sku: string }>): Promise<Array<{ productId: string; sku: string }>> {
  if (!asked) return planned.map((p) => ({ productId: p.productId, sku: p.sku }));
  const unique = [...new Set(asked)];
  const products = await db.product.findMany({ where: { shopId, sku: { in: unique } }, select: { id: true, sku: true } });
  const known = new Map(products.map((p) => [p.sku, p.id]));
  const unknown = unique.filter((s) => !known.has(s));
  if (unknown.length > 0) throw new CampaignInputError(`skus: unknown ${unknown.length === 1 ? "SKU" : "SKUs"} ${unknown.join(", ")}`, "skus");
  const stocked = new Set(planned.map((p) => p.sku));
  const notHere = unique.filter((s) => !stocked.has(s));
  if (notHere.length > 0) throw new CampaignInputError(`skus: the hub has not enough stock of ${notHere.join(", ")} to advertise it`, "skus");
  return unique.map((sku) => ({ productId: known.get(sku)!, sku }));
}
