import { z } from 'zod';
import { bidPlanMenu, PricedPlanSchema } from '../core/index.js';
import { scoringAuctionScore } from '../economics/index.js';
import { abstain } from './decision.js';
import { pickBest } from './pick.js';
import {
  type ScoringAuctionOptions,
  type ScoringHistory,
  type ScoringRoundOptions,
  scoringHistory,
  scoringRoundOptions,
  scoringSettings,
  withFallbackBids,
} from './scoring-auction.js';
import type { Mechanism, MechanismDecision } from './types.js';

/** The plan that won a plan auction's round, as its decision's (and allocation's) `detail.plan` records it. */
export const WinningPlanSchema = PricedPlanSchema.extend({
  /** The worker that won. */
  workerId: z.string().min(1),
  /** Index of the plan in the worker's menu as bid (0-based). */
  index: z.number().int().nonnegative(),
});

/** The plan that won a plan auction's round. */
export type WinningPlan = z.infer<typeof WinningPlanSchema>;

/**
 * The winning plan recorded in an allocation's detail (e.g. read back from the store), or null
 * when the allocation is not a plan mechanism's or names no valid plan.
 */
export function winningPlanOf(detail: Record<string, unknown>): WinningPlan | null {
  const parsed = WinningPlanSchema.safeParse(detail.plan);
  return parsed.success ? parsed.data : null;
}

/**
 * One round of the scoring auction over (worker, plan) pairs (issue #17): every plan of every
 * bid's menu is scored p·B − a − e − (1 − p)·φ with the plan's p, ask and capped expected cost,
 * φ = rate·B·(0.5 + p) at the plan's p. Pairs scoring ≤ 0 are dropped; the highest score wins;
 * ties go to higher reputation, lower ETA, the roster order, then the cheaper plan (the menu's
 * order). A single-point bid is a menu of one, so on single-point bids this is `scoringRound`.
 * The winner is paid its plan's ask; the decision names the plan so its caps can be enforced.
 */
export function scoringPlansRound(options: ScoringRoundOptions): MechanismDecision {
  const { bounty, penaltyRate, context, learned } = options;
  const all = withFallbackBids(options);
  const pairs = all.flatMap((bid) =>
    bidPlanMenu(bid).map((plan, index) => ({
      bid,
      plan,
      index,
      score: scoringAuctionScore({ bounty, ask: plan.ask, p: plan.pSuccess, expectedCost: plan.expectedCost, penaltyRate }),
      reputation: learned.reputation[bid.workerId] ?? 0,
      eta: bid.etaSeconds ?? Number.POSITIVE_INFINITY,
      order: context.roster.indexOf(bid.workerId),
    })),
  );
  const planScores: Record<string, number[]> = {};
  for (const pair of pairs) planScores[pair.bid.workerId] = [...(planScores[pair.bid.workerId] ?? []), pair.score];
  const scored = pairs.filter((pair) => pair.score > 0).sort((a, b) => a.order - b.order || a.index - b.index);
  const best = pickBest(scored, (a, b) => b.score - a.score || b.reputation - a.reputation || a.eta - b.eta);
  const scores: Record<string, number> = {};
  for (const pair of scored) scores[pair.bid.workerId] = Math.max(scores[pair.bid.workerId] ?? Number.NEGATIVE_INFINITY, pair.score);
  const detail = { bounty, scores, planScores };
  const winner = scored[best];
  if (!winner) return abstain(detail);
  const workerId = winner.bid.workerId;
  const plan: WinningPlan = { ...winner.plan, workerId, index: winner.index };
  return {
    workerIds: [workerId],
    payments: [{ workerId, amount: winner.plan.ask, reason: 'ask', when: 'always' }],
    reimburseCost: false,
    detail: { ...detail, fallback: winner.bid.fallback, plan },
    plans: { [workerId]: winner.plan },
  };
}

/**
 * `scoring:plans`: the paper's scoring auction over (worker, plan) pairs (see `scoringPlansRound`),
 * with its defaults (B = V in replay, φ = 0.10·B·(0.5 + p) at the plan's p, fallback bids on, up
 * to `maxAttempts` rounds with a failed worker excluded). Reputation for tie-breaks is fitted on
 * history (cross-fitted).
 */
export function scoringPlans(options: ScoringAuctionOptions = {}, learned?: ScoringHistory): Mechanism {
  const settings = scoringSettings(options);
  const { penaltyRate, forceBids } = settings;
  return {
    name: `scoring:plans${settings.nameSuffix}`,
    parameters: { plans: true, bounty: options.bounty ?? 'value', penaltyRate, forceBids },
    fit: (history) => scoringPlans(options, scoringHistory(history)),
    allocate: (_task, bids, context) => scoringPlansRound(scoringRoundOptions({ settings, bids, context, learned })),
  };
}
