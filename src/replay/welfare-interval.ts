import type { TaskRun } from '../mechanisms/index.js';

/**
 * A 95% task-level interval of a mechanism's welfare Σ_t (V·solved_t − cost_t) in closed form:
 * welfare ± 1.96·√n·sd, sd the sample standard deviation (n − 1) of the per-task welfare. It is
 * the normal limit of the task-level bootstrap percentile interval (resampling tasks with
 * replacement), exact in O(n) with no draws, so it costs nothing at any matrix size.
 */
export function welfareInterval(options: { runs: readonly TaskRun[]; value: number }): [number, number] {
  const { runs, value } = options;
  const n = runs.length;
  if (n === 0) return [0, 0];
  let sum = 0;
  for (const run of runs) sum += (run.solved ? value : 0) - run.costUsd;
  const mean = sum / n;
  let squares = 0;
  for (const run of runs) squares += ((run.solved ? value : 0) - run.costUsd - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  const half = 1.96 * Math.sqrt(n) * sd;
  return [sum - half, sum + half];
}
