-- GDPR requests are "privacy" now ("compliance" is kept for permits): the table is renamed, its rows
-- kept. Hand-written: Prisma's diff drops ComplianceRequest and creates PrivacyRequest (ADR 0019).
ALTER TABLE "ComplianceRequest" RENAME TO "PrivacyRequest";

-- SQLite cannot rename an index: the old one goes, the same one comes under the new name.
DROP INDEX "ComplianceRequest_shopId_idx";
CREATE INDEX "PrivacyRequest_shopId_idx" ON "PrivacyRequest"("shopId");

-- Not about privacy: 20261202035700_counted_orders_and_returns_at_a_loss rebuilt "Order" on SQLite without
-- the index 20261202023629_webhook_resources had added (the two were made in parallel), so databases
-- migrated since lack what schema.prisma says. Restored here; IF NOT EXISTS in case another fix lands first.
CREATE INDEX IF NOT EXISTS "Order_shopId_shopifyOrderId_idx" ON "Order"("shopId", "shopifyOrderId");
