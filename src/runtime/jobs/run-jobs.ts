import { z } from 'zod';
import type { Store } from '../store/store.js';
import type { Budget } from './budget.js';
import { LocalExecutor } from './executor.js';
import type { Job, JobContext, JobKind, JobOutcome } from './job.js';
import { JobEngine } from './job-engine.js';
import type { RunObserver, RunSummary } from './observer.js';
import type { WriteBatcher } from './write-batcher.js';

export { priorRunSpendUsd } from './ledger.js';

/** One unit of paid work of a flat run (elicit, attempt): a job plus what the coordinator needs. */
export interface JobSpec<P = unknown> {
  /** Deterministic key (`jobKey({ run, task, worker, treatment, repeat })`). */
  key: string;
  /** Ledger kind: `forecast`, `attempt`, … */
  kind: string;
  /** Everything the function needs (no secrets, no process state). */
  payload: P;
  /** Pessimistic USD cost of the first try, reserved before the job starts. */
  reserveUsd: number;
  /** Human label for progress and logs. */
  label: string;
}

/** A job function of a flat run: the job as planned, and the context. */
export type JobExecutor<P> = (job: Job<P> & { reserveUsd: number; label: string }, context: JobContext) => Promise<JobOutcome>;

/** Options of `runJobs`. */
export interface RunJobsOptions<P> {
  /** The store holding the ledger. */
  store: Store;
  /** The run the jobs belong to (must exist). */
  runId: string;
  /** Jobs in launch order. */
  jobs: readonly JobSpec<P>[];
  /** The kinds of the jobs (schemas, how records are stored); default: any payload and result, no records. */
  kinds?: readonly JobKind<P, unknown, unknown>[];
  /** Runs one job in this process (ignored when `engine` is given). */
  execute?: JobExecutor<P>;
  /** The engine to run the jobs with (default: a local one calling `execute`). */
  engine?: JobEngine;
  /** Jobs in flight at once. */
  concurrency: number;
  /** The budget (create it with `priorSpendUsd: priorRunSpendUsd(store, runId)`). */
  budget: Budget;
  /** Receives events. */
  observer?: RunObserver;
  /** Stops launching jobs and aborts those in flight. */
  signal?: AbortSignal;
  /** Group-commit writer shared with other writes of the run. */
  writer?: WriteBatcher;
}

/** A kind that accepts any payload and result and stores no records (jobs of kinds not declared). */
function anyKind<P>(kind: string): JobKind<P, unknown, never> {
  return { kind, payload: z.custom<P>(() => true), result: z.unknown() };
}

/**
 * Runs a flat list of jobs with at most `concurrency` in flight, each through `JobEngine.run`:
 * jobs done in an earlier session are skipped; a job that does not fit in the budget waits for jobs
 * in flight to settle, and the run stops when it still does not fit with nothing in flight (or when
 * a job reports that the budget cut it short, or on the signal). Marks the run `done` or `stopped`.
 */
export async function runJobs<P>(options: RunJobsOptions<P>): Promise<RunSummary & { stopReason: 'budget' | 'signal' | undefined }> {
  const { store, runId, budget, observer } = options;
  const kinds = new Map<string, JobKind<P, unknown, unknown>>((options.kinds ?? []).map((kind) => [kind.kind, kind]));
  const specs = new Map(options.jobs.map((job) => [job.key, job]));
  let engine = options.engine;
  if (!engine) {
    const executor = new LocalExecutor();
    const execute = options.execute;
    for (const kind of new Set(options.jobs.map((job) => job.kind))) {
      executor.register<P, unknown, unknown>(kind, async (job, context) => {
        if (!execute) return { status: 'failed', spentUsd: 0, error: 'runJobs: no executor' };
        const spec = specs.get(job.key) as JobSpec<P>;
        return execute({ ...job, reserveUsd: spec.reserveUsd, label: spec.label }, context);
      });
    }
    engine = new JobEngine({ store, runId, executor, observer, signal: options.signal, writer: options.writer });
  }
  const done = store.doneJobKeys(runId);
  const pending = options.jobs.filter((job) => !done.has(job.key));
  const skipped = options.jobs.length - pending.length;
  const priorSpendUsd = budget.spentUsd;
  observer?.onEvent({ type: 'run-start', runId, total: options.jobs.length, skipped, budgetUsd: budget.limitUsd, priorSpendUsd });

  let next = 0;
  let started = 0;
  let stopReason: 'budget' | 'signal' | undefined;
  let finished = 0;
  let failed = 0;
  let sessionSpendUsd = 0;
  const signal = engine.signal;
  const worker = async () => {
    while (next < pending.length && !stopReason) {
      if (signal.aborted) {
        stopReason = 'signal';
        break;
      }
      const spec = pending[next++] as JobSpec<P>;
      const result = await engine.run({
        kind: kinds.get(spec.kind) ?? anyKind<P>(spec.kind),
        key: spec.key,
        payload: spec.payload,
        reserveUsd: spec.reserveUsd,
        gate: budget,
        label: spec.label,
      });
      if (result.status === 'failed' && !result.started) {
        // Its reservation did not fit with nothing else in flight: the budget is spent.
        stopReason ??= 'budget';
        break;
      }
      started++;
      sessionSpendUsd += result.spentUsd;
      if (result.status === 'done') finished++;
      else {
        failed++;
        if (result.stop === 'budget') stopReason ??= 'budget';
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, pending.length || 1)) }, worker);
  await Promise.all(workers);
  engine.flush();
  if (!stopReason && signal.aborted && started < pending.length) stopReason = 'signal';
  const summary: RunSummary = {
    total: options.jobs.length,
    skipped,
    done: finished,
    failed,
    notStarted: pending.length - started,
    sessionSpendUsd,
    totalSpendUsd: priorSpendUsd + sessionSpendUsd,
    budgetUsd: budget.limitUsd,
  };
  store.setRunStatus(runId, stopReason ? 'stopped' : 'done');
  observer?.onEvent({ type: 'run-end', runId, status: stopReason ? 'stopped' : 'done', stopReason, summary });
  return { ...summary, stopReason };
}
