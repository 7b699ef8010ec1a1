import { cellKey, type Matrix, type MatrixCell } from '../../src/core/index.js';

/** A hand-built matrix cell: resolved, cost, and optionally a forecast. */
export interface CellSpec {
  /** Whether the worker resolves the task. */
  resolved: boolean;
  /** Attempt cost in USD. */
  cost: number;
  /** Stated probability (null = no forecast). */
  p?: number | null;
  /** Stated tokens (null = none). */
  expectedTokens?: number | null;
  /** Ask in USD. */
  ask?: number | null;
}

/**
 * Builds a complete matrix from a grid: `grid[taskIndex][workerIndex]`. Prices default to
 * 1e-6 USD per token, so tokens = cost × 1e6.
 */
export function gridMatrix(options: {
  tasks: string[];
  workers: string[];
  grid: CellSpec[][];
  features?: Record<string, Record<string, number | string>>;
  price?: number;
}): Matrix {
  const { tasks, workers, grid } = options;
  const cells = new Map<string, MatrixCell>();
  tasks.forEach((taskId, t) => {
    workers.forEach((workerId, w) => {
      const spec = (grid[t] as CellSpec[])[w] as CellSpec;
      cells.set(cellKey(taskId, workerId), {
        taskId,
        workerId,
        p: spec.p ?? null,
        expectedTokens: spec.expectedTokens ?? null,
        ask: spec.ask ?? null,
        resolved: spec.resolved,
        costUsd: spec.cost,
        tokens: null,
      });
    });
  });
  const blendedPrice = Object.fromEntries(workers.map((workerId) => [workerId, options.price ?? 1e-6]));
  return { taskIds: tasks.slice(), workerIds: workers.slice(), cells, blendedPrice, taskFeatures: options.features ?? {} };
}

/** Short cell constructors: solved / failed at a cost, with an optional p. */
export const ok = (cost: number, p?: number, expectedTokens?: number): CellSpec => ({
  resolved: true,
  cost,
  p: p ?? null,
  expectedTokens: expectedTokens ?? null,
});
export const no = (cost: number, p?: number, expectedTokens?: number): CellSpec => ({
  resolved: false,
  cost,
  p: p ?? null,
  expectedTokens: expectedTokens ?? null,
});
