import { abstain, assignAtCost } from './decision.js';
import type { Mechanism } from './types.js';

/**
 * The allocator that knows every outcome: the cheapest worker (by actual cost) that resolves the
 * task, reimbursed at cost; abstains when no worker resolves it. Ties go to the roster order.
 */
export function oracle(): Mechanism {
  return {
    name: 'oracle',
    parameters: {},
    usesOutcomes: true,
    allocate: (_task, _bids, context) => {
      const reveal = context.reveal;
      if (!reveal) throw new Error('oracle: the driver did not reveal outcomes');
      let best: { workerId: string; cost: number } | undefined;
      for (const workerId of context.available) {
        const record = reveal(workerId);
        if (record.resolved && (best === undefined || record.costUsd < best.cost)) {
          best = { workerId, cost: record.costUsd };
        }
      }
      return best ? assignAtCost([best.workerId]) : abstain({ reason: 'no worker resolves the task' });
    },
  };
}
