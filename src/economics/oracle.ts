import type { ReserveTreatment } from './reserve-treatment.js';

/**
 * Profit of the perfect-knowledge oracle in the reserve auction (the paper's upper bound): it
 * knows the outcome y. When y = 1 it bids its estimated cost ĉ (the breakeven bid at p = 1) and,
 * in `pay-reserve`/`known-first-price`, earns r − ĉ on draws with ĉ ≤ r: (R − ĉ)²/(2R) in closed
 * form. In `hidden-first-price` it asks (ĉ + R)/2 and earns (R − ĉ)²/(4R). When y = 0 it abstains
 * and earns 0. Like the paper's realized profit, it is priced at the ESTIMATED cost ĉ.
 * With `reserves` the figure is the Monte Carlo average over those draws.
 */
export function oracleReserveProfit(options: {
  /** The outcome the oracle knows. */
  y: 0 | 1;
  /** Estimated cost ĉ in USD. */
  expectedCost: number;
  /** R of r ~ U[0, R]. */
  maxReserve: number;
  /** Auction treatment (default `pay-reserve`). */
  treatment?: ReserveTreatment;
  /** Reserve draws for Monte Carlo; omit for the closed form. */
  reserves?: ArrayLike<number> | undefined;
}): number {
  const { y, expectedCost, maxReserve: R, treatment = 'pay-reserve', reserves } = options;
  if (y !== 1) return 0;
  const hidden = treatment === 'hidden-first-price';
  const bid = hidden ? (expectedCost + R) / 2 : expectedCost;
  if (reserves !== undefined) {
    if (reserves.length === 0) return Number.NaN;
    let sum = 0;
    for (let k = 0; k < reserves.length; k++) {
      const r = reserves[k] as number;
      if (bid <= r) sum += (hidden ? bid : r) - expectedCost;
    }
    return sum / reserves.length;
  }
  if (!(expectedCost <= R) || !(R > 0)) return 0;
  const gap = R - Math.max(0, expectedCost);
  return hidden ? (gap * gap) / (4 * R) : (gap * gap) / (2 * R);
}
