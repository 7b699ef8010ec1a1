import { type CalibrationMap, type CalibrationMethod, fitCalibrationMap, fitTokenScale } from '../reputation/index.js';
import {
  type ScoringAuctionOptions,
  type ScoringHistory,
  type ScoringSettings,
  scoringHistory,
  scoringRound,
  scoringRoundOptions,
  scoringSettings,
} from './scoring-auction.js';
import { type WorkerRows, workerRows } from './history-grid.js';
import type { History, HistoryCell, Mechanism } from './types.js';

/** What the reputation scoring auction learns per worker from its own history. */
export interface ReputationModel extends ScoringHistory {
  /** Calibration map of each worker's stated p. */
  calibration: Record<string, CalibrationMap>;
  /** Σ actual / Σ forecast tokens of each worker. */
  tokenScale: Record<string, number>;
}

/** One worker's calibration fitted on some of its history rows. */
export interface WorkerCalibrationFit {
  /** Calibration map of the stated p (rows without a stated p are left out). */
  calibration: CalibrationMap;
  /** Σ actual / Σ forecast tokens over the rows. */
  tokenScale: number;
}

/** Fits a calibration map of the stated p and the actual/forecast token scale on one worker's rows. */
export function fitWorkerCalibration(cells: readonly HistoryCell[], method: CalibrationMethod): WorkerCalibrationFit {
  const stated = cells.filter((cell) => cell.p !== null);
  return fitWorkerColumns(
    {
      p: stated.map((cell) => cell.p as number),
      y: stated.map((cell) => (cell.resolved ? 1 : 0)),
      forecast: cells.map((cell) => cell.expectedTokens),
      actual: cells.map((cell) => cell.tokens),
    },
    method,
  );
}

function fitWorkerColumns(rows: WorkerRows, method: CalibrationMethod): WorkerCalibrationFit {
  return {
    calibration: fitCalibrationMap({ method, p: rows.p, y: rows.y }),
    tokenScale: fitTokenScale({ forecast: rows.forecast, actual: rows.actual }).ratio,
  };
}

/** Fits each worker's calibration map and token scale on its own rows of the history. */
export function fitReputationModel(history: History, method: CalibrationMethod): ReputationModel {
  const calibration: Record<string, CalibrationMap> = {};
  const tokenScale: Record<string, number> = {};
  for (const workerId of history.workerIds) {
    const fit = fitWorkerColumns(workerRows(history, workerId), method);
    calibration[workerId] = fit.calibration;
    tokenScale[workerId] = fit.tokenScale;
  }
  return { ...scoringHistory(history), calibration, tokenScale };
}

/** Options of the reputation scoring auctions: the scoring auction's, plus the calibration method. */
export type ReputationOptions = ScoringAuctionOptions & {
  /** How stated p is calibrated (default isotonic). */
  method?: CalibrationMethod;
};

/** A reputation mechanism's settings: the scoring settings and the method, with the method (when given) first in the name's tail. */
export function reputationSettings(options: ReputationOptions): ScoringSettings & { method: CalibrationMethod } {
  const method = options.method ?? 'isotonic';
  const settings = scoringSettings(options);
  return { ...settings, method, nameSuffix: `${options.method === undefined ? '' : `:${method}`}${settings.nameSuffix}` };
}

/**
 * The reputation scoring auction (the hybrid the paper proposes): the scoring auction with each
 * worker's stated p passed through a calibration map fitted on that worker's own history
 * (isotonic PAV or Platt) and its expected cost e scaled by its historical actual/forecast token
 * ratio. The ask is the worker's own (in replay, its unscaled expected cost). Fitted per
 * cross-fitting fold, so a task's own outcome never shapes the maps used on it.
 */
export function reputationScoring(options: ReputationOptions = {}, model?: ReputationModel): Mechanism {
  const settings = reputationSettings(options);
  const { method, penaltyRate, forceBids } = settings;
  return {
    name: `reputation${settings.nameSuffix}`,
    parameters: { method, bounty: options.bounty ?? 'value', penaltyRate, forceBids },
    fit: (history) => reputationScoring(options, fitReputationModel(history, method)),
    allocate: (_task, bids, context) => {
      const adjusted = bids.map((bid) => {
        const map = model?.calibration[bid.workerId];
        const scale = model?.tokenScale[bid.workerId] ?? 1;
        return { ...bid, pSuccess: map ? map.apply(bid.pSuccess) : bid.pSuccess, expectedCost: bid.expectedCost * scale };
      });
      const decision = scoringRound(scoringRoundOptions({ settings, bids: adjusted, context, learned: model }));
      return { ...decision, detail: { ...decision.detail, calibratedP: Object.fromEntries(adjusted.map((b) => [b.workerId, b.pSuccess])) } };
    },
  };
}
