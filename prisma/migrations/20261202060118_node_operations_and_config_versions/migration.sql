-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Shop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "domain" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "timezone" TEXT NOT NULL DEFAULT 'America/New_York',
    "weightUnit" TEXT NOT NULL DEFAULT 'GRAMS',
    "contactEmail" TEXT,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "scopes" TEXT,
    "configVersion" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("contactEmail", "createdAt", "currency", "domain", "id", "installedAt", "name", "scopes", "timezone", "uninstalledAt", "updatedAt", "weightUnit") SELECT "contactEmail", "createdAt", "currency", "domain", "id", "installedAt", "name", "scopes", "timezone", "uninstalledAt", "updatedAt", "weightUnit" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");
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
    "holidaysJson" TEXT NOT NULL DEFAULT '[]',
    "prepMinutes" INTEGER NOT NULL DEFAULT 30,
    "makeSetupMinutes" INTEGER NOT NULL DEFAULT 0,
    "makeMinutesPerUnit" REAL NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 1,
    "sellerId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Node_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Node_sellerId_fkey" FOREIGN KEY ("sellerId") REFERENCES "Seller" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Node" ("acceptsReturns", "address1", "city", "country", "createdAt", "dailyCapacity", "handle", "handlingCostMinor", "id", "inspectionHours", "kind", "latitude", "longitude", "name", "openingHoursJson", "pickupCostMinor", "postalCode", "province", "sameDayCutoff", "sellerId", "serviceAreaJson", "serviceRadiusM", "shopId", "shopifyLocationId", "status", "timezone", "updatedAt") SELECT "acceptsReturns", "address1", "city", "country", "createdAt", "dailyCapacity", "handle", "handlingCostMinor", "id", "inspectionHours", "kind", "latitude", "longitude", "name", "openingHoursJson", "pickupCostMinor", "postalCode", "province", "sameDayCutoff", "sellerId", "serviceAreaJson", "serviceRadiusM", "shopId", "shopifyLocationId", "status", "timezone", "updatedAt" FROM "Node";
DROP TABLE "Node";
ALTER TABLE "new_Node" RENAME TO "Node";
CREATE INDEX "Node_shopId_status_idx" ON "Node"("shopId", "status");
CREATE UNIQUE INDEX "Node_shopId_handle_key" ON "Node"("shopId", "handle");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Data (ADR 0019): each node's operations move from ShippingSettings.configJson's "nodes" map into
-- its own row. A value of the wrong type is left at the column's default (it never parsed: such a
-- configuration was already answered with backup rates); the holidays list is copied as stored, so
-- one that does not parse is reported on the Node operations page. Then "nodes" leaves the document
-- and the settings' version moves (a page opened before the upgrade saves nothing over it).
UPDATE "Node" SET
    "holidaysJson" = CASE WHEN json_type(o."ops", '$.holidays') = 'array' THEN json_extract(o."ops", '$.holidays') ELSE "holidaysJson" END,
    "prepMinutes" = CASE WHEN json_type(o."ops", '$.prepMinutes') IN ('integer', 'real') AND json_extract(o."ops", '$.prepMinutes') >= 0
        AND json_extract(o."ops", '$.prepMinutes') <= 2147483647 AND json_extract(o."ops", '$.prepMinutes') = CAST(json_extract(o."ops", '$.prepMinutes') AS INTEGER)
        THEN CAST(json_extract(o."ops", '$.prepMinutes') AS INTEGER) ELSE "prepMinutes" END,
    "makeSetupMinutes" = CASE WHEN json_type(o."ops", '$.makeSetupMinutes') IN ('integer', 'real') AND json_extract(o."ops", '$.makeSetupMinutes') >= 0
        AND json_extract(o."ops", '$.makeSetupMinutes') <= 2147483647 AND json_extract(o."ops", '$.makeSetupMinutes') = CAST(json_extract(o."ops", '$.makeSetupMinutes') AS INTEGER)
        THEN CAST(json_extract(o."ops", '$.makeSetupMinutes') AS INTEGER) ELSE "makeSetupMinutes" END,
    "makeMinutesPerUnit" = CASE WHEN json_type(o."ops", '$.makeMinutesPerUnit') IN ('integer', 'real') AND json_extract(o."ops", '$.makeMinutesPerUnit') >= 0
        THEN CAST(json_extract(o."ops", '$.makeMinutesPerUnit') AS REAL) ELSE "makeMinutesPerUnit" END
FROM (
    SELECT s."shopId" AS "shopId", j."key" AS "nodeId", j."value" AS "ops"
    FROM "ShippingSettings" s, json_each(s."configJson", '$.nodes') j
    WHERE json_valid(s."configJson") AND json_type(s."configJson", '$.nodes') = 'object' AND j."type" = 'object'
) o
WHERE o."shopId" = "Node"."shopId" AND o."nodeId" = "Node"."id";

UPDATE "ShippingSettings" SET "configJson" = json_remove("configJson", '$.nodes'), "version" = "version" + 1
WHERE json_valid("configJson") AND json_type("configJson", '$.nodes') IS NOT NULL;

UPDATE "Shop" SET "configVersion" = "configVersion" + 1;
