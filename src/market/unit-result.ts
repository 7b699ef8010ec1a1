/** One attempt of a task under an arm, as the unit's result records it. */
export interface UnitAttempt {
  /** The worker. */
  workerId: string;
  /** The round that assigned it. */
  round: number;
  /** Whether the suite's evaluator judged it resolved. */
  resolved: boolean;
  /** Actual USD of the attempt (its recorded cost, earlier interrupted tries included). */
  costUsd: number;
  /** Input + output tokens. */
  tokens: number;
  /** Ledger key of the attempt (its `attempts` row). */
  jobKey: string;
  /** True when the attempt is shared with other arms (`--share-attempts`). */
  shared: boolean;
}

/** One round of a task under an arm. */
export interface UnitRound {
  /** 1-based round. */
  round: number;
  /** Workers assigned (empty: the arm abstained and the task stopped). */
  workerIds: string[];
  /** Bids of this round that were operator fallbacks (bid arms). */
  fallbackBids: number;
  /** Whether the router's reply was unusable and the fallback decided (router arm). */
  routerFallback: boolean;
}

/** Everything that happened to one task under one arm (kept in the ledger's `market-task` row). */
export interface UnitResult {
  /** The arm's label. */
  arm: string;
  /** The task. */
  taskId: string;
  /** Whether any attempt resolved it. */
  solved: boolean;
  /** Rounds in order. */
  rounds: UnitRound[];
  /** Attempts in round order. */
  attempts: UnitAttempt[];
  /** USD of the attempts. */
  attemptCostUsd: number;
  /** Tokens of the attempts. */
  attemptTokens: number;
  /** USD of allocating: this arm's share of the task's bids, or the router calls. */
  overheadCostUsd: number;
  /** Tokens of allocating (same shares). */
  overheadTokens: number;
  /** USD charged to the arm's budget for the task: attempts + overhead. */
  accountedUsd: number;
}
