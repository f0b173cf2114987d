-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "campaignId" TEXT,
ADD COLUMN     "discountCodes" TEXT,
ADD COLUMN     "landingPage" TEXT,
ADD COLUMN     "utmCampaign" TEXT,
ADD COLUMN     "utmSource" TEXT;

-- CreateTable
CREATE TABLE "AdConnection" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "accountName" TEXT,
    "currency" TEXT NOT NULL,
    "timezone" TEXT,
    "accessToken" TEXT,
    "refreshToken" TEXT,
    "tokenExpiresAt" TIMESTAMP(3),
    "loginCustomerId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'CONNECTED',
    "statusMessage" TEXT,
    "oauthState" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "connectionId" TEXT,
    "platform" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "wantStatus" TEXT NOT NULL DEFAULT 'ACTIVE',
    "currency" TEXT NOT NULL,
    "dailyBudgetMinor" INTEGER NOT NULL,
    "plannedBudgetMinor" INTEGER NOT NULL,
    "startsOn" TEXT NOT NULL,
    "endsOn" TEXT NOT NULL,
    "centerLat" DOUBLE PRECISION NOT NULL,
    "centerLng" DOUBLE PRECISION NOT NULL,
    "radiusM" INTEGER NOT NULL,
    "skusJson" TEXT NOT NULL DEFAULT '[]',
    "guardrailsJson" TEXT NOT NULL DEFAULT '[]',
    "planJson" TEXT NOT NULL,
    "utmCampaign" TEXT NOT NULL,
    "discountCode" TEXT,
    "remoteCampaignId" TEXT,
    "remoteAdSetId" TEXT,
    "remoteBudgetId" TEXT,
    "shopifyActivityId" TEXT,
    "lastReasonsJson" TEXT NOT NULL DEFAULT '[]',
    "lastCheckedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignChange" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "budgetFrom" INTEGER,
    "budgetTo" INTEGER,
    "reasonsJson" TEXT NOT NULL DEFAULT '[]',
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "requestJson" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMP(3),

    CONSTRAINT "CampaignChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignDay" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "spendMinor" INTEGER NOT NULL DEFAULT 0,
    "impressions" INTEGER NOT NULL DEFAULT 0,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "platformOrders" INTEGER NOT NULL DEFAULT 0,
    "platformRevenueMinor" INTEGER NOT NULL DEFAULT 0,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "revenueMinor" INTEGER NOT NULL DEFAULT 0,
    "landedCostMinor" INTEGER NOT NULL DEFAULT 0,
    "pulledAt" TIMESTAMP(3),
    "engagementSentAt" TIMESTAMP(3),

    CONSTRAINT "CampaignDay_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AdConnection_oauthState_key" ON "AdConnection"("oauthState");

-- CreateIndex
CREATE UNIQUE INDEX "AdConnection_shopId_platform_key" ON "AdConnection"("shopId", "platform");

-- CreateIndex
CREATE INDEX "Campaign_shopId_status_idx" ON "Campaign"("shopId", "status");

-- CreateIndex
CREATE INDEX "Campaign_shopId_nodeId_idx" ON "Campaign"("shopId", "nodeId");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_shopId_utmCampaign_key" ON "Campaign"("shopId", "utmCampaign");

-- CreateIndex
CREATE INDEX "CampaignChange_campaignId_createdAt_idx" ON "CampaignChange"("campaignId", "createdAt");

-- CreateIndex
CREATE INDEX "CampaignChange_shopId_state_idx" ON "CampaignChange"("shopId", "state");

-- CreateIndex
CREATE INDEX "CampaignDay_shopId_day_idx" ON "CampaignDay"("shopId", "day");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignDay_campaignId_day_key" ON "CampaignDay"("campaignId", "day");

-- CreateIndex
CREATE INDEX "Order_shopId_utmCampaign_idx" ON "Order"("shopId", "utmCampaign");

-- CreateIndex
CREATE INDEX "Order_campaignId_idx" ON "Order"("campaignId");

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdConnection" ADD CONSTRAINT "AdConnection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "AdConnection"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignChange" ADD CONSTRAINT "CampaignChange_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignChange" ADD CONSTRAINT "CampaignChange_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignDay" ADD CONSTRAINT "CampaignDay_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignDay" ADD CONSTRAINT "CampaignDay_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

