import type { Attempt } from '../../core/attempt.js';
import type { Forecast } from '../../core/forecast.js';
import type { LabeledForecast } from '../../core/labeled-forecast.js';
import { cellKey, type Matrix, type MatrixCell } from '../../core/matrix.js';
import { blendedPrice } from '../../core/pricing.js';
import type { Task } from '../../core/task.js';
import type { Store } from './store.js';

type StoredAttempt = Attempt & { runId: string };

/**
 * Actual tokens of an attempt, or null when unknown. Every real attempt calls a model, so zero
 * recorded tokens means the count was not recorded (outcomes imported from a leaderboard or a
 * harness report carry only the cost); analyses then use cost / blended price (DESIGN.md §5).
 */
export function knownTokens(outcome: Attempt['outcome']): number | null {
  const total = outcome.inputTokens + outcome.outputTokens;
  return total > 0 ? total : null;
}

/**
 * The attempt that labels a forecast: the same worker on the same task, preferring the
 * forecast's own run, then the lowest round, then the latest run.
 */
function attemptIndex(attempts: readonly StoredAttempt[]): (runId: string, taskId: string, workerId: string) => StoredAttempt | undefined {
  const byCell = new Map<string, StoredAttempt[]>();
  for (const attempt of attempts) {
    const key = cellKey(attempt.taskId, attempt.workerId);
    const list = byCell.get(key) ?? [];
    list.push(attempt);
    byCell.set(key, list);
  }
  return (runId, taskId, workerId) => {
    const list = byCell.get(cellKey(taskId, workerId));
    if (!list) return undefined;
    const own = list.filter((attempt) => attempt.runId === runId);
    const pool = own.length > 0 ? own : list;
    return pool.reduce((best, attempt) => (attempt.round < best.round ? attempt : best));
  };
}

/**
 * The store's attempts without those run under a production plan's caps (their job payload names
 * `caps`): a capped attempt answers "could it within this budget", not the single-point question a
 * forecast asks, so it labels no forecast and fills no matrix cell.
 */
function uncappedAttempts(store: Store, filter: { runId?: string } = {}): StoredAttempt[] {
  const capped = new Set(
    (store.prepare("SELECT key FROM jobs WHERE kind = 'attempt' AND json_extract(payload, '$.job.caps') IS NOT NULL").all() as { key: string }[]).map((row) => row.key),
  );
  const attempts = store.getAttempts(filter.runId === undefined ? {} : { runId: filter.runId });
  return capped.size === 0 ? attempts : attempts.filter((attempt) => !capped.has(attempt.jobKey));
}

/** Group fields of a task for `--group-by`. */
function taskGroups(task: Task | undefined, treatment: string): Record<string, string> {
  const groups: Record<string, string> = { treatment };
  if (task?.repo) groups.repo = task.repo;
  if (task?.suite) groups.suite = task.suite;
  return groups;
}

/**
 * Valid forecasts joined with the same worker's attempt on the same task (see `attemptIndex`);
 * forecasts without an attempt are left out, since they cannot be scored.
 */
export function labeledForecasts(store: Store, filter: { runId?: string; treatment?: string } = {}): LabeledForecast[] {
  const tasks = new Map(store.getTasks().map((task) => [task.id, task]));
  const prices = new Map(store.getWorkers().map((worker) => [worker.id, blendedPrice(worker.pricing)]));
  const findAttempt = attemptIndex(uncappedAttempts(store));
  const rows: LabeledForecast[] = [];
  for (const forecast of store.getForecasts(filter)) {
    if (!forecast.valid || forecast.pSuccess === null) continue;
    const attempt = findAttempt(forecast.runId, forecast.taskId, forecast.workerId);
    if (!attempt) continue;
    const { outcome } = attempt;
    rows.push({
      taskId: forecast.taskId,
      workerId: forecast.workerId,
      treatment: forecast.treatment,
      p: forecast.pSuccess,
      expectedTokens: forecast.expectedTokens,
      y: outcome.resolved ? 1 : 0,
      tokens: knownTokens(outcome),
      costUsd: outcome.costUsd,
      blendedPrice: prices.get(forecast.workerId) ?? null,
      groups: taskGroups(tasks.get(forecast.taskId), forecast.treatment),
    });
  }
  return rows;
}

/**
 * Pre-attempt features of a task that a principal may use. Anything derived from the reference
 * solution (`gold_*` / `gold*` names, e.g. `gold_patch_files`) is dropped: a principal cannot know
 * it before an attempt.
 */
export function publicTaskFeatures(task: Task): Record<string, number | string> {
  const features: Record<string, number | string> = {
    repo: task.repo ?? task.suite,
    statementLength: task.statement.length,
    failToPassTests: task.tests.failToPass.length,
    passToPassTests: task.tests.passToPass.length,
  };
  for (const [name, value] of Object.entries(task.features)) {
    if (!/^gold/i.test(name)) features[name] = value;
  }
  return features;
}

/**
 * The task × worker matrix of a run (or of every run): each cell holds the worker's forecast of
 * the chosen treatment (first repeat) and its first-round attempt. Replay needs every cell, so
 * tasks on which some worker has no attempt are left out.
 */
export function storeMatrix(store: Store, filter: { runId?: string; treatment?: string } = {}): Matrix {
  const attempts = uncappedAttempts(store, filter);
  const forecasts = new Map<string, Forecast>();
  for (const forecast of store.getForecasts(filter)) {
    const key = cellKey(forecast.taskId, forecast.workerId);
    const seen = forecasts.get(key);
    if (forecast.valid && (!seen || forecast.repeat < seen.repeat)) forecasts.set(key, forecast);
  }
  const firstAttempt = new Map<string, StoredAttempt>();
  for (const attempt of attempts) {
    const key = cellKey(attempt.taskId, attempt.workerId);
    const seen = firstAttempt.get(key);
    if (!seen || attempt.round < seen.round) firstAttempt.set(key, attempt);
  }
  const workerIds = [...new Set(attempts.map((attempt) => attempt.workerId))].sort();
  const allTaskIds = [...new Set(attempts.map((attempt) => attempt.taskId))].sort();
  const taskIds = allTaskIds.filter((taskId) => workerIds.every((workerId) => firstAttempt.has(cellKey(taskId, workerId))));
  const cells = new Map<string, MatrixCell>();
  for (const taskId of taskIds) {
    for (const workerId of workerIds) {
      const key = cellKey(taskId, workerId);
      const attempt = firstAttempt.get(key) as StoredAttempt;
      const forecast = forecasts.get(key);
      cells.set(key, {
        taskId,
        workerId,
        p: forecast?.pSuccess ?? null,
        expectedTokens: forecast?.expectedTokens ?? null,
        ask: forecast?.ask ?? null,
        resolved: attempt.outcome.resolved,
        costUsd: attempt.outcome.costUsd,
        tokens: knownTokens(attempt.outcome),
      });
    }
  }
  const workers = new Map(store.getWorkers(workerIds).map((worker) => [worker.id, worker]));
  const blended: Record<string, number> = {};
  for (const workerId of workerIds) {
    const worker = workers.get(workerId);
    blended[workerId] = worker ? blendedPrice(worker.pricing) : 0;
  }
  const taskFeatures: Matrix['taskFeatures'] = {};
  for (const task of store.getTasks(taskIds)) taskFeatures[task.id] = publicTaskFeatures(task);
  return { taskIds, workerIds, cells, blendedPrice: blended, taskFeatures };
}
