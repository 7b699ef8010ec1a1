import { DEFAULTS } from '../../core/defaults.js';
import { cellKey, InvalidInputError, Random } from '../../core/index.js';
import { auroc } from '../../metrics/auroc.js';
import { brier } from '../../metrics/calibration.js';
import {
  type BudgetLevelCalibration,
  type PlanMonotonicity,
  type PlanOutcomeRow,
  planCalibrationByLevel,
  planMonotonicity,
  type StatedMenu,
} from '../../metrics/plan-calibration.js';
import type { PopulationSpec } from '../population-spec.js';
import { type Crossover, findCrossover } from '../signal-sweep.js';
import { withSignalAuroc } from '../signal-auroc.js';
import { simulatePopulation } from '../simulate-population.js';
import { PLAN_SIM_DEFAULTS, planCellAttempt, planPopulation } from './plan-population.js';
import { runPlanMechanism } from './plan-replay.js';
import { planPopulationRows } from './plan-rows.js';

/** The arms a plan sweep compares: each market mechanism on single-point bids and on menus. */
export const PLAN_SWEEP_ARMS = {
  scoring: { mechanism: 'scoring', arm: 'single' },
  'scoring:plans': { mechanism: 'scoring:plans', arm: 'menu' },
  reputation: { mechanism: 'reputation', arm: 'single' },
  'reputation:plans': { mechanism: 'reputation:plans', arm: 'menu' },
} as const;

/** One arm of a plan sweep. */
export type PlanSweepArm = keyof typeof PLAN_SWEEP_ARMS;

/** A mean over seeds with its normal interval. */
export interface PlanSeedInterval {
  /** Mean over seeds. */
  mean: number;
  /** Standard error of the mean over seeds (0 with one seed). */
  se: number;
  /** mean ± 1.96·SE. */
  ci: [number, number];
  /** Each seed's value, in seed order. */
  values: number[];
}

/** One arm's results at one level. */
export interface PlanSweepCell {
  /** Welfare V·solved − actual cost, USD. */
  welfare: PlanSeedInterval;
  /** Tasks solved. */
  solved: PlanSeedInterval;
  /** Actual cost of every attempt, USD. */
  actualCostUsd: PlanSeedInterval;
  /** Share of attempts made at each budget level (the plans that won), summed over seeds. */
  levelShare: number[];
}

/** Results at one target AUROC. */
export interface PlanSweepLevel {
  /** The target within-worker AUROC of the stated p (`--signal-auroc`). */
  signalAuroc: number;
  /** Realized AUROC of the single-point stated p against the outcome at that level, mean over workers and seeds. */
  realizedAuroc: number;
  /** Brier score of the single-point stated p against the same outcomes, mean over workers and seeds. */
  realizedBrier: number;
  /** Each arm. */
  arms: Record<PlanSweepArm, PlanSweepCell>;
  /** Welfare of menus minus single points, paired by seed: scoring:plans − scoring and reputation:plans − reputation. */
  gain: { scoring: PlanSeedInterval; reputation: PlanSeedInterval };
  /**
   * Stated p against outcomes per budget level (menu index, every plan of every menu played out,
   * all seeds pooled), and whether stated p rises with the budget as outcomes do.
   */
  calibration: { levels: BudgetLevelCalibration[]; monotonicity: PlanMonotonicity };
}

/** The plan sweep's results. */
export interface PlanSweepReport {
  /** One row per level. */
  levels: PlanSweepLevel[];
  /** Where menus start to pay in welfare (gain ≥ 0 from that level on), per market mechanism, with the per-seed spread. */
  menusPay: Record<'scoring' | 'reputation', Crossover & { perSeed: (number | null)[]; interval: [number, number] | null }>;
  /** Settings, so the report is self-describing. */
  settings: {
    /** Population name. */
    population: string;
    /** Tasks per simulation. */
    tasks: number;
    /** Seeds. */
    seeds: number[];
    /** Value of a solved task (and bounty), USD. */
    value: number;
    /** Most rounds per task. */
    maxAttempts: number;
    /** Budget levels as multiples of each worker's median need. */
    budgetMultipliers: number[];
    /** The single-point level (a multiple). */
    singlePointMultiplier: number;
  };
}

