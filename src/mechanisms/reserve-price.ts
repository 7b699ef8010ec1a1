import { breakevenBid, type ReserveTreatment, reserveBid } from '../economics/index.js';
import { abstain } from './decision.js';
import { pickBest } from './pick.js';
import type { Mechanism } from './types.js';

/** Parameters of the reserve-price auction (DESIGN.md §5, the paper's Phase I auction). */
export interface ReserveAuctionOptions {
  /** Bidders considered; one worker makes it the single-bidder auction; default everyone who bids. */
  workers?: string[];
  /** Failure penalty F in USD (default 2). */
  penalty?: number;
  /** R of the reserve r ~ Uniform[0, R] in USD (default 1). */
  maxReserve?: number;
  /** `pay-reserve` (default), `hidden-first-price` or `known-first-price`. */
  treatment?: ReserveTreatment;
}

/**
 * Reserve-price auction: each round draws r ~ U[0, R]; each bidder's price is its breakeven bid
 * b* = (e + F(1 − p))/p (the ask (b* + R)/2 under `hidden-first-price`); among prices ≤ r the
 * lowest wins (ties to the roster order). The winner is paid r on success (its ask under
 * `hidden-first-price`) and pays the penalty F on failure; it bears its own execution cost.
 * Nobody at or under the reserve: the principal abstains.
 */
export function reserveAuction(options: ReserveAuctionOptions = {}): Mechanism {
  const penalty = options.penalty ?? 2;
  const maxReserve = options.maxReserve ?? 1;
  const treatment = options.treatment ?? 'pay-reserve';
  const workers = options.workers;
  const name = `reserve${workers ? `:${workers.join('>')}` : ''}${options.penalty === undefined ? '' : `:F=${penalty}`}${
    options.maxReserve === undefined ? '' : `:R=${maxReserve}`
  }${options.treatment === undefined ? '' : `:treatment=${treatment}`}`;
  return {
    name,
    parameters: { penalty, maxReserve, treatment, ...(workers ? { workers } : {}) },
    allocate: (_task, bids, context, random) => {
      const reserve = random.uniform(0, maxReserve);
      const priced = bids
        .filter((bid) => workers === undefined || workers.includes(bid.workerId))
        .map((bid) => {
          const breakeven = breakevenBid({ p: bid.pSuccess, expectedCost: bid.expectedCost, penalty });
          return { workerId: bid.workerId, breakeven, price: reserveBid({ breakeven, maxReserve, treatment }) };
        })
        .filter((entry) => entry.price <= reserve)
        .sort((a, b) => context.roster.indexOf(a.workerId) - context.roster.indexOf(b.workerId));
      const best = pickBest(priced, (a, b) => a.price - b.price);
      const winner = priced[best];
      const detail = { reserve, prices: Object.fromEntries(priced.map((entry) => [entry.workerId, entry.price])) };
      if (!winner) return abstain(detail);
      const pay = treatment === 'hidden-first-price' ? winner.price : reserve;
      return {
        workerIds: [winner.workerId],
        payments: [
          { workerId: winner.workerId, amount: pay, reason: 'reserve-award', when: 'success' },
          { workerId: winner.workerId, amount: -penalty, reason: 'failure-penalty', when: 'failure' },
        ],
        reimburseCost: false,
        detail,
      };
    },
  };
}
