-- CreateTable
CREATE TABLE "ShippingSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "configJson" TEXT NOT NULL,
    "backupRatesJson" TEXT NOT NULL DEFAULT '[]',
    "quoteBudgetMs" INTEGER NOT NULL DEFAULT 400,
    "version" INTEGER NOT NULL DEFAULT 1,
    "carrierServiceId" TEXT,
    "carrierServiceStatus" TEXT NOT NULL DEFAULT 'NOT_REGISTERED',
    "carrierServiceMessage" TEXT,
    "carrierServiceCheckedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShippingSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CourierQuote" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "h3Cell" TEXT NOT NULL,
    "sizeClass" TEXT NOT NULL,
    "windowStart" DATETIME NOT NULL,
    "feeMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "externalId" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "fetchedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CourierQuote_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CourierQuote_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "QuoteLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "destinationJson" TEXT NOT NULL,
    "cartJson" TEXT NOT NULL,
    "resultJson" TEXT NOT NULL,
    "fallbackUsed" BOOLEAN NOT NULL DEFAULT false,
    "durationMs" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "QuoteLog_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CourierQuote_shopId_expiresAt_idx" ON "CourierQuote"("shopId", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "CourierQuote_shopId_nodeId_provider_h3Cell_sizeClass_windowStart_key" ON "CourierQuote"("shopId", "nodeId", "provider", "h3Cell", "sizeClass", "windowStart");

-- CreateIndex
CREATE INDEX "QuoteLog_shopId_createdAt_idx" ON "QuoteLog"("shopId", "createdAt");

