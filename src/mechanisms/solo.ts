import { abstain, assignAtCost } from './decision.js';
import type { Mechanism } from './types.js';

/** Always the same worker, reimbursed at cost; once it has failed the task there is nobody left. */
export function solo(workerId: string): Mechanism {
  return {
    name: `solo:${workerId}`,
    parameters: { worker: workerId },
    allocate: (_task, _bids, context) =>
      context.available.includes(workerId) ? assignAtCost([workerId]) : abstain({ reason: 'solo worker excluded' }),
  };
}
