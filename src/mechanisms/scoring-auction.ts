import { DEFAULTS } from '../core/defaults.js';
import type { Bid } from '../core/index.js';
import { SCORING_PENALTY_RATE, scoringAuctionScore } from '../economics/index.js';
import { abstain } from './decision.js';
import { workerRecords } from './history-stats.js';
import { pickBest } from './pick.js';
import type { AllocationContext, History, Mechanism, MechanismDecision } from './types.js';

/**
 * The paper's live-market settings: bounty 90 credits, φ = 0.10·B·(0.5 + p), two rounds, and a
 * fallback bid of a = 0.4·B with p = 0.5 for a worker that did not bid in time. Replay uses
 * B = V instead (USD); pass `bounty: PAPER_SCORING_DEFAULTS.bounty` for the paper's credits.
 */
export const PAPER_SCORING_DEFAULTS = { bounty: DEFAULTS.bountyCredits, penaltyRate: DEFAULTS.penaltyRate, maxAttempts: DEFAULTS.maxAttempts, fallbackAskShare: 0.4, fallbackP: 0.5 };

/** Parameters of the paper's scoring auction. */
export interface ScoringAuctionOptions {
  /** Bounty B; default the principal's value V (in replay: USD). The paper uses 90 credits. */
  bounty?: number;
  /** Rate in the failure penalty φ = rate·B·(0.5 + p) (default 0.10). */
  penaltyRate?: number;
  /** Give workers without a bid the fallback bid a = 0.4·B, p = 0.5 (default true). */
  forceBids?: boolean;
}

/** What a scoring auction learns from history: reputations and fallback costs. */
export interface ScoringHistory {
  /** Smoothed historical pass rate per worker (tie-break: higher first). */
  reputation: Record<string, number>;
  /** Mean historical attempt cost per worker, the e of a fallback bid. */
  meanCost: Record<string, number>;
}

/** Reputation and mean cost per worker from a history. */
export function scoringHistory(history: History): ScoringHistory {
  const records = workerRecords(history);
  const reputation: Record<string, number> = {};
  const meanCost: Record<string, number> = {};
  for (const [workerId, record] of Object.entries(records)) {
    reputation[workerId] = record.passRate;
    meanCost[workerId] = record.meanCost;
  }
  return { reputation, meanCost };
}

/** Inputs of one round of a scoring auction, over single-point bids or plan menus. */
export interface ScoringRoundOptions {
  /** Bids of available workers (already transformed, e.g. calibrated). */
  bids: Bid[];
  /** The round's context. */
  context: AllocationContext;
  /** Bounty B. */
  bounty: number;
  /** Penalty rate. */
  penaltyRate: number;
  /** Whether to add fallback bids (a = 0.4·B, p = 0.5) for available workers without a bid. */
  forceBids: boolean;
  /** Reputations and fallback costs. */
  learned: ScoringHistory;
}

/**
 * The round's bids plus, when `forceBids`, the fallback bid (a = 0.4·B, p = 0.5, e = the worker's
 * historical mean cost) of every available worker that did not bid.
 */
export function withFallbackBids(options: ScoringRoundOptions): Bid[] {
  const { bids, context, bounty, forceBids, learned } = options;
  const all: Bid[] = bids.slice();
  if (!forceBids) return all;
  for (const workerId of context.available) {
    if (bids.some((bid) => bid.workerId === workerId)) continue;
    all.push({
      workerId,
      taskId: '',
      ask: PAPER_SCORING_DEFAULTS.fallbackAskShare * bounty,
      pSuccess: PAPER_SCORING_DEFAULTS.fallbackP,
      expectedCost: learned.meanCost[workerId] ?? 0,
      fallback: true,
    });
  }
  return all;
}

/** A scoring-family mechanism's options with their defaults filled in. */
export interface ScoringSettings {
  /** Bounty B, or undefined for the round's value V. */
  bounty: number | undefined;
  /** Rate in the failure penalty φ. */
  penaltyRate: number;
  /** Whether fallback bids are added. */
  forceBids: boolean;
  /** The mechanism name's tail naming the options that were given (`:bounty=…:penaltyRate=…:forceBids=…`). */
  nameSuffix: string;
}

