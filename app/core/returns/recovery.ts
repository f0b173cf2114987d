// How likely a returned unit is to sell again at a hub within the horizon, and how soon.
//
// Local sales of the SKU arrive as a Poisson process at `salesPerDay` (recent sales within the
// hub's service area, computed elsewhere from order history). A unit put back on the shelf sells
// once the `onHand` units ahead of it have sold, so it needs onHand + 1 sales:
//   P(resale within H days) = P(Poisson(salesPerDay × H) ≥ onHand + 1)
//   expected days to resale = (onHand + 1) / salesPerDay
// A stock-out (0 on hand while demand exists) is therefore the fastest place to resell.

export interface ResaleOdds {
  /** 0..1 */
  probability: number;
  /** Null when there is no local demand: it would not resell there. */
  expectedDays: number | null;
}

export function resaleOdds(salesPerDay: number, onHand: number, horizonDays: number): ResaleOdds {
  if (!(salesPerDay > 0) || !Number.isFinite(salesPerDay)) return { probability: 0, expectedDays: null };
  const needed = Math.max(0, Math.floor(onHand)) + 1;
  return { probability: poissonAtLeast(salesPerDay * horizonDays, needed), expectedDays: needed / salesPerDay };
}

/**
 * P(Poisson(mu) ≥ n), summing whichever tail is the smaller from its largest term outwards, so
 * neither a large mean (e^-mu underflows) nor a long shelf (millions of terms) costs accuracy or time.
 */
function poissonAtLeast(mu: number, n: number): number {
  const upper = n > mu;
  let k = upper ? n : n - 1;
  let term = Math.exp(-mu + k * Math.log(mu) - logFactorial(k));
  let sum = 0;
  while (term > 0 && term >= 1e-17 * sum && k >= 0) {
    sum += term;
    if (upper) term *= mu / ++k;
    else term *= k-- / mu;
  }
  return Math.min(1, Math.max(0, upper ? sum : 1 - sum));
}

function logFactorial(k: number): number {
  if (k < 20) {
    let f = 0;
    for (let i = 2; i <= k; i++) f += Math.log(i);
    return f;
  }
  // Stirling's series, accurate to about 1e-13 from k = 20.
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k) - 1 / (360 * k ** 3);
}
