import { cellKey, type Matrix } from '../core/index.js';

/**
 * Workers whose work costs nothing by every record: blended price 0 (or none) and a recorded
 * cost of 0 on every task. Their attempts would enter every total at $0 and make any mechanism
 * that uses them look free (a store of imported outcomes without prices showed "400/500 for
 * $0.00"), so the replay refuses them unless the caller allows zero prices.
 */
export function unpricedWorkers(matrix: Matrix): string[] {
  return matrix.workerIds.filter((workerId) => {
    const price = matrix.blendedPrice[workerId];
    if (price !== undefined && price > 0) return false;
    return matrix.taskIds.every((taskId) => (matrix.cells.get(cellKey(taskId, workerId))?.costUsd ?? 0) === 0);
  });
}
