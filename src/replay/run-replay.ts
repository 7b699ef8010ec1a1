import { DEFAULTS } from '../core/defaults.js';
import { type Bid, InvalidInputError, type Matrix, Random } from '../core/index.js';
import { type Mechanism, mechanismFromSpec } from '../mechanisms/index.js';
import { arrivalOrder, arrivalSpread } from './arrival-spread.js';
import { banditRuns, type Feedback } from './bandit-runs.js';
import { compareAll, type PairedVectors } from './compare.js';
import { crossFittedRuns, foldAssignment, foldSpread } from './fold-spread.js';
import { foldCountOf } from './folds.js';
import { costSolveFrontier } from './frontier.js';
import { taskBids, taskView } from './matrix-views.js';
import { RunColumns } from './run-columns.js';
import { summarizeColumns } from './summarize.js';
import {
  forecastQuality,
  hasProbabilityForecasts,
  PAPER_MEAN_AUROC,
  type SignalAurocSpec,
  synthesizeForecasts,
} from './synthesize-forecasts.js';
import type { MechanismResult, ReplayReport } from './types.js';
import { unpricedWorkers } from './unpriced-workers.js';
import { validateMatrix } from './validate-matrix.js';
import { welfareIntervalOfColumns } from './welfare-interval.js';
import { defaultMechanismSpecs } from './default-mechanisms.js';

/** A mechanism given by spec string (`solo:<worker>`, `cascade:learned`...) or as an object. */
export type MechanismSpec = string | Mechanism;

/** Options of `runReplay`. */
export interface ReplayOptions {
  /** The task × worker matrix (complete: a cell for every pair). */
  matrix: Matrix;
  /** Mechanisms to replay; default `defaultMechanismSpecs(matrix)`. */
  mechanisms?: MechanismSpec[];
  /** The principal's value of a solved task, USD (default 1). Also the scoring auctions' bounty. */
  value?: number;
  /** Most rounds per task (default 2). */
  maxAttempts?: number;
  /** Seed of every random draw (default 0). */
  seed?: number;
  /** Bootstrap resamples per pairwise comparison (default 10,000; 0 skips the CIs, which are then NaN). */
  resamples?: number;
  /** Cross-fitting folds, K-fold by task (default 10). */
  folds?: number;
  /**
   * Seeded fold assignments over which learned mechanisms are also reported as mean ± sd
   * (`foldSpread`; default 5; 1 skips it). Full feedback only: bandit feedback has no folds.
   */
  foldSeeds?: number;
  /**
   * Seeded arrival orders over which learners are also reported under bandit feedback as mean ±
   * sd with a 95% interval (`arrivalSpread`; default 5; 1 skips it). Bandit feedback only.
   */
  arrivalSeeds?: number;
  /**
   * Target within-worker AUROC of synthesized forecasts when the matrix has none: one number, or
   * a default with per-worker values (default `PAPER_MEAN_AUROC`, the paper's measured mean).
   */
  signalAuroc?: number | SignalAurocSpec;
  /** Calibration bias of synthesized forecasts on the logit scale (> 0 over-confident; default 0). */
  signalBias?: number;
  /**
   * Accept workers with no price and no recorded cost (their work then counts as $0). Default
   * false: such workers are an error naming them (DESIGN §9 "Prices").
   */
  allowZeroPrices?: boolean;
  /**
   * `full` (default): learners are fitted, cross-fitted, on every worker's outcome on other tasks
   * (an upper bound). `bandit`: tasks arrive in a seeded order and each learner sees only the
   * outcomes of its own earlier attempts (see `banditRuns`).
   */
  feedback?: Feedback;
  /** Recorded central-router choices per task (round order), for the `central` spec. */
  routerChoices?: Record<string, string[]>;
  /** Name of the matrix's source, for error messages. */
  source?: string;
  /**
   * Called as each mechanism's replay ends, with its name (before the pairwise comparisons):
   * lets a caller time or report progress per mechanism without the replay reading a clock.
   */
  onMechanismEnd?: (name: string) => void;
}

