import type { Bid, Payment, PlanCaps, PricedPlan, Random } from '../core/index.js';

/** A parameter value of a mechanism, as shown by `mechanismNames()` and stored in reports. */
export type MechanismParameter = number | string | boolean | string[];

/** What a mechanism may know about a task before any attempt: its id and pre-attempt features. */
export interface TaskView {
  /** The task. */
  taskId: string;
  /** Pre-attempt features (repository, statement length, number of tests...); never outcomes. */
  features: Record<string, number | string>;
}

/** One recorded attempt of one worker on one task, as history or as an earlier round. */
export interface AttemptRecord {
  /** The worker that attempted. */
  workerId: string;
  /** Whether it resolved the task. */
  resolved: boolean;
  /** Actual cost of the attempt in USD. */
  costUsd: number;
  /** Actual tokens of the attempt (cost / blended price when only the cost is known). */
  tokens: number;
}

/** One cell of history: a worker's forecast and attempt on a task other than the one allocated. */
export interface HistoryCell extends AttemptRecord {
  /** The task. */
  taskId: string;
  /** The worker's stated probability; null when it gave none. */
  p: number | null;
  /** The worker's stated tokens; null when it gave none. */
  expectedTokens: number | null;
  /** The caps of the production plan the attempt ran under (issue #17); absent when uncapped. */
  plan?: PlanCaps;
}

/**
 * What learned mechanisms are fitted on: complete records of OTHER tasks. The replay builds one
 * per cross-fitting fold from the tasks outside the fold, so a task's own outcome never reaches
 * the allocator of that task.
 */
export interface History {
  /** Every worker on the roster, in a fixed order. */
  workerIds: string[];
  /** The history's tasks with their pre-attempt features. */
  tasks: TaskView[];
  /** Cells of those tasks (any subset of task × worker). */
  cells: HistoryCell[];
  /** Blended USD price per token of each worker. */
  blendedPrice: Record<string, number>;
  /**
   * The same outcomes as columns (the replay's histories carry it, so learners need no cell
   * objects); `historyGrid` builds it from `cells` when absent. It must agree with `cells`.
   */
  grid?: HistoryGrid;
}

/**
 * A history's outcomes as typed columns over base rows × the roster (index row · workers + w,
 * workers = `workerIds.length`). Several histories may share one base (the folds and inner folds
 * of one matrix): each names its own tasks' rows.
 */
export interface HistoryGrid {
  /** 1 resolved, 0 failed, −1 no cell. */
  resolved: Int8Array;
  /** Actual cost of the attempt, USD (0 where there is no cell). */
  costUsd: Float64Array;
  /** Actual tokens of the attempt (0 where there is no cell). */
  tokens: Float64Array;
  /** The base row of each of the history's tasks, aligned with `History.tasks`. */
  rows: Int32Array;
  /**
   * Stated p and stated tokens per cell (NaN for none). Only a grid made from a matrix carries
   * them (the replay's fold histories and their sub-histories): there every task has one cell per
   * worker and the cells are in task order, then roster order, so per-worker readers
   * (`workerCells`, `workerRecords`) can read the grid instead of the cells, in the same order.
   */
  forecasts?: { p: Float64Array; expectedTokens: Float64Array };
}

/** Replay settings a mechanism may need while fitting (e.g. to trade solves against spend). */
export interface FitSettings {
  /** The principal's value of a solved task (USD in replay). */
  value: number;
  /** Most rounds per task. */
  maxAttempts: number;
  /**
   * Bandit feedback: the history holds only the learner's own attempts, so a learner must explore
   * (e.g. by Thompson sampling the outcomes it never saw) instead of fitting the gaps as failures.
   */
  explore?: boolean;
}

/** What the driver tells a mechanism about the round being allocated. */
export interface AllocationContext {
  /** 1-based round of the multi-round driver. */
  round: number;
  /** Most rounds the driver will run on this task. */
  maxAttempts: number;
  /** The principal's value of a solved task (USD in replay). */
  value: number;
  /** Every worker on the roster, in a fixed order. */
  roster: string[];
  /** Workers still allowed this round: the roster minus those that already failed the task. */
  available: string[];
  /** Attempts of earlier rounds on this task (all failed, or the driver would have stopped). */
  previous: AttemptRecord[];
  /**
   * The true outcome of a worker on this task. Only set for mechanisms that declare
   * `usesOutcomes` (the oracle); every other mechanism allocates without it.
   */
  reveal?: (workerId: string) => AttemptRecord;
}

/** A payment promised at allocation time, due when the attempt ends as stated. */
export interface PromisedPayment extends Payment {
  /** `always`, only on `success`, or only on `failure` of the paid worker's attempt. */
  when: 'always' | 'success' | 'failure';
}

/** A mechanism's decision for one round of one task. */
export interface MechanismDecision {
  /** Workers assigned this round; empty means the principal abstains (and the task stops). */
  workerIds: string[];
  /**
   * Transfers the mechanism promises at allocation time (e.g. the ask in a first-price auction,
   * the reserve on success, a penalty on failure). When `reimburseCost` is true the driver adds
   * a `cost` payment of each attempt's actual cost.
   */
  payments: PromisedPayment[];
  /** True when the principal pays each assigned worker its actual attempt cost. */
  reimburseCost: boolean;
  /** Scores, reserve draws or other explanation of the decision. */
  detail: Record<string, unknown>;
  /**
   * The production plan each assigned worker won (plan mechanisms only): its caps are what the
   * attempt must be held to, its p and cost what the mechanism bought.
   */
  plans?: Record<string, PricedPlan>;
}

/**
 * An allocation rule: from (task, bids, context, random) to the workers that attempt the task
 * this round and what they are paid. Pure: randomness only from the injected `Random`, no I/O.
 */
export interface Mechanism {
  /** Registered name including parameters, e.g. `solo:gpt-5`, `cascade:learned`. */
  readonly name: string;
  /** Parameters with their values (defaults filled in). */
  readonly parameters: Record<string, MechanismParameter>;
  /** True only for the oracle: the driver then supplies `context.reveal`. */
  readonly usesOutcomes?: boolean;
  /**
   * Fits whatever the mechanism learns on `history` (cross-fitted by the caller) and returns a
   * mechanism ready to allocate. Absent for mechanisms that learn nothing.
   */
  fit?(history: History, random: Random, settings: FitSettings): Mechanism;
  /**
   * Online learners (bandit feedback): updates the learner, in place and incrementally, with the
   * outcomes of its OWN attempts on a task once the task is done. Absent for mechanisms that do
   * not learn online.
   */
  observe?(task: TaskView, attempts: readonly AttemptRecord[]): void;
  /** Decides one round of one task. `bids` holds only the available workers' bids. */
  allocate(task: TaskView, bids: Bid[], context: AllocationContext, random: Random): MechanismDecision;
}
