-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "shopifyInventoryItemId" TEXT;

-- CreateIndex
CREATE INDEX "Product_shopId_shopifyInventoryItemId_idx" ON "Product"("shopId", "shopifyInventoryItemId");

