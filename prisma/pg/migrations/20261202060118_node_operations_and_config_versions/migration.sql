-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "configVersion" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Node" ADD COLUMN     "holidaysJson" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "makeMinutesPerUnit" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "makeSetupMinutes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "prepMinutes" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;


-- Data (ADR 0019): each node's operations move from ShippingSettings.configJson's "nodes" map into
-- its own row. A value of the wrong type is left at the column's default (it never parsed: such a
-- configuration was already answered with backup rates); the holidays list is copied as stored, so
-- one that does not parse is reported on the Node operations page. Then "nodes" leaves the document
-- and the settings' version moves (a page opened before the upgrade saves nothing over it).
-- A document that is not JSON is left alone (pg_temp.nearhub_jsonb answers NULL for it).
CREATE FUNCTION pg_temp.nearhub_jsonb(t TEXT) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN t::jsonb;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;

CREATE FUNCTION pg_temp.nearhub_whole(v JSONB, max NUMERIC) RETURNS NUMERIC LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF jsonb_typeof(v) <> 'number' THEN RETURN NULL; END IF;
    IF (v #>> '{}')::numeric < 0 OR (v #>> '{}')::numeric > max THEN RETURN NULL; END IF;
    RETURN (v #>> '{}')::numeric;
END
$$;

WITH "doc" AS (
    SELECT s."shopId", pg_temp.nearhub_jsonb(s."configJson") -> 'nodes' AS "nodes" FROM "ShippingSettings" s
), "ops" AS (
    SELECT d."shopId", e.key AS "nodeId", e.value AS "ops"
    FROM "doc" d, jsonb_each(CASE WHEN jsonb_typeof(d."nodes") = 'object' THEN d."nodes" ELSE '{}'::jsonb END) e
    WHERE jsonb_typeof(e.value) = 'object'
)
UPDATE "Node" n SET
    "holidaysJson" = CASE WHEN jsonb_typeof(o."ops" -> 'holidays') = 'array' THEN (o."ops" -> 'holidays')::text ELSE n."holidaysJson" END,
    "prepMinutes" = COALESCE(CASE WHEN pg_temp.nearhub_whole(o."ops" -> 'prepMinutes', 2147483647) = trunc(pg_temp.nearhub_whole(o."ops" -> 'prepMinutes', 2147483647))
        THEN pg_temp.nearhub_whole(o."ops" -> 'prepMinutes', 2147483647)::integer END, n."prepMinutes"),
    "makeSetupMinutes" = COALESCE(CASE WHEN pg_temp.nearhub_whole(o."ops" -> 'makeSetupMinutes', 2147483647) = trunc(pg_temp.nearhub_whole(o."ops" -> 'makeSetupMinutes', 2147483647))
        THEN pg_temp.nearhub_whole(o."ops" -> 'makeSetupMinutes', 2147483647)::integer END, n."makeSetupMinutes"),
    "makeMinutesPerUnit" = COALESCE(pg_temp.nearhub_whole(o."ops" -> 'makeMinutesPerUnit', 1e300)::double precision, n."makeMinutesPerUnit")
FROM "ops" o
WHERE o."shopId" = n."shopId" AND o."nodeId" = n."id";

UPDATE "ShippingSettings" SET "configJson" = (pg_temp.nearhub_jsonb("configJson") - 'nodes')::text, "version" = "version" + 1
WHERE pg_temp.nearhub_jsonb("configJson") ? 'nodes';

UPDATE "Shop" SET "configVersion" = "configVersion" + 1;

DROP FUNCTION pg_temp.nearhub_whole(JSONB, NUMERIC);
DROP FUNCTION pg_temp.nearhub_jsonb(TEXT);
