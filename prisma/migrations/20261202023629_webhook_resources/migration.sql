-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "eventId" TEXT;

-- CreateTable
CREATE TABLE "WebhookResource" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "version" DATETIME,
    "digest" TEXT NOT NULL,
    "webhookId" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "WebhookResource_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "WebhookResource_shopId_webhookId_idx" ON "WebhookResource"("shopId", "webhookId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookResource_shopId_key_key" ON "WebhookResource"("shopId", "key");

-- CreateIndex
CREATE INDEX "Order_shopId_shopifyOrderId_idx" ON "Order"("shopId", "shopifyOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shopId_topic_eventId_key" ON "WebhookDelivery"("shopId", "topic", "eventId");

