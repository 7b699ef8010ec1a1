import type { Task } from '../../core/task.js';
import type { AttemptRecord } from '../../mechanisms/index.js';
import type { JobEngine, JobResult } from '../jobs/job-engine.js';
import type { SpendGate } from '../jobs/spend-gate.js';
import type { AttemptCaps } from '../scaffold/attempt-caps.js';
import { ATTEMPT_JOB, type AttemptResult } from '../scaffold/attempt-job.js';
import { jobKey } from '../store/job-key.js';
import type { Store } from '../store/store.js';

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
export function attemptJobKey(input: { runId: string; taskId: string; workerId: string; arm: string | undefined; caps?: AttemptCaps | undefined }): string {
  return jobKey({
    run: input.runId,
    task: input.taskId,
    worker: input.workerId,
    kind: 'attempt',
    repeat: 0,
    ...(input.arm === undefined ? {} : { arm: input.arm }),
    // A capped attempt is a different piece of work: shared only with attempts under the same caps.
    ...(input.caps && { caps: capsKey(input.caps) }),
  });
}

/** The caps as a stable key part (fields in a fixed order). */
function capsKey(caps: AttemptCaps): string {
  return [caps.budgetUsd ?? '-', caps.budgetTokens ?? '-', caps.maxSteps ?? '-'].join('/');
}

/** The stored outcome of an attempt by its job key, as the driver's attempt record. */
export function storedAttemptRecord(store: Store, key: string): MarketAttemptRecord | undefined {
  const row = store.getAttemptByJobKey(key);
  if (!row) return undefined;
  return {
    jobKey: key,
    workerId: row.workerId,
    resolved: row.outcome.resolved,
    costUsd: row.outcome.costUsd,
    tokens: row.outcome.inputTokens + row.outcome.outputTokens,
    exitReason: row.outcome.exitReason,
  };
}

/**
 * One live attempt: an `attempt` job through the engine, run by the attempt function of
 * `marketbench attempt` (the worker's scaffold in a fresh sandbox, then the suite's hidden tests;
 * the `attempts` row is written with the ledger's `done`). Its first model call is reserved from
 * the arm's budget and every later call from the same budget, so an arm cannot spend past its
 * share. An attempt cut short by the budget or a signal, or one the harness could not run, ends
 * `failed` and is tried again on resume.
 */
export function runMarketAttempt(options: {
  /** The run's engine. */
  engine: JobEngine;
  /** The task. */
  task: Task;
  /** The worker. */
  workerId: string;
  /** The round that assigned it. */
  round: number;
  /** Ledger key (`attemptJobKey`). */
  key: string;
  /** Arm charged (the requesting arm). */
  arm: string;
  /** The arm's budget. */
  gate: SpendGate;
  /** Pessimistic USD of the first model call. */
  reserveUsd: number;
  /** The winning plan's caps (plan arms): they travel in the payload, so a queue worker enforces them too. */
  caps?: AttemptCaps;
}): Promise<JobResult<AttemptResult>> {
  const { engine, task, workerId, round, key } = options;
  return engine.run({
    kind: ATTEMPT_JOB,
    key,
    payload: { runId: engine.runId, taskId: task.id, workerId, repeat: 0, round, ...(options.caps && { caps: options.caps }) },
    charges: { [options.arm]: 1 },
    reserveUsd: options.reserveUsd,
    gate: options.gate,
    label: `${workerId} ${task.id}`,
  });
}