/** Defaults of `runReplay`. */
export const REPLAY_DEFAULTS = {
  value: DEFAULTS.valueUsd,
  maxAttempts: DEFAULTS.maxAttempts,
  seed: 0,
  resamples: DEFAULTS.resamples,
  folds: 10,
  foldSeeds: 5,
  arrivalSeeds: 5,
  signalAuroc: PAPER_MEAN_AUROC,
  signalBias: 0,
};

/**
 * Counterfactual replay: runs every mechanism over the matrix with the multi-round driver
 * (up to `maxAttempts` rounds per task; a worker that failed a task is excluded from its later
 * rounds), summarizes the principal's results, compares every pair of mechanisms (exact McNemar,
 * paired bootstrap CIs of the differences in solved count, actual cost and welfare, Holm-adjusted
 * p-values) and draws the cost–solve frontier on actual cost.
 *
 * Money is USD: bids carry e = expected tokens × blended price and an ask defaulting to e; the
 * scoring auctions' bounty defaults to `value`. Forecasts are synthesized (see
 * `synthesizeForecasts`) when the matrix has none.
 *
 * Cross-fitting: tasks are dealt into `folds` groups (seeded); every mechanism that learns
 * (`fit`) is fitted once per fold on the OTHER folds' tasks and allocates only the fold's own
 * tasks, so a task's own outcome never informs its allocation. Randomness is forked per
 * mechanism name, fold and task, so adding or removing a mechanism changes no other result; the
 * bootstrap resamples are shared by all pairs (see `compareAll`).
 */
