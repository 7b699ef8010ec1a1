import type { SpendReservation } from '../spend-gate.js';
import type { DispatchOutcome, QueueDispatcher } from './queue-dispatcher.js';
import type { WireOutcome } from './queue-protocol.js';

/**
 * The key a coordinator resolves its models with: it needs their prices (to reserve) but never
 * calls them, since every paid job runs on a worker that holds its own key.
 */
export const COORDINATOR_PLACEHOLDER_KEY = 'none: a queue coordinator holds no key';

/** A job as the coordinator hands it over (the engine's `Job`). */
export interface ExecutorJob {
  /** Deterministic key (also the BullMQ job id). */
  key: string;
  /** Registered kind. */
  kind: string;
  /** The run. */
  runId: string;
  /** Plain payload. */
  payload: unknown;
}

/** What the coordinator gives with a job (the engine's `JobContext`, as far as the queue needs it). */
export interface ExecutorContext {
  /** The first try's money, reserved by the coordinator; settled here with what the job cost. */
  reservation: SpendReservation;
  /** Aborted when the run stops: the executor stops waiting (the job stays queued for the next session). */
  signal: AbortSignal;
  /** The ledger's result of an earlier failed try. */
  previousResult?: unknown;
}

/** Options of a `QueueExecutor`. */
export interface QueueExecutorOptions {
  /** An open dispatcher for the coordinator's run. */
  dispatcher: QueueDispatcher;
  /** The provider prefix whose workers run a job (`openai`, `anthropic`, …; `local` for no model). */
  route: (job: ExecutorJob) => string;
  /** Run settings sent with a job (prices, retry policy, base URL); never keys. */
  settings?: (job: ExecutorJob) => Record<string, unknown> | undefined;
  /** Adapts a worker's outcome before the engine records it (e.g. writes a trajectory that travelled inside it). */
  receive?: (job: ExecutorJob, outcome: WireOutcome) => WireOutcome;
}

/**
 * The engine's executor seam over the queue: each job is enqueued under its key on its provider's
 * queue, and the outcome a worker returns is handed back as the job's outcome. Money: a worker
 * spends at most the reserved amount per start; a start lost to a killed worker may have been
 * paid, so each lost start adds the reserved amount to the job's cost ("paid twice at most once
 * per kill"), and the reservation stays held until the retry settles. A job that ends failed on
 * the workers (every start crashed) is charged its reservation per start for the same reason.
 */
export class QueueExecutor {
  private readonly recorded = new Map<string, string>();

  constructor(private readonly options: QueueExecutorOptions) {}

  /** Runs one job on the workers; never rejects for a worker's failure (a lost Redis rejects with `QueueError`). */
  async execute(job: ExecutorJob, context: ExecutorContext): Promise<WireOutcome> {
    const reserveUsd = context.reservation.amountUsd;
    const provider = this.options.route(job);
    const settings = this.options.settings?.(job);
    if (context.signal.aborted) return { status: 'failed', spentUsd: 0, error: 'stopped before it was enqueued', stop: 'signal' };
    const stopped = new Promise<'stopped'>((resolve) => context.signal.addEventListener('abort', () => resolve('stopped'), { once: true }));
    const answer = this.options.dispatcher.dispatch({
      key: job.key,
      kind: job.kind,
      runId: job.runId,
      provider,
      reserveUsd,
      payload: job.payload,
      ...(context.previousResult !== undefined && context.previousResult !== null && { previousResult: context.previousResult }),
      ...(settings && { settings }),
    });
    const first = await Promise.race([answer, stopped]);
    if (first === 'stopped') {
      // The job may still run on a worker; a resumed run finds its result under the same key.
      answer.catch(() => undefined);
      context.reservation.settle(0);
      return { status: 'failed', spentUsd: 0, error: 'stopped while queued or running on a worker (the next session collects its result)', stop: 'signal' };
    }
    const returned = toOutcome(first, reserveUsd);
    const outcome = this.options.receive && returned.status === 'done' ? this.options.receive(job, returned) : returned;
    const lost = first.status === 'done' ? first.starts - 1 : first.starts;
    this.options.dispatcher.losses.starts += lost;
    this.options.dispatcher.losses.usd += lost * reserveUsd;
    context.reservation.settle(outcome.spentUsd);
    this.recorded.set(job.key, provider);
    return outcome;
  }

  /** Removes from Redis the finished jobs handed back so far (call after the store has recorded them). */
  async acknowledge(): Promise<void> {
    const entries = [...this.recorded];
    this.recorded.clear();
    await Promise.all(entries.map(([key, provider]) => this.options.dispatcher.acknowledge(key, provider)));
  }
}

/** The outcome to record, with lost starts charged at the reserved amount. */
function toOutcome(dispatched: DispatchOutcome, reserveUsd: number): WireOutcome {
  if (dispatched.status === 'failed') {
    return {
      status: 'failed',
      spentUsd: dispatched.starts * reserveUsd,
      error: `failed on the workers after ${dispatched.starts} start(s): ${dispatched.reason}`,
      note: 'each start that ended without an outcome is charged its reservation',
    };
  }
  const lost = dispatched.starts - 1;
  const { outcome } = dispatched.envelope;
  if (lost === 0) return outcome;
  return {
    ...outcome,
    spentUsd: outcome.spentUsd + lost * reserveUsd,
    note: [outcome.note, `${lost} start(s) lost to a killed worker, charged ${lost} × reservation`].filter(Boolean).join('; '),
  };
}
