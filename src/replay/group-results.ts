import { InvalidInputError, type Matrix } from '../core/index.js';
import type { ReplayReport } from './types.js';

/** One mechanism's results on the tasks of one group. */
export interface GroupFigures {
  /** Tasks in the group. */
  n: number;
  /** Of those, solved. */
  solved: number;
  /** Actual cost of every attempt on those tasks, USD. */
  actualCostUsd: number;
  /** V·solved − actual cost on those tasks, USD. */
  welfare: number;
}

/** Per value of a task feature, each mechanism's figures on the tasks with that value. */
export interface GroupedResults {
  /** The task feature grouped by (e.g. `repo`). */
  feature: string;
  /** Group value → mechanism name → figures; groups by most tasks first, then by name. */
  groups: Record<string, Record<string, GroupFigures>>;
}

/**
 * Splits a replay's per-task results by a pre-attempt task feature (tasks without it go to
 * `(none)`); per group the sums add up to the mechanism's overall solved, actual cost and
 * welfare. A feature no task has is an error naming it.
 */
export function groupResults(options: { report: ReplayReport; matrix: Matrix; feature: string }): GroupedResults {
  const { report, matrix, feature } = options;
  const groupOf = (taskId: string): string => {
    const value = matrix.taskFeatures[taskId]?.[feature];
    return value === undefined ? '(none)' : String(value);
  };
  if (!matrix.taskIds.some((taskId) => matrix.taskFeatures[taskId]?.[feature] !== undefined)) {
    throw new InvalidInputError(`--group-by '${feature}': no task has that feature`, { field: 'group-by' });
  }
  const sizes = new Map<string, number>();
  for (const taskId of matrix.taskIds) sizes.set(groupOf(taskId), (sizes.get(groupOf(taskId)) ?? 0) + 1);
  const order = [...sizes.keys()].sort((a, b) => (sizes.get(b) as number) - (sizes.get(a) as number) || a.localeCompare(b));
  const groups: Record<string, Record<string, GroupFigures>> = {};
  for (const group of order) groups[group] = {};
  const value = report.settings.value;
  for (const [name, result] of Object.entries(report.mechanisms)) {
    for (const group of order) (groups[group] as Record<string, GroupFigures>)[name] = { n: 0, solved: 0, actualCostUsd: 0, welfare: 0 };
    for (const task of result.perTask) {
      const figures = (groups[groupOf(task.taskId)] as Record<string, GroupFigures>)[name] as GroupFigures;
      const cost = task.attempts.reduce((sum, attempt) => sum + attempt.costUsd, 0);
      figures.n++;
      if (task.solved) figures.solved++;
      figures.actualCostUsd += cost;
      figures.welfare += (task.solved ? value : 0) - cost;
    }
  }
  return { feature, groups };
}
