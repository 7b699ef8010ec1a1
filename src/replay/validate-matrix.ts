import { cellKey, InvalidInputError, type Matrix } from '../core/index.js';

/**
 * Checks that a matrix is complete and consistent before replay: unique task and worker ids,
 * a cell for every task × worker pair whose ids match its key, and a blended price per worker.
 * Throws an `InvalidInputError` naming the first problem (task, worker, field).
 */
export function validateMatrix(matrix: Matrix, source = 'matrix'): void {
  if (matrix.taskIds.length === 0) throw new InvalidInputError('the matrix has no tasks', { file: source });
  if (matrix.workerIds.length === 0) throw new InvalidInputError('the matrix has no workers', { file: source });
  const seenTasks = new Set<string>();
  for (const taskId of matrix.taskIds) {
    if (seenTasks.has(taskId)) throw new InvalidInputError(`task '${taskId}' is listed twice`, { file: source });
    seenTasks.add(taskId);
  }
  const seenWorkers = new Set<string>();
  for (const workerId of matrix.workerIds) {
    if (seenWorkers.has(workerId)) {
      throw new InvalidInputError(`worker '${workerId}' is listed twice`, { file: source });
    }
    seenWorkers.add(workerId);
    const price = matrix.blendedPrice[workerId];
    if (price === undefined || !(price >= 0)) {
      throw new InvalidInputError(`worker '${workerId}' has no blended price per token`, {
        file: source,
        field: 'blendedPrice',
      });
    }
  }
  const missing: string[] = [];
  for (const taskId of matrix.taskIds) {
    for (const workerId of matrix.workerIds) {
      const cell = matrix.cells.get(cellKey(taskId, workerId));
      if (!cell) {
        missing.push(`(${taskId}, ${workerId})`);
        continue;
      }
      if (cell.taskId !== taskId || cell.workerId !== workerId) {
        throw new InvalidInputError(
          `cell keyed (${taskId}, ${workerId}) holds (${cell.taskId}, ${cell.workerId})`,
          { file: source },
        );
      }
    }
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).join(', ');
    throw new InvalidInputError(
      `missing ${missing.length} cell(s) of ${matrix.taskIds.length} tasks × ${matrix.workerIds.length} workers, e.g. ${shown}; every task needs an outcome for every worker`,
      { file: source },
    );
  }
}
