import type { SpendGate, SpendReservation } from '../providers/spend-gate.js';
import type { Store } from '../store/store.js';

/** How a paid step ended, as its executor reports it. */
export interface PaidStepOutcome<R> {
  /** `done`: final, a resumed run reuses `result`; `failed`: a resumed run tries again. */
  status: 'done' | 'failed';
  /** USD charged by the step in this session. */
  spentUsd: number;
  /** What the run needs to go on (kept in the ledger's `result`, so it must be JSON). */
  result: R;
  /** Writes the step's rows; runs in the same transaction as the ledger's `finishJob`. */
  write?: () => void;
  /** Error of a failed step (no secrets). */
  error?: string;
  /** Set when the step failed because the budget or a signal stopped it. */
  stop?: 'budget' | 'signal';
}

/** What `runPaidStep` returns. */
export type PaidStepResult<R> =
  | {
      /** The step is final. */
      status: 'done';
      /** Its result. */
      result: R;
      /** Its recorded cost in USD (all sessions: earlier interrupted tries included). */
      costUsd: number;
      /** True when an earlier session did it and nothing was paid now. */
      reused: boolean;
    }
  | {
      /** The step did not finish (a resumed run tries again). */
      status: 'failed';
      /** What the executor returned, when it ran. */
      result: R | undefined;
      /** Recorded cost in USD. */
      costUsd: number;
      /** Why it stopped, when a budget or signal stopped it. */
      stop: 'budget' | 'signal' | undefined;
      /** Error text. */
      error: string | undefined;
    };

/** Ledger payload of a paid step: the job plus the money bookkeeping of resumes. */
export interface PaidStepPayload {
  /** The job as started. */
  job: unknown;
  /** USD reserved for its first try. */
  reserveUsd: number;
  /** USD of earlier interrupted or failed tries carried into its recorded cost. */
  carriedUsd: number;
  /** Share of the step's cost charged to each arm (sums to 1). */
  charges: Record<string, number>;
}

/**
 * One unit of paid work through the job ledger, like `runJobs` does it for a flat list: a step the
 * ledger has as `done` is not run again (its stored result comes back); otherwise its first try is
 * reserved from `gate` (waiting while other reservations are in flight; `failed` with stop `budget`
 * when it cannot fit), the `started` row is committed before any money is spent, and the rows and
 * `finishJob` are written in one transaction. Money of earlier interrupted (`started`) or `failed`
 * tries of the same key is carried into the recorded cost.
 */
export async function runPaidStep<R>(options: {
  /** The store holding the ledger. */
  store: Store;
  /** The run. */
  runId: string;
  /** Deterministic key of the step. */
  key: string;
  /** Ledger kind (`bid`, `router`, `attempt`). */
  kind: string;
  /** The serializable job. */
  job: unknown;
  /** Share of the cost charged to each arm. */
  charges: Record<string, number>;
  /** Pessimistic USD of the first try. */
  reserveUsd: number;
  /** Budget to reserve from. */
  gate: SpendGate;
  /** Runs the step with its first try reserved. */
  execute: (reservation: SpendReservation) => Promise<PaidStepOutcome<R>>;
}): Promise<PaidStepResult<R>> {
  const { store, key } = options;
  const previous = store.getJob(key);
  if (previous?.status === 'done') return { status: 'done', result: (previous.result ?? undefined) as R, costUsd: previous.costUsd ?? 0, reused: true };
  const carriedUsd =
    previous === undefined ? 0 : previous.status === 'started' ? interruptedUsd(previous.payload) : (previous.costUsd ?? 0);
  const reservation = options.gate.reserveWhenPossible
    ? await options.gate.reserveWhenPossible(options.reserveUsd)
    : options.gate.tryReserve(options.reserveUsd);
  if (!reservation) return { status: 'failed', result: undefined, costUsd: carriedUsd, stop: 'budget', error: 'budget' };
  const payload: PaidStepPayload = { job: options.job, reserveUsd: options.reserveUsd, carriedUsd, charges: options.charges };
  store.startJob({ key, runId: options.runId, kind: options.kind, payload });
  let outcome: PaidStepOutcome<R>;
  try {
    outcome = await options.execute(reservation);
  } catch (error) {
    outcome = { status: 'failed', spentUsd: 0, result: undefined as R, error: error instanceof Error ? error.message : String(error) };
  }
  // An executor that never settled its reservation spent nothing of it.
  reservation.settle(0);
  const costUsd = outcome.spentUsd + carriedUsd;
  store.transaction(() => {
    outcome.write?.();
    store.finishJob({ key, status: outcome.status, costUsd, error: outcome.error, result: outcome.result });
  });
  if (outcome.status === 'done') return { status: 'done', result: outcome.result, costUsd, reused: false };
  return { status: 'failed', result: outcome.result, costUsd, stop: outcome.stop, error: outcome.error };
}

/** USD an interrupted step may have cost: its reservation plus what it carried. */
export function interruptedUsd(payload: unknown): number {
  const ledger = payload as Partial<PaidStepPayload> | null;
  return (ledger?.reserveUsd ?? 0) + (ledger?.carriedUsd ?? 0);
}

/** Results of a run's finished jobs of one kind, by key. */
export function doneJobResults(store: Store, runId: string, kind: string): Map<string, unknown> {
  const rows = store.db
    .prepare("SELECT key, result FROM jobs WHERE run_id = ? AND kind = ? AND status = 'done' ORDER BY key")
    .all(runId, kind) as { key: string; result: string | null }[];
  return new Map(rows.map((row) => [row.key, row.result ? (JSON.parse(row.result) as unknown) : undefined]));
}
