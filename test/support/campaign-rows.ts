// Campaign rows as the campaigns service writes them at launch (issue 15), for tests of what comes
// after a launch: the marketing activity, attribution, results. Always inside a named shop.
import type { PrismaClient } from "@prisma/client";

let counter = 0;

export async function makeCampaign(db: PrismaClient, shopId: string, nodeId: string, overrides: Record<string, unknown> = {}) {
  const n = ++counter;
  const utmCampaign = (overrides.utmCampaign as string | undefined) ?? `nyc-bk-hub-t${n}`;
  return db.campaign.create({
    data: {
      shopId,
      nodeId,
      platform: "SANDBOX",
      name: `Williamsburg same-day ${n}`,
      status: "ACTIVE",
      wantStatus: "ACTIVE",
      currency: "USD",
      dailyBudgetMinor: 1500,
      plannedBudgetMinor: 1500,
      startsOn: "2026-11-10",
      endsOn: "2026-11-30",
      centerLat: 40.7199,
      centerLng: -73.9548,
      radiusM: 4000,
      planJson: JSON.stringify({ utm: { campaign: utmCampaign, source: "sandbox", medium: "paid_social" } }),
      utmCampaign,
      remoteCampaignId: `sandbox-campaign-${n}`,
      remoteAdSetId: `sandbox-adset-${n}`,
      createdAt: new Date("2026-11-10T14:00:00Z"),
      ...overrides,
    },
  });
}
