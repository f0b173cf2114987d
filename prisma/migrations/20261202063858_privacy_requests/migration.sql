-- GDPR requests are "privacy" now ("compliance" is kept for permits): the table is renamed, its rows
-- kept. Hand-written: Prisma's diff drops ComplianceRequest and creates PrivacyRequest (ADR 0020).
ALTER TABLE "ComplianceRequest" RENAME TO "PrivacyRequest";

-- SQLite cannot rename an index: the old one goes, the same one comes under the new name.
DROP INDEX "ComplianceRequest_shopId_idx";
CREATE INDEX "PrivacyRequest_shopId_idx" ON "PrivacyRequest"("shopId");

