-- CreateTable
CREATE TABLE "OrderSync" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "bulkOperationId" TEXT,
    "bulkStatus" TEXT,
    "since" DATETIME,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "objectCount" INTEGER NOT NULL DEFAULT 0,
    "linesRead" INTEGER NOT NULL DEFAULT 0,
    "ordersImported" INTEGER NOT NULL DEFAULT 0,
    "unknownSkus" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "importJobId" TEXT,
    "errorCode" TEXT,
    "error" TEXT,
    "reconciledAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OrderSync_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrderRedaction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OrderRedaction_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Order_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("createdAt", "currency", "customerId", "destCity", "destCountry", "destLatitude", "destLongitude", "destPostalCode", "destProvince", "id", "name", "nodeId", "placedAt", "shopId", "shopifyOrderId", "totalMinor") SELECT "createdAt", "currency", "customerId", "destCity", "destCountry", "destLatitude", "destLongitude", "destPostalCode", "destProvince", "id", "name", "nodeId", "placedAt", "shopId", "shopifyOrderId", "totalMinor" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE INDEX "Order_shopId_name_idx" ON "Order"("shopId", "name");
CREATE INDEX "Order_shopId_placedAt_idx" ON "Order"("shopId", "placedAt");
CREATE INDEX "Order_shopId_customerId_idx" ON "Order"("shopId", "customerId");
CREATE UNIQUE INDEX "Order_shopId_shopifyOrderId_key" ON "Order"("shopId", "shopifyOrderId");
CREATE TABLE "new_OrderLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "productId" TEXT,
    "sku" TEXT,
    "shopifyLineItemId" TEXT,
    "quantity" INTEGER NOT NULL,
    "priceMinor" INTEGER NOT NULL,
    CONSTRAINT "OrderLine_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrderLine_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_OrderLine" ("id", "orderId", "priceMinor", "productId", "quantity", "shopId") SELECT "id", "orderId", "priceMinor", "productId", "quantity", "shopId" FROM "OrderLine";
DROP TABLE "OrderLine";
ALTER TABLE "new_OrderLine" RENAME TO "OrderLine";
CREATE INDEX "OrderLine_shopId_productId_idx" ON "OrderLine"("shopId", "productId");
CREATE INDEX "OrderLine_shopId_sku_idx" ON "OrderLine"("shopId", "sku");
CREATE INDEX "OrderLine_orderId_idx" ON "OrderLine"("orderId");
CREATE UNIQUE INDEX "OrderLine_orderId_shopifyLineItemId_key" ON "OrderLine"("orderId", "shopifyLineItemId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "OrderRedaction_shopId_kind_shopifyId_key" ON "OrderRedaction"("shopId", "kind", "shopifyId");

-- CreateIndex
CREATE INDEX "Fulfillment_orderId_idx" ON "Fulfillment"("orderId");


-- Existing lines keep the SKU of their product (new lines carry the SKU Shopify had on the order).
UPDATE "OrderLine" SET "sku" = (SELECT "sku" FROM "Product" WHERE "Product"."id" = "OrderLine"."productId") WHERE "sku" IS NULL;
