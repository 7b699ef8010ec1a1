import { setMaxListeners } from 'node:events';
import type { StoredJob } from '../store/domain-rows.js';
import type { Store } from '../store/store.js';
import type { Executor } from './executor.js';
import type { Job, JobKind, JobOutcome } from './job.js';
import { carriedUsd, type LedgerPayload, ledgerPayload, parseStoredResult } from './ledger.js';
import type { RunObserver } from './observer.js';
import type { SpendGate, SpendReservation } from './spend-gate.js';
import { WriteBatcher } from './write-batcher.js';

/** One keyed job to run through the ledger. */
export interface JobRequest<P = unknown, R = unknown, W = unknown> {
  /** The kind (schemas and how its records are stored). */
  kind: JobKind<P, R, W>;
  /** Deterministic key. */
  key: string;
  /** The payload (checked against the kind's schema before anything is written). */
  payload: P;
  /** Pessimistic USD of the first try, reserved before the job starts. */
  reserveUsd: number;
  /** Where the reservation comes from (the run's budget, an arm's, or a split over arms). */
  gate: SpendGate;
  /** Human label for observers. */
  label?: string;
  /** Share of the cost charged to each arm (kept in the ledger for resumed markets). */
  charges?: Record<string, number>;
}

/** What every job result says about who paid: the arms charged and whether it was paid in this session. */
export interface JobPayers {
  /** Share of the cost charged to each arm, as recorded (undefined when the job had none). */
  charges: Record<string, number> | undefined;
  /** True when the job ran (or was joined while running) in this engine, so `charges` were reserved now. */
  paidNow: boolean;
}

/** How a job ended, as the engine reports it to the caller. */
export type JobResult<R> = JobPayers &
  (
  | {
      /** The job is final. */
      status: 'done';
      /** Its result (read through the kind's schema). */
      result: R;
      /** Its recorded cost in USD (earlier interrupted tries included). */
      costUsd: number;
      /** True when an earlier session or another caller ran it and nothing was paid for this call. */
      reused: boolean;
      /** USD this call paid (0 when reused). */
      spentUsd: number;
    }
  | {
      /** The job did not finish (a resumed run tries again). */
      status: 'failed';
      /** What the function returned, when it ran. */
      result: R | undefined;
      /** Recorded cost in USD. */
      costUsd: number;
      /** Why it stopped, when a budget or signal stopped it. */
      stop: 'budget' | 'signal' | undefined;
      /** Error text. */
      error: string | undefined;
      /** False when it never started (its reservation did not fit). */
      started: boolean;
      /** USD this call paid. */
      spentUsd: number;
    }
  );

/** Options of a `JobEngine`. */
export interface JobEngineOptions {
  /** The store holding the ledger (written by this engine only). */
  store: Store;
  /** The run the jobs belong to (must exist). */
  runId: string;
  /** Where jobs run (a `LocalExecutor`, or a queue). */
  executor: Executor;
  /** Receives `job-start`/`job-end` events. */
  observer?: RunObserver;
  /** Stops the jobs in flight. */
  signal?: AbortSignal;
  /** Group-commit writer (default: a new one on `store`). */
  writer?: WriteBatcher;
  /** Start at most this many jobs; later ones end `failed` with stop `signal`, unstarted (a rerun resumes; tests step a run). */
  maxJobs?: number;
  /** Called when a job that carries `charges` has ended after running in this engine (before callers resume). */
  onPaid?: (input: { key: string; charges: Record<string, number> }) => void;
}

/**
 * The one engine for paid work, on the coordinator's side. `run` takes a keyed job: a key the
 * ledger has as `done` is not run again (its stored result comes back through the kind's schema);
 * a key already in flight in this engine is joined, not started twice; otherwise the job's first
 * try is reserved from its gate (waiting while other reservations are in flight; `failed` with stop
 * `budget` when it cannot fit), its `started` row is committed before any money is spent, the
 * executor runs it, and its records and `finishJob` are written in one transaction. Money of earlier
 * interrupted (`started`) or `failed` tries of the same key is carried into the recorded cost, so
 * `store.jobSpendUsd` stays a conservative total. The engine keeps no state a restart would need:
 * everything it knows about a run is in the store.
 */
export class JobEngine {
  /** The store. */
  readonly store: Store;
  /** The run. */
  readonly runId: string;
  private readonly executor: Executor;
  private readonly observer: RunObserver | undefined;
  private readonly onPaid: JobEngineOptions['onPaid'];
  private readonly maxJobs: number;
  private startedJobs = 0;
  private readonly writer: WriteBatcher;
  private readonly controller = new AbortController();
  private readonly inFlight = new Map<string, Promise<JobResult<unknown>>>();

  constructor(options: JobEngineOptions) {
    this.store = options.store;
    this.runId = options.runId;
    this.executor = options.executor;
    this.observer = options.observer;
    this.onPaid = options.onPaid;
    this.maxJobs = options.maxJobs ?? Number.POSITIVE_INFINITY;
    this.writer = options.writer ?? new WriteBatcher(options.store);
    // Every call in flight listens on this signal; more than 10 is expected, not a leak.
    setMaxListeners(0, this.controller.signal);
    const outer = options.signal;
    if (outer?.aborted) this.controller.abort(outer.reason);
    else outer?.addEventListener('abort', () => this.controller.abort(outer.reason), { once: true });
  }

