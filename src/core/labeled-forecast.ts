/**
 * A forecast joined with the outcome of the same worker on the same task: the row every
 * calibration, token and auction analysis consumes, whatever its source (the paper's phase-1
 * files, the store, a simulation).
 */
export interface LabeledForecast {
  /** The task. */
  taskId: string;
  /** The worker (model reference in the paper's files). */
  workerId: string;
  /** How the forecast was elicited (`direct`, `card`, `bid`, or the file's strategy). */
  treatment: string;
  /** Stated probability of success, in [0, 1]. */
  p: number;
  /** Stated total tokens; null when not given. */
  expectedTokens: number | null;
  /** 1 when the attempt resolved the task, else 0. */
  y: 0 | 1;
  /** Actual tokens of the attempt; null when only the cost is known. */
  tokens: number | null;
  /** Cost of the attempt in USD; null when unknown. */
  costUsd: number | null;
  /** The worker's blended USD price per token (mean of input and output prices); null if unknown. */
  blendedPrice: number | null;
  /** Extra columns usable with `--group-by` (repo, split, ...). */
  groups: Record<string, string>;
}
