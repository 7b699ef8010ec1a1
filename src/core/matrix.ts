import { z } from 'zod';

/**
 * One cell of a task × worker matrix: the worker's forecast and what happened when it
 * attempted the task. Replay reads nothing else.
 */
export const MatrixCellSchema = z.object({
  /** The task. */
  taskId: z.string().min(1),
  /** The worker. */
  workerId: z.string().min(1),
  /** Stated probability of success; null when no valid forecast exists. */
  p: z.number().min(0).max(1).nullable(),
  /** Stated expected tokens; null when unknown. */
  expectedTokens: z.number().nonnegative().nullable(),
  /** Ask price, when the worker bid one. */
  ask: z.number().nonnegative().nullable().default(null),
  /** Whether the worker's attempt resolved the task. */
  resolved: z.boolean(),
  /** Cost of the attempt in USD. */
  costUsd: z.number().nonnegative(),
  /** Actual tokens of the attempt; null when only the cost is known. */
  tokens: z.number().nonnegative().nullable(),
});

/** One cell of a task × worker matrix. */
export type MatrixCell = z.infer<typeof MatrixCellSchema>;

/** Everything a counterfactual replay needs. */
export interface Matrix {
  /** Task ids in a fixed order. */
  taskIds: string[];
  /** Worker ids in a fixed order. */
  workerIds: string[];
  /** Cells keyed by `cellKey(taskId, workerId)`; every task × worker pair is present. */
  cells: Map<string, MatrixCell>;
  /** Blended USD price per token of each worker (for cost ↔ token conversions). */
  blendedPrice: Record<string, number>;
  /** Pre-attempt task features (repository, statement length, number of tests...). */
  taskFeatures: Record<string, Record<string, number | string>>;
}

/** Key of a matrix cell. */
export function cellKey(taskId: string, workerId: string): string {
  return `${taskId}\u0000${workerId}`;
}

/** The task and worker of a `cellKey`, or undefined when the text is not one. */
export function cellKeyParts(key: string): { taskId: string; workerId: string } | undefined {
  const at = key.indexOf('\u0000');
  return at < 0 ? undefined : { taskId: key.slice(0, at), workerId: key.slice(at + 1) };
}
