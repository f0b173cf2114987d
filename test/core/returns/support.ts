// Builders for the returns tests: the New York network of ../fixtures.ts prepared for costing,
// and return requests with sensible defaults.
import { prepareCosting, type CostingNetwork } from "../../../app/core/costing/network";
import type { CostingConfigInput } from "../../../app/core/costing/config";
import type { NetworkSnapshot } from "../../../app/core/network/types";
import type { ReturnLine, ReturnOrigin, ReturnRequest } from "../../../app/core/returns";
import { addresses, nycConfig, nycSnapshot, products } from "../fixtures";

export const NOW = Date.parse("2025-06-10T16:00:00Z");
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export function network(edit: (s: NetworkSnapshot) => void = () => {}, config: CostingConfigInput = nycConfig()): CostingNetwork {
  const snapshot = nycSnapshot();
  edit(snapshot);
  return prepareCosting(snapshot, config);
}

export function returnLine(over: Partial<ReturnLine> = {}): ReturnLine {
  const product = over.product ?? products.hoodie();
  return {
    lineId: "L1",
    product,
    quantity: 1,
    unitPriceMinor: product.valueMinor,
    reason: "SIZE_TOO_SMALL",
    condition: "OPENED",
    tags: [],
    ...over,
  };
}

export function returnRequest(over: Partial<ReturnRequest> & { from?: ReturnOrigin } = {}): ReturnRequest {
  return {
    returnId: "R1",
    deliveredAt: NOW - 5 * DAY,
    from: { ...addresses.williamsburg, province: "NY" },
    lines: [returnLine()],
    ...over,
  };
}
