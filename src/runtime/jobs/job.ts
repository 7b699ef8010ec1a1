import type { z } from 'zod';
import type { Store } from '../store/store.js';
import type { SpendGate, SpendReservation } from './spend-gate.js';

/**
 * One unit of paid work as it travels: plain and serializable, so it can run in this process or
 * on another machine. The key is deterministic (`jobKey`), so a job is run once per run.
 */
export interface Job<P = unknown> {
  /** Deterministic key (`jobKey({ run, task, worker, treatment, repeat, round })`). */
  key: string;
  /** Job kind, the name its function is registered under (`forecast`, `bid`, `router`, `attempt`, …). */
  kind: string;
  /** The run it belongs to. */
  runId: string;
  /** Everything the function needs (no secrets, no process state). */
  payload: P;
}

/** What a job function gets besides the job: the money and the stop signal. */
export interface JobContext {
  /** The first try's money, already reserved by the coordinator (pass it to `callModel`). */
  reservation: SpendReservation;
  /** Where retries and later calls reserve from (the run's or an arm's budget). */
  budget: SpendGate;
  /** Aborted when the run is stopped. */
  signal: AbortSignal;
  /** The ledger's result of an earlier failed try of this key (raw stored JSON; parse it before use). */
  previousResult: unknown;
}

/** How a job's function says it ended. */
export interface JobOutcome<R = unknown, W = unknown> {
  /** `done` (final: a resumed run reuses `result`) or `failed` (a resumed run tries again). */
  status: 'done' | 'failed';
  /** USD charged by this try. */
  spentUsd: number;
  /** Small result kept in the ledger's `result` (JSON; checked against the kind's schema). */
  result?: R;
  /** Rows to store with the ledger's `finishJob` (plain data; the kind's `commit` writes them). */
  records?: W;
  /** Error of a failed job (no secrets). */
  error?: string;
  /** Short note for observers. */
  note?: string;
  /** Set when the job failed because the budget or a stop signal cut it short. */
  stop?: 'budget' | 'signal';
}

/** A registered job function: runs a job wherever the executor runs it; must not write the store. */
export type JobFunction<P = unknown, R = unknown, W = unknown> = (job: Job<P>, context: JobContext) => Promise<JobOutcome<R, W>>;

/**
 * What the coordinator knows about a kind of job: the schemas its payload, result and records must
 * match (checked when a job is created, when a result comes back, and when a stored result is read
 * on resume, possibly written by an older version), and how its records are written to the store.
 */
export interface JobKind<P = unknown, R = unknown, W = unknown> {
  /** The kind's name (the ledger's `kind`). */
  kind: string;
  /** Payload schema. */
  payload: z.ZodType<P>;
  /** Result schema (ledger `result`). */
  result: z.ZodType<R>;
  /** Records schema (what `commit` writes). */
  records?: z.ZodType<W>;
  /** Writes a done (or failed) job's records; runs in the transaction of the ledger's `finishJob`. */
  // Method syntax on purpose: a kind with specific records still fits a list of kinds with unknown records.
  commit?(input: { store: Store; job: Job<P>; records: W }): void;
}

/** Declares a job kind (see `JobKind`). */
export function defineJobKind<P, R, W = never>(kind: JobKind<P, R, W>): JobKind<P, R, W> {
  return kind;
}
