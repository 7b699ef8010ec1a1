import type { Bid } from './bid.js';
import type { PricedPlan } from './plan.js';

/**
 * The menu a plan mechanism reads from a bid: its `plans` when it has them, else the single-point
 * bid as a menu of one plan with no caps (its p, tokens, ask and expected cost), so a plan
 * mechanism on single-point bids allocates exactly as its single-point counterpart.
 */
export function bidPlanMenu(bid: Bid): PricedPlan[] {
  if (bid.plans && bid.plans.length > 0) return bid.plans;
  return [
    {
      pSuccess: bid.pSuccess,
      expectedTokens: bid.expectedTokens ?? 0,
      ask: bid.ask,
      expectedCost: bid.expectedCost,
    },
  ];
}
