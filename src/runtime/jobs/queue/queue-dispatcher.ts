import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { openCheckedRedis, redisOptions } from './queue-connection.js';
import { QUEUE_DEFAULTS } from './queue-defaults.js';
import { QueueError } from './queue-errors.js';
import { type JobResultEnvelope, JobResultEnvelopeSchema, QUEUE_PROTOCOL_VERSION, type QueuedJob, queueNameFor } from './queue-protocol.js';
import type { QueueAddress } from './queue-url.js';

/** How a dispatched job ended on the workers. */
export type DispatchOutcome =
  | {
      /** A worker returned a result for this run and key (its schema is the job kind's to check). */
      status: 'done';
      /** The worker's answer. */
      envelope: JobResultEnvelope;
      /** Starts of the job (1 + tries lost to killed workers). */
      starts: number;
    }
  | {
      /** Every try failed, the result was rejected, or the job cannot run here. */
      status: 'failed';
      /** Why, in one line. */
      reason: string;
      /** Starts of the job, each possibly paid. */
      starts: number;
    };

/** Options of `QueueDispatcher.open`. */
export interface QueueDispatcherOptions {
  /** The queue's Redis. */
  address: QueueAddress;
  /** The coordinator's run, when it has one run: results of other runs are refused (each result must also name its own job's run). */
  runId?: string;
  /** Starts of a job before it ends failed (sent with each job; workers enforce it too). */
  maxTries?: number;
  /** How often the states of awaited jobs are re-read (a net under lost events). */
  pollIntervalMs?: number;
  /** How long Redis may be gone before every awaited job is abandoned with a `QueueError`. */
  outageTimeoutMs?: number;
}

interface Waiting {
  job: QueuedJob;
  resolve: (outcome: DispatchOutcome) => void;
  reject: (error: Error) => void;
}

interface ProviderQueue {
  queue: Queue;
  events: QueueEvents;
}

/**
 * The coordinator's side of the queue: enqueues keyed jobs (the BullMQ job id is the job key, so
 * a job is enqueued once, and a restarted coordinator finds its earlier jobs waiting, running or
 * finished) and resolves each with the result a worker returned, accepted only for this run and
 * key. Holds no provider keys and writes nothing: the caller records results and then
 * `acknowledge`s them, which removes the finished job from Redis.
 */
export class QueueDispatcher {
  private readonly queues = new Map<string, Promise<ProviderQueue>>();
  /** Every BullMQ client made, ready or not (closed with the dispatcher). */
  private readonly clients: (Queue | QueueEvents)[] = [];
  private readonly waiting = new Map<string, Waiting>();
  private readonly poller: ReturnType<typeof setInterval>;
  private downSince: number | undefined;
  private polling = false;
  private closed = false;
  /** Jobs that workers lost (killed or stalled) and BullMQ put back to wait, counted by event. */
  stalls = 0;
  /** Starts lost to killed workers among the jobs handed back, and the USD charged for them (one reservation each). */
  readonly losses = { starts: 0, usd: 0 };

  private constructor(
    private readonly options: QueueDispatcherOptions,
    private readonly probe: Redis,
  ) {
    this.poller = setInterval(() => void this.poll(), options.pollIntervalMs ?? QUEUE_DEFAULTS.pollIntervalMs);
    this.poller.unref();
  }

  /** Checks Redis (reachable, credentials, no jobs of another protocol) and opens the dispatcher. */
  static async open(options: QueueDispatcherOptions): Promise<QueueDispatcher> {
    const probe = await openCheckedRedis(options.address);
    return new QueueDispatcher(options, probe);
  }

  /** The queue URL without its password. */
  get display(): string {
    return this.options.address.display;
  }

  /** Jobs enqueued and not yet answered. */
  get inFlight(): number {
    return this.waiting.size;
  }

  private providerQueue(provider: string): Promise<ProviderQueue> {
    let entry = this.queues.get(provider);
    if (!entry) {
      entry = (async () => {
        const name = queueNameFor(provider);
        const connection = redisOptions(this.options.address);
        const queue = new Queue(name, { connection, prefix: QUEUE_DEFAULTS.prefix });
        const events = new QueueEvents(name, { connection, prefix: QUEUE_DEFAULTS.prefix });
        this.clients.push(queue, events);
        queue.on('error', () => undefined);
        events.on('error', () => undefined);
        events.on('completed', ({ jobId, returnvalue }) => this.settleCompleted(jobId, returnvalue));
        events.on('failed', ({ jobId, failedReason }) => void this.settleFailed(queue, jobId, failedReason));
        events.on('stalled', ({ jobId }) => {
          if (this.waiting.has(jobId)) this.stalls++;
        });
        // Subscribed before the first job is added, so no completion can slip between the two.
        await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
        return { queue, events };
      })();
      this.queues.set(provider, entry);
    }
    return entry;
  }

