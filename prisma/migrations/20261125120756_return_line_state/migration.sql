-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ReturnLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "returnId" TEXT NOT NULL,
    "productId" TEXT,
    "sku" TEXT,
    "shopifyLineGid" TEXT,
    "reverseFoLineGid" TEXT,
    "status" TEXT NOT NULL DEFAULT 'REQUESTED',
    "stateJson" TEXT NOT NULL DEFAULT '{}',
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
INSERT INTO "new_ReturnLine" ("condition", "destinationNodeId", "disposition", "grade", "id", "outcome", "productId", "quantity", "reason", "resoldAt", "returnId", "reverseFoLineGid", "shopId", "shopifyLineGid", "sku", "valueMinor") SELECT "condition", "destinationNodeId", "disposition", "grade", "id", "outcome", "productId", "quantity", "reason", "resoldAt", "returnId", "reverseFoLineGid", "shopId", "shopifyLineGid", "sku", "valueMinor" FROM "ReturnLine";
DROP TABLE "ReturnLine";
ALTER TABLE "new_ReturnLine" RENAME TO "ReturnLine";
CREATE INDEX "ReturnLine_returnId_idx" ON "ReturnLine"("returnId");
CREATE INDEX "ReturnLine_shopId_productId_idx" ON "ReturnLine"("shopId", "productId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

