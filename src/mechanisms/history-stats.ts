import type { History } from './types.js';

/** Summary of one worker's record in a history. */
export interface WorkerRecord {
  /** Attempts in the history. */
  attempts: number;
  /** Resolved attempts. */
  resolved: number;
  /** Smoothed pass rate (resolved + 1) / (attempts + 2), so an empty record gives ½. */
  passRate: number;
  /** Mean actual cost of an attempt in USD (0 when there are no attempts). */
  meanCost: number;
  /** Mean actual tokens of an attempt (0 when there are no attempts). */
  meanTokens: number;
}

/** Per-worker pass rates and mean costs over a history, for every worker on its roster. */
export function workerRecords(history: History): Record<string, WorkerRecord> {
  const sums: Record<string, { attempts: number; resolved: number; cost: number; tokens: number }> = {};
  for (const workerId of history.workerIds) sums[workerId] = { attempts: 0, resolved: 0, cost: 0, tokens: 0 };
  const add = (sum: (typeof sums)[string] | undefined, resolved: boolean, cost: number, tokens: number) => {
    if (!sum) return;
    sum.attempts++;
    if (resolved) sum.resolved++;
    sum.cost += cost;
    sum.tokens += tokens;
  };
  const grid = history.grid;
  if (grid?.forecasts) {
    // A grid made from a matrix lists the cells in the cells' own order: no cell objects needed.
    const workers = history.workerIds.length;
    for (let t = 0; t < history.tasks.length; t++) {
      const base = (grid.rows[t] as number) * workers;
      history.workerIds.forEach((workerId, w) => {
        const k = base + w;
        if ((grid.resolved[k] as number) >= 0) add(sums[workerId], grid.resolved[k] === 1, grid.costUsd[k] as number, grid.tokens[k] as number);
      });
    }
  } else {
    for (const cell of history.cells) add(sums[cell.workerId], cell.resolved, cell.costUsd, cell.tokens);
  }
  const records: Record<string, WorkerRecord> = {};
  for (const [workerId, sum] of Object.entries(sums)) {
    records[workerId] = {
      attempts: sum.attempts,
      resolved: sum.resolved,
      passRate: (sum.resolved + 1) / (sum.attempts + 2),
      meanCost: sum.attempts > 0 ? sum.cost / sum.attempts : 0,
      meanTokens: sum.attempts > 0 ? sum.tokens / sum.attempts : 0,
    };
  }
  return records;
}
