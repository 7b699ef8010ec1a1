import { setMaxListeners } from 'node:events';
import type { SpendReservation } from '../providers/spend-gate.js';
import type { Store } from '../store/store.js';
import type { Budget } from './budget.js';
import type { RunObserver, RunSummary } from './observer.js';
import { WriteBatcher } from './write-batcher.js';

/** One unit of paid work: plain, serializable, keyed for resume. */
export interface JobSpec<P = unknown> {
  /** Deterministic key (`jobKey({ run, task, worker, treatment, repeat })`). */
  key: string;
  /** Ledger kind: `forecast`, `attempt`, … */
  kind: string;
  /** Everything the executor needs (no secrets, no process state). */
  payload: P;
  /** Pessimistic USD cost of the first try, reserved before the job starts. */
  reserveUsd: number;
  /** Human label for progress and logs. */
  label: string;
}

/** What an executor gets besides the job. */
export interface JobContext {
  /** The first try's money, already reserved (the executor passes it to `callModel`). */
  reservation: SpendReservation;
  /** The run's budget, for retries. */
  budget: Budget;
  /** Aborted when the run is stopped by a signal. */
  signal: AbortSignal;
}

/** How a job ended. */
export interface JobOutcome {
  /** `done` (the result is final) or `failed` (a rerun will retry it). */
  status: 'done' | 'failed';
  /** USD charged by this job's tries in this session. */
  spentUsd: number;
  /** Error of a failed job (no secrets). */
  error?: string;
  /** Small result kept in the ledger. */
  result?: unknown;
  /** Short note for observers. */
  note?: string;
  /** Writes the job's rows; run in the same transaction as the ledger's `finishJob` (group-committed). */
  write?: () => void;
  /** Set when the run must stop launching jobs (the budget could not hold a retry). */
  stopRun?: 'budget';
}

/** Runs one job; must not throw for worker failures (return `failed` instead). */
export type JobExecutor<P> = (job: JobSpec<P>, context: JobContext) => Promise<JobOutcome>;

/** Options of `runJobs`. */
export interface RunJobsOptions<P> {
  /** The store holding the ledger. */
  store: Store;
  /** The run the jobs belong to (must exist). */
  runId: string;
  /** Jobs in launch order. */
  jobs: readonly JobSpec<P>[];
  /** Executes one job. */
  execute: JobExecutor<P>;
  /** Jobs in flight at once. */
  concurrency: number;
  /** The budget (create it with `priorSpendUsd: priorRunSpendUsd(store, runId)`). */
  budget: Budget;
  /** Receives events. */
  observer?: RunObserver;
  /** Stops launching jobs and aborts those in flight. */
  signal?: AbortSignal;
  /** Group-commit writer shared with the executor's own writes (default: a new one on `store`). */
  writer?: WriteBatcher;
}

/** Ledger payload of a job: the job plus the money bookkeeping of resumes. */
interface LedgerPayload {
  job: unknown;
  reserveUsd: number;
  carriedUsd: number;
}

/**
 * USD a run has already consumed: the recorded cost of its finished jobs plus, for jobs left
 * `started` by a killed session, their reservation (the provider may have billed them).
 */
export function priorRunSpendUsd(store: Store, runId: string): number {
  let total = store.jobSpendUsd(runId);
  for (const job of store.listJobs({ runId, status: 'started' })) total += interruptedUsd(job.payload);
  return total;
}

function interruptedUsd(payload: unknown): number {
  const ledger = payload as Partial<LedgerPayload> | null;
  return (ledger?.reserveUsd ?? 0) + (ledger?.carriedUsd ?? 0);
}

/**
 * Runs jobs with at most `concurrency` in flight, through the job ledger: jobs done in an earlier
 * session are skipped; each job reserves its first try from the budget, is written `started`,
 * runs, and is finished `done`/`failed` in the same transaction as its rows. When the next job
 * does not fit in the budget it waits for jobs in flight to settle, and stops the run when it still
 * does not fit with nothing in flight. Money of earlier interrupted or failed tries of a job is
 * carried into its recorded cost, so `store.jobSpendUsd` stays a conservative total.
 */
