import { parseSwebenchReport } from '../data/outcomes-swebench-report.js';
import { z } from 'zod';
import type { Store } from '../store/store.js';

/** The part of a stored trajectory the predictions need (read through a schema: stored JSON is an edge). */
const StoredPatchSchema = z.looseObject({ patch: z.string().nullable().optional() });

/** Byte order, like SQLite's default collation. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One line of the official harness's predictions file. */
export interface SwebenchPrediction {
  /** The instance. */
  instance_id: string;
  /** Who made the patch (the harness groups logs by it). */
  model_name_or_path: string;
  /** The unified diff (empty when the attempt changed nothing). */
  model_patch: string;
}

/**
 * The predictions of an attempt run in the official harness's format (one per attempt, optionally
 * of one worker), for `python -m swebench.harness.run_evaluation --predictions_path FILE`.
 */
export function swebenchPredictions(store: Store, filter: { runId: string; workerId?: string }): SwebenchPrediction[] {
  const trajectories = store.attemptTrajectories(filter.runId);
  return store
    .getAttempts({ runId: filter.runId })
    .filter((attempt) => filter.workerId === undefined || attempt.workerId === filter.workerId)
    .sort((a, b) => compare(a.workerId, b.workerId) || compare(a.taskId, b.taskId) || a.round - b.round)
    .map((attempt) => {
      const patch = StoredPatchSchema.safeParse(trajectories.get(attempt.jobKey));
      return { instance_id: attempt.taskId, model_name_or_path: attempt.workerId, model_patch: (patch.success ? patch.data.patch : null) ?? '' };
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
  const trajectories = store.attemptTrajectories(input.runId);
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
      store.putAttempt({
        runId: input.runId,
        jobKey: attempt.jobKey,
        attempt: { taskId: attempt.taskId, workerId: attempt.workerId, round: attempt.round, outcome: { ...attempt.outcome, resolved: outcome.resolved } },
        trajectory: trajectories.get(attempt.jobKey),
      });
      updated += 1;
    }
  });
  return { updated, resolved, missing };
}
