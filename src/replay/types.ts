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
  /** Total actual cost of every attempt made, USD (what the workers spent). */
  costUsd: number;
  /** spendUsd / solved; null when nothing was solved. */
  costPerSolve: number | null;
  /** Principal surplus at value V: V·solved − spendUsd. */
  surplus: number;
  /** Worker profits summed: spendUsd − costUsd. */
  workerProfit: number;
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
}

/** A point of the cost–solve plane. */
export interface FrontierPoint {
  /** Mechanism name. */
  name: string;
  /** Its spend, USD. */
  spendUsd: number;
  /** Its solved count. */
  solved: number;
}

/** The cost–solve frontier of the replayed mechanisms. */
export interface Frontier {
  /** Non-dominated points (no other point spends no more and solves no fewer, one strictly), by spend. */
  points: FrontierPoint[];
  /**
   * Area under the frontier's step curve solved(s) = most tasks solved by a frontier point with
   * spend ≤ s, for s from 0 to the largest spend of any mechanism, divided by (that spend × n).
   * 1 would mean every task solved for free; 0 that nothing is solved below the top spend.
   */
  auf: number;
  /** The spend range the area is taken over, USD (the largest spend of any mechanism). */
  spendMax: number;
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
    /** Informativeness of synthesized forecasts, or null when the matrix had its own. */
    informativeness: number | null;
    /** Tasks and workers replayed. */
    tasks: number;
    /** Workers on the roster. */
    workers: number;
  };
}
