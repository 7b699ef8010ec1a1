import type { Store } from '../store/store.js';

/** One attempt's result as the CLI prints it. */
export interface AttemptRow {
  /** Task. */
  taskId: string;
  /** Worker. */
  workerId: string;
  /** Verdict. */
  resolved: boolean;
  /** Why the agent stopped. */
  exitReason: string | null;
  /** Input + output tokens. */
  tokens: number;
  /** USD. */
  costUsd: number;
  /** Wall time in ms. */
  wallTimeMs: number;
}

/** A run's attempts as the CLI prints them (round order within each task). */
export function attemptRows(store: Store, runId: string): AttemptRow[] {
  return store.getAttempts({ runId }).map((attempt) => ({
    taskId: attempt.taskId,
    workerId: attempt.workerId,
    resolved: attempt.outcome.resolved,
    exitReason: attempt.outcome.exitReason,
    tokens: attempt.outcome.inputTokens + attempt.outcome.outputTokens,
    costUsd: attempt.outcome.costUsd,
    wallTimeMs: attempt.outcome.wallTimeMs,
  }));
}
