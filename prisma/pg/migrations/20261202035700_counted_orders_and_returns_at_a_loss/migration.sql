-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "nodeId" TEXT;

-- AlterTable
ALTER TABLE "ReturnSettings" ADD COLUMN     "shipBackAtALoss" BOOLEAN NOT NULL DEFAULT false;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE SET NULL ON UPDATE CASCADE;

