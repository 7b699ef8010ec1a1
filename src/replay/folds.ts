import type { Random } from '../core/index.js';

/**
 * K-fold cross-fitting by task: shuffles the tasks with `random` and deals them round-robin into
 * `folds` groups (min(folds, tasks)). Returns the fold of each task, aligned with `taskIds`.
 * Everything learned for the tasks of fold k is fitted on the other folds only.
 */
export function crossFitFolds(options: { taskIds: string[]; folds: number; random: Random }): number[] {
  const { taskIds, random } = options;
  const folds = Math.max(1, Math.min(Math.floor(options.folds), taskIds.length));
  const order = random.shuffle(taskIds.map((_, index) => index));
  const assignment = new Array<number>(taskIds.length).fill(0);
  order.forEach((taskIndex, position) => {
    assignment[taskIndex] = position % folds;
  });
  return assignment;
}

/**
 * Number of folds in an assignment: its largest fold + 1 (0 when empty). A loop, not
 * `Math.max(...foldOf)`: spreading a task-sized array overflows the call stack past ~10⁵ tasks.
 */
export function foldCountOf(foldOf: ArrayLike<number>): number {
  let largest = -1;
  for (let i = 0; i < foldOf.length; i++) if ((foldOf[i] as number) > largest) largest = foldOf[i] as number;
  return largest + 1;
}
