import type { PlanCaps } from '../core/index.js';
import { bidPlanMenu } from '../core/index.js';
import { type CalibrationMethod, MIN_CALIBRATION_ROWS } from '../reputation/index.js';
import { fitWorkerCalibration, type ReputationOptions, reputationSettings, type WorkerCalibrationFit } from './reputation-scoring.js';
import type { ScoringHistory } from './scoring-auction.js';
import { scoringHistory, scoringRoundOptions } from './scoring-auction.js';
import { scoringPlansRound } from './scoring-plans.js';
import { workerCells } from './history-grid.js';
import type { History, HistoryCell, Mechanism } from './types.js';

/**
 * The budget level of a plan's caps, the key calibration is fitted per: `usd:<budget>`,
 * `tokens:<budget>`, or `none` for an uncapped attempt (a single-point bid).
 */
export function planLevel(caps: PlanCaps | undefined): string {
  if (caps?.budgetUsd !== undefined) return `usd:${caps.budgetUsd}`;
  if (caps?.budgetTokens !== undefined) return `tokens:${caps.budgetTokens}`;
  return 'none';
}

/** What `reputation:plans` learns: per worker, a fit per budget level and a pooled fit. */
export interface PlanReputationModel extends ScoringHistory {
  /** Per worker, per budget level (see `planLevel`), the level's fit. */
  levels: Record<string, Record<string, WorkerCalibrationFit>>;
  /** Per worker, the fit over all its rows (used at levels with too few rows). */
  pooled: Record<string, WorkerCalibrationFit>;
}

/**
 * Fits, for each worker, a calibration map and token scale per budget level on its own history
 * rows at that level (the plan each attempt ran under), and a pooled fit over all its rows. A
 * level with fewer than `MIN_CALIBRATION_ROWS` stated rows uses the pooled fit.
 */
export function fitPlanReputationModel(history: History, method: CalibrationMethod): PlanReputationModel {
  const levels: Record<string, Record<string, WorkerCalibrationFit>> = {};
  const pooled: Record<string, WorkerCalibrationFit> = {};
  for (const workerId of history.workerIds) {
    const own = workerCells(history, workerId);
    pooled[workerId] = fitWorkerCalibration(own, method);
    const byLevel = new Map<string, HistoryCell[]>();
    for (const cell of own) {
      const key = planLevel(cell.plan);
      byLevel.set(key, [...(byLevel.get(key) ?? []), cell]);
    }
    const fits: Record<string, WorkerCalibrationFit> = {};
    for (const [key, cells] of byLevel) {
      if (cells.filter((cell) => cell.p !== null).length >= MIN_CALIBRATION_ROWS) fits[key] = fitWorkerCalibration(cells, method);
    }
    levels[workerId] = fits;
  }
  return { ...scoringHistory(history), levels, pooled };
}

/**
 * `reputation:plans`: the reputation scoring auction over (worker, plan) pairs. Each plan's stated
 * p goes through the worker's calibration map for that plan's budget level and its expected cost
 * is scaled by the level's actual/forecast token ratio (fitted on the worker's own rows at that
 * level, cross-fitted per fold; the pooled fit where a level has too few rows), then the pairs are
 * scored as in `scoring:plans`. On single-point bids and histories it is `reputation`.
 */
export function reputationPlans(options: ReputationOptions = {}, model?: PlanReputationModel): Mechanism {
  const settings = reputationSettings(options);
  const { method, penaltyRate, forceBids } = settings;
  return {
    name: `reputation:plans${settings.nameSuffix}`,
    parameters: { plans: true, method, bounty: options.bounty ?? 'value', penaltyRate, forceBids },
    fit: (history) => reputationPlans(options, fitPlanReputationModel(history, method)),
    allocate: (_task, bids, context) => {
      const adjusted = bids.map((bid) => {
        const plans = bidPlanMenu(bid).map((plan) => {
          const fit = model?.levels[bid.workerId]?.[planLevel(plan)] ?? model?.pooled[bid.workerId];
          return {
            ...plan,
            pSuccess: fit ? fit.calibration.apply(plan.pSuccess) : plan.pSuccess,
            expectedCost: plan.expectedCost * (fit?.tokenScale ?? 1),
          };
        });
        return { ...bid, plans };
      });
      const decision = scoringPlansRound(scoringRoundOptions({ settings, bids: adjusted, context, learned: model }));
      const calibratedP = Object.fromEntries(adjusted.map((bid) => [bid.workerId, bid.plans.map((plan) => plan.pSuccess)]));
      return { ...decision, detail: { ...decision.detail, calibratedP } };
    },
  };
}