/** Fills a scoring-family mechanism's defaults and names the options that were given. */
export function scoringSettings(options: ScoringAuctionOptions): ScoringSettings {
  const penaltyRate = options.penaltyRate ?? SCORING_PENALTY_RATE;
  const forceBids = options.forceBids ?? true;
  const nameSuffix = `${options.bounty === undefined ? '' : `:bounty=${options.bounty}`}${
    options.penaltyRate === undefined ? '' : `:penaltyRate=${penaltyRate}`
  }${options.forceBids === undefined ? '' : `:forceBids=${forceBids}`}`;
  return { bounty: options.bounty, penaltyRate, forceBids, nameSuffix };
}

/** A round's inputs from a mechanism's settings: B = the set bounty or the round's value V; no history before fitting. */
export function scoringRoundOptions(input: { settings: ScoringSettings; bids: Bid[]; context: AllocationContext; learned: ScoringHistory | undefined }): ScoringRoundOptions {
  const { settings, bids, context, learned } = input;
  return {
    bids,
    context,
    bounty: settings.bounty ?? context.value,
    penaltyRate: settings.penaltyRate,
    forceBids: settings.forceBids,
    learned: learned ?? { reputation: {}, meanCost: {} },
  };
}

/**
 * One round of the scoring auction (DESIGN.md §5): score = p·B − a − e − (1 − p)·φ with
 * φ = rate·B·(0.5 + p); bids scoring ≤ 0 are dropped; the highest score wins; ties go to higher
 * reputation, then lower ETA, then the roster order. Workers available but without a bid get the
 * fallback bid (a = 0.4·B, p = 0.5, e = their historical mean cost) when `forceBids`. The winner
 * is paid its ask for the attempt; φ is a scoring term (the principal's expected loss from a
 * failure), not a transfer.
 */
export function scoringRound(options: ScoringRoundOptions): MechanismDecision {
  const { bounty, penaltyRate, context, learned } = options;
  const all = withFallbackBids(options);
  const scored = all
    .map((bid) => ({
      bid,
      score: scoringAuctionScore({ bounty, ask: bid.ask, p: bid.pSuccess, expectedCost: bid.expectedCost, penaltyRate }),
      reputation: learned.reputation[bid.workerId] ?? 0,
      eta: bid.etaSeconds ?? Number.POSITIVE_INFINITY,
      order: context.roster.indexOf(bid.workerId),
    }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => a.order - b.order);
  const best = pickBest(scored, (a, b) => b.score - a.score || b.reputation - a.reputation || a.eta - b.eta);
  const detail = { bounty, scores: Object.fromEntries(scored.map((entry) => [entry.bid.workerId, entry.score])) };
  const winner = scored[best];
  if (!winner) return abstain(detail);
  return {
    workerIds: [winner.bid.workerId],
    payments: [{ workerId: winner.bid.workerId, amount: winner.bid.ask, reason: 'ask', when: 'always' }],
    reimburseCost: false,
    detail: { ...detail, fallback: winner.bid.fallback },
  };
}

/**
 * The paper's scoring auction with its defaults (bounty B = V in replay, φ = 0.10·B·(0.5 + p),
 * fallback bids on). In replay the ask defaults to the worker's expected cost e (a worker asking
 * to be reimbursed its cost). Reputation for tie-breaks is fitted on history (cross-fitted).
 */
export function scoringAuction(options: ScoringAuctionOptions = {}, learned?: ScoringHistory): Mechanism {
  const settings = scoringSettings(options);
  const { penaltyRate, forceBids } = settings;
  return {
    name: `scoring${settings.nameSuffix}`,
    parameters: { bounty: options.bounty ?? 'value', penaltyRate, forceBids },
    fit: (history) => scoringAuction(options, scoringHistory(history)),
    allocate: (_task, bids, context) => scoringRound(scoringRoundOptions({ settings, bids, context, learned })),
  };
}
