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
    "quantity" INTEGER NOT NULL,
    "valueMinor" INTEGER NOT NULL,
    "reason" TEXT,
    "condition" TEXT,
    "outcome" TEXT,
    "destinationNodeId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'REQUESTED',
    "hubId" TEXT,
    "changedAt" DATETIME NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "approvedAt" DATETIME,
    "declinedAt" DATETIME,
    "keptAt" DATETIME,
    "inTransitAt" DATETIME,
    "receivedAt" DATETIME,
    "inspectedAt" DATETIME,
    "restockedAt" DATETIME,
    "refurbishingAt" DATETIME,
    "disposedAt" DATETIME,
    "resoldAt" DATETIME,
    "inspectionDueAt" DATETIME,
    "grade" TEXT,
    "disposition" TEXT,
    "refundedMinor" INTEGER NOT NULL DEFAULT 0,
    "reverseCostMinor" INTEGER NOT NULL DEFAULT 0,
    "recoveredMinor" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "ReturnLine_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReturnLine_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "ReturnCase" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Each line's state moves out of stateJson (the core's ReturnState as JSON, times in UTC ms) into
-- its own columns; a line stored without one takes its return's request time (as lineState did).
INSERT INTO "new_ReturnLine" ("condition", "destinationNodeId", "disposition", "grade", "id", "outcome", "productId", "quantity", "reason", "returnId", "reverseFoLineGid", "shopId", "shopifyLineGid", "sku", "status", "valueMinor", "resoldAt", "hubId", "changedAt", "requestedAt", "approvedAt", "declinedAt", "keptAt", "inTransitAt", "receivedAt", "inspectedAt", "restockedAt", "refurbishingAt", "disposedAt", "inspectionDueAt", "refundedMinor", "reverseCostMinor", "recoveredMinor")
SELECT l."condition",
       l."destinationNodeId",
       l."disposition",
       l."grade",
       l."id",
       l."outcome",
       l."productId",
       l."quantity",
       l."reason",
       l."returnId",
       l."reverseFoLineGid",
       l."shopId",
       l."shopifyLineGid",
       l."sku",
       l."status",
       l."valueMinor",
       COALESCE(strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.at.resold') / 1000.0, 'unixepoch'), l."resoldAt"),
       json_extract(l."s", '$.hubId'),
       COALESCE(strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.updatedAt') / 1000.0, 'unixepoch'), c."requestedAt"),
       COALESCE(strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.at.requested') / 1000.0, 'unixepoch'), c."requestedAt"),
       strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.at.approved') / 1000.0, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.at.declined') / 1000.0, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.at.kept') / 1000.0, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.at.in_transit') / 1000.0, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.at.received') / 1000.0, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.at.inspected') / 1000.0, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.at.restocked') / 1000.0, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.at.refurbishing') / 1000.0, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.at.disposed') / 1000.0, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(l."s", '$.inspectionDeadlineAt') / 1000.0, 'unixepoch'),
       COALESCE(json_extract(l."s", '$.refundedMinor'), 0),
       COALESCE(json_extract(l."s", '$.reverseCostMinor'), 0),
       COALESCE(json_extract(l."s", '$.recoveredMinor'), 0)
FROM (SELECT *, CASE WHEN json_valid("stateJson") THEN "stateJson" ELSE '{}' END AS "s" FROM "ReturnLine") AS l
JOIN "ReturnCase" AS c ON c."id" = l."returnId";
DROP TABLE "ReturnLine";
ALTER TABLE "new_ReturnLine" RENAME TO "ReturnLine";
CREATE INDEX "ReturnLine_returnId_idx" ON "ReturnLine"("returnId");
CREATE INDEX "ReturnLine_shopId_productId_idx" ON "ReturnLine"("shopId", "productId");
CREATE INDEX "ReturnLine_shopId_status_idx" ON "ReturnLine"("shopId", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


