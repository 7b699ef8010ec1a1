import { DEFAULTS } from '../core/defaults.js';
import { cellKey, InvalidInputError, Random } from '../core/index.js';
import { auroc } from '../metrics/auroc.js';
import { runReplay } from '../replay/index.js';
import { withInformativeness } from './informativeness.js';
import { withSignalAuroc } from './signal-auroc.js';
import type { PopulationSpec } from './population-spec.js';
import { simulateMatrix } from './simulate-population.js';

/**
 * The mechanisms a sweep compares. In simulation there is no language model, so the central
 * router is the learned router: it sees only what a central router would (public task features
 * and, cross-fitted, every worker's record on other tasks), never the bids.
 */
export const SWEEP_MECHANISMS = {
  scoring: 'scoring',
  router: 'router:learned',
  reputation: 'reputation',
} as const;

/** The knob a sweep varies: the signal AUROC (the knob replay shares), or the deprecated informativeness. */
export type SweepKnob = 'signal-auroc' | 'informativeness';

/** Options of `sweepSignalAuroc`. */
export interface SweepOptions {
  /** The population. */
  spec: PopulationSpec;
  /** Tasks per simulation. */
  tasks: number;
  /** Seeds; every level is simulated once per seed, on the same tasks and outcomes. */
  seeds: number[];
  /** Levels of the knob: target within-worker AUROCs in (0, 1) (or informativeness in [0, 1]). */
  levels: number[];
  /** The knob the levels set (default `signal-auroc`). */
  knob?: SweepKnob;
  /** The principal's value of a solved task, USD (default 1). */
  value?: number;
  /** Most rounds per task (default 2). */
  maxAttempts?: number;
  /**
   * Also replay the population exactly as specified (its own per-worker resolution and noise) as a
   * reference row (default true).
   */
  reference?: boolean;
  /** Called after each (level, seed) replay, for progress. */
  onProgress?: (done: number, total: number) => void;
}

/** Mean and standard error over seeds. */
export interface SeedMean {
  /** Mean over seeds. */
  mean: number;
  /** Standard error of the mean over seeds (0 with one seed). */
  se: number;
  /** The value of each seed, in seed order. */
  values: number[];
}

/** Metrics a sweep compares mechanisms on. */
export const SWEEP_METRICS = ['surplus', 'welfare', 'solved'] as const;
/** A metric a sweep compares mechanisms on. */
export type SweepMetric = (typeof SWEEP_METRICS)[number];

/** One mechanism's results at one level, averaged over seeds. */
export interface SweepCell {
  /** Tasks solved. */
  solved: SeedMean;
  /** Principal's spend (payments to workers), USD. */
  spendUsd: SeedMean;
  /** Principal's surplus V·solved − spend, USD. */
  surplus: SeedMean;
  /** Actual cost of every attempt made, USD (what the work cost). */
  actualCostUsd: SeedMean;
  /**
   * V·solved − actual cost, USD: the value the allocation creates whoever is paid what. Unlike
   * surplus it does not depend on the payment rule (an auction paying under-forecast asks has a
   * high surplus while its workers lose money).
   */
  welfare: SeedMean;
}

/** The two market mechanisms whose crossovers a sweep reports. */
export type SweepMarket = 'scoring' | 'reputation';

/** Results at one level of the knob. */
export interface SweepLevel {
  /** The level (a target AUROC, or an informativeness with the deprecated knob); null for the reference row (the population as specified). */
  level: number | null;
  /** AUROC of stated p, averaged over workers and seeds: the level in a measured unit. */
  meanAuroc: number;
  /** Scoring auction. */
  scoring: SweepCell;
  /** The central router's stand-in (the learned router). */
  router: SweepCell;
  /** Reputation scoring auction. */
  reputation: SweepCell;
  /** Every worker solo (the same at every level: solo ignores bids). */
  solo: Record<string, SweepCell>;
  /** The best solo worker on each metric at this level. */
  bestSolo: Record<SweepMetric, string>;
}

