-- Each line's state moves out of stateJson (the core's ReturnState as JSON, times in UTC ms) into
-- its own columns; a line stored without one takes its return's request time (as lineState did).
ALTER TABLE "ReturnLine"
ADD COLUMN     "approvedAt" TIMESTAMP(3),
ADD COLUMN     "changedAt" TIMESTAMP(3),
ADD COLUMN     "declinedAt" TIMESTAMP(3),
ADD COLUMN     "disposedAt" TIMESTAMP(3),
ADD COLUMN     "inTransitAt" TIMESTAMP(3),
ADD COLUMN     "inspectedAt" TIMESTAMP(3),
ADD COLUMN     "inspectionDueAt" TIMESTAMP(3),
ADD COLUMN     "keptAt" TIMESTAMP(3),
ADD COLUMN     "receivedAt" TIMESTAMP(3),
ADD COLUMN     "refurbishingAt" TIMESTAMP(3),
ADD COLUMN     "requestedAt" TIMESTAMP(3),
ADD COLUMN     "restockedAt" TIMESTAMP(3),
ADD COLUMN     "hubId" TEXT,
ADD COLUMN     "recoveredMinor" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "refundedMinor" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reverseCostMinor" INTEGER NOT NULL DEFAULT 0;

UPDATE "ReturnLine" AS t SET
  "hubId" = l."s" ->> 'hubId',
  "changedAt" = COALESCE((to_timestamp((l."s" #>> '{updatedAt}')::double precision / 1000) AT TIME ZONE 'UTC'), c."requestedAt"),
  "requestedAt" = COALESCE((to_timestamp((l."s" #>> '{at,requested}')::double precision / 1000) AT TIME ZONE 'UTC'), c."requestedAt"),
  "approvedAt" = (to_timestamp((l."s" #>> '{at,approved}')::double precision / 1000) AT TIME ZONE 'UTC'),
  "declinedAt" = (to_timestamp((l."s" #>> '{at,declined}')::double precision / 1000) AT TIME ZONE 'UTC'),
  "keptAt" = (to_timestamp((l."s" #>> '{at,kept}')::double precision / 1000) AT TIME ZONE 'UTC'),
  "inTransitAt" = (to_timestamp((l."s" #>> '{at,in_transit}')::double precision / 1000) AT TIME ZONE 'UTC'),
  "receivedAt" = (to_timestamp((l."s" #>> '{at,received}')::double precision / 1000) AT TIME ZONE 'UTC'),
  "inspectedAt" = (to_timestamp((l."s" #>> '{at,inspected}')::double precision / 1000) AT TIME ZONE 'UTC'),
  "restockedAt" = (to_timestamp((l."s" #>> '{at,restocked}')::double precision / 1000) AT TIME ZONE 'UTC'),
  "refurbishingAt" = (to_timestamp((l."s" #>> '{at,refurbishing}')::double precision / 1000) AT TIME ZONE 'UTC'),
  "disposedAt" = (to_timestamp((l."s" #>> '{at,disposed}')::double precision / 1000) AT TIME ZONE 'UTC'),
  "resoldAt" = COALESCE((to_timestamp((l."s" #>> '{at,resold}')::double precision / 1000) AT TIME ZONE 'UTC'), t."resoldAt"),
  "inspectionDueAt" = (to_timestamp((l."s" #>> '{inspectionDeadlineAt}')::double precision / 1000) AT TIME ZONE 'UTC'),
  "refundedMinor" = COALESCE((l."s" ->> 'refundedMinor')::integer, 0),
  "reverseCostMinor" = COALESCE((l."s" ->> 'reverseCostMinor')::integer, 0),
  "recoveredMinor" = COALESCE((l."s" ->> 'recoveredMinor')::integer, 0)
FROM (SELECT "id", COALESCE(NULLIF("stateJson", ''), '{}')::jsonb AS "s" FROM "ReturnLine") AS l, "ReturnCase" AS c
WHERE l."id" = t."id" AND c."id" = t."returnId";

ALTER TABLE "ReturnLine" ALTER COLUMN "changedAt" SET NOT NULL,
ALTER COLUMN "requestedAt" SET NOT NULL,
DROP COLUMN "stateJson";

-- CreateIndex
CREATE INDEX "ReturnLine_shopId_status_idx" ON "ReturnLine"("shopId", "status");
