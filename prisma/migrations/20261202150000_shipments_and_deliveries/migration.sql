-- CreateTable
CREATE TABLE "RoutingShipment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "nodeId" TEXT,
    "nodeHandle" TEXT NOT NULL,
    "nodeName" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "serviceCode" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "forwardMinor" INTEGER NOT NULL,
    "expectedReverseMinor" INTEGER NOT NULL,
    "totalMinor" INTEGER NOT NULL,
    "keepsPromise" BOOLEAN NOT NULL,
    "leadTimeMinutes" INTEGER,
    "transitMode" TEXT,
    "provider" TEXT,
    "promisedFrom" DATETIME,
    "promisedBy" DATETIME,
    "costNotes" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "RoutingShipment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RoutingShipment_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "RoutingDecision" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RoutingShipment_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RoutingShipmentLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "lineGid" TEXT,
    "productId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "madeUnits" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "RoutingShipmentLine_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RoutingShipmentLine_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES "RoutingShipment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RoutingShipmentCost" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "RoutingShipmentCost_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RoutingShipmentCost_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES "RoutingShipment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RoutingPlacement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "locationGid" TEXT NOT NULL,
    CONSTRAINT "RoutingPlacement_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RoutingPlacement_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "RoutingDecision" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Fulfillment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyFulfillmentGid" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "orderId" TEXT,
    "locationGid" TEXT,
    "nodeId" TEXT,
    "status" TEXT NOT NULL,
    "shipmentStatus" TEXT,
    "trackingCompany" TEXT,
    "service" TEXT,
    "courierProvider" TEXT,
    "courierDeliveryId" TEXT,
    "shippedAt" DATETIME NOT NULL,
    "deliveredAt" DATETIME,
    "shopifyUpdatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Fulfillment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Fulfillment_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Fulfillment_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeliveryEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "fulfillmentId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "happenedAt" DATETIME NOT NULL,
    "source" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "message" TEXT,
    "shopifyEventGid" TEXT,
    "postStatus" TEXT,
    "postAttempts" INTEGER NOT NULL DEFAULT 0,
    "nextPostAt" DATETIME,
    "postError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DeliveryEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DeliveryEvent_fulfillmentId_fkey" FOREIGN KEY ("fulfillmentId") REFERENCES "Fulfillment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Existing decisions keep what they chose: each assignmentJson's shipments, their lines and cost
-- components, and the Shopify locations it names become rows (ids made from the decision's). An
-- assignment that is not JSON (the admin showed it as unreadable) gives no rows.
WITH "a" AS (
    SELECT d."id", d."shopId", d."currency",
           CASE WHEN json_valid(d."assignmentJson") THEN
               CASE json_type(d."assignmentJson")
                   WHEN 'array' THEN d."assignmentJson"
                   WHEN 'object' THEN CASE json_type(d."assignmentJson", '$.shipments') WHEN 'array' THEN json_extract(d."assignmentJson", '$.shipments') ELSE '[]' END
                   ELSE '[]' END
           ELSE '[]' END AS "shipments"
    FROM "RoutingDecision" d
)
INSERT INTO "RoutingShipment" ("id", "shopId", "decisionId", "position", "nodeId", "nodeHandle", "nodeName", "service", "serviceCode", "currency", "forwardMinor", "expectedReverseMinor", "totalMinor", "keepsPromise", "leadTimeMinutes", "transitMode", "provider", "promisedFrom", "promisedBy", "costNotes")
SELECT a."id" || ':s' || s."key",
       a."shopId",
       a."id",
       s."key",
       (SELECT n."id" FROM "Node" n WHERE n."id" = json_extract(s."value", '$.nodeId') AND n."shopId" = a."shopId"),
       COALESCE(json_extract(s."value", '$.nodeHandle'), ''),
       COALESCE(json_extract(s."value", '$.nodeName'), json_extract(s."value", '$.nodeHandle'), ''),
       COALESCE(json_extract(s."value", '$.service'), 'STANDARD'),
       COALESCE(json_extract(s."value", '$.serviceCode'), ''),
       COALESCE(json_extract(s."value", '$.cost.currency'), a."currency"),
       CAST(round(COALESCE(json_extract(s."value", '$.cost.forwardMinor'), json_extract(s."value", '$.cost.totalMinor'), 0)) AS INTEGER),
       CAST(round(COALESCE(json_extract(s."value", '$.cost.expectedReverseMinor'), 0)) AS INTEGER),
       CAST(round(COALESCE(json_extract(s."value", '$.cost.totalMinor'), 0)) AS INTEGER),
       COALESCE(json_extract(s."value", '$.keepsPromise'), 1),
       CAST(round(json_extract(s."value", '$.cost.leadTimeMinutes')) AS INTEGER),
       json_extract(s."value", '$.cost.transit.mode'),
       json_extract(s."value", '$.cost.transit.provider'),
       strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(s."value", '$.cost.transit.earliestArrivalMs') / 1000.0, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract(s."value", '$.cost.transit.latestArrivalMs') / 1000.0, 'unixepoch'),
       COALESCE((SELECT group_concat(r."value", char(10)) FROM json_each(s."value", '$.cost.reasons') r WHERE r."type" = 'text'), '')
