import { type Bid, cellKey, type Matrix, type MatrixCell } from '../core/index.js';
import { type AttemptRecord, gridHistory, type History, type HistoryCell, type HistoryGrid, type TaskView } from '../mechanisms/index.js';
import { cellTokens } from './cell-tokens.js';

function cellOf(matrix: Matrix, taskId: string, workerId: string): MatrixCell {
  return matrix.cells.get(cellKey(taskId, workerId)) as MatrixCell;
}

/** The pre-attempt view of a task: id and features. */
export function taskView(matrix: Matrix, taskId: string): TaskView {
  return { taskId, features: matrix.taskFeatures[taskId] ?? {} };
}

/** The recorded outcome of a worker on a task as an attempt record. */
export function attemptRecord(matrix: Matrix, taskId: string, workerId: string): AttemptRecord {
  const cell = cellOf(matrix, taskId, workerId);
  return { workerId, resolved: cell.resolved, costUsd: cell.costUsd, tokens: cellTokens(cell, matrix) };
}

/**
 * Bids of every worker with a stated probability on the task. In replay bids are in USD: the
 * expected cost is e = expected tokens × the worker's blended price (0 when no tokens are
 * stated), and the ask is the cell's ask when it has one, else e (a worker asking to be
 * reimbursed its expected cost).
 */
export function taskBids(matrix: Matrix, taskId: string): Bid[] {
  const bids: Bid[] = [];
  for (const workerId of matrix.workerIds) {
    const cell = cellOf(matrix, taskId, workerId);
    if (cell.p === null) continue;
    const expectedCost = (cell.expectedTokens ?? 0) * (matrix.blendedPrice[workerId] ?? 0);
    bids.push({
      workerId,
      taskId,
      ask: cell.ask ?? expectedCost,
      pSuccess: cell.p,
      expectedCost,
      ...(cell.expectedTokens === null ? {} : { expectedTokens: cell.expectedTokens }),
      fallback: false,
    });
  }
  return bids;
}

/** The history of the given tasks: their features and every cell, for fitting learned mechanisms. */
export function historyOf(matrix: Matrix, taskIds: string[]): History {
  const cells: HistoryCell[] = [];
  for (const taskId of taskIds) {
    for (const workerId of matrix.workerIds) {
      const cell = cellOf(matrix, taskId, workerId);
      cells.push({
        taskId,
        workerId,
        resolved: cell.resolved,
        costUsd: cell.costUsd,
        tokens: cellTokens(cell, matrix),
        p: cell.p,
        expectedTokens: cell.expectedTokens,
      });
    }
  }
  return {
    workerIds: matrix.workerIds.slice(),
    tasks: taskIds.map((taskId) => taskView(matrix, taskId)),
    cells,
    blendedPrice: { ...matrix.blendedPrice },
  };
}

/**
 * One history per cross-fitting fold: fold f's history holds every task NOT in fold f. The
 * outcomes are one grid of typed columns over the whole matrix, shared by all folds (each fold
 * only names its tasks' rows), so learners that read the grid (`historyGrid`) cost no object per
 * cell. The cells are made only when a learner reads them, once for all folds (each fold then
 * holds references). Each history's cells equal `historyOf(matrix, <the other folds' task ids>)`'s.
 */
export function foldHistories(options: {
  /** The matrix. */
  matrix: Matrix;
  /** Fold of each task, in the matrix's task order. */
  foldOf: ArrayLike<number>;
  /** Number of folds. */
  folds: number;
  /** The task views in matrix order (built here when not given). */
  views?: readonly TaskView[];
}): History[] {
  const { matrix, foldOf, folds } = options;
  const perTask = matrix.workerIds.length;
  const base = outcomeGrid(matrix);
  const views = options.views ?? matrix.taskIds.map((taskId) => taskView(matrix, taskId));
  let shared: HistoryCell[] | undefined;
  return Array.from({ length: folds }, (_, fold) => {
    const kept: number[] = [];
    for (let index = 0; index < matrix.taskIds.length; index++) if (foldOf[index] !== fold) kept.push(index);
    return gridHistory({
      workerIds: matrix.workerIds.slice(),
      tasks: kept.map((index) => views[index] as TaskView),
      grid: { ...base, rows: Int32Array.from(kept) },
      blendedPrice: { ...matrix.blendedPrice },
      cellsOf: () => {
        shared ??= historyOf(matrix, matrix.taskIds).cells;
        const cells: HistoryCell[] = [];
        for (const index of kept) for (let w = 0; w < perTask; w++) cells.push(shared[index * perTask + w] as HistoryCell);
        return cells;
      },
    });
  });
}

/** Outcome grids of matrices, built once per matrix (every learner and fold assignment shares it). */
const grids = new WeakMap<Matrix, Omit<HistoryGrid, 'rows'>>();

/** The matrix's outcomes and forecasts as typed columns, task-major in matrix order (33 bytes a cell). */
function outcomeGrid(matrix: Matrix): Omit<HistoryGrid, 'rows'> {
  let grid = grids.get(matrix);
  if (grid) return grid;
  const perTask = matrix.workerIds.length;
  const size = matrix.taskIds.length * perTask;
  const forecasts = { p: new Float64Array(size), expectedTokens: new Float64Array(size) };
  grid = { resolved: new Int8Array(size), costUsd: new Float64Array(size), tokens: new Float64Array(size), forecasts };
  const { resolved, costUsd, tokens } = grid;
  matrix.taskIds.forEach((taskId, index) => {
    matrix.workerIds.forEach((workerId, w) => {
      const cell = cellOf(matrix, taskId, workerId);
      const k = index * perTask + w;
      resolved[k] = cell.resolved ? 1 : 0;
      costUsd[k] = cell.costUsd;
      tokens[k] = cellTokens(cell, matrix);
      forecasts.p[k] = cell.p ?? Number.NaN;
      forecasts.expectedTokens[k] = cell.expectedTokens ?? Number.NaN;
    });
  });
  grids.set(matrix, grid);
  return grid;
}