/** Where one mechanism overtakes another along the levels. */
export interface Crossover {
  /** Lowest grid level from which on the market is at least as good at every higher level; null if never. */
  fromLevel: number | null;
  /** Linear interpolation of the crossing between the last level behind and `fromLevel`; null if never or ahead from the start. */
  interpolated: number | null;
}

/** A crossover of the seed means, with the spread of the per-seed crossings. */
export interface SeedCrossover extends Crossover {
  /** The interpolated crossing of each seed alone (its `interpolated`, else its `fromLevel`; null if that seed never crosses). */
  perSeed: (number | null)[];
  /**
   * Mean ± 1.96·SE of the per-seed crossings over the seeds that cross (null with fewer than two):
   * an interval for where the crossing lies, given the seeds' task-sampling noise.
   */
  interval: [number, number] | null;
}

/** Crossovers of one market mechanism over the router and the best solo worker, per metric. */
export type MarketCrossovers = Record<SweepMetric, { router: SeedCrossover; bestSolo: SeedCrossover }>;

/** The sweep's results. */
export interface SweepReport {
  /** One row per level, in the order given. */
  levels: SweepLevel[];
  /** The population as specified (not made more or less informative); null when not asked for. */
  reference: SweepLevel | null;
  /** Where each market mechanism overtakes the router and the best solo worker. */
  crossovers: Record<SweepMarket, MarketCrossovers>;
  /** Settings, so the report is self-describing. */
  settings: {
    /** Population name. */
    population: string;
    /** The knob the levels set. */
    knob: SweepKnob;
    /** Tasks per simulation. */
    tasks: number;
    /** Seeds. */
    seeds: number[];
    /** Value of a solved task, USD. */
    value: number;
    /** Most rounds per task. */
    maxAttempts: number;
    /** Mechanism specs behind each role. */
    mechanisms: typeof SWEEP_MECHANISMS;
  };
}

/**
 * Varies how well every worker's stated p sorts its successes from its failures (its target
 * within-worker AUROC, `withSignalAuroc`; or the deprecated `withInformativeness`) and replays the
 * scoring auction, the router stand-in, the reputation auction and every worker solo at each
 * level, once per seed. Tasks, outcomes and costs depend only on the seed, so the levels differ
 * in the bids alone and the comparison across levels is paired.
 */
