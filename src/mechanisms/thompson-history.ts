import type { Random } from '../core/index.js';
import { betaDraw } from './thompson-router.js';
import type { History, HistoryCell } from './types.js';

/** Stands in for the tasks still to come when a bandit learner has seen none yet. */
const PRIOR_TASK = { taskId: '\u0000prior', features: {} };

/**
 * One Thompson draw of the cells a bandit learner never saw, so that a batch learner fitted on
 * the completed history explores instead of reading every unseen cell as a failure. Per worker a
 * success rate p̃ ~ Beta(1 + solved, 1 + failed) of its own attempts in the history, and its mean
 * cost so far (0 before its first attempt: optimism, so untried workers get tried); every unseen
 * (task, worker) cell is drawn resolved with probability p̃ at that cost. Observed cells are kept
 * as they are; an empty history gets one prior task so the learner acts before its first outcome.
 * Only the history's own cells and `random` decide the draws.
 */
export function thompsonCompletedHistory(history: History, random: Random): History {
  const tasks = history.tasks.length > 0 ? history.tasks : [PRIOR_TASK];
  const seen = new Set<string>();
  const counts = new Map<string, { solved: number; failed: number; cost: number }>();
  for (const cell of history.cells) {
    seen.add(`${cell.taskId}\u0000${cell.workerId}`);
    const entry = counts.get(cell.workerId) ?? { solved: 0, failed: 0, cost: 0 };
    if (cell.resolved) entry.solved++;
    else entry.failed++;
    entry.cost += cell.costUsd;
    counts.set(cell.workerId, entry);
  }
  const draws = history.workerIds.map((workerId) => {
    const entry = counts.get(workerId) ?? { solved: 0, failed: 0, cost: 0 };
    const tries = entry.solved + entry.failed;
    return {
      workerId,
      p: betaDraw(random.fork(`p/${workerId}`), 1 + entry.solved, 1 + entry.failed),
      cost: tries > 0 ? entry.cost / tries : 0,
    };
  });
  const outcomes = random.fork('cells');
  const cells: HistoryCell[] = history.cells.slice();
  for (const task of tasks) {
    for (const draw of draws) {
      if (seen.has(`${task.taskId}\u0000${draw.workerId}`)) continue;
      const price = history.blendedPrice[draw.workerId] ?? 0;
      cells.push({
        taskId: task.taskId,
        workerId: draw.workerId,
        resolved: outcomes.bernoulli(draw.p),
        costUsd: draw.cost,
        tokens: price > 0 ? draw.cost / price : 0,
        p: null,
        expectedTokens: null,
      });
    }
  }
  // Built afresh (no `grid`): the drawn cells are not in the given history's grid.
  return { workerIds: history.workerIds, tasks, cells, blendedPrice: history.blendedPrice };
}
