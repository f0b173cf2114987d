-- GDPR requests are "privacy" now ("compliance" is kept for permits): the table is renamed, its rows
-- kept, and its constraints and index take the names Prisma gives PrivacyRequest. Hand-written:
-- Prisma's diff drops ComplianceRequest and creates PrivacyRequest (ADR 0020).
ALTER TABLE "ComplianceRequest" RENAME TO "PrivacyRequest";
ALTER TABLE "PrivacyRequest" RENAME CONSTRAINT "ComplianceRequest_pkey" TO "PrivacyRequest_pkey";
ALTER TABLE "PrivacyRequest" RENAME CONSTRAINT "ComplianceRequest_shopId_fkey" TO "PrivacyRequest_shopId_fkey";
ALTER INDEX "ComplianceRequest_shopId_idx" RENAME TO "PrivacyRequest_shopId_idx";
