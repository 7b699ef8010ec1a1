import { abstain } from './decision.js';
import { pickBest } from './pick.js';
import type { Mechanism } from './types.js';

/** Options of the price-only procurement auctions. */
export interface ProcurementOptions {
  /** Highest ask the principal accepts, USD; default none. */
  reserve?: number;
}

/**
 * Procurement auction on price alone: the lowest ask (at most the reserve, if any) wins; ties to
 * the roster order. `first-price` pays the winner its ask; `second-price` pays the next-lowest
 * ask, capped at the reserve (the reserve itself, or the winner's own ask without a reserve, when
 * nobody else bids). Paid for the attempt whatever its outcome; the worker bears its execution cost.
 */
export function procurementAuction(rule: 'first-price' | 'second-price', options: ProcurementOptions = {}): Mechanism {
  const reserve = options.reserve;
  return {
    name: `${rule}${reserve === undefined ? '' : `:reserve=${reserve}`}`,
    parameters: { rule, ...(reserve === undefined ? {} : { reserve }) },
    allocate: (_task, bids, context) => {
      const eligible = bids
        .filter((bid) => reserve === undefined || bid.ask <= reserve)
        .sort((a, b) => context.roster.indexOf(a.workerId) - context.roster.indexOf(b.workerId));
      const best = pickBest(eligible, (a, b) => a.ask - b.ask);
      const winner = eligible[best];
      if (!winner) return abstain({ reason: 'no eligible ask' });
      let price = winner.ask;
      if (rule === 'second-price') {
        const others = eligible.filter((_, index) => index !== best).map((bid) => bid.ask);
        const second = others.length > 0 ? Math.min(...others) : Number.POSITIVE_INFINITY;
        price = Math.min(second, reserve ?? Number.POSITIVE_INFINITY);
        if (!Number.isFinite(price)) price = winner.ask;
      }
      return {
        workerIds: [winner.workerId],
        payments: [{ workerId: winner.workerId, amount: price, reason: rule, when: 'always' }],
        reimburseCost: false,
        detail: { asks: Object.fromEntries(eligible.map((bid) => [bid.workerId, bid.ask])), price },
      };
    },
  };
}