export function sweepSignalAuroc(options: SweepOptions): SweepReport {
  const knob = options.knob ?? 'signal-auroc';
  const value = options.value ?? 1;
  const maxAttempts = options.maxAttempts ?? DEFAULTS.maxAttempts;
  if (options.seeds.length === 0) throw new InvalidInputError('a sweep needs at least one seed', { field: 'seeds' });
  if (options.levels.length === 0) throw new InvalidInputError('a sweep needs at least one level', { field: 'levels' });
  const workerIds = options.spec.workers.map((worker) => worker.id);
  const mechanisms = [
    SWEEP_MECHANISMS.scoring,
    SWEEP_MECHANISMS.router,
    SWEEP_MECHANISMS.reputation,
    ...workerIds.map((workerId) => `solo:${workerId}`),
  ];
  const reference = options.reference ?? true;
  const total = (options.levels.length + (reference ? 1 : 0)) * options.seeds.length;
  let done = 0;
  const replayLevel = (level: number | null): SweepLevel => {
    const spec =
      level === null ? options.spec : knob === 'informativeness' ? withInformativeness(options.spec, level) : withSignalAuroc(options.spec, level);
    const perSeed = options.seeds.map((seed) => {
      const simulation = simulateMatrix({ spec, tasks: options.tasks, random: new Random(seed) });
      // No paired comparisons are needed here, so no bootstrap resamples.
      const report = runReplay({ matrix: simulation.matrix, mechanisms, value, maxAttempts, seed, resamples: 0 });
      done++;
      options.onProgress?.(done, total);
      const { matrix } = simulation;
      const aurocs = workerIds.map((workerId) => {
        const cells = matrix.taskIds.map((taskId) => matrix.cells.get(cellKey(taskId, workerId))!);
        return auroc({ p: cells.map((cell) => cell.p ?? 0), y: cells.map((cell) => (cell.resolved ? 1 : 0)) });
      });
      return { report, meanAuroc: meanOf(aurocs.filter((a) => !Number.isNaN(a))) };
    });
    const cell = (name: string): SweepCell => {
      const results = perSeed.map(({ report }) => report.mechanisms[name]!);
      return {
        solved: seedMean(results.map((r) => r.solved)),
        spendUsd: seedMean(results.map((r) => r.spendUsd)),
        surplus: seedMean(results.map((r) => r.surplus)),
        actualCostUsd: seedMean(results.map((r) => r.actualCostUsd)),
        welfare: seedMean(results.map((r) => r.welfare)),
      };
    };
    const solo = Object.fromEntries(workerIds.map((workerId) => [workerId, cell(`solo:${workerId}`)]));
    const best = (metric: SweepMetric) =>
      workerIds.slice().sort((a, b) => solo[b]![metric].mean - solo[a]![metric].mean)[0]!;
    return {
      level,
      meanAuroc: meanOf(perSeed.map((s) => s.meanAuroc)),
      scoring: cell(SWEEP_MECHANISMS.scoring),
      router: cell(SWEEP_MECHANISMS.router),
      reputation: cell(SWEEP_MECHANISMS.reputation),
      solo,
      bestSolo: { surplus: best('surplus'), welfare: best('welfare'), solved: best('solved') },
    };
  };
  const levels = options.levels.map((level) => replayLevel(level));
  const referenceLevel = reference ? replayLevel(null) : null;
  const crossoversOf = (market: SweepMarket): MarketCrossovers => {
    const against = (metric: SweepMetric, rival: (level: SweepLevel) => SweepCell): SeedCrossover => {
      const means = findCrossover(levels.map((l) => ({ x: l.level as number, lead: l[market][metric].mean - rival(l)[metric].mean })));
      const perSeed = options.seeds.map((_, s) => {
        const crossing = findCrossover(
          levels.map((l) => ({ x: l.level as number, lead: l[market][metric].values[s]! - rival(l)[metric].values[s]! })),
        );
        return crossing.interpolated ?? crossing.fromLevel;
      });
      const crossing = perSeed.filter((x): x is number => x !== null);
      const spread = seedMean(crossing);
      const interval: [number, number] | null =
        crossing.length >= 2 ? [spread.mean - 1.96 * spread.se, spread.mean + 1.96 * spread.se] : null;
      return { ...means, perSeed, interval };
    };
    const entry = (metric: SweepMetric) => ({
      router: against(metric, (l) => l.router),
      bestSolo: against(metric, (l) => l.solo[l.bestSolo[metric]]!),
    });
    return { surplus: entry('surplus'), welfare: entry('welfare'), solved: entry('solved') };
  };
  return {
    levels,
    reference: referenceLevel,
    crossovers: { scoring: crossoversOf('scoring'), reputation: crossoversOf('reputation') },
    settings: { population: options.spec.name, knob, tasks: options.tasks, seeds: options.seeds, value, maxAttempts, mechanisms: SWEEP_MECHANISMS },
  };
}

/**
 * The lowest x from which `lead` ≥ 0 at that point and every later one (points sorted by x), and
 * the zero of the straight line between the last point behind and it.
 */
export function findCrossover(points: readonly { x: number; lead: number }[]): Crossover {
  const sorted = points.slice().sort((a, b) => a.x - b.x);
  let from = sorted.length;
  while (from > 0 && sorted[from - 1]!.lead >= 0) from--;
  if (from === sorted.length) return { fromLevel: null, interpolated: null };
  const ahead = sorted[from]!;
  if (from === 0) return { fromLevel: ahead.x, interpolated: null };
  const behind = sorted[from - 1]!;
  const interpolated = behind.x + ((ahead.x - behind.x) * -behind.lead) / (ahead.lead - behind.lead);
  return { fromLevel: ahead.x, interpolated };
}

function meanOf(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}

function seedMean(values: readonly number[]): SeedMean {
  const mean = meanOf(values);
  if (values.length < 2) return { mean, se: 0, values: values.slice() };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, se: Math.sqrt(variance / values.length), values: values.slice() };
}
