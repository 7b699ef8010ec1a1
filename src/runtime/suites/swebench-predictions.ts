import { parseSwebenchReport } from '../data/outcomes-swebench-report.js';
import type { Store } from '../store/store.js';

/** One line of the official harness's predictions file. */
export interface SwebenchPrediction {
  /** The instance. */
  instance_id: string;
  /** Who made the patch (the harness groups logs by it). */
  model_name_or_path: string;
  /** The unified diff (empty when the attempt changed nothing). */
  model_patch: string;
}

/** Attempt rows of a run with their stored trajectory (which holds the patch). */
function attemptRows(store: Store, runId: string): { job_key: string; task_id: string; worker_id: string; trajectory: string | null }[] {
  return store.db
    .prepare('SELECT job_key, task_id, worker_id, trajectory FROM attempts WHERE run_id = ? ORDER BY worker_id, task_id, round')
    .all(runId) as { job_key: string; task_id: string; worker_id: string; trajectory: string | null }[];
}

/**
 * The predictions of an attempt run in the official harness's format (one per attempt, optionally
 * of one worker), for `python -m swebench.harness.run_evaluation --predictions_path FILE`.
 */
export function swebenchPredictions(store: Store, filter: { runId: string; workerId?: string }): SwebenchPrediction[] {
  return attemptRows(store, filter.runId)
    .filter((row) => filter.workerId === undefined || row.worker_id === filter.workerId)
    .map((row) => {
      const trajectory = row.trajectory ? (JSON.parse(row.trajectory) as { patch?: string | null }) : {};
      return { instance_id: row.task_id, model_name_or_path: row.worker_id, model_patch: trajectory.patch ?? '' };
    });
}

/** Predictions as JSONL text. */
export function predictionsJsonl(predictions: readonly SwebenchPrediction[]): string {
  return predictions.map((prediction) => `${JSON.stringify(prediction)}\n`).join('');
}

/**
 * Replaces the `resolved` verdict of a worker's attempts in a run by the official harness's report
 * (final report, results.json or per-instance report), keeping tokens, cost, wall time and
 * trajectory. Returns how many attempts changed and which report ids had no attempt.
 */
export function mergeSwebenchReport(store: Store, input: { runId: string; workerId: string; file: string }): { updated: number; resolved: number; missing: string[] } {
  const attempts = store.getAttempts({ runId: input.runId }).filter((attempt) => attempt.workerId === input.workerId);
  const byTask = new Map(attempts.map((attempt) => [attempt.taskId, attempt]));
  const trajectories = new Map(attemptRows(store, input.runId).map((row) => [row.job_key, row.trajectory]));
  const report = parseSwebenchReport({ file: input.file, worker: input.workerId, taskIds: attempts.map((attempt) => attempt.taskId) });
  const missing: string[] = [];
  let updated = 0;
  let resolved = 0;
  store.transaction(() => {
    for (const outcome of report.outcomes) {
      const attempt = byTask.get(outcome.taskId);
      if (!attempt) {
        missing.push(outcome.taskId);
        continue;
      }
      if (outcome.resolved) resolved += 1;
      if (attempt.outcome.resolved === outcome.resolved) continue;
      const raw = trajectories.get(attempt.jobKey);
      store.putAttempt({
        runId: input.runId,
        jobKey: attempt.jobKey,
        attempt: { taskId: attempt.taskId, workerId: attempt.workerId, round: attempt.round, outcome: { ...attempt.outcome, resolved: outcome.resolved } },
        trajectory: raw ? JSON.parse(raw) : undefined,
      });
      updated += 1;
    }
  });
  return { updated, resolved, missing };
}
