import { assignAtCost } from './decision.js';
import type { Mechanism } from './types.js';

/** Every available worker attempts at once; solved if any resolves; the principal pays every cost. */
export function parallelAll(): Mechanism {
  return {
    name: 'parallel-all',
    parameters: {},
    allocate: (_task, _bids, context) => assignAtCost(context.available.slice()),
  };
}
