import { type Bid, cellKey, InvalidInputError, type Plan, planCostUsd, pricePlanMenu, type Random } from '../../core/index.js';
import { median } from '../median.js';
import type { Simulation } from '../simulate-population.js';
import { curveAttempt, curveExpectedCost, curveSuccess, type PlanCurve } from './plan-curve.js';

/** Defaults of the plan simulation, in one place. */
export const PLAN_SIM_DEFAULTS = {
  /** Budget levels of every menu, as multiples of the worker's median need (its typical spend). */
  budgetMultipliers: [0.5, 1, 2, 4, 8],
  /** The level a single-point bid works at (one of `budgetMultipliers`): its one way of working. */
  singlePointMultiplier: 2,
} as const;

/** One worker on one task in the plan simulation: the truth, the draws and what the worker states. */
export interface PlanCell {
  /** The task. */
  taskId: string;
  /** The worker. */
  workerId: string;
  /** The true success-vs-budget curve. */
  curve: PlanCurve;
  /** Whether the worker can solve the task at all (the population's outcome draw). */
  capable: boolean;
  /** What a capable attempt spends before it succeeds, USD. */
  timeToSuccess: number;
  /** The curve the worker believes in: its stated p as the ceiling, its de-biased token forecast as the need. */
  perceived: PlanCurve;
  /** The stated menu, one plan per budget level, sorted by budget. */
  menu: Plan[];
}

/** A simulated population with production plans: what `runPlanMechanism` replays. */
export interface PlanPopulation {
  /** Task ids, in order. */
  taskIds: string[];
  /** Worker ids, in roster order. */
  workerIds: string[];
  /** Public task features. */
  taskFeatures: Record<string, Record<string, number | string>>;
  /** Blended USD price per token of each worker. */
  blendedPrice: Record<string, number>;
  /** Budget levels (USD) of each worker's menus, rising. */
  budgets: Record<string, number[]>;
  /** Index of the single-point level in every menu. */
  singlePointIndex: number;
  /** Cells keyed by `cellKey(taskId, workerId)`. */
  cells: Map<string, PlanCell>;
}

/**
 * Gives every cell of a simulation a production-plan curve: the simulated outcome decides whether
 * the worker is capable (pMax = its true p), its simulated attempt cost is its need, and the time
 * to success is drawn Exponential(need). The worker states a menu at budgets of
 * multiples × its median need: p_k = statedP·(1 − exp(−b_k/ŝ)) with ŝ its token forecast ÷ its
 * usual forecast/actual ratio, and the expected tokens of that belief at its usual under-forecast.
 * So the menus carry the same signal (AUROC, bias, rounding) and token-forecast error as the
 * single-point bids, which are the menus' plan at the single-point level.
 */
export function planPopulation(options: {
  /** The simulation (e.g. at a target signal AUROC). */
  simulation: Simulation;
  /** Seeded stream for the time-to-success draws (forked per cell). */
  random: Random;
  /** Budget multiples of each worker's median need (default 0.5, 1, 2, 4, 8; 1 to 5 of them). */
  budgetMultipliers?: readonly number[];
  /** The single-point level, one of the multiples (default 2). */
  singlePointMultiplier?: number;
}): PlanPopulation {
  const { simulation, random } = options;
  const multipliers = (options.budgetMultipliers ?? PLAN_SIM_DEFAULTS.budgetMultipliers).slice().sort((a, b) => a - b);
  const single = options.singlePointMultiplier ?? PLAN_SIM_DEFAULTS.singlePointMultiplier;
  if (multipliers.length < 1 || multipliers.length > 5 || multipliers.some((m) => !(m > 0))) {
    throw new InvalidInputError(`budget multiples must be 1 to 5 positive numbers, got ${multipliers.join(', ')}`, { field: 'budgetMultipliers' });
  }
  const singlePointIndex = multipliers.indexOf(single);
  if (singlePointIndex < 0) {
    throw new InvalidInputError(`the single-point multiple ${single} must be one of the budget multiples ${multipliers.join(', ')}`, {
      field: 'singlePointMultiplier',
    });
  }
  const { matrix } = simulation;
  const budgets: Record<string, number[]> = {};
  const cells = new Map<string, PlanCell>();
  for (const workerSpec of simulation.spec.workers) {
    const workerId = workerSpec.id;
    const price = matrix.blendedPrice[workerId] ?? 0;
    const own = matrix.taskIds.map((taskId) => simulation.cells.get(cellKey(taskId, workerId))!);
    const typical = median(own.map((cell) => cell.costUsd));
    const levels = multipliers.map((m) => m * typical);
    budgets[workerId] = levels;
    const ratio = workerSpec.tokens.forecastRatio;
    for (const cell of own) {
      const curve = { pMax: cell.trueP, need: cell.costUsd };
      const u = random.fork(`plan/${cell.taskId}/${workerId}`).next();
      const perceived = { pMax: cell.statedP, need: (cell.expectedTokens / ratio) * price };
      const menu = levels.map((budgetUsd) => ({
        budgetUsd,
        pSuccess: Math.round(curveSuccess(perceived, budgetUsd) * 1e9) / 1e9,
        expectedTokens: price > 0 ? Math.round((ratio * curveExpectedCost(perceived, budgetUsd)) / price) : 0,
      }));
      cells.set(cellKey(cell.taskId, workerId), {
        taskId: cell.taskId,
        workerId,
        curve,
        capable: cell.resolved,
        timeToSuccess: -cell.costUsd * Math.log(1 - u),
        perceived,
        menu,
      });
    }
  }
  return {
    taskIds: matrix.taskIds.slice(),
    workerIds: matrix.workerIds.slice(),
    taskFeatures: matrix.taskFeatures ?? {},
    blendedPrice: { ...matrix.blendedPrice },
    budgets,
    singlePointIndex,
    cells,
  };
}

/** How bids are made in the plan simulation: one point (the single-point level) or the whole menu. */
export type PlanArm = 'single' | 'menu';

/**
 * A cell's bid: for `single`, its plan at the single-point level as a plain bid (p, tokens, and
 * the cost e = tokens × price capped by the budget, asked as reimbursement, as replay does); for
 * `menu`, the same single-point fields plus every plan of its menu, priced the same way.
 */
export function planCellBid(options: {
  /** The cell. */
  cell: PlanCell;
  /** Single point or menu. */
  arm: PlanArm;
  /** Index of the single-point plan. */
  singlePointIndex: number;
  /** The worker's blended USD price per token. */
  pricePerToken: number;
}): Bid {
  const { cell, arm, singlePointIndex, pricePerToken } = options;
  const point = cell.menu[singlePointIndex]!;
  const expectedCost = planCostUsd({ plan: point, pricePerToken });
  const bid: Bid = {
    workerId: cell.workerId,
    taskId: cell.taskId,
    ask: expectedCost,
    pSuccess: point.pSuccess,
    expectedCost,
    expectedTokens: point.expectedTokens,
    fallback: false,
  };
  return arm === 'single' ? bid : { ...bid, plans: pricePlanMenu({ menu: cell.menu, pricePerToken }) };
}

/** A cell's attempt under a budget (see `curveAttempt`), with tokens at the worker's price. */
export function planCellAttempt(cell: PlanCell, budgetUsd: number, pricePerToken: number): { resolved: boolean; costUsd: number; tokens: number } {
  const outcome = curveAttempt({ capable: cell.capable, timeToSuccess: cell.timeToSuccess, budgetUsd });
  return { ...outcome, tokens: pricePerToken > 0 ? Math.round(outcome.costUsd / pricePerToken) : 0 };
}
