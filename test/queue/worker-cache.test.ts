import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueDispatcher } from '../../src/runtime/jobs/queue/queue-dispatcher.js';
import { parseQueueUrl } from '../../src/runtime/jobs/queue/queue-url.js';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.js';
import { redisAvailability, startRedisServer, type TestRedis } from '../support/redis-server.js';
import { tempDir } from '../support/temp-dir.js';

const availability = redisAvailability();
if (!availability.ok) console.warn(`skipping the workers' response cache test: ${availability.reason}`);

const projectRoot = resolve(import.meta.dirname, '../..');
const loader = join(projectRoot, 'node_modules/tsx/dist/loader.mjs');
const childScript = join(projectRoot, 'test/support/queue-worker-child.ts');

function startWorker(config: { url: string; dir: string }): Promise<ChildProcess> {
  const args = JSON.stringify({ provider: 'cache', lockDurationMs: 6_000, stalledIntervalMs: 1_000, maxTries: 3, ...config });
  const child = spawn(process.execPath, ['--import', loader, childScript, args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolvePromise, reject) => {
    child.stdout?.once('data', () => resolvePromise(child));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

describe.skipIf(!availability.ok)("the workers' response cache (real Redis, worker processes, a model over HTTP)", () => {
  let redis: TestRedis;
  let server: FakeLlmServer;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    server = await startFakeLlmServer({ script: () => ({ text: 'hi', usage: { inputTokens: 10, outputTokens: 2 } }) });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await server?.close();
    await redis?.stop();
  });

  it('a worker killed after its call: the retry on another worker reads the reply from the run cache and pays nothing again', async () => {
    const dir = tempDir();
    children.push(await startWorker({ url: redis.url, dir }), await startWorker({ url: redis.url, dir }));
    const dispatcher = await QueueDispatcher.open({ address: parseQueueUrl(redis.url), runId: 'run-cache', pollIntervalMs: 500 });
    try {
      const outcome = await dispatcher.dispatch({ key: 'run-cache-0', kind: 'call-then-crash', runId: 'run-cache', provider: 'cache', reserveUsd: 0.01, payload: { baseUrl: server.baseUrl('openai-chat') } });
      expect(outcome.status, outcome.status === 'failed' ? outcome.reason : '').toBe('done');
      if (outcome.status !== 'done') return;
      // Two starts, on two processes (the first killed itself right after its call) ...
      const log = readFileSync(join(dir, 'starts.log'), 'utf8').trim().split('\n');
      expect(log).toHaveLength(2);
      expect(new Set(log.map((line) => line.split(' ')[1])).size).toBe(2);
      expect(outcome.starts).toBe(2);
      // ... and one request to the model: the second start was answered by the cache, for $0.
      expect(server.requests).toHaveLength(1);
      expect(outcome.envelope.outcome.result).toEqual({ cacheHit: true, text: 'hi' });
      expect(outcome.envelope.outcome.spentUsd).toBe(0);
    } finally {
      await dispatcher.close();
    }
  }, 120_000);
});
