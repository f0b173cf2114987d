-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "shopId" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "turn" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Job_name_state_turn_idx" ON "Job"("name", "state", "turn");

-- CreateIndex
CREATE INDEX "Job_name_shopId_state_turn_idx" ON "Job"("name", "shopId", "state", "turn");

