import { hostname } from 'node:os';
import { UnrecoverableError, Worker } from 'bullmq';
import type { z } from 'zod';
import { redisOptions } from './queue-connection.js';
import { QUEUE_DEFAULTS } from './queue-defaults.js';
import { type JobResultEnvelope, QUEUE_PROTOCOL_VERSION, type QueuedJob, QueuedJobSchema, queueNameFor } from './queue-protocol.js';
import type { QueueAddress } from './queue-url.js';

/** How a worker process runs one kind of job (the registered job function and its schemas). */
export interface QueueJobHandler {
  /** Checks the payload before the job runs. */
  payloadSchema: z.ZodType;
  /** Checks the result before it is returned (the coordinator checks it again). */
  resultSchema: z.ZodType;
  /** Runs the job; throws only for infrastructure failures (a worker failing a task is a result). */
  run(input: { job: QueuedJob; signal: AbortSignal }): Promise<unknown>;
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

/**
 * Pulls jobs of the given providers' queues and runs them with the registered job functions.
 * A job whose data, payload or kind does not fit this version fails at once (no retry) with the
 * reason; a job function that throws is retried up to `maxTries` starts in all; a worker killed
 * mid-job leaves a lock that expires, and another worker retries the job after the stall interval.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const maxTries = options.maxTries ?? QUEUE_DEFAULTS.maxTries;
  const emit = options.onEvent ?? (() => undefined);
  const queues = options.providers.map(queueNameFor);
  const processor = async (bullJob: { data: unknown; id?: string; attemptsStarted: number }, _token?: string, signal?: AbortSignal): Promise<JobResultEnvelope> => {
    const parsed = QueuedJobSchema.safeParse(bullJob.data);
    if (!parsed.success) throw new UnrecoverableError(`job ${bullJob.id}: data does not fit queue protocol v${QUEUE_PROTOCOL_VERSION}: ${parsed.error.issues[0]?.message}`);
    const job = parsed.data;
    if (job.protocol !== QUEUE_PROTOCOL_VERSION) throw new UnrecoverableError(`job ${job.key}: queue protocol v${job.protocol}, this worker speaks v${QUEUE_PROTOCOL_VERSION}`);
    if (job.key !== bullJob.id) throw new UnrecoverableError(`job ${bullJob.id}: its data names key ${job.key}`);
    const handler = options.handlers.get(job.kind);
    if (!handler) throw new UnrecoverableError(`job ${job.key}: this worker has no job function for kind '${job.kind}'`);
    const payload = handler.payloadSchema.safeParse(job.payload);
    if (!payload.success) throw new UnrecoverableError(`job ${job.key}: payload of kind '${job.kind}' is invalid: ${payload.error.issues[0]?.path.join('.')}: ${payload.error.issues[0]?.message}`);
    const base = { key: job.key, kind: job.kind, runId: job.runId, provider: job.provider };
    emit({ type: 'job-start', ...base, starts: bullJob.attemptsStarted });
    try {
      const value = await handler.run({ job: { ...job, payload: payload.data }, signal: signal ?? new AbortController().signal });
      const result = handler.resultSchema.safeParse(value);
      if (!result.success) throw new UnrecoverableError(`job ${job.key}: result of kind '${job.kind}' is invalid: ${result.error.issues[0]?.path.join('.')}: ${result.error.issues[0]?.message}`);
      emit({ type: 'job-end', ...base, status: 'done' });
      return { protocol: QUEUE_PROTOCOL_VERSION, key: job.key, runId: job.runId, kind: job.kind, starts: Math.max(1, bullJob.attemptsStarted), worker: name, result: result.data };
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
