import { Redis } from 'ioredis';
import { QUEUE_DEFAULTS } from './queue-defaults.js';
import { QueueError } from './queue-errors.js';
import { QUEUE_PROTOCOL_VERSION } from './queue-protocol.js';
import type { QueueAddress } from './queue-url.js';

/** Connection options of a queue address, as both ioredis and BullMQ take them. */
export interface RedisConnectionOptions {
  /** Host name or address. */
  host: string;
  /** TCP port. */
  port: number;
  /** Logical database. */
  db: number;
  /** ACL user. */
  username?: string;
  /** Password. */
  password?: string;
  /** TLS options (empty: defaults). */
  tls?: Record<string, never>;
}

/** Connection options for a queue address (BullMQ creates its own clients from these). */
export function redisOptions(address: QueueAddress): RedisConnectionOptions {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    ...(address.username !== undefined && { username: address.username }),
    ...(address.password !== undefined && { password: address.password }),
    ...(address.tls && { tls: {} }),
  };
}

/** One clear sentence for a failure to reach or log in to Redis. */
export function describeRedisFailure(address: QueueAddress, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string } | undefined)?.code;
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message)) {
    return `Redis at ${address.display} refused the credentials in the URL (wrong password or user)`;
  }
  if (/NOAUTH/i.test(message)) return `Redis at ${address.display} needs a password: give it as redis://:PASSWORD@HOST:PORT`;
  if (code === 'ECONNREFUSED') return `cannot reach Redis at ${address.display}: connection refused (is redis-server running?)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot reach Redis at ${address.display}: unknown host '${address.host}'`;
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) return `cannot reach Redis at ${address.display}: no answer (timed out)`;
  return `cannot use Redis at ${address.display}: ${message}`;
}

/**
 * Connects once (no retries), logs in and checks the queue before anything is written: that
 * Redis answers, accepts the credentials, and holds no unfinished jobs of another queue protocol
 * version. Returns the client; throws a `QueueError` with one clear line otherwise.
 */
export async function openCheckedRedis(address: QueueAddress, options: { timeoutMs?: number; prefix?: string } = {}): Promise<Redis> {
  const timeoutMs = options.timeoutMs ?? QUEUE_DEFAULTS.connectTimeoutMs;
  const client = new Redis({
    ...redisOptions(address),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's error (refused, unknown host) arrives as an event; connect() only says "closed".
  let socketError: unknown;
  client.on('error', (error) => {
    socketError ??= error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    const cause = socketError ?? error;
    throw new QueueError(describeRedisFailure(address, cause), { cause });
  }
  try {
    await refuseIncompatibleJobs(client, address, options.prefix ?? QUEUE_DEFAULTS.prefix);
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}

/** Unfinished jobs (waiting, active, delayed, prioritized) of one queue. */
async function unfinishedJobs(client: Redis, base: string): Promise<number> {
  const [wait, active, delayed, prioritized, paused] = await Promise.all([
    client.llen(`${base}:wait`),
    client.llen(`${base}:active`),
    client.zcard(`${base}:delayed`),
    client.zcard(`${base}:prioritized`),
    client.llen(`${base}:paused`),
  ]);
  return wait + active + delayed + prioritized + paused;
}

/**
 * Queue names carry the protocol version (`v1.openai`); a queue of another version that still
 * holds unfinished jobs means coordinators or workers of another version share this Redis.
 */
async function refuseIncompatibleJobs(client: Redis, address: QueueAddress, prefix: string): Promise<void> {
  const pattern = `${prefix}:*:meta`;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
    cursor = next;
    for (const key of keys) {
      const name = key.slice(prefix.length + 1, -':meta'.length);
      const version = /^v(\d+)\./.exec(name)?.[1];
      if (version !== undefined && Number(version) === QUEUE_PROTOCOL_VERSION) continue;
      const pending = await unfinishedJobs(client, `${prefix}:${name}`);
      if (pending === 0) continue;
      throw new QueueError(
        `the queue '${name}' at ${address.display} holds ${pending} unfinished job(s) of ${version === undefined ? 'an unknown' : `queue protocol v${version}`} (this marketbench speaks v${QUEUE_PROTOCOL_VERSION}): finish them with that version, or use another database (redis://HOST:PORT/DB)`,
      );
    }
  } while (cursor !== '0');
}
