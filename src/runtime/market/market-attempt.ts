import type { Task } from '../../core/task.js';
import type { AttemptRecord } from '../../mechanisms/index.js';
import type { Budget } from '../harness/budget.js';
import type { JobExecutor } from '../harness/job-runner.js';
import type { AttemptPayload } from '../scaffold/attempt-jobs.js';
import { jobKey } from '../store/job-key.js';
import type { Store } from '../store/store.js';
import { type PaidStepResult, runPaidStep } from './paid-step.js';

/** A live attempt as the market records it. */
export interface MarketAttemptRecord extends AttemptRecord {
  /** Ledger key of the attempt (the key of its `attempts` row). */
  jobKey: string;
  /** Why the agent stopped. */
  exitReason: string | null;
}

/**
 * Ledger key of a worker's attempt on a task. Per arm by default; with `--share-attempts` one key
 * per (task, worker), so every arm that assigns that worker the task reuses the same attempt.
 */
export function attemptJobKey(input: { runId: string; taskId: string; workerId: string; arm: string | undefined }): string {
  return jobKey({
    run: input.runId,
    task: input.taskId,
    worker: input.workerId,
    kind: 'attempt',
    repeat: 0,
    ...(input.arm === undefined ? {} : { arm: input.arm }),
  });
}

/** The stored outcome of an attempt by its job key, as the driver's attempt record. */
export function storedAttemptRecord(store: Store, key: string): MarketAttemptRecord | undefined {
  const row = store.db
    .prepare('SELECT worker_id, resolved, input_tokens, output_tokens, cost_usd, exit_reason FROM attempts WHERE job_key = ?')
    .get(key) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  return {
    jobKey: key,
    workerId: String(row.worker_id),
    resolved: Number(row.resolved) === 1,
    costUsd: Number(row.cost_usd),
    tokens: Number(row.input_tokens) + Number(row.output_tokens),
    exitReason: row.exit_reason === null ? null : String(row.exit_reason),
  };
}

/**
 * One live attempt through the job ledger with the attempt runner of `marketbench attempt`
 * (`makeAttemptExecutor`: the worker's scaffold in a fresh sandbox, then the suite's hidden tests;
 * the `attempts` row is written with the ledger's `done`). Its first model call is reserved from
 * the arm's budget and every later call from the same budget, so an arm cannot spend past its
 * share. An attempt cut short by the budget or a signal, or one the harness could not run, ends
 * `failed` and is tried again on resume.
 */
export async function runMarketAttempt(options: {
  /** The store. */
  store: Store;
  /** The run. */
  runId: string;
  /** The task. */
  task: Task;
  /** The worker. */
  workerId: string;
  /** The round that assigned it. */
  round: number;
  /** Ledger key (`attemptJobKey`). */
  key: string;
  /** Arms charged (the requesting arm). */
  arm: string;
  /** The arm's budget. */
  budget: Budget;
  /** Pessimistic USD of the first model call. */
  reserveUsd: number;
  /** The attempt runner. */
  execute: JobExecutor<AttemptPayload>;
  /** Stops the attempt. */
  signal: AbortSignal;
}): Promise<PaidStepResult<unknown>> {
  const { store, runId, task, workerId, round, key } = options;
  const payload: AttemptPayload = { runId, taskId: task.id, workerId, repeat: 0, round };
  return runPaidStep<unknown>({
    store,
    runId,
    key,
    kind: 'attempt',
    job: payload,
    charges: { [options.arm]: 1 },
    reserveUsd: options.reserveUsd,
    gate: options.budget,
    execute: async (reservation) => {
      const outcome = await options.execute(
        { key, kind: 'attempt', payload, reserveUsd: options.reserveUsd, label: `${workerId} ${task.id}` },
        { reservation, budget: options.budget, signal: options.signal },
      );
      return {
        status: outcome.status,
        spentUsd: outcome.spentUsd,
        result: outcome.result ?? null,
        ...(outcome.write && { write: outcome.write }),
        ...(outcome.error !== undefined && { error: outcome.error }),
        ...(outcome.status === 'failed' && { stop: outcome.stopRun ?? (options.signal.aborted ? ('signal' as const) : undefined) }),
      };
    },
  });
}
