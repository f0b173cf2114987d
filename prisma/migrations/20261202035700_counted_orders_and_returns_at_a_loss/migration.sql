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
    "currency" TEXT NOT NULL,
    "totalMinor" INTEGER NOT NULL,
    "destAddress1" TEXT,
    "destCity" TEXT NOT NULL,
    "destProvince" TEXT,
    "destPostalCode" TEXT NOT NULL,
    "destCountry" TEXT NOT NULL,
    "destLatitude" REAL NOT NULL,
    "destLongitude" REAL NOT NULL,
    "nodeId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Order_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("createdAt", "currency", "customerId", "destAddress1", "destCity", "destCountry", "destLatitude", "destLongitude", "destPostalCode", "destProvince", "id", "name", "placedAt", "shopId", "shopifyOrderId", "totalMinor") SELECT "createdAt", "currency", "customerId", "destAddress1", "destCity", "destCountry", "destLatitude", "destLongitude", "destPostalCode", "destProvince", "id", "name", "placedAt", "shopId", "shopifyOrderId", "totalMinor" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE INDEX "Order_shopId_placedAt_idx" ON "Order"("shopId", "placedAt");
CREATE INDEX "Order_shopId_customerId_idx" ON "Order"("shopId", "customerId");
CREATE UNIQUE INDEX "Order_shopId_name_key" ON "Order"("shopId", "name");
CREATE INDEX "Order_shopId_shopifyOrderId_idx" ON "Order"("shopId", "shopifyOrderId");
CREATE TABLE "new_ReturnSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "rulesJson" TEXT NOT NULL DEFAULT '[]',
    "defaultOutcome" TEXT NOT NULL DEFAULT 'REFUND',
    "destinationMode" TEXT NOT NULL DEFAULT 'BEST_RECOVERY',
    "inspectionHours" INTEGER NOT NULL DEFAULT 48,
    "escalationEmail" TEXT,
    "escalationWebhookUrl" TEXT,
    "autoApprove" BOOLEAN NOT NULL DEFAULT true,
    "shipBackAtALoss" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ReturnSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ReturnSettings" ("autoApprove", "defaultOutcome", "destinationMode", "escalationEmail", "escalationWebhookUrl", "inspectionHours", "rulesJson", "shopId", "updatedAt") SELECT "autoApprove", "defaultOutcome", "destinationMode", "escalationEmail", "escalationWebhookUrl", "inspectionHours", "rulesJson", "shopId", "updatedAt" FROM "ReturnSettings";
DROP TABLE "ReturnSettings";
ALTER TABLE "new_ReturnSettings" RENAME TO "ReturnSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

