import type { QuoteOption } from "./types";

export type OptionOrder = "price" | "cost";

function compare(by: OptionOrder) {
  return (a: QuoteOption, b: QuoteOption): number =>
    (by === "price" ? a.priceMinor - b.priceMinor : a.cost.totalMinor - b.cost.totalMinor) ||
    a.window.latestMs - b.window.latestMs ||
    (a.serviceCode < b.serviceCode ? -1 : a.serviceCode > b.serviceCode ? 1 : 0);
}

/**
 * Sorts in place: by shopper price ("price", checkout) or by landed cost to the merchant
 * ("cost", routing), then by the promised latest arrival, then by service code, so the order is total.
 */
export function sortOptions(options: QuoteOption[], by: OptionOrder = "price"): QuoteOption[] {
  return options.sort(compare(by));
}

/** The first option in that order, without reordering the input; null when there is none. */
export function chooseCheapest(options: readonly QuoteOption[], by: OptionOrder = "price"): QuoteOption | null {
  const cmp = compare(by);
  let best: QuoteOption | null = null;
  for (const o of options) if (best === null || cmp(o, best) < 0) best = o;
  return best;
}
