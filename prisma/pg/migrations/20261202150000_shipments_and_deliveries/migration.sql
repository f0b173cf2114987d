-- AlterTable
-- (assignmentJson is dropped at the end, once its content is in the rows and columns below.)
ALTER TABLE "RoutingDecision" ADD COLUMN     "landedMinor" INTEGER,
ADD COLUMN     "promiseService" TEXT,
ADD COLUMN     "promiseStatus" TEXT,
ADD COLUMN     "requestedNodeHandle" TEXT,
ADD COLUMN     "requestedService" TEXT,
ADD COLUMN     "splitPenaltyMinor" INTEGER;

-- CreateTable
CREATE TABLE "RoutingShipment" (
    "id" TEXT NOT NULL,
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
    "promisedFrom" TIMESTAMP(3),
    "promisedBy" TIMESTAMP(3),
    "costNotes" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "RoutingShipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutingShipmentLine" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "lineGid" TEXT,
    "productId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "madeUnits" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RoutingShipmentLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutingShipmentCost" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "RoutingShipmentCost_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutingPlacement" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "locationGid" TEXT NOT NULL,

    CONSTRAINT "RoutingPlacement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Fulfillment" (
    "id" TEXT NOT NULL,
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
    "shippedAt" TIMESTAMP(3) NOT NULL,
    "deliveredAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Fulfillment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "fulfillmentId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "happenedAt" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "message" TEXT,
    "shopifyEventGid" TEXT,
    "postStatus" TEXT,
    "postAttempts" INTEGER NOT NULL DEFAULT 0,
    "nextPostAt" TIMESTAMP(3),
    "postError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeliveryEvent_pkey" PRIMARY KEY ("id")
);

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

-- AddForeignKey
ALTER TABLE "RoutingShipment" ADD CONSTRAINT "RoutingShipment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingShipment" ADD CONSTRAINT "RoutingShipment_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "RoutingDecision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingShipment" ADD CONSTRAINT "RoutingShipment_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingShipmentLine" ADD CONSTRAINT "RoutingShipmentLine_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingShipmentLine" ADD CONSTRAINT "RoutingShipmentLine_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES "RoutingShipment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingShipmentCost" ADD CONSTRAINT "RoutingShipmentCost_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingShipmentCost" ADD CONSTRAINT "RoutingShipmentCost_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES "RoutingShipment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingPlacement" ADD CONSTRAINT "RoutingPlacement_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingPlacement" ADD CONSTRAINT "RoutingPlacement_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "RoutingDecision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Fulfillment" ADD CONSTRAINT "Fulfillment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Fulfillment" ADD CONSTRAINT "Fulfillment_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Fulfillment" ADD CONSTRAINT "Fulfillment_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryEvent" ADD CONSTRAINT "DeliveryEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryEvent" ADD CONSTRAINT "DeliveryEvent_fulfillmentId_fkey" FOREIGN KEY ("fulfillmentId") REFERENCES "Fulfillment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing decisions keep what they chose: each assignmentJson's shipments, their lines and cost
-- components, and the Shopify locations it names become rows (ids made from the decision's). An
-- assignment that is not JSON (the admin showed it as unreadable) gives no rows.
CREATE FUNCTION pg_temp.nearhub_jsonb(t TEXT) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN t::jsonb;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;

CREATE TEMPORARY TABLE "nearhub_assignment" AS
SELECT d."id", d."shopId", d."currency", pg_temp.nearhub_jsonb(d."assignmentJson") AS "a"
FROM "RoutingDecision" d;

CREATE TEMPORARY TABLE "nearhub_shipment" AS
SELECT a."id" AS "decisionId", a."shopId", a."currency", (s."i" - 1)::INTEGER AS "position", a."id" || ':s' || (s."i" - 1) AS "shipmentId", s."v"
FROM "nearhub_assignment" a,
     jsonb_array_elements(CASE
         WHEN jsonb_typeof(a."a") = 'array' THEN a."a"
         WHEN jsonb_typeof(a."a") = 'object' AND jsonb_typeof(a."a"->'shipments') = 'array' THEN a."a"->'shipments'
         ELSE '[]'::jsonb END) WITH ORDINALITY AS s("v", "i")
WHERE jsonb_typeof(s."v") = 'object';

INSERT INTO "RoutingShipment" ("id", "shopId", "decisionId", "position", "nodeId", "nodeHandle", "nodeName", "service", "serviceCode", "currency", "forwardMinor", "expectedReverseMinor", "totalMinor", "keepsPromise", "leadTimeMinutes", "transitMode", "provider", "promisedFrom", "promisedBy", "costNotes")
SELECT s."shipmentId",
       s."shopId",
       s."decisionId",
       s."position",
       (SELECT n."id" FROM "Node" n WHERE n."id" = s."v"->>'nodeId' AND n."shopId" = s."shopId"),
       COALESCE(s."v"->>'nodeHandle', ''),
       COALESCE(s."v"->>'nodeName', s."v"->>'nodeHandle', ''),
       COALESCE(s."v"->>'service', 'STANDARD'),
       COALESCE(s."v"->>'serviceCode', ''),
       COALESCE(s."v"#>>'{cost,currency}', s."currency"),
       round(COALESCE((s."v"#>>'{cost,forwardMinor}')::NUMERIC, (s."v"#>>'{cost,totalMinor}')::NUMERIC, 0))::INTEGER,
       round(COALESCE((s."v"#>>'{cost,expectedReverseMinor}')::NUMERIC, 0))::INTEGER,
       round(COALESCE((s."v"#>>'{cost,totalMinor}')::NUMERIC, 0))::INTEGER,
       COALESCE((s."v"->>'keepsPromise')::BOOLEAN, TRUE),
       round((s."v"#>>'{cost,leadTimeMinutes}')::NUMERIC)::INTEGER,
       s."v"#>>'{cost,transit,mode}',
       s."v"#>>'{cost,transit,provider}',
       to_timestamp((s."v"#>>'{cost,transit,earliestArrivalMs}')::NUMERIC / 1000.0) AT TIME ZONE 'UTC',
       to_timestamp((s."v"#>>'{cost,transit,latestArrivalMs}')::NUMERIC / 1000.0) AT TIME ZONE 'UTC',
       COALESCE((SELECT string_agg(r, E'\n') FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(s."v"#>'{cost,reasons}') = 'array' THEN s."v"#>'{cost,reasons}' ELSE '[]'::jsonb END) r), '')
FROM "nearhub_shipment" s;

INSERT INTO "RoutingShipmentLine" ("id", "shopId", "shipmentId", "position", "lineGid", "productId", "sku", "quantity", "madeUnits")
SELECT s."shipmentId" || ':l' || (l."i" - 1),
       s."shopId",
       s."shipmentId",
       (l."i" - 1)::INTEGER,
       l."v"->>'lineId',
       COALESCE(l."v"->>'productId', ''),
       COALESCE(l."v"->>'sku', ''),
       COALESCE((l."v"->>'quantity')::NUMERIC, 0)::INTEGER,
       COALESCE((l."v"->>'madeUnits')::NUMERIC, 0)::INTEGER
FROM "nearhub_shipment" s,
     jsonb_array_elements(CASE WHEN jsonb_typeof(s."v"->'lines') = 'array' THEN s."v"->'lines' ELSE '[]'::jsonb END) WITH ORDINALITY AS l("v", "i")
WHERE jsonb_typeof(l."v") = 'object';

INSERT INTO "RoutingShipmentCost" ("id", "shopId", "shipmentId", "position", "code", "label", "amountMinor", "detail")
SELECT s."shipmentId" || ':c' || (c."i" - 1),
       s."shopId",
       s."shipmentId",
       (c."i" - 1)::INTEGER,
       COALESCE(c."v"->>'code', ''),
       COALESCE(c."v"->>'label', c."v"->>'code', ''),
       round(COALESCE((c."v"->>'amountMinor')::NUMERIC, 0))::INTEGER,
       COALESCE(c."v"->>'detail', '')
FROM "nearhub_shipment" s,
     jsonb_array_elements(CASE WHEN jsonb_typeof(s."v"#>'{cost,components}') = 'array' THEN s."v"#>'{cost,components}' ELSE '[]'::jsonb END) WITH ORDINALITY AS c("v", "i")
WHERE jsonb_typeof(c."v") = 'object';

INSERT INTO "RoutingPlacement" ("id", "shopId", "decisionId", "locationGid")
SELECT a."id" || ':p' || min(p."i" - 1), a."shopId", a."id", p."v"
FROM "nearhub_assignment" a,
     jsonb_array_elements_text(CASE WHEN jsonb_typeof(a."a") = 'object' AND jsonb_typeof(a."a"->'shopifyLocations') = 'array' THEN a."a"->'shopifyLocations' ELSE '[]'::jsonb END) WITH ORDINALITY AS p("v", "i")
GROUP BY a."id", a."shopId", p."v";

-- The rest of the assignment: its totals and promise become columns; its excluded nodes join the
-- alternatives ({ alternatives, excluded }) and its promise's reasons the reasons ({ reasons, promiseReasons }).
UPDATE "RoutingDecision" d
SET "landedMinor" = round((a."a"->>'landedMinor')::NUMERIC)::INTEGER,
    "splitPenaltyMinor" = round((a."a"->>'splitPenaltyMinor')::NUMERIC)::INTEGER,
    "promiseService" = a."a"#>>'{promise,service}',
    "promiseStatus" = a."a"#>>'{promise,status}',
    "requestedNodeHandle" = a."a"#>>'{promise,requested,nodeHandle}',
    "requestedService" = a."a"#>>'{promise,requested,service}'
FROM "nearhub_assignment" a
WHERE a."id" = d."id" AND jsonb_typeof(a."a") = 'object';

UPDATE "RoutingDecision" d
SET "alternativesJson" = jsonb_build_object(
        'alternatives', pg_temp.nearhub_jsonb(d."alternativesJson"),
        'excluded', CASE WHEN jsonb_typeof(a."a") = 'object' AND jsonb_typeof(a."a"->'excluded') = 'array' THEN a."a"->'excluded' ELSE '[]'::jsonb END)::TEXT
FROM "nearhub_assignment" a
WHERE a."id" = d."id" AND jsonb_typeof(pg_temp.nearhub_jsonb(d."alternativesJson")) = 'array';

UPDATE "RoutingDecision" d
SET "reasonsJson" = jsonb_build_object(
        'reasons', pg_temp.nearhub_jsonb(d."reasonsJson"),
        'promiseReasons', CASE WHEN jsonb_typeof(a."a") = 'object' AND jsonb_typeof(a."a"#>'{promise,reasons}') = 'array' THEN a."a"#>'{promise,reasons}' ELSE '[]'::jsonb END)::TEXT
FROM "nearhub_assignment" a
WHERE a."id" = d."id" AND jsonb_typeof(pg_temp.nearhub_jsonb(d."reasonsJson")) = 'array';

DROP TABLE "nearhub_shipment";
DROP TABLE "nearhub_assignment";
DROP FUNCTION pg_temp.nearhub_jsonb(TEXT);

-- AlterTable
ALTER TABLE "RoutingDecision" DROP COLUMN "assignmentJson";
