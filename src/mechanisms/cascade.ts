import { abstain, assignAtCost } from './decision.js';
import type { Mechanism } from './types.js';

/**
 * A fixed-order cascade: each round the first worker of `order` that has not yet failed the
 * task, reimbursed at cost; abstains when the order is exhausted.
 */
export function cascade(order: string[]): Mechanism {
  return {
    name: `cascade:${order.join('>')}`,
    parameters: { order },
    allocate: (_task, _bids, context) => {
      const next = order.find((workerId) => context.available.includes(workerId));
      return next === undefined ? abstain({ reason: 'order exhausted' }) : assignAtCost([next]);
    },
  };
}
