import { cellKey, type Matrix } from '../core/index.js';
import { DEFAULT_MECHANISM_KINDS } from '../mechanisms/index.js';

/**
 * The default line-up: every registered default mechanism, plus `solo` for only two workers —
 * the best solo worker (most tasks solved in the matrix, ties to lower total cost) and the
 * cheapest worker (lowest total cost, ties to more solved) — as reference rows. Picking these two
 * from the matrix is a reporting choice, not an allocation, so it needs no cross-fitting.
 */
export function defaultMechanismSpecs(matrix: Matrix): string[] {
  const totals = matrix.workerIds.map((workerId) => {
    let solved = 0;
    let cost = 0;
    for (const taskId of matrix.taskIds) {
      const cell = matrix.cells.get(cellKey(taskId, workerId));
      if (!cell) continue;
      if (cell.resolved) solved++;
      cost += cell.costUsd;
    }
    return { workerId, solved, cost };
  });
  const best = totals.slice().sort((a, b) => b.solved - a.solved || a.cost - b.cost)[0];
  const cheapest = totals.slice().sort((a, b) => a.cost - b.cost || b.solved - a.solved)[0];
  const solos = [best, cheapest]
    .filter((entry): entry is (typeof totals)[number] => entry !== undefined)
    .map((entry) => `solo:${entry.workerId}`);
  return [...new Set(solos), ...DEFAULT_MECHANISM_KINDS];
}
