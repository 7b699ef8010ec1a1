import { hostname } from 'node:os';
import { UnrecoverableError, Worker } from 'bullmq';
import type { z } from 'zod';
import { Budget } from '../budget.js';
import type { SpendGate, SpendReservation } from '../spend-gate.js';
import { redisOptions } from './queue-connection.js';
import { QUEUE_DEFAULTS } from './queue-defaults.js';
import {
  type JobResultEnvelope,
  QUEUE_PROTOCOL_VERSION,
  type QueuedJob,
  QueuedJobSchema,
  queueNameFor,
  type WireOutcome,
  WireOutcomeSchema,
} from './queue-protocol.js';
import type { QueueAddress } from './queue-url.js';

/** What a job function gets on a worker: the job's reserved amount as its own budget, and a stop signal. */
export interface WorkerJobContext {
  /** The first try's money (the amount the coordinator reserved). */
  reservation: SpendReservation;
  /** Retries reserve from here; it holds exactly the coordinator's reservation, so a job never spends more. */
  budget: SpendGate;
  /** Aborted when the worker stops or the job is cancelled. */
  signal: AbortSignal;
  /** The ledger's result of an earlier failed try of this key. */
  previousResult: unknown;
}

/** A job as a worker's job function sees it. */
export interface WorkerJob {
  /** Job key. */
  key: string;
  /** Job kind. */
  kind: string;
  /** The run. */
  runId: string;
  /** Payload, already checked by the kind's schema. */
  payload: unknown;
  /** Run settings from the coordinator (prices, retry policy, base URL). */
  settings: Record<string, unknown>;
  /** Identifies this enqueueing of the job (kept by its retries, new when a later session enqueues the key again). */
  enqueueId: string;
}

/** One kind of job a worker can run: the payload schema and the registered job function. */
export interface QueueJobHandler {
  /** Checks the payload before the job runs. */
  payloadSchema: z.ZodType;
  /** Runs the job; throws only for infrastructure failures (retried on another start). */
  run(job: WorkerJob, context: WorkerJobContext): Promise<WireOutcome>;
}

/** What a queue worker reports while it runs. */
export type QueueWorkerEvent =
  | { type: 'job-start'; key: string; kind: string; runId: string; provider: string; starts: number }
  | { type: 'job-end'; key: string; kind: string; runId: string; provider: string; status: 'done' | 'failed'; error?: string }
  | { type: 'error'; message: string };

/** Options of `startQueueWorker`. */
export interface QueueWorkerOptions {
  /** The queue's Redis. */
  address: QueueAddress;
  /** Provider prefixes served (one queue each); their keys were checked by the caller. */
  providers: readonly string[];
  /** Job functions by kind. */
  handlers: ReadonlyMap<string, QueueJobHandler>;
  /** Jobs run at once per provider queue. */
  concurrency?: number;
  /** Lock duration (renewed at half of it while a job runs). */
  lockDurationMs?: number;
  /** How often this worker looks for jobs of dead workers. */
  stalledIntervalMs?: number;
  /** Starts of a job before it ends failed (kills and crashes included). */
  maxTries?: number;
  /** Name shown in results and logs (default host:pid). */
  name?: string;
  /** Receives events. */
  onEvent?: (event: QueueWorkerEvent) => void;
}

/** A running queue worker. */
export interface QueueWorkerHandle {
  /** The worker's name. */
  name: string;
  /** Queues it pulls from. */
  queues: string[];
  /** Stops taking jobs, waits for those in flight, and disconnects. */
  close(): Promise<void>;
}

