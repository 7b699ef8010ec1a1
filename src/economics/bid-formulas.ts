/**
 * Breakeven bid b* = (ĉ + F·(1 − p)) / p of the reserve-price auction (DESIGN.md §5): the
 * smallest payment on success at which taking the task has non-negative expected profit
 * p·b − ĉ − (1 − p)·F. Infinite when p = 0 (certain failure is never worth taking).
 */
export function breakevenBid({
  p,
  expectedCost,
  penalty,
}: {
  /** Stated probability of success, in [0, 1]. */
  p: number;
  /** Estimated execution cost ĉ = T̂·π in USD. */
  expectedCost: number;
  /** Failure penalty F in USD. */
  penalty: number;
}): number {
  if (!(p > 0)) return Number.POSITIVE_INFINITY;
  return (expectedCost + penalty * (1 - p)) / p;
}

/** Default failure-penalty rate of the scoring auction: φ = 0.10·B·(0.5 + p). */
export const SCORING_PENALTY_RATE = 0.1;

/**
 * Failure penalty φ = rate·B·(0.5 + p) of the paper's scoring auction: a confident bidder that
 * fails is penalised more.
 */
export function scoringFailurePenalty({
  bounty,
  p,
  penaltyRate = SCORING_PENALTY_RATE,
}: {
  /** Bounty B of the task. */
  bounty: number;
  /** Stated probability of success. */
  p: number;
  /** Rate in φ = rate·B·(0.5 + p); default 0.10. */
  penaltyRate?: number;
}): number {
  return penaltyRate * bounty * (0.5 + p);
}

/**
 * Score of a bid in the paper's scoring auction (live market): p·B − a − e − (1 − p)·φ with
 * φ = penaltyRate·B·(0.5 + p). Higher is better for the principal; bids scoring ≤ 0 are dropped.
 */
export function scoringAuctionScore({
  bounty,
  ask,
  p,
  expectedCost,
  penaltyRate = SCORING_PENALTY_RATE,
}: {
  /** Bounty B of the task. */
  bounty: number;
  /** The bidder's ask a. */
  ask: number;
  /** Stated probability of success. */
  p: number;
  /** Operator's expected execution cost e. */
  expectedCost: number;
  /** Rate in φ = rate·B·(0.5 + p); default 0.10. */
  penaltyRate?: number;
}): number {
  const phi = scoringFailurePenalty({ bounty, p, penaltyRate });
  return p * bounty - ask - expectedCost - (1 - p) * phi;
}
