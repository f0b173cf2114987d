-- AlterTable
ALTER TABLE "Node" ADD COLUMN     "acceptsReturns" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "inspectionHours" INTEGER;

-- CreateTable
CREATE TABLE "RoutingSettings" (
    "shopId" TEXT NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'SUGGEST',
    "splitPenaltyMinor" INTEGER NOT NULL DEFAULT 300,
    "configJson" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoutingSettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "RoutingDecision" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoutingDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutingMove" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "fulfillmentOrderGid" TEXT NOT NULL,
    "fromLocationGid" TEXT,
    "toLocationGid" TEXT NOT NULL,
    "lineItemsJson" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "userErrorsJson" TEXT,
    "movedFulfillmentOrderGid" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoutingMove_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReturnSettings" (
    "shopId" TEXT NOT NULL,
    "rulesJson" TEXT NOT NULL DEFAULT '[]',
    "defaultOutcome" TEXT NOT NULL DEFAULT 'REFUND',
    "destinationMode" TEXT NOT NULL DEFAULT 'BEST_RECOVERY',
    "inspectionHours" INTEGER NOT NULL DEFAULT 48,
    "escalationEmail" TEXT,
    "escalationWebhookUrl" TEXT,
    "autoApprove" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReturnSettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "ReturnCase" (
    "id" TEXT NOT NULL,
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
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "approvedAt" TIMESTAMP(3),
    "declinedAt" TIMESTAMP(3),
    "inTransitAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3),
    "inspectionDueAt" TIMESTAMP(3),
    "inspectedAt" TIMESTAMP(3),
    "grade" TEXT,
    "disposition" TEXT,
    "restockedAt" TIMESTAMP(3),
    "refurbishingAt" TIMESTAMP(3),
    "disposedAt" TIMESTAMP(3),
    "resoldAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReturnCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReturnLine" (
    "id" TEXT NOT NULL,
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
    "resoldAt" TIMESTAMP(3),

    CONSTRAINT "ReturnLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReturnEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "returnId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "payloadJson" TEXT NOT NULL DEFAULT '{}',
    "effectsJson" TEXT NOT NULL DEFAULT '[]',
    "effectsDoneAt" TIMESTAMP(3),
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReturnEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Escalation" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "returnId" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Escalation_pkey" PRIMARY KEY ("id")
);

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

-- AddForeignKey
ALTER TABLE "RoutingSettings" ADD CONSTRAINT "RoutingSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingDecision" ADD CONSTRAINT "RoutingDecision_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingMove" ADD CONSTRAINT "RoutingMove_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingMove" ADD CONSTRAINT "RoutingMove_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "RoutingDecision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnSettings" ADD CONSTRAINT "ReturnSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnCase" ADD CONSTRAINT "ReturnCase_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnLine" ADD CONSTRAINT "ReturnLine_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnLine" ADD CONSTRAINT "ReturnLine_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "ReturnCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnEvent" ADD CONSTRAINT "ReturnEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnEvent" ADD CONSTRAINT "ReturnEvent_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "ReturnCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Escalation" ADD CONSTRAINT "Escalation_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Escalation" ADD CONSTRAINT "Escalation_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "ReturnCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

