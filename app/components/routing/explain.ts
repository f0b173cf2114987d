// Merchant words for the routing core's loss codes (app/core/routing/types.ts LOSS_CODES).
export const LOSS_LABELS: Record<string, { label: string; tone: "critical" | "warning" | "info" | undefined }> = {
  COST: { label: "Costs more", tone: undefined },
  DISABLED: { label: "Disabled", tone: "critical" },
  NO_STOCK: { label: "No stock", tone: "warning" },
  OVER_CAPACITY: { label: "Over capacity", tone: "warning" },
  MAKE_CAPACITY: { label: "Cannot make it today", tone: "warning" },
  NO_LOCATION: { label: "No Shopify location", tone: "critical" },
  OUTSIDE_SERVICE_AREA: { label: "Out of its area", tone: undefined },
  HOLIDAY: { label: "Closed (holiday)", tone: "warning" },
  CLOSED: { label: "Closed", tone: "warning" },
  PAST_CUTOFF: { label: "Past the cut-off", tone: "warning" },
  LEAD_TIME: { label: "Too slow to make", tone: "warning" },
  NOT_PRICED: { label: "No rate for this", tone: undefined },
  CORRIDOR_UNAVAILABLE: { label: "Corridor closed", tone: "warning" },
  NO_SERVICE: { label: "No service fits", tone: undefined },
  BROKE_PROMISE: { label: "Breaks the promise", tone: "critical" },
  LEFT_CHOSEN_NODE: { label: "Leaves the shopper's node", tone: "warning" },
  STOCK_TAKEN: { label: "Stock went to other orders", tone: "warning" },
  CAPACITY_TAKEN: { label: "Capacity went to other orders", tone: "warning" },
  MAKE_CAPACITY_TAKEN: { label: "Making capacity taken", tone: "warning" },
  UNKNOWN_PRODUCT: { label: "Unknown product", tone: "critical" },
};

export function lossLabel(code: string) {
  return LOSS_LABELS[code] ?? { label: code.toLowerCase().replace(/_/g, " "), tone: undefined };
}

export const SERVICE_WORDS: Record<string, string> = {
  SAME_DAY: "same day",
  NEXT_DAY: "next day",
  STANDARD: "standard carrier",
  AUTONOMOUS: "robot corridor",
  PICKUP: "pickup",
};

export const PROMISE_WORDS: Record<string, string> = {
  KEPT: "kept",
  NODE_CHANGED: "kept, from another node",
  BROKEN: "broken",
};