FROM "a", json_each(a."shipments") s
WHERE s."type" = 'object';

WITH "a" AS (
    SELECT d."id", d."shopId",
           CASE WHEN json_valid(d."assignmentJson") THEN
               CASE json_type(d."assignmentJson")
                   WHEN 'array' THEN d."assignmentJson"
                   WHEN 'object' THEN CASE json_type(d."assignmentJson", '$.shipments') WHEN 'array' THEN json_extract(d."assignmentJson", '$.shipments') ELSE '[]' END
                   ELSE '[]' END
           ELSE '[]' END AS "shipments"
    FROM "RoutingDecision" d
)
INSERT INTO "RoutingShipmentLine" ("id", "shopId", "shipmentId", "position", "lineGid", "productId", "sku", "quantity", "madeUnits")
SELECT a."id" || ':s' || s."key" || ':l' || l."key",
       a."shopId",
       a."id" || ':s' || s."key",
       l."key",
       json_extract(l."value", '$.lineId'),
       COALESCE(json_extract(l."value", '$.productId'), ''),
       COALESCE(json_extract(l."value", '$.sku'), ''),
       CAST(COALESCE(json_extract(l."value", '$.quantity'), 0) AS INTEGER),
       CAST(COALESCE(json_extract(l."value", '$.madeUnits'), 0) AS INTEGER)
FROM "a", json_each(a."shipments") s, json_each(s."value", '$.lines') l
WHERE s."type" = 'object' AND l."type" = 'object';

WITH "a" AS (
    SELECT d."id", d."shopId",
           CASE WHEN json_valid(d."assignmentJson") THEN
               CASE json_type(d."assignmentJson")
                   WHEN 'array' THEN d."assignmentJson"
                   WHEN 'object' THEN CASE json_type(d."assignmentJson", '$.shipments') WHEN 'array' THEN json_extract(d."assignmentJson", '$.shipments') ELSE '[]' END
                   ELSE '[]' END
           ELSE '[]' END AS "shipments"
    FROM "RoutingDecision" d
)
INSERT INTO "RoutingShipmentCost" ("id", "shopId", "shipmentId", "position", "code", "label", "amountMinor", "detail")
SELECT a."id" || ':s' || s."key" || ':c' || c."key",
       a."shopId",
       a."id" || ':s' || s."key",
       c."key",
       COALESCE(json_extract(c."value", '$.code'), ''),
       COALESCE(json_extract(c."value", '$.label'), json_extract(c."value", '$.code'), ''),
       CAST(round(COALESCE(json_extract(c."value", '$.amountMinor'), 0)) AS INTEGER),
       COALESCE(json_extract(c."value", '$.detail'), '')
FROM "a", json_each(a."shipments") s, json_each(s."value", '$.cost.components') c
WHERE s."type" = 'object' AND c."type" = 'object';

INSERT INTO "RoutingPlacement" ("id", "shopId", "decisionId", "locationGid")
SELECT d."id" || ':p' || min(p."key"), d."shopId", d."id", p."value"
FROM "RoutingDecision" d,
     json_each(CASE WHEN (CASE WHEN json_valid(d."assignmentJson") THEN json_type(d."assignmentJson") END) = 'object' THEN d."assignmentJson" ELSE '{}' END, '$.shopifyLocations') p
WHERE p."type" = 'text'
GROUP BY d."id", d."shopId", p."value";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RoutingDecision" (
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
    "landedMinor" INTEGER,
    "splitPenaltyMinor" INTEGER,
    "promiseService" TEXT,
    "promiseStatus" TEXT,
    "requestedNodeHandle" TEXT,
    "requestedService" TEXT,
    "alternativesJson" TEXT NOT NULL,
    "reasonsJson" TEXT NOT NULL,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RoutingDecision_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- The rest of the assignment: its totals and promise become columns; its excluded nodes join the
