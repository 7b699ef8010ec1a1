import type { Bid } from '../core/bid.js';
import { scoringAuctionScore, scoringFailurePenalty } from '../economics/index.js';
import { PAPER_SCORING_DEFAULTS } from '../mechanisms/index.js';
import type { BidReply, RecentRecord } from './bid-reply.js';
import { type MarketSettings, usdToMarket } from './settings.js';

/** Where the operator's expected execution cost e of a bid came from. */
export type ExpectedCostSource = 'history' | 'forecast' | 'none';

/** One bid as cleared, with the parts of its score (stored in the allocation's detail). */
export interface BidDetail {
  /** The worker. */
  workerId: string;
  /** Ask a (the arm's currency). */
  ask: number;
  /** Stated p (before any calibration map). */
  p: number;
  /** The p the bid was scored with when the worker's calibration map (`--recalibrate`) applied. */
  pRecalibrated?: number;
  /** Operator's expected execution cost e (the arm's currency). */
  e: number;
  /** Where e came from. */
  eSource: ExpectedCostSource;
  /** The worker's stated tokens, if any. */
  expectedTokens: number | null;
  /** True when the operator filled the bid in (no valid bid in time, `forceBids`). */
  fallback: boolean;
  /** Why the worker's own bid was not used, for fallbacks. */
  reason: string | null;
  /** Failure penalty φ = rate·B·(0.5 + p) (scoring arms). */
  phi?: number;
  /** Score p·B − a − e − (1 − p)·φ (scoring arms; p recalibrated when a map applied). */
  score?: number;
}

/**
 * The operator's expected execution cost e of a worker on a task, in USD: the worker's recent
 * average tokens (its last attempts on other tasks in the store's other runs) × its blended price;
 * else its own token forecast × that price; else 0. `preferForecast` swaps the first two (the
 * reputation arm, which scales a worker's forecast by its historical actual/forecast ratio itself).
 */
export function expectedCostUsd(input: {
  recent: RecentRecord | undefined;
  expectedTokens: number | null;
  blendedPrice: number;
  preferForecast?: boolean;
}): { usd: number; source: ExpectedCostSource } {
  const fromHistory = input.recent ? { usd: input.recent.meanTokens * input.blendedPrice, source: 'history' as const } : undefined;
  const fromForecast = input.expectedTokens !== null ? { usd: input.expectedTokens * input.blendedPrice, source: 'forecast' as const } : undefined;
  const first = input.preferForecast ? (fromForecast ?? fromHistory) : (fromHistory ?? fromForecast);
  return first ?? { usd: 0, source: 'none' };
}

/**
 * The bids an arm clears on: each valid reply becomes a bid (ask, p, e); a worker without a valid
 * reply gets the fallback bid a = 0.4·B, p = 0.5 (`fallback: true`) when `forceBids` is on, and
 * no bid otherwise. Money is in the market's currency, or USD when `usd` (the reserve-price arm;
 * asks are then converted from the market's currency). Each bid's score parts are computed with
 * the scoring formula of `economics` for the record.
 */
export function armBids(input: {
  /** The task. */
  taskId: string;
  /**
   * Workers in roster order with their replies (undefined: no reply at all) and, for a worker
   * with a calibration map, the map: its stated p is bid and scored as the map's value.
   */
  replies: readonly {
    workerId: string;
    reply: BidReply | undefined;
    blendedPrice: number;
    recent: RecentRecord | undefined;
    recalibrate?: ((p: number) => number) | undefined;
  }[];
  /** Market settings. */
  settings: MarketSettings;
  /** Bids in USD (reserve arm). */
  usd: boolean;
  /** Take e from the token forecast first (reputation arm). */
  preferForecast: boolean;
}): { bids: Bid[]; details: BidDetail[] } {
  const { settings, usd } = input;
  const toArm = (usdAmount: number) => (usd ? usdAmount : usdToMarket(usdAmount, settings));
  const fromMarket = (amount: number) => (usd ? amount / usdToMarket(1, settings) : amount);
  const bids: Bid[] = [];
  const details: BidDetail[] = [];
  for (const entry of input.replies) {
    const reply = entry.reply;
    const expected = expectedCostUsd({
      recent: entry.recent,
      expectedTokens: reply?.expectedTokens ?? null,
      blendedPrice: entry.blendedPrice,
      preferForecast: input.preferForecast,
    });
    const e = toArm(expected.usd);
    let bid: Bid | undefined;
    let reason: string | null = null;
    let stated: number | undefined;
    if (reply?.valid && reply.pSuccess !== null && reply.ask !== null) {
      stated = reply.pSuccess;
      // The operator's fallback bid is not the worker's statement, so only a real bid is mapped.
      const p = entry.recalibrate ? entry.recalibrate(stated) : stated;
      bid = { workerId: entry.workerId, taskId: input.taskId, ask: fromMarket(reply.ask), pSuccess: p, expectedCost: e, fallback: false };
      if (reply.expectedTokens !== null) bid.expectedTokens = reply.expectedTokens;
    } else {
      reason = reply ? (reply.invalidReason ?? 'invalid bid') : 'no bid';
      if (settings.forceBids) {
        bid = {
          workerId: entry.workerId,
          taskId: input.taskId,
          ask: fromMarket(PAPER_SCORING_DEFAULTS.fallbackAskShare * settings.bounty),
          pSuccess: PAPER_SCORING_DEFAULTS.fallbackP,
          expectedCost: e,
          fallback: true,
        };
      }
    }
    if (!bid) continue;
    bids.push(bid);
    const detail: BidDetail = {
      workerId: bid.workerId,
      ask: bid.ask,
      p: stated ?? bid.pSuccess,
      e,
      eSource: expected.source,
      expectedTokens: reply?.expectedTokens ?? null,
      fallback: bid.fallback,
      reason,
    };
    if (stated !== undefined && entry.recalibrate) detail.pRecalibrated = bid.pSuccess;
    if (!usd) {
      const parts = { bounty: settings.bounty, p: bid.pSuccess, penaltyRate: settings.penaltyRate };
      detail.phi = scoringFailurePenalty(parts);
      detail.score = scoringAuctionScore({ ...parts, ask: bid.ask, expectedCost: e });
    }
    details.push(detail);
  }
  return { bids, details };
}
