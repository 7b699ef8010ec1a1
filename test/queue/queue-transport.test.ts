import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openCheckedRedis } from '../../src/runtime/jobs/queue/queue-connection.js';
import { QueueDispatcher } from '../../src/runtime/jobs/queue/queue-dispatcher.js';
import { QueueError } from '../../src/runtime/jobs/queue/queue-errors.js';
import { QUEUE_PROTOCOL_VERSION } from '../../src/runtime/jobs/queue/queue-protocol.js';
import { parseQueueUrl } from '../../src/runtime/jobs/queue/queue-url.js';
import { type QueueJobHandler, startQueueWorker } from '../../src/runtime/jobs/queue/queue-worker.js';
import { freePort, redisAvailability, startRedisServer, type TestRedis } from '../support/redis-server.js';

const availability = redisAvailability();
if (!availability.ok) console.warn(`skipping queue tests: ${availability.reason}`);

/** Squares a number, charging a cent; `crash` throws (an infrastructure failure). */
const square: QueueJobHandler = {
  payloadSchema: z.object({ n: z.number(), crash: z.boolean().optional() }),
  run: async (job, context) => {
    const payload = job.payload as { n: number; crash?: boolean };
    if (payload.crash) throw new Error(`cannot square ${payload.n}`);
    context.reservation.settle(0.01);
    return { status: 'done', spentUsd: 0.01, result: { square: payload.n * payload.n } };
  },
};

