-- CreateTable
CREATE TABLE "AdConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "accountName" TEXT,
    "currency" TEXT NOT NULL,
    "timezone" TEXT,
    "accessToken" TEXT,
    "refreshToken" TEXT,
    "tokenExpiresAt" DATETIME,
    "loginCustomerId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'CONNECTED',
    "statusMessage" TEXT,
    "oauthState" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AdConnection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "centerLat" REAL NOT NULL,
    "centerLng" REAL NOT NULL,
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
    "lastCheckedAt" DATETIME,
    "lastError" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Campaign_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Campaign_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Campaign_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "AdConnection" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CampaignChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" DATETIME,
    CONSTRAINT "CampaignChange_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CampaignChange_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CampaignDay" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "pulledAt" DATETIME,
    "engagementSentAt" DATETIME,
    CONSTRAINT "CampaignDay_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CampaignDay_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyOrderId" TEXT,
    "name" TEXT NOT NULL,
    "customerId" TEXT,
    "placedAt" DATETIME NOT NULL,
    "cancelledAt" DATETIME,
    "currency" TEXT NOT NULL,
    "totalMinor" INTEGER NOT NULL,
    "destCity" TEXT,
    "destProvince" TEXT,
    "destPostalCode" TEXT,
    "destCountry" TEXT,
    "destLatitude" REAL,
    "destLongitude" REAL,
    "shippingCode" TEXT,
    "shippingTitle" TEXT,
    "sourceUpdatedAt" DATETIME,
    "nodeId" TEXT,
    "utmCampaign" TEXT,
    "utmSource" TEXT,
    "landingPage" TEXT,
    "discountCodes" TEXT,
    "campaignId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Order_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Order_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("cancelledAt", "createdAt", "currency", "customerId", "destCity", "destCountry", "destLatitude", "destLongitude", "destPostalCode", "destProvince", "id", "name", "nodeId", "placedAt", "shippingCode", "shippingTitle", "shopId", "shopifyOrderId", "sourceUpdatedAt", "totalMinor") SELECT "cancelledAt", "createdAt", "currency", "customerId", "destCity", "destCountry", "destLatitude", "destLongitude", "destPostalCode", "destProvince", "id", "name", "nodeId", "placedAt", "shippingCode", "shippingTitle", "shopId", "shopifyOrderId", "sourceUpdatedAt", "totalMinor" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE INDEX "Order_shopId_name_idx" ON "Order"("shopId", "name");
CREATE INDEX "Order_shopId_placedAt_idx" ON "Order"("shopId", "placedAt");
CREATE INDEX "Order_shopId_customerId_idx" ON "Order"("shopId", "customerId");
CREATE INDEX "Order_shopId_utmCampaign_idx" ON "Order"("shopId", "utmCampaign");
CREATE INDEX "Order_campaignId_idx" ON "Order"("campaignId");
CREATE UNIQUE INDEX "Order_shopId_shopifyOrderId_key" ON "Order"("shopId", "shopifyOrderId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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

