import { breakevenBid } from './bid-formulas.js';
import { reserveBid } from './reserve-auction.js';
import type { ReserveTreatment } from './reserve-treatment.js';

/** One bidder of a several-bidder reserve auction on one task. */
export interface ReserveBidder {
  /** Stated probability of success. */
  p: number;
  /** Estimated cost ĉ in USD. */
  expectedCost: number;
}

/** Who wins a several-bidder reserve auction, on average over the reserve. */
export interface MultiBidderResult {
  /** Expected wins per bidder (same order as the input): a share of the draws, ties split equally. */
  wins: number[];
  /** Probability that anyone wins (some bid ≤ r). */
  fillRate: number;
}

/**
 * Several bidders on one task facing one reserve r ~ U[0, R]: among the bids ≤ r the lowest
 * wins (ties split equally). The bid is b* in `pay-reserve`, the ask (b* + R)/2 in
 * `hidden-first-price`; in `known-first-price` every eligible bidder asks r, so asks tie and the
 * tie goes to the lowest b* (the bidder who could have gone lowest), giving the same winners as
 * `pay-reserve`. Closed form: only the lowest bid ever wins, with probability (R − b_min)/R;
 * with `reserves` the figures are averages over those draws.
 */
export function multiBidderWins(options: {
  /** The bidders. */
  bidders: readonly ReserveBidder[];
  /** Failure penalty F. */
  penalty: number;
  /** R of r ~ U[0, R]. */
  maxReserve: number;
  /** Treatment (default `pay-reserve`). */
  treatment?: ReserveTreatment;
  /** Reserve draws for Monte Carlo; omit for the closed form. */
  reserves?: ArrayLike<number> | undefined;
}): MultiBidderResult {
  const { bidders, penalty, maxReserve, treatment = 'pay-reserve', reserves } = options;
  const bids = bidders.map((bidder) =>
    reserveBid({ breakeven: breakevenBid({ p: bidder.p, expectedCost: bidder.expectedCost, penalty }), maxReserve, treatment }),
  );
  const lowest = Math.min(...bids);
  const leaders: number[] = [];
  bids.forEach((bid, i) => {
    if (bid === lowest) leaders.push(i);
  });
  const wins = bids.map(() => 0);
  // The lowest bid wins whenever anyone does, so P(fill) = P(b_min ≤ r).
  let fillRate: number;
  if (reserves === undefined) {
    fillRate = lowest <= maxReserve && maxReserve > 0 ? (maxReserve - Math.max(0, lowest)) / maxReserve : 0;
  } else {
    let filled = 0;
    for (let k = 0; k < reserves.length; k++) if (lowest <= (reserves[k] as number)) filled++;
    fillRate = reserves.length > 0 ? filled / reserves.length : Number.NaN;
  }
  for (const i of leaders) wins[i] = fillRate / leaders.length;
  return { wins, fillRate };
}