describe('queue URL', () => {
  it('parses host, port, database and password, and never shows the password', () => {
    const address = parseQueueUrl('redis://:s3cret@example.org:7000/3');
    expect(address).toMatchObject({ host: 'example.org', port: 7000, db: 3, password: 's3cret', tls: false });
    expect(address.display).toBe('redis://example.org:7000/3');
    expect(parseQueueUrl('rediss://h').port).toBe(6379);
    expect(() => parseQueueUrl('http://h:1')).toThrow(/must start with redis:\/\//);
    expect(() => parseQueueUrl('redis://:pw@h:1/x')).toThrow(/'redis:\/\/:\*\*\*@h:1\/x': the database '\/x' must be a number/);
  });
});

describe.skipIf(!availability.ok)('queue transport on a real Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('runs jobs on a worker and hands back results for this run only; a job is enqueued once', async () => {
    const address = parseQueueUrl(redis.url);
    const worker = await startQueueWorker({ address, providers: ['p1'], handlers: new Map([['square', square]]), concurrency: 2 });
    const dispatcher = await QueueDispatcher.open({ address, runId: 'run-a' });
    try {
      const outcomes = await Promise.all(
        [3, 4, 5].map((n) => dispatcher.dispatch({ key: `run-a-${n}`, kind: 'square', runId: 'run-a', provider: 'p1', reserveUsd: 0.01, payload: { n } })),
      );
      expect(outcomes.map((o) => (o.status === 'done' ? o.envelope.outcome.result : o.reason))).toEqual([{ square: 9 }, { square: 16 }, { square: 25 }]);
      expect(outcomes.every((o) => o.starts === 1)).toBe(true);
      // Not yet acknowledged: dispatching the same key again finds the finished job instead of running it again.
      const again = await dispatcher.dispatch({ key: 'run-a-3', kind: 'square', runId: 'run-a', provider: 'p1', reserveUsd: 0.01, payload: { n: 3 } });
      expect(again.status === 'done' && again.envelope.worker).toBe(worker.name);
      const queue = new Queue('v1.p1', { connection: { host: address.host, port: address.port }, prefix: 'marketbench' });
      expect(await queue.getJobCounts('completed')).toEqual({ completed: 3 });
      await dispatcher.acknowledge('run-a-3', 'p1');
      expect(await queue.getJobCounts('completed')).toEqual({ completed: 2 });
      await queue.close();
    } finally {
      await dispatcher.close();
      await worker.close();
    }
  });

  it('refuses a result that names another run', async () => {
    const address = parseQueueUrl(redis.url);
    const worker = await startQueueWorker({ address, providers: ['p2'], handlers: new Map([['square', square]]) });
    const dispatcher = await QueueDispatcher.open({ address, runId: 'run-b' });
    try {
      // The job's data claims run-x: the worker answers for run-x, which the coordinator of run-b refuses.
      const outcome = await dispatcher.dispatch({ key: 'run-b-1', kind: 'square', runId: 'run-x', provider: 'p2', reserveUsd: 0, payload: { n: 2 } });
      expect(outcome).toMatchObject({ status: 'failed', reason: "rejected result: it names run run-x, not this job's" });
    } finally {
      await dispatcher.close();
      await worker.close();
    }
  });

  it('ends a job that always throws as failed with its reason after maxTries starts', async () => {
    const address = parseQueueUrl(redis.url);
    let starts = 0;
    const counting: QueueJobHandler = {
      ...square,
      run: async (job, context) => {
        starts++;
        return square.run(job, context);
      },
    };
    const worker = await startQueueWorker({ address, providers: ['p3'], handlers: new Map([['square', counting]]), maxTries: 3 });
    const dispatcher = await QueueDispatcher.open({ address, runId: 'run-c', maxTries: 3 });
    try {
      const outcome = await dispatcher.dispatch({ key: 'run-c-1', kind: 'square', runId: 'run-c', provider: 'p3', reserveUsd: 0, payload: { n: 7, crash: true } });
      expect(outcome).toEqual({ status: 'failed', reason: 'cannot square 7', starts: 3 });
      expect(starts).toBe(3);
    } finally {
      await dispatcher.close();
      await worker.close();
    }
  });

  it('answers a job of an unknown kind or a bad payload with a failed outcome that spent nothing, without retries', async () => {
    const address = parseQueueUrl(redis.url);
    const worker = await startQueueWorker({ address, providers: ['p4'], handlers: new Map([['square', square]]) });
    const dispatcher = await QueueDispatcher.open({ address, runId: 'run-d' });
    try {
      const [unknownKind, badPayload] = await Promise.all([
        dispatcher.dispatch({ key: 'run-d-1', kind: 'cube', runId: 'run-d', provider: 'p4', reserveUsd: 0, payload: { n: 1 } }),
        dispatcher.dispatch({ key: 'run-d-2', kind: 'square', runId: 'run-d', provider: 'p4', reserveUsd: 0, payload: { n: 'two' } }),
      ]);
      expect(unknownKind.status === 'done' && unknownKind.envelope.outcome).toEqual({ status: 'failed', spentUsd: 0, error: "this worker has no job function for kind 'cube'" });
      expect(badPayload).toMatchObject({ status: 'done', starts: 1, envelope: { outcome: { status: 'failed', spentUsd: 0 } } });
      expect(badPayload.status === 'done' && badPayload.envelope.outcome.error).toMatch(/^payload of kind 'square' is invalid: n: /);
    } finally {
      await dispatcher.close();
      await worker.close();
    }
  });

  it('refuses a Redis that holds unfinished jobs of another queue protocol version', async () => {
    const address = parseQueueUrl(redis.url);
    const old = new Queue('v0.openai', { connection: { host: address.host, port: address.port }, prefix: 'marketbench' });
    await old.add('forecast', { protocol: 0 }, { jobId: 'old-job' });
    try {
      const error = await QueueDispatcher.open({ address, runId: 'run-e' }).catch((e: unknown) => e);
      expect(QueueError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(
        `the queue 'v0.openai' at redis://127.0.0.1:${redis.port}/0 holds 1 unfinished job(s) of queue protocol v0 (this marketbench speaks v${QUEUE_PROTOCOL_VERSION}): finish them with that version, or use another database (redis://HOST:PORT/DB)`,
      );
    } finally {
      await old.obliterate({ force: true });
      await old.close();
    }
    const client = await openCheckedRedis(address);
    client.disconnect();
  });

  it('abandons awaited jobs with one clear error when Redis stays away past the outage timeout', async () => {
    const own = await startRedisServer();
    const dispatcher = await QueueDispatcher.open({ address: parseQueueUrl(own.url), runId: 'run-f', pollIntervalMs: 200, outageTimeoutMs: 1_000 });
    try {
      // No worker serves 'nobody': the job waits until Redis goes away.
      const answer = dispatcher.dispatch({ key: 'run-f-1', kind: 'square', runId: 'run-f', provider: 'nobody', reserveUsd: 0, payload: { n: 1 } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await own.kill();
      const error = await answer.catch((e: unknown) => e);
      expect(QueueError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`^Redis at redis://127\\.0\\.0\\.1:${own.port}/0 has not answered for \\d+ s \\(.*\\); stopping: the same command resumes the run$`));
    } finally {
      await dispatcher.close();
      await own.stop();
    }
  });

  it('says clearly when Redis is unreachable or refuses the password', async () => {
    const port = await freePort();
    const unreachable = await openCheckedRedis(parseQueueUrl(`redis://127.0.0.1:${port}`)).catch((e: unknown) => e);
    expect((unreachable as Error).message).toBe(`cannot reach Redis at redis://127.0.0.1:${port}/0: connection refused (is redis-server running?)`);
    const guarded = await startRedisServer({ password: 'right' });
    try {
      const wrong = await openCheckedRedis(parseQueueUrl(`redis://:wrong@127.0.0.1:${guarded.port}`)).catch((e: unknown) => e);
      expect((wrong as Error).message).toBe(`Redis at redis://127.0.0.1:${guarded.port}/0 refused the credentials in the URL (wrong password or user)`);
      const none = await openCheckedRedis(parseQueueUrl(`redis://127.0.0.1:${guarded.port}`)).catch((e: unknown) => e);
      expect((none as Error).message).toBe(`Redis at redis://127.0.0.1:${guarded.port}/0 needs a password: give it as redis://:PASSWORD@HOST:PORT`);
      (await openCheckedRedis(parseQueueUrl(guarded.url))).disconnect();
    } finally {
      await guarded.stop();
    }
  });
});