/** Options of `sweepPlans`. */
export interface PlanSweepOptions {
  /** The population. */
  spec: PopulationSpec;
  /** Tasks per simulation. */
  tasks: number;
  /** Seeds: each level is simulated once per seed, on the same tasks, curves and draws. */
  seeds: number[];
  /** Target within-worker AUROCs of the stated p, in (0, 1). */
  levels: number[];
  /** Value of a solved task, USD (default 1). */
  value?: number;
  /** Most rounds per task (default 2). */
  maxAttempts?: number;
  /** Budget levels as multiples of each worker's median need (default 0.5, 1, 2, 4, 8). */
  budgetMultipliers?: number[];
  /** The single-point level, one of the multiples (default 2). */
  singlePointMultiplier?: number;
  /** Called after each (level, seed), for progress. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Compares single-point bids with production-plan menus on welfare at actual cost: at each target
 * signal AUROC and seed, the population is simulated (`withSignalAuroc`), given plan curves
 * (`planPopulation`), and each market mechanism runs on single points and on menus over the same
 * tasks, curves and draws, so the comparison is paired by seed. Reports means with 95% normal
 * intervals over seeds, the paired gain of menus, and from which AUROC on menus pay. Every arm of
 * a seed also shares its cross-fitting folds.
 */
export function sweepPlans(options: PlanSweepOptions): PlanSweepReport {
  const value = options.value ?? DEFAULTS.valueUsd;
  const maxAttempts = options.maxAttempts ?? DEFAULTS.maxAttempts;
  if (options.seeds.length === 0) throw new InvalidInputError('a sweep needs at least one seed', { field: 'seeds' });
  if (options.levels.length === 0) throw new InvalidInputError('a sweep needs at least one level', { field: 'levels' });
  const arms = Object.keys(PLAN_SWEEP_ARMS) as PlanSweepArm[];
  const total = options.levels.length * options.seeds.length;
  let done = 0;
  const levels = options.levels.map((signalAuroc): PlanSweepLevel => {
    const spec = withSignalAuroc(options.spec, signalAuroc);
    const perSeed = options.seeds.map((seed) => {
      const random = new Random(seed);
      const simulation = simulatePopulation({ spec, tasks: options.tasks, random });
      const population = planPopulation({
        simulation,
        random: random.fork('plans'),
        ...(options.budgetMultipliers ? { budgetMultipliers: options.budgetMultipliers } : {}),
        ...(options.singlePointMultiplier === undefined ? {} : { singlePointMultiplier: options.singlePointMultiplier }),
      });
      const results = Object.fromEntries(
        arms.map((name) => [
          name,
          runPlanMechanism({ population, ...PLAN_SWEEP_ARMS[name], value, maxAttempts, random: random.fork('replay') }),
        ]),
      ) as Record<PlanSweepArm, ReturnType<typeof runPlanMechanism>>;
      const signals = population.workerIds.map((workerId) => {
        const cells = population.taskIds.map((taskId) => population.cells.get(cellKey(taskId, workerId))!);
        const budget = population.budgets[workerId]![population.singlePointIndex]!;
        const price = population.blendedPrice[workerId] ?? 0;
        const p = cells.map((cell) => cell.menu[population.singlePointIndex]!.pSuccess);
        const y = cells.map((cell) => (planCellAttempt(cell, budget, price).resolved ? 1 : 0));
        return { auroc: auroc({ p, y }), brier: brier({ p, y }) };
      });
      done++;
      options.onProgress?.(done, total);
      return {
        results,
        realizedAuroc: meanOf(signals.map((s) => s.auroc).filter((a) => !Number.isNaN(a))),
        realizedBrier: meanOf(signals.map((s) => s.brier)),
        observed: planPopulationRows(population),
      };
    });
    const cell = (name: PlanSweepArm): PlanSweepCell => {
      const runs = perSeed.map((s) => s.results[name]);
      const wins = runs[0]!.levelWins.map((_, level) => runs.reduce((sum, run) => sum + (run.levelWins[level] ?? 0), 0));
      const attempts = wins.reduce((sum, w) => sum + w, 0);
      return {
        welfare: planSeedInterval(runs.map((run) => run.welfare)),
        solved: planSeedInterval(runs.map((run) => run.solved)),
        actualCostUsd: planSeedInterval(runs.map((run) => run.actualCostUsd)),
        levelShare: wins.map((w) => (attempts > 0 ? w / attempts : 0)),
      };
    };
    const gain = (menu: PlanSweepArm, single: PlanSweepArm) =>
      planSeedInterval(perSeed.map((s) => s.results[menu].welfare - s.results[single].welfare));
    const menus: StatedMenu[] = perSeed.flatMap((s) => s.observed.menus);
    const rows: PlanOutcomeRow[] = perSeed.flatMap((s) => s.observed.rows);
    return {
      signalAuroc,
      realizedAuroc: meanOf(perSeed.map((s) => s.realizedAuroc)),
      realizedBrier: meanOf(perSeed.map((s) => s.realizedBrier)),
      calibration: { levels: planCalibrationByLevel(rows), monotonicity: planMonotonicity({ menus, rows }) },
      arms: Object.fromEntries(arms.map((name) => [name, cell(name)])) as Record<PlanSweepArm, PlanSweepCell>,
      gain: { scoring: gain('scoring:plans', 'scoring'), reputation: gain('reputation:plans', 'reputation') },
    };
  });
  const menusPay = (market: 'scoring' | 'reputation') => {
    const means = findCrossover(levels.map((l) => ({ x: l.signalAuroc, lead: l.gain[market].mean })));
    const perSeed = options.seeds.map((_, s) => {
      const crossing = findCrossover(levels.map((l) => ({ x: l.signalAuroc, lead: l.gain[market].values[s]! })));
      return crossing.interpolated ?? crossing.fromLevel;
    });
    const crossing = perSeed.filter((x): x is number => x !== null);
    const spread = planSeedInterval(crossing);
    return { ...means, perSeed, interval: crossing.length >= 2 ? spread.ci : null };
  };
  return {
    levels,
    menusPay: { scoring: menusPay('scoring'), reputation: menusPay('reputation') },
    settings: {
      population: options.spec.name,
      tasks: options.tasks,
      seeds: options.seeds.slice(),
      value,
      maxAttempts,
      budgetMultipliers: (options.budgetMultipliers ?? PLAN_SIM_DEFAULTS.budgetMultipliers).slice().sort((a, b) => a - b),
      singlePointMultiplier: options.singlePointMultiplier ?? PLAN_SIM_DEFAULTS.singlePointMultiplier,
    },
  };
}

/** Mean, standard error and mean ± 1.96·SE over seeds. */
export function planSeedInterval(values: readonly number[]): PlanSeedInterval {
  const mean = meanOf(values);
  const se =
    values.length < 2 ? 0 : Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1) / values.length);
  return { mean, se, ci: [mean - 1.96 * se, mean + 1.96 * se], values: values.slice() };
}

function meanOf(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}
