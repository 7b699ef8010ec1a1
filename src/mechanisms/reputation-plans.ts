import type { PlanCaps } from '../core/index.js';
import { bidPlanMenu } from '../core/index.js';
import { SCORING_PENALTY_RATE } from '../economics/index.js';
import { type CalibrationMap, type CalibrationMethod, fitCalibrationMap, fitTokenScale, MIN_CALIBRATION_ROWS } from '../reputation/index.js';
import type { ScoringAuctionOptions, ScoringHistory } from './scoring-auction.js';
import { scoringHistory } from './scoring-auction.js';
import { scoringPlansRound } from './scoring-plans.js';
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

/** What one worker's calibration looks like at one budget level. */
interface LevelFit {
  /** Calibration map of stated p at the level. */
  calibration: CalibrationMap;
  /** Σ actual / Σ forecast tokens at the level. */
  tokenScale: number;
}

/** What `reputation:plans` learns: per worker, a fit per budget level and a pooled fit. */
export interface PlanReputationModel extends ScoringHistory {
  /** Per worker, per budget level (see `planLevel`), the level's fit. */
  levels: Record<string, Record<string, LevelFit>>;
  /** Per worker, the fit over all its rows (used at levels with too few rows). */
  pooled: Record<string, LevelFit>;
}

function fitLevel(cells: readonly HistoryCell[], method: CalibrationMethod): LevelFit {
  const stated = cells.filter((cell) => cell.p !== null);
  return {
    calibration: fitCalibrationMap({ method, p: stated.map((cell) => cell.p as number), y: stated.map((cell) => (cell.resolved ? 1 : 0)) }),
    tokenScale: fitTokenScale({ forecast: cells.map((cell) => cell.expectedTokens), actual: cells.map((cell) => cell.tokens) }).ratio,
  };
}

/**
 * Fits, for each worker, a calibration map and token scale per budget level on its own history
 * rows at that level (the plan each attempt ran under), and a pooled fit over all its rows. A
 * level with fewer than `MIN_CALIBRATION_ROWS` stated rows uses the pooled fit.
 */
export function fitPlanReputationModel(history: History, method: CalibrationMethod): PlanReputationModel {
  const levels: Record<string, Record<string, LevelFit>> = {};
  const pooled: Record<string, LevelFit> = {};
  for (const workerId of history.workerIds) {
    const own = history.cells.filter((cell) => cell.workerId === workerId);
    pooled[workerId] = fitLevel(own, method);
    const byLevel = new Map<string, HistoryCell[]>();
    for (const cell of own) {
      const key = planLevel(cell.plan);
      byLevel.set(key, [...(byLevel.get(key) ?? []), cell]);
    }
    const fits: Record<string, LevelFit> = {};
    for (const [key, cells] of byLevel) {
      if (cells.filter((cell) => cell.p !== null).length >= MIN_CALIBRATION_ROWS) fits[key] = fitLevel(cells, method);
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
export function reputationPlans(
  options: ScoringAuctionOptions & { method?: CalibrationMethod } = {},
  model?: PlanReputationModel,
): Mechanism {
  const method = options.method ?? 'isotonic';
  const penaltyRate = options.penaltyRate ?? SCORING_PENALTY_RATE;
  const forceBids = options.forceBids ?? true;
  const name = `reputation:plans${options.method === undefined ? '' : `:${method}`}${
    options.bounty === undefined ? '' : `:bounty=${options.bounty}`
  }${options.penaltyRate === undefined ? '' : `:penaltyRate=${penaltyRate}`}${
    options.forceBids === undefined ? '' : `:forceBids=${forceBids}`
  }`;
  return {
    name,
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
      const decision = scoringPlansRound({
        bids: adjusted,
        context,
        bounty: options.bounty ?? context.value,
        penaltyRate,
        forceBids,
        learned: model ?? { reputation: {}, meanCost: {} },
      });
      const calibratedP = Object.fromEntries(adjusted.map((bid) => [bid.workerId, bid.plans.map((plan) => plan.pSuccess)]));
      return { ...decision, detail: { ...decision.detail, calibratedP } };
    },
  };
}
