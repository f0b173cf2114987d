-- CreateTable
CREATE TABLE "RoutingSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "mode" TEXT NOT NULL DEFAULT 'SUGGEST',
    "splitPenaltyMinor" INTEGER NOT NULL DEFAULT 300,
    "configJson" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RoutingSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RoutingDecision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "orderName" TEXT,
    "source" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "serviceCode" TEXT,
    "totalCostMinor" INTEGER,
    "currency" TEXT NOT NULL,
    "assignmentJson" TEXT NOT NULL,
    "alternativesJson" TEXT NOT NULL,
    "reasonsJson" TEXT NOT NULL,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RoutingDecision_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RoutingMove" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "fulfillmentOrderGid" TEXT NOT NULL,
    "fromLocationGid" TEXT,
    "toLocationGid" TEXT NOT NULL,
    "lineItemsJson" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "userErrorsJson" TEXT,
    "movedFulfillmentOrderGid" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RoutingMove_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RoutingMove_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "RoutingDecision" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReturnSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "rulesJson" TEXT NOT NULL DEFAULT '[]',
    "defaultOutcome" TEXT NOT NULL DEFAULT 'REFUND',
    "destinationMode" TEXT NOT NULL DEFAULT 'BEST_RECOVERY',
    "inspectionHours" INTEGER NOT NULL DEFAULT 48,
    "escalationEmail" TEXT,
    "escalationWebhookUrl" TEXT,
    "autoApprove" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ReturnSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReturnCase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyReturnGid" TEXT,
    "orderGid" TEXT,
    "orderName" TEXT,
    "status" TEXT NOT NULL,
    "outcome" TEXT,
    "destinationNodeId" TEXT,
    "decisionJson" TEXT NOT NULL DEFAULT '{}',
    "currency" TEXT NOT NULL,
    "refundedMinor" INTEGER NOT NULL DEFAULT 0,
    "recoveredMinor" INTEGER NOT NULL DEFAULT 0,
    "reverseCostMinor" INTEGER NOT NULL DEFAULT 0,
    "requestedAt" DATETIME NOT NULL,
    "approvedAt" DATETIME,
    "declinedAt" DATETIME,
    "inTransitAt" DATETIME,
    "receivedAt" DATETIME,
    "inspectionDueAt" DATETIME,
    "inspectedAt" DATETIME,
    "grade" TEXT,
    "disposition" TEXT,
    "restockedAt" DATETIME,
    "refurbishingAt" DATETIME,
    "disposedAt" DATETIME,
    "resoldAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ReturnCase_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReturnLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "returnId" TEXT NOT NULL,
    "productId" TEXT,
    "sku" TEXT,
    "shopifyLineGid" TEXT,
    "reverseFoLineGid" TEXT,
    "quantity" INTEGER NOT NULL,
    "valueMinor" INTEGER NOT NULL,
    "reason" TEXT,
    "condition" TEXT,
    "outcome" TEXT,
    "destinationNodeId" TEXT,
    "grade" TEXT,
    "disposition" TEXT,
    "resoldAt" DATETIME,
    CONSTRAINT "ReturnLine_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReturnLine_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "ReturnCase" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReturnEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "returnId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "payloadJson" TEXT NOT NULL DEFAULT '{}',
    "effectsJson" TEXT NOT NULL DEFAULT '[]',
    "effectsDoneAt" DATETIME,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReturnEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReturnEvent_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "ReturnCase" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Escalation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "returnId" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Escalation_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Escalation_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "ReturnCase" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Node" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "address1" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "province" TEXT,
    "postalCode" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "latitude" REAL NOT NULL,
    "longitude" REAL NOT NULL,
    "timezone" TEXT NOT NULL,
    "shopifyLocationId" TEXT,
    "serviceRadiusM" INTEGER,
    "serviceAreaJson" TEXT,
    "openingHoursJson" TEXT NOT NULL,
    "sameDayCutoff" TEXT,
    "dailyCapacity" INTEGER NOT NULL,
    "handlingCostMinor" INTEGER NOT NULL,
    "pickupCostMinor" INTEGER NOT NULL,
    "acceptsReturns" BOOLEAN NOT NULL DEFAULT true,
    "inspectionHours" INTEGER,
    "sellerId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Node_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Node_sellerId_fkey" FOREIGN KEY ("sellerId") REFERENCES "Seller" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Node" ("address1", "city", "country", "createdAt", "dailyCapacity", "handle", "handlingCostMinor", "id", "kind", "latitude", "longitude", "name", "openingHoursJson", "pickupCostMinor", "postalCode", "province", "sameDayCutoff", "sellerId", "serviceAreaJson", "serviceRadiusM", "shopId", "shopifyLocationId", "status", "timezone", "updatedAt") SELECT "address1", "city", "country", "createdAt", "dailyCapacity", "handle", "handlingCostMinor", "id", "kind", "latitude", "longitude", "name", "openingHoursJson", "pickupCostMinor", "postalCode", "province", "sameDayCutoff", "sellerId", "serviceAreaJson", "serviceRadiusM", "shopId", "shopifyLocationId", "status", "timezone", "updatedAt" FROM "Node";
DROP TABLE "Node";
ALTER TABLE "new_Node" RENAME TO "Node";
CREATE INDEX "Node_shopId_status_idx" ON "Node"("shopId", "status");
CREATE UNIQUE INDEX "Node_shopId_handle_key" ON "Node"("shopId", "handle");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "RoutingDecision_shopId_createdAt_idx" ON "RoutingDecision"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RoutingDecision_shopId_orderGid_key" ON "RoutingDecision"("shopId", "orderGid");

-- CreateIndex
CREATE INDEX "RoutingMove_shopId_status_nextAttemptAt_idx" ON "RoutingMove"("shopId", "status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "RoutingMove_decisionId_fulfillmentOrderGid_key" ON "RoutingMove"("decisionId", "fulfillmentOrderGid");

-- CreateIndex
CREATE INDEX "ReturnCase_shopId_status_idx" ON "ReturnCase"("shopId", "status");

-- CreateIndex
CREATE INDEX "ReturnCase_shopId_inspectionDueAt_idx" ON "ReturnCase"("shopId", "inspectionDueAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReturnCase_shopId_shopifyReturnGid_key" ON "ReturnCase"("shopId", "shopifyReturnGid");

-- CreateIndex
CREATE INDEX "ReturnLine_returnId_idx" ON "ReturnLine"("returnId");

-- CreateIndex
CREATE INDEX "ReturnLine_shopId_productId_idx" ON "ReturnLine"("shopId", "productId");

-- CreateIndex
CREATE INDEX "ReturnEvent_returnId_at_idx" ON "ReturnEvent"("returnId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ReturnEvent_shopId_idempotencyKey_key" ON "ReturnEvent"("shopId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Escalation_shopId_status_idx" ON "Escalation"("shopId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Escalation_returnId_level_channel_key" ON "Escalation"("returnId", "level", "channel");

