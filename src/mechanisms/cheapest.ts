import { abstain, assignAtCost } from './decision.js';
import type { Mechanism } from './types.js';

/**
 * The available worker with the lowest expected cost in its bid, reimbursed at cost (ties to the
 * roster order). Workers without a bid are not considered. With several rounds this is a
 * cheap-first cascade by stated cost.
 */
export function cheapest(): Mechanism {
  return {
    name: 'cheapest',
    parameters: {},
    allocate: (_task, bids, context) => {
      let best: { workerId: string; cost: number } | undefined;
      for (const workerId of context.available) {
        const bid = bids.find((candidate) => candidate.workerId === workerId);
        if (bid && (best === undefined || bid.expectedCost < best.cost)) best = { workerId, cost: bid.expectedCost };
      }
      return best ? assignAtCost([best.workerId], { expectedCost: best.cost }) : abstain({ reason: 'no bids' });
    },
  };
}
