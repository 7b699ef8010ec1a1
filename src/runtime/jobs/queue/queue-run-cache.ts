import { Redis } from 'ioredis';
import { redisOptions } from './queue-connection.js';
import { QUEUE_DEFAULTS } from './queue-defaults.js';
import type { QueueAddress } from './queue-url.js';

/** Values kept in Redis per run and job, shared by every worker (the workers' response cache). */
export interface QueueRunCache {
  /** The value stored under (scope, key), parsed from JSON; undefined when absent or Redis cannot answer. */
  get(scope: string, key: string): Promise<unknown>;
  /** Stores a JSON value under (scope, key) for `ttlSeconds`; a failure is ignored (a cache is never needed). */
  put(scope: string, key: string, value: unknown): Promise<void>;
  /** Disconnects. */
  close(): Promise<void>;
}

/**
 * A key-value store in the queue's Redis, so that a job retried on another worker (its first
 * worker killed mid-job) finds the replies of the calls already made. Scoped by the run and the
 * job's enqueueing (`WorkerJob.enqueueId`): a run enqueued again, possibly into another store,
 * asks afresh, as a single-process run with a new store does. Never rejects: while Redis is away
 * every read misses and every write is dropped.
 */
export function openQueueRunCache(address: QueueAddress, options: { ttlSeconds?: number; prefix?: string } = {}): QueueRunCache {
  const client = new Redis({ ...redisOptions(address), maxRetriesPerRequest: 1, enableOfflineQueue: false });
  client.on('error', () => undefined);
  const ttl = options.ttlSeconds ?? QUEUE_DEFAULTS.runCacheTtlSeconds;
  const name = (scope: string, key: string) => `${options.prefix ?? QUEUE_DEFAULTS.prefix}:cache:${scope}:${key}`;
  // Commands are not queued while disconnected (a Redis outage must not hang a job): wait briefly
  // for a connection being made, then give up and miss.
  const ready = (): Promise<boolean> => {
    if (client.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        client.off('ready', onReady);
        resolve(value);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), QUEUE_DEFAULTS.connectTimeoutMs);
      client.once('ready', onReady);
    });
  };
  return {
    get: async (scope, key) => {
      try {
        if (!(await ready())) return undefined;
        const text = await client.get(name(scope, key));
        return text === null ? undefined : (JSON.parse(text) as unknown);
      } catch {
        return undefined;
      }
    },
    put: async (scope, key, value) => {
      try {
        if (!(await ready())) return;
        await client.set(name(scope, key), JSON.stringify(value), 'EX', ttl);
      } catch {
        // A lost write only means a retry may pay again for this call.
      }
    },
    close: async () => {
      client.disconnect();
    },
  };
}