/** Runs one queued job: checks it, runs its function against the reserved amount, checks the outcome. */
async function runQueuedJob(input: { job: QueuedJob; enqueueId: string; handler: QueueJobHandler | undefined; signal: AbortSignal }): Promise<WireOutcome> {
  const { job, handler } = input;
  if (!handler) return { status: 'failed', spentUsd: 0, error: `this worker has no job function for kind '${job.kind}'` };
  const payload = handler.payloadSchema.safeParse(job.payload);
  if (!payload.success) {
    const issue = payload.error.issues[0];
    return { status: 'failed', spentUsd: 0, error: `payload of kind '${job.kind}' is invalid: ${issue?.path.join('.')}: ${issue?.message}` };
  }
  const budget = new Budget({ limitUsd: job.reserveUsd });
  const reservation = budget.tryReserve(job.reserveUsd) as SpendReservation;
  const value = await input.handler?.run(
    { key: job.key, kind: job.kind, runId: job.runId, payload: payload.data, settings: job.settings ?? {}, enqueueId: input.enqueueId },
    { reservation, budget, signal: input.signal, previousResult: job.previousResult },
  );
  reservation.settle(0);
  const outcome = WireOutcomeSchema.safeParse(value);
  if (!outcome.success) throw new UnrecoverableError(`the '${job.kind}' job function returned no valid outcome: ${outcome.error.issues[0]?.message}`);
  return outcome.data;
}

/**
 * Pulls jobs of the given providers' queues and runs them with the registered job functions,
 * each against a budget holding exactly the amount the coordinator reserved for it. A job of
 * another protocol version fails at once; an unknown kind or a bad payload comes back as a failed
 * outcome that spent nothing; a job function that throws is retried, up to `maxTries` starts in
 * all; a worker killed mid-job leaves a lock that expires (BullMQ renews it while the job runs),
 * and another worker retries the job after the stall interval.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const maxTries = options.maxTries ?? QUEUE_DEFAULTS.maxTries;
  const emit = options.onEvent ?? (() => undefined);
  const queues = options.providers.map(queueNameFor);
  const processor = async (bullJob: { data: unknown; id?: string; attemptsStarted: number; timestamp: number }, _token?: string, signal?: AbortSignal): Promise<JobResultEnvelope> => {
    const parsed = QueuedJobSchema.safeParse(bullJob.data);
    if (!parsed.success) throw new UnrecoverableError(`job ${bullJob.id}: data does not fit queue protocol v${QUEUE_PROTOCOL_VERSION}: ${parsed.error.issues[0]?.message}`);
    const job = parsed.data;
    if (job.protocol !== QUEUE_PROTOCOL_VERSION) throw new UnrecoverableError(`job ${job.key}: queue protocol v${job.protocol}, this worker speaks v${QUEUE_PROTOCOL_VERSION}`);
    if (job.key !== bullJob.id) throw new UnrecoverableError(`job ${bullJob.id}: its data names key ${job.key}`);
    const base = { key: job.key, kind: job.kind, runId: job.runId, provider: job.provider };
    emit({ type: 'job-start', ...base, starts: bullJob.attemptsStarted });
    try {
      const outcome = await runQueuedJob({ job, enqueueId: `${job.key}@${bullJob.timestamp}`, handler: options.handlers.get(job.kind), signal: signal ?? new AbortController().signal });
      emit({ type: 'job-end', ...base, status: outcome.status, error: outcome.error });
      return { protocol: QUEUE_PROTOCOL_VERSION, key: job.key, runId: job.runId, kind: job.kind, starts: Math.max(1, bullJob.attemptsStarted), worker: name, outcome };
    } catch (error) {
      emit({ type: 'job-end', ...base, status: 'failed', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  };
  const workers = queues.map(
    (queue) =>
      new Worker(queue, processor, {
        connection: redisOptions(options.address),
        prefix: QUEUE_DEFAULTS.prefix,
        name,
        concurrency: options.concurrency ?? QUEUE_DEFAULTS.workerConcurrency,
        lockDuration: options.lockDurationMs ?? QUEUE_DEFAULTS.lockDurationMs,
        stalledInterval: options.stalledIntervalMs ?? QUEUE_DEFAULTS.stalledIntervalMs,
        // A start counts whether the job completes, throws, or its worker dies: N starts, then failed.
        maxStartedAttempts: maxTries,
        maxStalledCount: maxTries,
        autorun: false,
      }),
  );
  for (const worker of workers) {
    worker.on('error', (error) => emit({ type: 'error', message: error.message }));
    void worker.run();
  }
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  return {
    name,
    queues,
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
