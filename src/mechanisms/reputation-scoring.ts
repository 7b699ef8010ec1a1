import { SCORING_PENALTY_RATE } from '../economics/index.js';
import { type CalibrationMap, type CalibrationMethod, fitCalibrationMap, fitTokenScale } from '../reputation/index.js';
import { type ScoringAuctionOptions, type ScoringHistory, scoringHistory, scoringRound } from './scoring-auction.js';
import type { History, Mechanism } from './types.js';

/** What the reputation scoring auction learns per worker from its own history. */
export interface ReputationModel extends ScoringHistory {
  /** Calibration map of each worker's stated p. */
  calibration: Record<string, CalibrationMap>;
  /** Σ actual / Σ forecast tokens of each worker. */
  tokenScale: Record<string, number>;
}

/** Fits each worker's calibration map and token scale on its own rows of the history. */
export function fitReputationModel(history: History, method: CalibrationMethod): ReputationModel {
  const calibration: Record<string, CalibrationMap> = {};
  const tokenScale: Record<string, number> = {};
  for (const workerId of history.workerIds) {
    const own = history.cells.filter((cell) => cell.workerId === workerId);
    const stated = own.filter((cell) => cell.p !== null);
    calibration[workerId] = fitCalibrationMap({
      method,
      p: stated.map((cell) => cell.p as number),
      y: stated.map((cell) => (cell.resolved ? 1 : 0)),
    });
    tokenScale[workerId] = fitTokenScale({
      forecast: own.map((cell) => cell.expectedTokens),
      actual: own.map((cell) => cell.tokens),
    }).ratio;
  }
  return { ...scoringHistory(history), calibration, tokenScale };
}

/**
 * The reputation scoring auction (the hybrid the paper proposes): the scoring auction with each
 * worker's stated p passed through a calibration map fitted on that worker's own history
 * (isotonic PAV or Platt) and its expected cost e scaled by its historical actual/forecast token
 * ratio. The ask is the worker's own (in replay, its unscaled expected cost). Fitted per
 * cross-fitting fold, so a task's own outcome never shapes the maps used on it.
 */
export function reputationScoring(
  options: ScoringAuctionOptions & { method?: CalibrationMethod } = {},
  model?: ReputationModel,
): Mechanism {
  const method = options.method ?? 'isotonic';
  const penaltyRate = options.penaltyRate ?? SCORING_PENALTY_RATE;
  const forceBids = options.forceBids ?? true;
  const name = `reputation${options.method === undefined ? '' : `:${method}`}${
    options.bounty === undefined ? '' : `:bounty=${options.bounty}`
  }${options.penaltyRate === undefined ? '' : `:penaltyRate=${penaltyRate}`}${
    options.forceBids === undefined ? '' : `:forceBids=${forceBids}`
  }`;
  return {
    name,
    parameters: { method, bounty: options.bounty ?? 'value', penaltyRate, forceBids },
    fit: (history) => reputationScoring(options, fitReputationModel(history, method)),
    allocate: (_task, bids, context) => {
      const adjusted = bids.map((bid) => {
        const map = model?.calibration[bid.workerId];
        const scale = model?.tokenScale[bid.workerId] ?? 1;
        return { ...bid, pSuccess: map ? map.apply(bid.pSuccess) : bid.pSuccess, expectedCost: bid.expectedCost * scale };
      });
      const decision = scoringRound({
        bids: adjusted,
        context,
        bounty: options.bounty ?? context.value,
        penaltyRate,
        forceBids,
        learned: model ?? { reputation: {}, meanCost: {} },
      });
      return { ...decision, detail: { ...decision.detail, calibratedP: Object.fromEntries(adjusted.map((b) => [b.workerId, b.pSuccess])) } };
    },
  };
}
