import { forEachCell } from './history-grid.js';
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
  forEachCell(history, (_task, cell) => {
    const sum = sums[cell.workerId];
    if (!sum) return;
    sum.attempts++;
    if (cell.resolved) sum.resolved++;
    sum.cost += cell.costUsd;
    sum.tokens += cell.tokens;
  });
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
