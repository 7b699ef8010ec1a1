import type { ArrivalSpread } from './arrival-spread.js';
import type { FoldSpread } from './fold-spread.js';
/** One attempt in a task's replay. */
export interface ReplayAttempt {
  /** The worker that attempted. */
  workerId: string;
  /** Whether it resolved the task. */
  resolved: boolean;
  /** Its actual cost in USD. */
  costUsd: number;
}

/** One task under one mechanism. */
export interface ReplayTask {
  /** The task. */
  taskId: string;
  /** Whether any attempt resolved it. */
  solved: boolean;
  /** Realized payments to workers for this task, USD. */
  spendUsd: number;
  /** Attempts in round order (empty when the mechanism abstained). */
  attempts: ReplayAttempt[];
}

/** Principal-side results of one mechanism over the whole matrix. */
export interface MechanismResult {
  /** Parameters of the mechanism with defaults filled in. */
  parameters: Record<string, unknown>;
  /** Tasks solved. */
  solved: number;
  /** Tasks replayed. */
  n: number;
  /** solved / n. */
  solveRate: number;
  /** Total realized payments to workers, USD (the principal's spend). */
  spendUsd: number;
  /** Total actual cost of every attempt made, USD (recorded cost, else tokens × price). */
  actualCostUsd: number;
  /** Welfare at value V: V·solved − actualCostUsd (the primary ranking; payments are transfers). */
  welfare: number;
  /**
   * 95% task-level interval of `welfare` (closed form, `welfareInterval`); absent only in results
   * built outside `runReplay`.
   */
  welfareCi?: [number, number];
  /** actualCostUsd / solved; null when nothing was solved. */
  costPerSolve: number | null;
  /** spendUsd / solved; null when nothing was solved. */
  spendPerSolve: number | null;
  /** Principal surplus at value V: V·solved − spendUsd (secondary: it counts transfers, not cost). */
  surplus: number;
  /** Worker rent summed: spendUsd − actualCostUsd (what payments add to or take from the workers). */
  workerRentUsd: number;
  /** Tokens of all attempts / solved; null when nothing was solved. */
  tokensPerSolve: number | null;
  /** Attempts made. */
  attempts: number;
  /** Each worker's share of all attempts the mechanism commissioned (sums to 1 when any). */
  winShare: Record<string, number>;
  /** Each worker's resolved attempts / its attempts (only workers that attempted anything). */
  conversion: Record<string, number>;
  /** Per-task detail, in the matrix's task order. */
  perTask: ReplayTask[];
  /**
   * For mechanisms that learn: the fitted parameters of each cross-fitting fold (hyper-parameters
   * chosen by nested CV inside that fold's training tasks, learned orders), in fold order.
   */
  foldParameters?: Record<string, unknown>[];
  /**
   * For mechanisms that learn, under full feedback: solved, actual cost and welfare as mean ± sd
   * over `settings.foldSeeds` seeded fold assignments (assignment 0 gives every other figure).
   */
  foldSpread?: FoldSpread;
  /**
   * For learners under bandit feedback: solved, actual cost and welfare as mean ± sd (with a 95%
   * t interval of the mean) over `settings.arrivalSeeds` seeded arrival orders (order 0 gives
   * every other figure).
   */
  arrivalSpread?: ArrivalSpread;
}

/** A paired comparison of two mechanisms on the same tasks. */
export interface MechanismComparison {
  /** First mechanism. */
  a: string;
  /** Second mechanism. */
  b: string;
  /** Tasks a solved and b did not. */
  onlyA: number;
  /** Tasks b solved and a did not. */
  onlyB: number;
  /** Two-sided exact McNemar p-value on those discordant tasks. */
  mcnemarP: number;
  /** solved(a) − solved(b). */
  solvedDiff: number;
  /** 95% task-level paired bootstrap percentile CI of solved(a) − solved(b). */
  solvedDiffCi: [number, number];
  /** McNemar p-value Holm-adjusted over every pair of the report (family = all pairs). */
  mcnemarPHolm: number;
  /** welfare(a) − welfare(b), USD. */
  welfareDiff: number;
  /** 95% paired bootstrap CI of welfare(a) − welfare(b) (same resamples as `solvedDiffCi`). */
  welfareDiffCi: [number, number];
  /** actualCost(a) − actualCost(b), USD. */
  costDiff: number;
  /** 95% paired bootstrap CI of actualCost(a) − actualCost(b) (same resamples). */
  costDiffCi: [number, number];
}

/** A point of the cost–solve plane (actual cost, never payments: DESIGN §5). */
export interface FrontierPoint {
  /** Mechanism name. */
  name: string;
  /** Its actual cost, USD. */
  actualCostUsd: number;
  /** Its solved count. */
  solved: number;
}

/** The cost–solve frontier of the replayed mechanisms. */
export interface Frontier {
  /** Non-dominated points (no other point costs no more and solves no fewer, one strictly), by actual cost. */
  points: FrontierPoint[];
  /**
   * Area under the frontier's step curve solved(c) = most tasks solved by a frontier point with
   * actual cost ≤ c, for c from 0 to the largest actual cost of any mechanism, divided by (that cost × n).
   * 1 would mean every task solved for free; 0 that nothing is solved below the top cost.
   */
  auf: number;
  /** The actual-cost range the area is taken over, USD (the largest actual cost of any mechanism). */
  costMax: number;
}

/** Everything a replay produces. */
export interface ReplayReport {
  /** Results per mechanism name, in the order given. */
  mechanisms: Record<string, MechanismResult>;
  /** Every pair of mechanisms (a before b in the given order). */
  comparisons: MechanismComparison[];
  /** The cost–solve frontier. */
  frontier: Frontier;
  /** Settings used, so the report is self-describing. */
  settings: {
    /** Value of a solved task, USD. */
    value: number;
    /** Most rounds per task. */
    maxAttempts: number;
    /** Seed of every random draw. */
    seed: number;
    /** Bootstrap resamples per comparison. */
    resamples: number;
    /** Cross-fitting folds (K-fold by task). */
    folds: number;
    /** Fold assignments behind each learned mechanism's `foldSpread` (1 when there is none, as under bandit feedback). */
    foldSeeds: number;
    /** Arrival orders behind each learner's `arrivalSpread` (1 when there is none, as under full feedback). */
    arrivalSeeds: number;
    /** `full` (learners see every worker's outcome on other tasks) or `bandit` (only their own earlier attempts). */
    feedback: 'full' | 'bandit';
    /** Target within-worker AUROC of synthesized forecasts, or null when the matrix had its own. */
    signalAuroc: number | null;
    /** Calibration bias of synthesized forecasts (added on the logit scale), or null as above. */
    signalBias: number | null;
    /** Realized quality of the synthesized forecasts (mean within-worker AUROC, Brier), or null as above. */
    signalQuality: { auroc: number; brier: number } | null;
    /** Tasks and workers replayed. */
    tasks: number;
    /** Workers on the roster. */
    workers: number;
  };
}