export function runReplay(options: ReplayOptions): ReplayReport {
  const value = options.value ?? REPLAY_DEFAULTS.value;
  const maxAttempts = options.maxAttempts ?? REPLAY_DEFAULTS.maxAttempts;
  const seed = options.seed ?? REPLAY_DEFAULTS.seed;
  const resamples = options.resamples ?? REPLAY_DEFAULTS.resamples;
  const folds = options.folds ?? REPLAY_DEFAULTS.folds;
  const foldSeeds = options.foldSeeds ?? REPLAY_DEFAULTS.foldSeeds;
  const arrivalSeeds = options.arrivalSeeds ?? REPLAY_DEFAULTS.arrivalSeeds;
  const source = options.source ?? 'matrix';
  if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new InvalidInputError(`maxAttempts must be a positive integer, got ${maxAttempts}`, { field: 'maxAttempts' });
  }
  if (!(Number.isInteger(foldSeeds) && foldSeeds >= 1)) {
    throw new InvalidInputError(`foldSeeds must be a positive integer, got ${foldSeeds}`, { field: 'foldSeeds' });
  }
  if (!(Number.isInteger(arrivalSeeds) && arrivalSeeds >= 1)) {
    throw new InvalidInputError(`arrivalSeeds must be a positive integer, got ${arrivalSeeds}`, { field: 'arrivalSeeds' });
  }
  if (!Number.isFinite(value)) throw new InvalidInputError(`value must be a number, got ${value}`, { field: 'value' });
  validateMatrix(options.matrix, source);
  const unpriced = unpricedWorkers(options.matrix);
  if (unpriced.length > 0 && !options.allowZeroPrices) {
    throw new InvalidInputError(
      `no price and no recorded cost for ${unpriced.map((id) => `'${id}'`).join(', ')}: their work would count as $0; give prices (--pricing FILE, or the workers' pricing) or pass --allow-zero-prices`,
      { file: source, field: 'price' },
    );
  }
  const root = new Random(seed);
  const synthesized = !hasProbabilityForecasts(options.matrix);
  const aurocOption = options.signalAuroc ?? REPLAY_DEFAULTS.signalAuroc;
  const signalAuroc: SignalAurocSpec = typeof aurocOption === 'number' ? { default: aurocOption } : aurocOption;
  const signalBias = options.signalBias ?? REPLAY_DEFAULTS.signalBias;
  const foldOf = foldAssignment({ taskIds: options.matrix.taskIds, folds, root, k: 0 });
  const matrix = synthesizeForecasts({
    matrix: options.matrix,
    signalAuroc,
    bias: signalBias,
    foldOf,
    random: root.fork('forecasts'),
  });
  const specs =
    options.mechanisms ?? [...defaultMechanismSpecs(matrix), ...(options.routerChoices ? ['central'] : [])];
  const build = (spec: MechanismSpec): Mechanism =>
    typeof spec === 'string' ? mechanismFromSpec(spec, matrix.workerIds, options.routerChoices) : spec;
  const mechanisms = specs.map(build);
  const names = new Set<string>();
  for (const mechanism of mechanisms) {
    if (names.has(mechanism.name)) {
      throw new InvalidInputError(`mechanism '${mechanism.name}' is listed twice`, { field: 'mechanisms' });
    }
    names.add(mechanism.name);
  }

  const foldCount = foldCountOf(foldOf);

  const views = matrix.taskIds.map((taskId) => taskView(matrix, taskId));
  const bidsOf = (index: number) => taskBids(matrix, matrix.taskIds[index] as string);
  const results: Record<string, MechanismResult> = {};
  const vectors: Record<string, PairedVectors> = {};
  const feedback = options.feedback ?? 'full';
  const arrival = arrivalOrder({ tasks: matrix.taskIds.length, root, k: 0 });
  let banditBids: Bid[][] | undefined;
  mechanisms.forEach((mechanism, index) => {
    let columns: RunColumns;
    let result: MechanismResult;
    if (feedback === 'bandit') {
      banditBids ??= matrix.taskIds.map((_, task) => bidsOf(task));
      const bids = banditBids;
      const { runs, refits } = banditRuns({ matrix, mechanism, views, bids, arrival, maxAttempts, value, random: root });
      const spec = specs[index] as MechanismSpec;
      // Only learners depend on the order; an online learner given as an object cannot be renewed.
      const spreads = (mechanism.fit || mechanism.observe) && arrivalSeeds > 1 && (typeof spec === 'string' || !mechanism.observe);
      columns = RunColumns.fromRuns(runs);
      result = summarizeColumns({
        columns,
        value,
        parameters: { ...mechanism.parameters, ...(mechanism.fit && !mechanism.observe ? { banditRefits: refits } : {}) },
      });
      // Assigned, not spread: spreading would read (and so build) the lazy `perTask`.
      result.welfareCi = welfareIntervalOfColumns({ solved: columns.solved, cost: columns.costUsd, value });
      if (spreads) {
        result.arrivalSpread = arrivalSpread({ matrix, fresh: () => build(spec), first: runs, orders: arrivalSeeds, views, bids, maxAttempts, value, root });
      }
    } else {
      const cross = { matrix, mechanism, views, bidsOf, maxAttempts, value, root };
      const crossFitted = crossFittedRuns({ ...cross, foldOf });
      columns = crossFitted.columns;
      result = summarizeColumns({ columns, value, parameters: { ...mechanism.parameters } });
      result.welfareCi = welfareIntervalOfColumns({ solved: columns.solved, cost: columns.costUsd, value });
      if (mechanism.fit) result.foldParameters = crossFitted.fitted.map((entry) => ({ ...entry.parameters }));
      if (mechanism.fit && foldSeeds > 1) result.foldSpread = foldSpread({ ...cross, first: columns, assignments: foldSeeds, folds });
    }
    results[mechanism.name] = result;
    vectors[mechanism.name] = { solved: columns.solved, cost: columns.costUsd };
    options.onMechanismEnd?.(mechanism.name);
  });

  const order = mechanisms.map((mechanism) => mechanism.name);
  const comparisons = compareAll({ names: order, vectors, value, resamples, random: root.fork('bootstrap') });
  const frontier = costSolveFrontier({
    points: order.map((name) => ({
      name,
      actualCostUsd: (results[name] as MechanismResult).actualCostUsd,
      solved: (results[name] as MechanismResult).solved,
    })),
    n: matrix.taskIds.length,
  });
  return {
    mechanisms: results,
    comparisons,
    frontier,
    settings: {
      value,
      maxAttempts,
      seed,
      resamples,
      folds: foldCount,
      foldSeeds: feedback === 'full' ? foldSeeds : 1,
      arrivalSeeds: feedback === 'bandit' ? arrivalSeeds : 1,
      feedback,
      signalAuroc: synthesized ? signalAuroc.default : null,
      signalBias: synthesized ? signalBias : null,
      signalQuality: synthesized ? forecastQuality(matrix) : null,
      tasks: matrix.taskIds.length,
      workers: matrix.workerIds.length,
    },
  };
}
