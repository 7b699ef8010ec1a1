import type { Random } from '../core/index.js';
import { betaDraw } from './thompson-router.js';
import { gridHistory } from './history-grid.js';
import type { History, HistoryCell, HistoryGrid } from './types.js';

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
  const workerIds = history.workerIds;
  const workers = workerIds.length;
  // The grid `historyGrid` would build from the completed cells (the last cell of a (task,
  // worker) pair wins), filled directly: under bandit feedback every fit of a cascade completes
  // its history afresh, and one object per drawn cell was most of a fit's cost.
  const taskIndex = new Map(tasks.map((task, index) => [task.taskId, index]));
  const workerIndex = new Map(workerIds.map((workerId, index) => [workerId, index]));
  const size = tasks.length * workers;
  const grid: HistoryGrid = {
    resolved: new Int8Array(size).fill(-1),
    costUsd: new Float64Array(size),
    tokens: new Float64Array(size),
    rows: Int32Array.from(tasks, (_, index) => index),
  };
  // seen[k]: an observed cell has the pair at grid index k (task ids and workers off the grid are
  // never asked for below).
  const seen = new Uint8Array(size);
  const counts = new Map<string, { solved: number; failed: number; cost: number }>();
  for (const cell of history.cells) {
    const entry = counts.get(cell.workerId) ?? { solved: 0, failed: 0, cost: 0 };
    if (cell.resolved) entry.solved++;
    else entry.failed++;
    entry.cost += cell.costUsd;
    counts.set(cell.workerId, entry);
    const t = taskIndex.get(cell.taskId);
    const w = workerIndex.get(cell.workerId);
    if (t === undefined || w === undefined) continue;
    const k = t * workers + w;
    seen[k] = 1;
    grid.resolved[k] = cell.resolved ? 1 : 0;
    grid.costUsd[k] = cell.costUsd;
    grid.tokens[k] = cell.tokens;
  }
  const draws = workerIds.map((workerId) => {
    const entry = counts.get(workerId) ?? { solved: 0, failed: 0, cost: 0 };
    const tries = entry.solved + entry.failed;
    const cost = tries > 0 ? entry.cost / tries : 0;
    const price = history.blendedPrice[workerId] ?? 0;
    return {
      workerId,
      w: workerIndex.get(workerId) as number,
      p: betaDraw(random.fork(`p/${workerId}`), 1 + entry.solved, 1 + entry.failed),
      cost,
      tokens: price > 0 ? cost / price : 0,
    };
  });
  const outcomes = random.fork('cells');
  // Drawn outcomes in the order the cells list them, for the cells made on first read.
  const drawn = new Uint8Array(size);
  let count = 0;
  for (const task of tasks) {
    const base = (taskIndex.get(task.taskId) as number) * workers;
    for (const draw of draws) {
      const k = base + draw.w;
      if (seen[k]) continue;
      const resolved = outcomes.bernoulli(draw.p);
      drawn[count++] = resolved ? 1 : 0;
      grid.resolved[k] = resolved ? 1 : 0;
      grid.costUsd[k] = draw.cost;
      grid.tokens[k] = draw.tokens;
    }
  }
  const cellsOf = (): HistoryCell[] => {
    const cells: HistoryCell[] = history.cells.slice();
    let next = 0;
    for (const task of tasks) {
      const base = (taskIndex.get(task.taskId) as number) * workers;
      for (const draw of draws) {
        if (seen[base + draw.w]) continue;
        cells.push({
          taskId: task.taskId,
          workerId: draw.workerId,
          resolved: drawn[next++] === 1,
          costUsd: draw.cost,
          tokens: draw.tokens,
          p: null,
          expectedTokens: null,
        });
      }
    }
    return cells;
  };
  return gridHistory({ workerIds, tasks, grid, blendedPrice: history.blendedPrice, cellsOf });
}
