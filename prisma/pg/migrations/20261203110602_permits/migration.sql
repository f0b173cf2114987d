-- CreateTable
CREATE TABLE "Permit" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT,
    "jurisdiction" TEXT NOT NULL,
    "number" TEXT,
    "issuer" TEXT,
    "issuedOn" TEXT NOT NULL,
    "expiresOn" TEXT,
    "recurrence" TEXT NOT NULL,
    "graceDays" INTEGER NOT NULL DEFAULT 0,
    "leadDays" INTEGER NOT NULL DEFAULT 60,
    "feeMinor" INTEGER,
    "owner" TEXT,
    "ownerEmail" TEXT,
    "gatesJson" TEXT NOT NULL DEFAULT '[]',
    "suspended" BOOLEAN NOT NULL DEFAULT false,
    "suspendedReason" TEXT,
    "reminderOffsetsJson" TEXT NOT NULL DEFAULT '[60,30,7,1]',
    "notes" TEXT,
    "templateId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Permit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PermitReminder" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "permitId" TEXT NOT NULL,
    "cycle" TEXT NOT NULL,
    "offsetDays" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PermitReminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PermitTask" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "permitId" TEXT NOT NULL,
    "cycle" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'OPEN',
    "owner" TEXT,
    "checklistJson" TEXT NOT NULL DEFAULT '[]',
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "renewedTo" TEXT,

    CONSTRAINT "PermitTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PermitDocument" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "permitId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "uploadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PermitDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PermitProposal" (
    "shopId" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "templateId" TEXT NOT NULL,
    "dismissedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PermitProposal_pkey" PRIMARY KEY ("shopId","subjectType","subjectId","templateId")
);

-- CreateTable
CREATE TABLE "ComplianceSettings" (
    "shopId" TEXT NOT NULL,
    "reminderEmail" TEXT,
    "reminderWebhookUrl" TEXT,
    "calendarTokenHash" TEXT,
    "calendarTokenHint" TEXT,
    "calendarTokenCreated" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ComplianceSettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateIndex
CREATE INDEX "Permit_shopId_subjectType_subjectId_idx" ON "Permit"("shopId", "subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "PermitReminder_shopId_status_idx" ON "PermitReminder"("shopId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "PermitReminder_permitId_cycle_offsetDays_channel_key" ON "PermitReminder"("permitId", "cycle", "offsetDays", "channel");

-- CreateIndex
CREATE INDEX "PermitTask_shopId_state_idx" ON "PermitTask"("shopId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "PermitTask_permitId_cycle_key" ON "PermitTask"("permitId", "cycle");

-- CreateIndex
CREATE UNIQUE INDEX "PermitDocument_storageKey_key" ON "PermitDocument"("storageKey");

-- CreateIndex
CREATE INDEX "PermitDocument_shopId_permitId_idx" ON "PermitDocument"("shopId", "permitId");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceSettings_calendarTokenHash_key" ON "ComplianceSettings"("calendarTokenHash");

-- AddForeignKey
ALTER TABLE "Permit" ADD CONSTRAINT "Permit_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PermitReminder" ADD CONSTRAINT "PermitReminder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PermitReminder" ADD CONSTRAINT "PermitReminder_permitId_fkey" FOREIGN KEY ("permitId") REFERENCES "Permit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PermitTask" ADD CONSTRAINT "PermitTask_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PermitTask" ADD CONSTRAINT "PermitTask_permitId_fkey" FOREIGN KEY ("permitId") REFERENCES "Permit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PermitDocument" ADD CONSTRAINT "PermitDocument_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PermitDocument" ADD CONSTRAINT "PermitDocument_permitId_fkey" FOREIGN KEY ("permitId") REFERENCES "Permit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PermitProposal" ADD CONSTRAINT "PermitProposal_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplianceSettings" ADD CONSTRAINT "ComplianceSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

