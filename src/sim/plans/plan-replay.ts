import { cellKey, type Random } from '../../core/index.js';
import { type History, type HistoryCell, type Mechanism, mechanismFromSpec, runTaskRounds } from '../../mechanisms/index.js';
import { crossFitFolds, foldCountOf } from '../../replay/folds.js';
import { type PlanArm, type PlanCell, type PlanPopulation, planCellAttempt, planCellBid } from './plan-population.js';

/** What one mechanism did over a plan population. */
export interface PlanRunResult {
  /** Tasks solved. */
  solved: number;
  /** Actual cost of every attempt, USD. */
  actualCostUsd: number;
  /** Realized payments to workers, USD. */
  spendUsd: number;
  /** Welfare V·solved − actual cost, USD. */
  welfare: number;
  /** Attempts made. */
  attempts: number;
  /** Attempts per budget level (index into the menus), the plans that won. */
  levelWins: number[];
}

/** Options of `runPlanMechanism`. */
export interface PlanRunOptions {
  /** The population. */
  population: PlanPopulation;
  /** A mechanism spec (`scoring`, `scoring:plans`, `reputation`, `reputation:plans`...). */
  mechanism: string;
  /** Bid a single point or the menu. */
  arm: PlanArm;
  /** The principal's value of a solved task, USD (the scoring auctions' bounty too). */
  value: number;
  /** Most rounds per task. */
  maxAttempts: number;
  /** Cross-fitting folds (default 5). */
  folds?: number;
  /** Seeded stream (fold assignment and per-task randomness). */
  random: Random;
}

/**
 * Replays one mechanism over a plan population with cross-fitting: for the tasks of each fold the
 * mechanism is fitted on the other folds' cells (full feedback: the single-point arm sees each
 * worker's attempt at the single-point level; the menu arm sees every level, each row carrying its
 * plan's budget, so `reputation:plans` fits a map per level), then each task runs through the
 * multi-round driver and every attempt is played out under the budget of the plan that won it
 * (the single-point level when the mechanism names no plan).
 */
export function runPlanMechanism(options: PlanRunOptions): PlanRunResult {
  const { population, arm, value, maxAttempts, random } = options;
  const { taskIds, workerIds, blendedPrice, singlePointIndex } = population;
  const cellOf = (taskId: string, workerId: string) => population.cells.get(cellKey(taskId, workerId)) as PlanCell;
  const folds = crossFitFolds({ taskIds, folds: options.folds ?? 5, random: random.fork('folds') });
  const base = mechanismFromSpec(options.mechanism, workerIds);
  const result: PlanRunResult = { solved: 0, actualCostUsd: 0, spendUsd: 0, welfare: 0, attempts: 0, levelWins: population.budgets[workerIds[0]!]!.map(() => 0) };
  const foldCount = foldCountOf(folds);
  for (let fold = 0; fold < foldCount; fold++) {
    const training = taskIds.filter((_, index) => folds[index] !== fold);
    const mechanism: Mechanism = base.fit ? base.fit(historyOf({ population, taskIds: training, arm }), random.fork(`fit/${fold}`), { value, maxAttempts }) : base;
    taskIds.forEach((taskId, index) => {
      if (folds[index] !== fold) return;
      const bids = workerIds.map((workerId) =>
        planCellBid({ cell: cellOf(taskId, workerId), arm, singlePointIndex, pricePerToken: blendedPrice[workerId] ?? 0 }),
      );
      const run = runTaskRounds({
        mechanism,
        task: { taskId, features: population.taskFeatures[taskId] ?? {} },
        bids,
        roster: workerIds,
        maxAttempts,
        value,
        random: random.fork(`task/${taskId}`),
        attempt: (workerId, plan) => {
          const levels = population.budgets[workerId]!;
          const budgetUsd = plan?.budgetUsd ?? (levels[singlePointIndex] as number);
          const level = levels.indexOf(budgetUsd);
          if (level >= 0) result.levelWins[level] = (result.levelWins[level] ?? 0) + 1;
          return { workerId, ...planCellAttempt(cellOf(taskId, workerId), budgetUsd, blendedPrice[workerId] ?? 0) };
        },
      });
      if (run.solved) result.solved++;
      result.actualCostUsd += run.costUsd;
      result.spendUsd += run.spendUsd;
      result.attempts += run.attempts.length;
    });
  }
  result.welfare = value * result.solved - result.actualCostUsd;
  return result;
}

/** The history the mechanism is fitted on: the training tasks' cells as each arm would have seen them. */
function historyOf(options: { population: PlanPopulation; taskIds: string[]; arm: PlanArm }): History {
  const { population, taskIds, arm } = options;
  const cells: HistoryCell[] = [];
  for (const taskId of taskIds) {
    for (const workerId of population.workerIds) {
      const cell = population.cells.get(cellKey(taskId, workerId)) as PlanCell;
      const price = population.blendedPrice[workerId] ?? 0;
      const levels = arm === 'single' ? [population.singlePointIndex] : cell.menu.map((_, index) => index);
      for (const level of levels) {
        const plan = cell.menu[level]!;
        const outcome = planCellAttempt(cell, plan.budgetUsd as number, price);
        cells.push({
          taskId,
          workerId,
          ...outcome,
          p: plan.pSuccess,
          expectedTokens: plan.expectedTokens,
          ...(arm === 'menu' ? { plan: { budgetUsd: plan.budgetUsd as number } } : {}),
        });
      }
    }
  }
  return {
    workerIds: population.workerIds,
    tasks: taskIds.map((taskId) => ({ taskId, features: population.taskFeatures[taskId] ?? {} })),
    cells,
    blendedPrice: population.blendedPrice,
  };
}
