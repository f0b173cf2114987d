-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "key" TEXT NOT NULL DEFAULT '',
    "slot" TEXT,
    "payloadJson" TEXT NOT NULL DEFAULT '{}',
    "state" TEXT NOT NULL DEFAULT 'created',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 1,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" DATETIME,
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "shopId" TEXT NOT NULL DEFAULT '',
    "turn" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_Job" ("attempts", "createdAt", "finishedAt", "id", "key", "lastError", "lockedBy", "lockedUntil", "maxAttempts", "name", "payloadJson", "runAt", "slot", "startedAt", "state") SELECT "attempts", "createdAt", "finishedAt", "id", "key", "lastError", "lockedBy", "lockedUntil", "maxAttempts", "name", "payloadJson", "runAt", "slot", "startedAt", "state" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE UNIQUE INDEX "Job_slot_key" ON "Job"("slot");
CREATE INDEX "Job_state_runAt_idx" ON "Job"("state", "runAt");
CREATE INDEX "Job_name_createdAt_idx" ON "Job"("name", "createdAt");
CREATE INDEX "Job_name_state_turn_idx" ON "Job"("name", "state", "turn");
CREATE INDEX "Job_name_shopId_state_turn_idx" ON "Job"("name", "shopId", "state", "turn");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

