import { abstain, assignAtCost } from './decision.js';
import { workerRecords } from './history-stats.js';
import type { Mechanism } from './types.js';

/**
 * The available worker with the highest historical pass rate (smoothed, fitted on other tasks),
 * reimbursed at cost; ties go to the roster order. Unfitted, every worker has rate ½ and the
 * roster order decides.
 */
export function strongest(passRates: Record<string, number> = {}): Mechanism {
  return {
    name: 'strongest',
    parameters: {},
    fit: (history) => {
      const records = workerRecords(history);
      const rates: Record<string, number> = {};
      for (const [workerId, record] of Object.entries(records)) rates[workerId] = record.passRate;
      return strongest(rates);
    },
    allocate: (_task, _bids, context) => {
      let best: string | undefined;
      for (const workerId of context.available) {
        if (best === undefined || (passRates[workerId] ?? 0.5) > (passRates[best] ?? 0.5)) best = workerId;
      }
      return best === undefined ? abstain() : assignAtCost([best], { passRate: passRates[best] ?? 0.5 });
    },
  };
}