-- alternatives ({ alternatives, excluded }) and its promise's reasons the reasons ({ reasons, promiseReasons }).
INSERT INTO "new_RoutingDecision" ("alternativesJson", "createdAt", "currency", "id", "lastError", "mode", "orderGid", "orderName", "reasonsJson", "serviceCode", "shopId", "source", "status", "totalCostMinor", "updatedAt", "landedMinor", "splitPenaltyMinor", "promiseService", "promiseStatus", "requestedNodeHandle", "requestedService")
SELECT CASE WHEN (CASE WHEN json_valid("alternativesJson") THEN json_type("alternativesJson") END) = 'array'
            THEN json_object('alternatives', json("alternativesJson"), 'excluded', json(CASE WHEN "a" = 'object' AND json_type("assignmentJson", '$.excluded') = 'array' THEN json_extract("assignmentJson", '$.excluded') ELSE '[]' END))
            ELSE "alternativesJson" END,
       "createdAt", "currency", "id", "lastError", "mode", "orderGid", "orderName",
       CASE WHEN (CASE WHEN json_valid("reasonsJson") THEN json_type("reasonsJson") END) = 'array'
            THEN json_object('reasons', json("reasonsJson"), 'promiseReasons', json(CASE WHEN "a" = 'object' AND json_type("assignmentJson", '$.promise.reasons') = 'array' THEN json_extract("assignmentJson", '$.promise.reasons') ELSE '[]' END))
            ELSE "reasonsJson" END,
       "serviceCode", "shopId", "source", "status", "totalCostMinor", "updatedAt",
       CASE WHEN "a" = 'object' THEN CAST(round(json_extract("assignmentJson", '$.landedMinor')) AS INTEGER) END,
       CASE WHEN "a" = 'object' THEN CAST(round(json_extract("assignmentJson", '$.splitPenaltyMinor')) AS INTEGER) END,
       CASE WHEN "a" = 'object' THEN json_extract("assignmentJson", '$.promise.service') END,
       CASE WHEN "a" = 'object' THEN json_extract("assignmentJson", '$.promise.status') END,
       CASE WHEN "a" = 'object' THEN json_extract("assignmentJson", '$.promise.requested.nodeHandle') END,
       CASE WHEN "a" = 'object' THEN json_extract("assignmentJson", '$.promise.requested.service') END
FROM (SELECT *, CASE WHEN json_valid("assignmentJson") THEN json_type("assignmentJson") END AS "a" FROM "RoutingDecision");
DROP TABLE "RoutingDecision";
ALTER TABLE "new_RoutingDecision" RENAME TO "RoutingDecision";
CREATE INDEX "RoutingDecision_shopId_createdAt_idx" ON "RoutingDecision"("shopId", "createdAt");
CREATE UNIQUE INDEX "RoutingDecision_shopId_orderGid_key" ON "RoutingDecision"("shopId", "orderGid");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "RoutingShipment_shopId_nodeId_idx" ON "RoutingShipment"("shopId", "nodeId");

-- CreateIndex
CREATE UNIQUE INDEX "RoutingShipment_decisionId_position_key" ON "RoutingShipment"("decisionId", "position");

-- CreateIndex
CREATE INDEX "RoutingShipmentLine_shopId_sku_idx" ON "RoutingShipmentLine"("shopId", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "RoutingShipmentLine_shipmentId_position_key" ON "RoutingShipmentLine"("shipmentId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "RoutingShipmentCost_shipmentId_position_key" ON "RoutingShipmentCost"("shipmentId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "RoutingPlacement_decisionId_locationGid_key" ON "RoutingPlacement"("decisionId", "locationGid");

-- CreateIndex
CREATE INDEX "Fulfillment_shopId_orderGid_idx" ON "Fulfillment"("shopId", "orderGid");

-- CreateIndex
CREATE INDEX "Fulfillment_shopId_nodeId_shippedAt_idx" ON "Fulfillment"("shopId", "nodeId", "shippedAt");

-- CreateIndex
CREATE INDEX "Fulfillment_shopId_shippedAt_idx" ON "Fulfillment"("shopId", "shippedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Fulfillment_shopId_shopifyFulfillmentGid_key" ON "Fulfillment"("shopId", "shopifyFulfillmentGid");

-- CreateIndex
CREATE UNIQUE INDEX "Fulfillment_courierProvider_courierDeliveryId_key" ON "Fulfillment"("courierProvider", "courierDeliveryId");

-- CreateIndex
CREATE INDEX "DeliveryEvent_fulfillmentId_happenedAt_idx" ON "DeliveryEvent"("fulfillmentId", "happenedAt");

-- CreateIndex
CREATE INDEX "DeliveryEvent_postStatus_nextPostAt_idx" ON "DeliveryEvent"("postStatus", "nextPostAt");

-- CreateIndex
CREATE UNIQUE INDEX "DeliveryEvent_shopId_idempotencyKey_key" ON "DeliveryEvent"("shopId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "ReturnLine_status_idx" ON "ReturnLine"("status");

-- CreateIndex
CREATE INDEX "ReturnEvent_effectsDoneAt_at_idx" ON "ReturnEvent"("effectsDoneAt", "at");

