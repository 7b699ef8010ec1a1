import { type Bid, cellKey, type Matrix, type Random } from '../core/index.js';
import { type History, type HistoryCell, type Mechanism, runTaskRounds, type TaskRun, type TaskView } from '../mechanisms/index.js';
import { cellTokens } from './cell-tokens.js';
import { attemptRecord } from './matrix-views.js';

/** Feedback the learners get: every worker's outcome on other tasks, or only their own attempts. */
export type Feedback = 'full' | 'bandit';

/**
 * A batch learner under bandit feedback is refitted after 1, 2, 4, 8 tasks and then every
 * `REFIT_EVERY` tasks: often enough that a Thompson-sampled learner resamples while it explores,
 * rarely enough that refits stay a small multiple of one full-feedback fit.
 */
const REFIT_EVERY = 16;

/** Whether a batch learner is refitted after `seen` tasks. */
function refitAfter(seen: number): boolean {
  return seen < REFIT_EVERY ? (seen & (seen - 1)) === 0 : seen % REFIT_EVERY === 0;
}

/**
 * One mechanism under bandit feedback: tasks arrive in `arrival` order and the mechanism learns
 * only from the outcomes of the attempts IT made on earlier tasks. An online learner (`observe`)
 * is updated after every task; a batch learner (`fit`) is refitted on its own attempts so far
 * after 1, 2, 4, 8 tasks and then every 16 (never one per task), starting from an empty history
 * with `explore` set so that it samples what it has not seen instead of reading it as failure. Mechanisms that learn nothing run as under full feedback. Returns the
 * runs in the matrix's task order.
 */
export function banditRuns(options: {
  /** The matrix (with forecasts). */
  matrix: Matrix;
  /** The unfitted mechanism (a fresh instance: online learners are updated in place). */
  mechanism: Mechanism;
  /** Task views in matrix order. */
  views: readonly TaskView[];
  /** Bids in matrix order. */
  bids: readonly Bid[][];
  /** Matrix task indices in arrival order. */
  arrival: readonly number[];
  /** Most rounds per task. */
  maxAttempts: number;
  /** Value of a solved task. */
  value: number;
  /** The replay's root randomness. */
  random: Random;
}): { runs: TaskRun[]; refits: number } {
  const { matrix, mechanism, views, bids, arrival, maxAttempts, value, random } = options;
  const runs = new Array<TaskRun>(matrix.taskIds.length);
  const seenTasks: TaskView[] = [];
  const seenCells: HistoryCell[] = [];
  const history = (): History => ({
    workerIds: matrix.workerIds.slice(),
    tasks: seenTasks.slice(),
    cells: seenCells.slice(),
    blendedPrice: { ...matrix.blendedPrice },
  });
  const settings = { value, maxAttempts, explore: true };
  let refits = 0;
  const refit = (): Mechanism =>
    mechanism.fit ? mechanism.fit(history(), random.fork(`bandit-fit/${mechanism.name}/${refits++}`), settings) : mechanism;
  let current = mechanism.observe ? mechanism : refit();
  arrival.forEach((index, position) => {
    const taskId = matrix.taskIds[index] as string;
    const task = views[index] as TaskView;
    const run = runTaskRounds({
      mechanism: current,
      task,
      bids: bids[index] as Bid[],
      roster: matrix.workerIds,
      attempt: (workerId) => attemptRecord(matrix, taskId, workerId),
      maxAttempts,
      value,
      random: random.fork(`task/${mechanism.name}/${taskId}`),
    });
    runs[index] = run;
    if (mechanism.observe) {
      mechanism.observe(task, run.attempts);
      return;
    }
    seenTasks.push(task);
    for (const attempt of run.attempts) {
      const cell = matrix.cells.get(cellKey(taskId, attempt.workerId));
      if (!cell) continue;
      seenCells.push({
        taskId,
        workerId: attempt.workerId,
        resolved: cell.resolved,
        costUsd: cell.costUsd,
        tokens: cellTokens(cell, matrix),
        p: cell.p,
        expectedTokens: cell.expectedTokens,
      });
    }
    if (mechanism.fit && refitAfter(position + 1)) current = refit();
  });
  return { runs, refits };
}
