import { z } from 'zod';
import { PlanSchema } from '../../core/plan.js';
import type { Attempt } from '../../core/attempt.js';
import type { Forecast } from '../../core/forecast.js';
import type { Run, RunKind } from '../../core/run.js';
import type { Task } from '../../core/task.js';
import type { Worker } from '../../core/worker.js';
import { parseJson, type SqlRow } from './row-codec.js';

/** Maps a `runs` row to a Run. */
export function runFromRow(row: SqlRow): Run {
  return {
    id: String(row.id),
    kind: row.kind as RunKind,
    createdAt: String(row.created_at),
    status: row.status as Run['status'],
    seed: row.seed === null ? null : Number(row.seed),
    config: parseJson<Record<string, unknown>>(row.config),
    note: row.note === null ? null : String(row.note),
  };
}

/** Maps a `tasks` row to a Task. */
export function taskFromRow(row: SqlRow): Task {
  const task: Task = {
    id: String(row.id),
    suite: String(row.suite),
    statement: String(row.statement),
    tests: parseJson<Task['tests']>(row.tests),
    features: parseJson<Task['features']>(row.features),
    metadata: parseJson<Task['metadata']>(row.metadata),
  };
  if (row.title !== null) task.title = String(row.title);
  if (row.repo !== null) task.repo = String(row.repo);
  if (row.base_commit !== null) task.baseCommit = String(row.base_commit);
  return task;
}

/** Maps a `workers` row to a Worker. */
export function workerFromRow(row: SqlRow): Worker {
  const worker: Worker = {
    id: String(row.id),
    model: String(row.model),
    provider: String(row.provider),
    pricing: parseJson<Worker['pricing']>(row.pricing),
    scaffold: parseJson<Worker['scaffold']>(row.scaffold),
    environment: parseJson<Worker['environment']>(row.environment),
  };
  if (row.persona !== null) worker.persona = String(row.persona);
  return worker;
}

/** Maps a `forecasts` row to a Forecast with its run and job key. */
export function forecastFromRow(row: SqlRow): Forecast & { runId: string; jobKey: string } {
  return {
    runId: String(row.run_id),
    jobKey: String(row.job_key),
    taskId: String(row.task_id),
    workerId: String(row.worker_id),
    treatment: row.treatment as Forecast['treatment'],
    repeat: Number(row.repeat),
    pSuccess: row.p_success === null ? null : Number(row.p_success),
    expectedTokens: row.expected_tokens === null ? null : Number(row.expected_tokens),
    ask: row.ask === null ? null : Number(row.ask),
    valid: row.valid === 1,
    invalidReason: row.invalid_reason === null ? null : String(row.invalid_reason),
    rawText: row.raw_text === null ? null : String(row.raw_text),
    rationale: row.rationale === null ? null : String(row.rationale),
    ...(row.menu !== null && row.menu !== undefined && { menu: StoredMenuSchema.parse(parseJson<unknown>(row.menu)) }),
  };
}

/** A stored menu is read back through its schema (STYLE 12). */
const StoredMenuSchema = z.array(PlanSchema);

/** Maps an `attempts` row to an Attempt with its run and job key. */
export function attemptFromRow(row: SqlRow): Attempt & { runId: string; jobKey: string } {
  return {
    runId: String(row.run_id),
    jobKey: String(row.job_key),
    taskId: String(row.task_id),
    workerId: String(row.worker_id),
    round: Number(row.round),
    outcome: {
      resolved: row.resolved === 1,
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cachedTokens: Number(row.cached_tokens),
      costUsd: Number(row.cost_usd),
      wallTimeMs: Number(row.wall_time_ms),
      trajectoryRef: row.trajectory_ref === null ? null : String(row.trajectory_ref),
      exitReason: row.exit_reason === null ? null : String(row.exit_reason),
    },
  };
}

/** A row of the job ledger. */
export interface StoredJob {
  /** The job key. */
  key: string;
  /** The run it belongs to. */
  runId: string;
  /** `forecast`, `attempt`, … */
  kind: string;
  /** Ledger status. */
  status: 'started' | 'done' | 'failed';
  /** The job as started (serializable). */
  payload: unknown;
  /** What the job left when it ended (parsed JSON; null when nothing). */
  result: unknown;
  /** Recorded cost in USD (null until finished). */
  costUsd: number | null;
  /** Error of a failed job. */
  error: string | null;
  /** How many times the job was started. */
  tries: number;
}

/** Maps a `jobs` row to a StoredJob. */
export function jobFromRow(row: SqlRow): StoredJob {
  return {
    key: String(row.key),
    runId: String(row.run_id),
    kind: String(row.kind),
    status: row.status as StoredJob['status'],
    payload: parseJson<unknown>(row.payload),
    result: parseJson<unknown>(row.result),
    costUsd: row.cost_usd === null || row.cost_usd === undefined ? null : Number(row.cost_usd),
    error: row.error === null || row.error === undefined ? null : String(row.error),
    tries: Number(row.tries),
  };
}
