import type { Random } from '../core/index.js';

/** Which side of a train/validation split a task falls on. */
export type TrainingSplit = 'train' | 'validation';

/**
 * Splits tasks (never rows) into train and validation: the distinct task ids are shuffled with
 * the seeded `random` and the first round(share·n) go to validation (at least one when there are
 * two tasks or more and the share is positive). Every row of a task lands on the same side.
 */
export function splitTasks(options: {
  /** Task ids (repeats allowed). */
  taskIds: readonly string[];
  /** Share of tasks held out for validation, in [0, 1). */
  validationShare: number;
  /** Seeded randomness. */
  random: Random;
}): Map<string, TrainingSplit> {
  const distinct = [...new Set(options.taskIds)].sort();
  const shuffled = options.random.shuffle(distinct);
  let held = Math.round(options.validationShare * shuffled.length);
  if (held === 0 && options.validationShare > 0 && shuffled.length >= 2) held = 1;
  return new Map(shuffled.map((taskId, i) => [taskId, i < held ? 'validation' : 'train']));
}