  /** The engine's stop signal (aborted with the outer signal). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The stored result of a done job, or undefined when the ledger has it not done. */
  doneResult<R>(kind: JobKind<unknown, R, unknown>, key: string, stored = this.store.getJob(key)): { result: R; costUsd: number; charges: Record<string, number> | undefined } | undefined {
    if (stored?.status !== 'done') return undefined;
    return { result: parseStoredResult(kind.result, stored), costUsd: stored.costUsd ?? 0, charges: ledgerPayload(stored).charges };
  }

  /** Runs one keyed job through the ledger (see the class comment). */
  async run<P, R, W>(request: JobRequest<P, R, W>): Promise<JobResult<R>> {
    // Read once: `start` takes the same row (nothing is awaited in between) for the money carried.
    const stored = this.store.getJob(request.key);
    const done = this.doneResult(request.kind as JobKind<unknown, R, unknown>, request.key, stored);
    if (done) return { status: 'done', result: done.result, costUsd: done.costUsd, reused: true, spentUsd: 0, charges: done.charges, paidNow: false };
    const running = this.inFlight.get(request.key) as Promise<JobResult<R>> | undefined;
    if (running) {
      const joined = await running;
      return { ...joined, spentUsd: 0, ...(joined.status === 'done' && { reused: true }) };
    }
    const promise = this.start(request, stored);
    this.inFlight.set(request.key, promise);
    try {
      return await promise;
    } finally {
      this.inFlight.delete(request.key);
    }
  }

  private async start<P, R, W>(request: JobRequest<P, R, W>, previous: StoredJob | undefined): Promise<JobResult<R>> {
    const { store, runId } = this;
    const { kind, key } = request;
    const payload = kind.payload.parse(request.payload);
    const carried = carriedUsd(previous);
    if (this.startedJobs >= this.maxJobs) {
      return { status: 'failed', result: undefined, costUsd: carried, stop: 'signal', error: 'job limit of this session reached', started: false, spentUsd: 0, charges: request.charges, paidNow: false };
    }
    // Counted before the reservation is awaited, so jobs asked for at once cannot pass the limit together.
    this.startedJobs++;
    const gate = request.gate;
    const reservation: SpendReservation | undefined = gate.reserveWhenPossible
      ? await gate.reserveWhenPossible(request.reserveUsd)
      : gate.tryReserve(request.reserveUsd);
    if (!reservation) {
      this.startedJobs--;
      return { status: 'failed', result: undefined, costUsd: carried, stop: 'budget', error: 'budget', started: false, spentUsd: 0, charges: request.charges, paidNow: false };
    }
    const job: Job<P> = { key, kind: kind.kind, runId, payload };
    const ledger: LedgerPayload = { job: payload, reserveUsd: request.reserveUsd, carriedUsd: carried, ...(request.charges && { charges: request.charges }) };
    // The started row is committed before any money is spent.
    await this.writer.run(() => store.startJob({ key, runId, kind: kind.kind, payload: ledger }));
    const label = request.label ?? key;
    this.observer?.onEvent({ type: 'job-start', runId, key, label, reservedUsd: request.reserveUsd });
    let outcome: JobOutcome = await this.executor.execute(job, {
      reservation,
      budget: gate,
      signal: this.controller.signal,
      previousResult: previous?.result ?? undefined,
    });
    // A function that never settled its reservation spent nothing of it.
    reservation.settle(0);
    outcome = this.checked(kind, outcome);
    const aborted = this.controller.signal.aborted && outcome.status === 'failed';
    const stop = outcome.stop ?? (aborted ? 'signal' : undefined);
    const costUsd = outcome.spentUsd + carried;
    await this.writer.run(() => {
      if (outcome.records !== undefined && !aborted) kind.commit?.({ store, job, records: outcome.records as W });
      store.finishJob({ key, status: outcome.status, costUsd, error: outcome.error, result: outcome.result });
    });
    if (request.charges) this.onPaid?.({ key, charges: request.charges });
    this.observer?.onEvent({
      type: 'job-end',
      runId,
      key,
      label,
      status: outcome.status,
      spentUsd: outcome.spentUsd,
      error: outcome.error,
      note: outcome.note,
    });
    const result = outcome.result as R | undefined;
    if (outcome.status === 'done') return { status: 'done', result: result as R, costUsd, reused: false, spentUsd: outcome.spentUsd, charges: request.charges, paidNow: true };
    return { status: 'failed', result, costUsd, stop, error: outcome.error, started: true, spentUsd: outcome.spentUsd, charges: request.charges, paidNow: true };
  }

  /** The outcome with its result and records checked against the kind's schemas (a mismatch fails the job). */
  private checked(kind: Pick<JobKind<unknown, unknown, unknown>, 'kind' | 'result' | 'records'>, outcome: JobOutcome): JobOutcome {
    if (outcome.status === 'done') {
      const result = kind.result.safeParse(outcome.result);
      if (!result.success) {
        return { ...outcome, status: 'failed', records: undefined, error: `${kind.kind} result does not match its schema: ${result.error.issues[0]?.message ?? 'invalid'}` };
      }
      outcome = { ...outcome, result: result.data };
    }
    if (outcome.records !== undefined && kind.records) {
      const records = kind.records.safeParse(outcome.records);
      if (!records.success) {
        return { ...outcome, status: 'failed', records: undefined, error: `${kind.kind} records do not match their schema: ${records.error.issues[0]?.message ?? 'invalid'}` };
      }
      outcome = { ...outcome, records: records.data };
    }
    return outcome;
  }

  /** Commits every queued write now. */
  flush(): void {
    this.writer.flush();
  }
}