export async function runJobs<P>(options: RunJobsOptions<P>): Promise<RunSummary & { stopReason: 'budget' | 'signal' | undefined }> {
  const { store, runId, budget, observer } = options;
  const done = store.doneJobKeys(runId);
  const pending = options.jobs.filter((job) => !done.has(job.key));
  const skipped = options.jobs.length - pending.length;
  const priorSpendUsd = budget.spentUsd;
  const controller = new AbortController();
  // Every call in flight listens on this signal; more than 10 is expected, not a leak.
  setMaxListeners(0, controller.signal);
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  observer?.onEvent({ type: 'run-start', runId, total: options.jobs.length, skipped, budgetUsd: budget.limitUsd, priorSpendUsd });

  let next = 0;
  let inFlight = 0;
  let stopReason: 'budget' | 'signal' | undefined;
  let finished = 0;
  let failed = 0;
  let sessionSpend = 0;
  let waiters: (() => void)[] = [];
  const wakeAll = () => {
    const current = waiters;
    waiters = [];
    for (const wake of current) wake();
  };

  const writer = options.writer ?? new WriteBatcher(store);
  // Earlier tries of pending jobs (interrupted or failed), read once rather than per job.
  const previousJobs = new Map(
    [...store.listJobs({ runId, status: 'started' }), ...store.listJobs({ runId, status: 'failed' })].map((job) => [job.key, job]),
  );

  const commits: Promise<void>[] = [];
  const runOne = async (job: JobSpec<P>, reservation: SpendReservation) => {
    const previous = previousJobs.get(job.key);
    const carriedUsd =
      previous === undefined ? 0 : previous.status === 'started' ? interruptedUsd(previous.payload) : (previous.costUsd ?? 0);
    const payload: LedgerPayload = { job: job.payload, reserveUsd: job.reserveUsd, carriedUsd };
    // The started row is committed before any money is spent.
    await writer.run(() => store.startJob({ key: job.key, runId, kind: job.kind, payload }));
    observer?.onEvent({ type: 'job-start', runId, key: job.key, label: job.label, reservedUsd: job.reserveUsd });
    let outcome: JobOutcome;
    try {
      outcome = await options.execute(job, { reservation, budget, signal: controller.signal });
    } catch (error) {
      outcome = { status: 'failed', spentUsd: 0, error: error instanceof Error ? error.message : String(error) };
    }
    // An executor that never settled its reservation spent nothing of it.
    reservation.settle(0);
    if (controller.signal.aborted && outcome.status === 'failed') outcome = { ...outcome, write: undefined };
    // Not awaited: the next job's started row joins the same commit; the run waits for all at the end.
    commits.push(
      writer.run(() => {
        outcome.write?.();
        store.finishJob({
          key: job.key,
          status: outcome.status,
          costUsd: outcome.spentUsd + carriedUsd,
          error: outcome.error,
          result: outcome.result,
        });
      }),
    );
    sessionSpend += outcome.spentUsd;
    if (outcome.status === 'done') finished++;
    else failed++;
    if (outcome.stopRun && !stopReason) stopReason = outcome.stopRun;
    observer?.onEvent({
      type: 'job-end',
      runId,
      key: job.key,
      label: job.label,
      status: outcome.status,
      spentUsd: outcome.spentUsd,
      error: outcome.error,
      note: outcome.note,
    });
  };

  const worker = async () => {
    while (next < pending.length && !stopReason) {
      if (controller.signal.aborted) {
        stopReason = 'signal';
        break;
      }
      const job = pending[next] as JobSpec<P>;
      if (!budget.fits(job.reserveUsd)) {
        if (inFlight === 0) {
          stopReason = 'budget';
          break;
        }
        await new Promise<void>((resolve) => waiters.push(resolve));
        continue;
      }
      next++;
      const reservation = budget.tryReserve(job.reserveUsd) as SpendReservation;
      inFlight++;
      try {
        await runOne(job, reservation);
      } finally {
        inFlight--;
        wakeAll();
      }
    }
    wakeAll();
  };

  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, pending.length || 1)) }, worker);
  await Promise.all(workers);
  writer.flush();
  await Promise.all(commits);
  options.signal?.removeEventListener('abort', onAbort);
  if (!stopReason && controller.signal.aborted && next < pending.length) stopReason = 'signal';
  const summary: RunSummary = {
    total: options.jobs.length,
    skipped,
    done: finished,
    failed,
    notStarted: pending.length - next,
    sessionSpendUsd: sessionSpend,
    totalSpendUsd: priorSpendUsd + sessionSpend,
    budgetUsd: budget.limitUsd,
  };
  store.setRunStatus(runId, stopReason ? 'stopped' : 'done');
  observer?.onEvent({ type: 'run-end', runId, status: stopReason ? 'stopped' : 'done', stopReason, summary });
  return { ...summary, stopReason };
}