  /**
   * Enqueues a job (or finds it: a job of an earlier session may be waiting, running, or finished
   * while its coordinator was down) and resolves when a worker has answered it. A job found failed
   * from an earlier session is enqueued again, as a resumed local run retries its failed jobs.
   */
  async dispatch(job: Omit<QueuedJob, 'protocol'>): Promise<DispatchOutcome> {
    if (this.closed) throw new QueueError('the queue dispatcher is closed');
    const data: QueuedJob = { protocol: QUEUE_PROTOCOL_VERSION, ...job };
    const answer = new Promise<DispatchOutcome>((resolve, reject) => this.waiting.set(job.key, { job: data, resolve, reject }));
    // Not awaited: while Redis is away the enqueue may hang, and the outage timeout must still end the wait.
    this.enqueue(data).catch((error: unknown) => {
      const waiting = this.waiting.get(job.key);
      if (!waiting) return;
      this.waiting.delete(job.key);
      waiting.reject(new QueueError(`cannot enqueue job ${job.key} at ${this.options.address.display}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
    });
    return answer;
  }

  private async enqueue(data: QueuedJob): Promise<void> {
    const { queue } = await this.providerQueue(data.provider);
    const state = await queue.getJobState(data.key);
    if (state === 'failed') await queue.remove(data.key);
    if (state === 'completed') {
      const found = await Job.fromId(queue, data.key);
      this.settleCompleted(data.key, found?.returnvalue);
    } else if (state === 'unknown' || state === 'failed') {
      await queue.add(data.kind, data, {
        jobId: data.key,
        attempts: this.options.maxTries ?? QUEUE_DEFAULTS.maxTries,
        removeOnComplete: false,
        removeOnFail: false,
      });
    }
  }

  private settleCompleted(key: string, returnvalue: unknown): void {
    const waiting = this.waiting.get(key);
    if (!waiting) return;
    this.waiting.delete(key);
    const value = typeof returnvalue === 'string' ? safeJson(returnvalue) : returnvalue;
    const parsed = JobResultEnvelopeSchema.safeParse(value);
    if (!parsed.success) {
      waiting.resolve({ status: 'failed', reason: `rejected result: not a result envelope (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`, starts: 1 });
      return;
    }
    const envelope = parsed.data;
    const mismatch =
      envelope.protocol !== QUEUE_PROTOCOL_VERSION
        ? `protocol v${envelope.protocol}`
        : envelope.runId !== waiting.job.runId || (this.options.runId !== undefined && envelope.runId !== this.options.runId)
          ? `run ${envelope.runId}`
          : envelope.key !== key
            ? `key ${envelope.key}`
            : envelope.kind !== waiting.job.kind
              ? `kind ${envelope.kind}`
              : undefined;
    if (mismatch) {
      waiting.resolve({ status: 'failed', reason: `rejected result: it names ${mismatch}, not this job's`, starts: envelope.starts });
      return;
    }
    waiting.resolve({ status: 'done', envelope, starts: envelope.starts });
  }

  private async settleFailed(queue: Queue, key: string, reason: string): Promise<void> {
    const waiting = this.waiting.get(key);
    if (!waiting) return;
    const found = await Job.fromId(queue, key).catch(() => undefined);
    if (this.waiting.get(key) !== waiting) return;
    this.waiting.delete(key);
    // BullMQ counts the start it refuses after the last allowed one.
    const maxTries = this.options.maxTries ?? QUEUE_DEFAULTS.maxTries;
    const starts = Math.min(maxTries, Math.max(1, found?.attemptsStarted ?? 1));
    const lost = /(started|stalled) more than allowable limit/.test(reason);
    const why = lost ? `its worker died or lost the job on each of ${starts} start(s) (${reason})` : reason;
    waiting.resolve({ status: 'failed', reason: why, starts });
  }

  /** Removes a finished job from Redis once the coordinator has recorded it. */
  async acknowledge(key: string, provider: string): Promise<void> {
    const { queue } = await this.providerQueue(provider);
    await queue.remove(key).catch(() => undefined);
  }

  /**
   * Re-reads the state of every awaited job: settles those whose events were lost, re-enqueues
   * those Redis lost, and abandons all when Redis has been gone longer than the outage timeout.
   */
  private async poll(): Promise<void> {
    if (this.polling || this.closed || this.waiting.size === 0) return;
    this.polling = true;
    try {
      await withTimeout(this.probe.ping(), 2_000);
      this.downSince = undefined;
      for (const [key, waiting] of [...this.waiting]) {
        const { queue } = await withTimeout(this.providerQueue(waiting.job.provider), 2_000);
        const state = await withTimeout(queue.getJobState(key), 2_000);
        if (state === 'completed') this.settleCompleted(key, (await Job.fromId(queue, key))?.returnvalue);
        else if (state === 'failed') await this.settleFailed(queue, key, (await Job.fromId(queue, key))?.failedReason ?? 'failed');
        else if (state === 'unknown' && this.waiting.get(key) === waiting) {
          await queue.add(waiting.job.kind, waiting.job, { jobId: key, attempts: this.options.maxTries ?? QUEUE_DEFAULTS.maxTries, removeOnComplete: false, removeOnFail: false });
        }
      }
    } catch (error) {
      this.downSince ??= Date.now();
      if (Date.now() - this.downSince >= (this.options.outageTimeoutMs ?? QUEUE_DEFAULTS.outageTimeoutMs)) {
        const failure = new QueueError(
          `Redis at ${this.options.address.display} has not answered for ${Math.round((Date.now() - this.downSince) / 1000)} s (${error instanceof Error ? error.message : String(error)}); stopping: the same command resumes the run`,
        );
        for (const [key, waiting] of [...this.waiting]) {
          this.waiting.delete(key);
          waiting.reject(failure);
        }
      }
    } finally {
      this.polling = false;
    }
  }

  /** Stops polling and disconnects; jobs still awaited stay in Redis for the next session. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poller);
    const alive = this.probe.status === 'ready' && (await withTimeout(this.probe.ping(), 1_000).then(
      () => true,
      () => false,
    ));
    this.probe.disconnect();
    const clients = this.clients;
    if (alive) {
      await withTimeout(Promise.allSettled(clients.map((client) => client.close())), 5_000).catch(() => undefined);
      return;
    }
    // A graceful close waits for Redis; when it is gone, the connections are dropped (not awaited: that waits too).
    for (const client of clients) void client.disconnect().catch(() => undefined);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
