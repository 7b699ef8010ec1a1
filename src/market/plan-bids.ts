import type { Bid } from '../core/bid.js';
import { type Plan, type PricedPlan, pricePlanMenu } from '../core/plan.js';
import { type MarketSettings, usdToMarket } from './settings.js';

/** One worker's menu as a plan arm cleared it (stored in the allocation's detail). */
export interface PlanBidDetail {
  /** The worker. */
  workerId: string;
  /** Its menu priced in the market's currency (ask = expected cost, capped by each plan's budget); null without a valid menu. */
  plans: PricedPlan[] | null;
  /** Why the worker has no menu, when it has none. */
  reason: string | null;
}

/**
 * The bids a plan arm clears on: each valid menu becomes a bid whose `plans` are the menu priced
 * in the market's currency — expected cost = stated tokens × the worker's price, capped by the
 * plan's budget, and ask = that cost (the worker is reimbursed what its plan is expected to cost) —
 * and whose single-point fields are its largest plan's. A worker without a valid menu has no bid
 * (the plan mechanism adds the fallback bid when `forceBids` is on).
 */
export function armPlanBids(input: {
  /** The task. */
  taskId: string;
  /** Each worker's checked menu (null when invalid or missing) and blended USD price per token. */
  replies: readonly { workerId: string; menu: readonly Plan[] | null; reason: string | null; blendedPrice: number }[];
  /** Market settings (currency). */
  settings: Pick<MarketSettings, 'currency' | 'creditsPerUsd'>;
}): { bids: Bid[]; details: PlanBidDetail[] } {
  const scale = usdToMarket(1, input.settings);
  const bids: Bid[] = [];
  const details: PlanBidDetail[] = [];
  for (const reply of input.replies) {
    if (!reply.menu || reply.menu.length === 0) {
      details.push({ workerId: reply.workerId, plans: null, reason: reply.reason ?? 'no menu' });
      continue;
    }
    const plans = pricePlanMenu({ menu: reply.menu, pricePerToken: reply.blendedPrice, scale });
    const top = plans[plans.length - 1] as PricedPlan;
    bids.push({
      workerId: reply.workerId,
      taskId: input.taskId,
      ask: top.ask,
      pSuccess: top.pSuccess,
      expectedCost: top.expectedCost,
      expectedTokens: top.expectedTokens,
      fallback: false,
      plans,
    });
    details.push({ workerId: reply.workerId, plans, reason: null });
  }
  return { bids, details };
}

/** One attempt a plan arm ran under the plan its worker won (what the report's plans section reads). */
export interface PlanAttemptRow {
  /** The arm. */
  arm: string;
  /** The task. */
  taskId: string;
  /** The worker. */
  workerId: string;
  /** The round. */
  round: number;
  /** Whether it was judged resolved. */
  resolved: boolean;
  /** Actual USD of the attempt. */
  costUsd: number;
  /** The plan won: its caps bound the attempt; its p is what the worker stated for them. */
  plan: PricedPlan;
  /** Why the agent stopped (`budget_exhausted` when the caps stopped it). */
  exitReason: string | null;
}
