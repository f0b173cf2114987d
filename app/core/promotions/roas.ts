// Return on ad spend, in basis points (10000 = 1.00x). Nearhub's headline figure is the profit
// ROAS: what an ad's orders leave after their landed cost (forward delivery and expected return)
// and after the ad spend itself, per unit of spend; 0 is break-even. The plain revenue ROAS sits
// beside it because that is what the ad platforms report.

export const ROAS_BASES = ["PROFIT", "REVENUE"] as const;
export type RoasBasis = (typeof ROAS_BASES)[number];

/** Revenue ÷ spend in basis points; null before any spend. */
export function roasBps(revenueMinor: number, spendMinor: number): number | null {
  if (!(spendMinor > 0)) return null;
  return Math.round((revenueMinor * 10_000) / spendMinor);
}

/** (Revenue − landed cost − spend) ÷ spend in basis points (negative when the ads lose money); null before any spend. */
export function profitRoasBps(revenueMinor: number, landedCostMinor: number, spendMinor: number): number | null {
  if (!(spendMinor > 0)) return null;
  return Math.round(((revenueMinor - landedCostMinor - spendMinor) * 10_000) / spendMinor);
}

/** The ROAS a guardrail judges on the given basis. */
export function roasOn(basis: RoasBasis, revenueMinor: number, landedCostMinor: number, spendMinor: number): number | null {
  return basis === "PROFIT" ? profitRoasBps(revenueMinor, landedCostMinor, spendMinor) : roasBps(revenueMinor, spendMinor);
}
