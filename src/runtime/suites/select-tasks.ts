import { InvalidInputError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';

/**
 * Selects tasks: by id when `taskIds` is given (an unknown id is an error), then the first
 * `limit`; an empty selection is an error saying `none` (e.g. "no tasks to attempt").
 */
export function selectTasks(options: { tasks: readonly Task[]; taskIds?: readonly string[]; limit?: number; none: string }): Task[] {
  let tasks = options.tasks.slice();
  if (options.taskIds && options.taskIds.length > 0) {
    const known = new Set(tasks.map((task) => task.id));
    const unknown = options.taskIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new InvalidInputError(`unknown task id(s): ${unknown.join(', ')}`, { field: 'tasks' });
    const wanted = new Set(options.taskIds);
    tasks = tasks.filter((task) => wanted.has(task.id));
  }
  if (options.limit !== undefined) tasks = tasks.slice(0, options.limit);
  if (tasks.length === 0) throw new InvalidInputError(options.none, { field: 'tasks' });
  return tasks;
}
