-- DropForeignKey
ALTER TABLE "OrderLine" DROP CONSTRAINT "OrderLine_productId_fkey";

-- DropIndex
DROP INDEX "Order_shopId_shopifyOrderId_idx";

-- DropIndex
DROP INDEX "Order_shopId_name_key";

-- AlterTable
ALTER TABLE "Order" DROP COLUMN "destAddress1",
ADD COLUMN     "cancelledAt" TIMESTAMP(3),
ADD COLUMN     "shippingCode" TEXT,
ADD COLUMN     "shippingTitle" TEXT,
ADD COLUMN     "sourceUpdatedAt" TIMESTAMP(3),
ALTER COLUMN "destCity" DROP NOT NULL,
ALTER COLUMN "destPostalCode" DROP NOT NULL,
ALTER COLUMN "destCountry" DROP NOT NULL,
ALTER COLUMN "destLatitude" DROP NOT NULL,
ALTER COLUMN "destLongitude" DROP NOT NULL;

-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN     "shopifyLineItemId" TEXT,
ADD COLUMN     "sku" TEXT,
ALTER COLUMN "productId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "OrderSync" (
    "shopId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "bulkOperationId" TEXT,
    "bulkStatus" TEXT,
    "since" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "objectCount" INTEGER NOT NULL DEFAULT 0,
    "linesRead" INTEGER NOT NULL DEFAULT 0,
    "ordersImported" INTEGER NOT NULL DEFAULT 0,
    "unknownSkus" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "importJobId" TEXT,
    "errorCode" TEXT,
    "error" TEXT,
    "reconciledAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderSync_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "OrderRedaction" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderRedaction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OrderRedaction_shopId_kind_shopifyId_key" ON "OrderRedaction"("shopId", "kind", "shopifyId");

-- CreateIndex
CREATE INDEX "Order_shopId_name_idx" ON "Order"("shopId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shopId_shopifyOrderId_key" ON "Order"("shopId", "shopifyOrderId");

-- CreateIndex
CREATE INDEX "OrderLine_shopId_sku_idx" ON "OrderLine"("shopId", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLine_orderId_shopifyLineItemId_key" ON "OrderLine"("orderId", "shopifyLineItemId");

-- CreateIndex
CREATE INDEX "Fulfillment_orderId_idx" ON "Fulfillment"("orderId");

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderSync" ADD CONSTRAINT "OrderSync_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderRedaction" ADD CONSTRAINT "OrderRedaction_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Existing lines keep the SKU of their product (new lines carry the SKU Shopify had on the order).
UPDATE "OrderLine" SET "sku" = (SELECT "sku" FROM "Product" WHERE "Product"."id" = "OrderLine"."productId") WHERE "sku" IS NULL;
