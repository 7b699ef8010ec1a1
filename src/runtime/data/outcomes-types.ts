/** One outcome read from an external evaluation, before it becomes a stored attempt. */
export interface ImportedOutcome {
  /** The task (SWE-bench instance id, …). */
  taskId: string;
  /** The worker as the file names it (a model, a submission). */
  workerId: string;
  /** Whether the task was resolved. */
  resolved: boolean;
  /** USD cost of the attempt; null when the source does not say. */
  costUsd: number | null;
  /** Input tokens, when known (else 0). */
  inputTokens: number;
  /** Output tokens, when known (else 0). */
  outputTokens: number;
  /** Mechanism round (1 for external evaluations). */
  round: number;
  /** Why the attempt ended, when the source says (`empty-patch`, `error`). */
  exitReason: string | null;
}

/** Parsed outcomes plus notes for the user. */
export interface ParsedOutcomes {
  /** The outcomes. */
  outcomes: ImportedOutcome[];
  /** Skipped submissions, data warnings, assumptions. */
  warnings: string[];
}
