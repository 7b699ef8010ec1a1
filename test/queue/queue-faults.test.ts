import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueDispatcher } from '../../src/runtime/jobs/queue/queue-dispatcher.js';
import { parseQueueUrl } from '../../src/runtime/jobs/queue/queue-url.js';
import { redisAvailability, startRedisServer, type TestRedis } from '../support/redis-server.js';
import { tempDir } from '../support/temp-dir.js';

const availability = redisAvailability();
if (!availability.ok) console.warn(`skipping queue fault tests: ${availability.reason}`);

const projectRoot = resolve(import.meta.dirname, '../..');
const loader = join(projectRoot, 'node_modules/tsx/dist/loader.mjs');
const childScript = join(projectRoot, 'test/support/queue-worker-child.ts');
/** Short locks so a killed worker's job is retried within seconds (long enough that a busy machine does not lose live locks). */
const LOCK_MS = 10_000;
const STALL_MS = 2_000;

function startWorker(config: { url: string; dir: string; provider: string; maxTries?: number }): Promise<ChildProcess> {
  const args = JSON.stringify({ lockDurationMs: LOCK_MS, stalledIntervalMs: STALL_MS, maxTries: 3, ...config });
  const child = spawn(process.execPath, ['--import', loader, childScript, args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolvePromise, reject) => {
    child.stdout?.once('data', () => resolvePromise(child));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

const starts = (dir: string) =>
  readFileSync(join(dir, 'starts.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' ') as [string, string]);

describe.skipIf(!availability.ok)('queue faults (real Redis, worker processes)', () => {
  let redis: TestRedis;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await redis?.stop();
  });

  it('a worker killed mid-job: another worker retries it after the stall interval; one extra start per kill', async () => {
    const dir = tempDir();
    const [a, b] = [await startWorker({ url: redis.url, dir, provider: 'kill' }), await startWorker({ url: redis.url, dir, provider: 'kill' })];
    children.push(a as ChildProcess, b as ChildProcess);
    const dispatcher = await QueueDispatcher.open({ address: parseQueueUrl(redis.url), runId: 'run-kill', pollIntervalMs: 500 });
    try {
      const keys = Array.from({ length: 6 }, (_, i) => `run-kill-${i}`);
      const answers = keys.map((key, i) => dispatcher.dispatch({ key, kind: 'sleep', runId: 'run-kill', provider: 'kill', reserveUsd: 0.01, payload: { ms: 800, value: i } }));
      // Kill worker a as soon as it has started a job.
      let victim: [string, string] | undefined;
      while (!victim) {
        await new Promise((r) => setTimeout(r, 50));
        victim = (() => {
          try {
            return starts(dir).find(([, pid]) => pid === String(a?.pid));
          } catch {
            return undefined;
          }
        })();
      }
      a?.kill('SIGKILL');
      const outcomes = await Promise.all(answers);
      expect(outcomes.map((o) => (o.status === 'done' ? o.envelope.outcome.result : o.reason))).toEqual([0, 1, 2, 3, 4, 5].map((value) => ({ value })));
      const log = starts(dir);
      const killedJobs = new Set(log.filter(([, pid]) => pid === String(a?.pid)).map(([key]) => key));
      const finishedByA = outcomes.filter((o) => o.status === 'done' && o.envelope.worker.endsWith(`:${a?.pid}`)).length;
      // Every job a had in flight at the kill was started again by b: one extra start each, no more.
      const lost = killedJobs.size - finishedByA;
      expect(lost).toBeGreaterThanOrEqual(1);
      expect(log.length).toBe(6 + lost);
      for (const outcome of outcomes) {
        if (outcome.status !== 'done') continue;
        const key = outcome.envelope.key;
        const retried = killedJobs.has(key) && !outcome.envelope.worker.endsWith(`:${a?.pid}`);
        // A job a had taken but not yet begun when it was killed (BullMQ counts the start when it
        // hands the job over) also has 2 starts with one logged: still one extra start per kill.
        if (retried) expect(outcome.starts).toBe(2);
        else expect(outcome.starts).toBeLessThanOrEqual(2);
      }
    } finally {
      await dispatcher.close();
    }
  }, 180_000);

  it('a poison job that kills every worker that takes it ends failed with its reason after 3 starts', async () => {
    const dir = tempDir();
    const dispatcher = await QueueDispatcher.open({ address: parseQueueUrl(redis.url), runId: 'run-poison', pollIntervalMs: 500, maxTries: 3 });
    try {
      const answer = dispatcher.dispatch({ key: 'run-poison-1', kind: 'crash', runId: 'run-poison', provider: 'poison', reserveUsd: 0.01, payload: {} });
      // Each start kills its worker; keep one worker alive at a time until the job has failed.
      let outcome: Awaited<typeof answer> | undefined;
      void answer.then((value) => {
        outcome = value;
      });
      while (!outcome) {
        const worker = await startWorker({ url: redis.url, dir, provider: 'poison' });
        children.push(worker);
        await new Promise<void>((r) => {
          const timer = setInterval(() => {
            if (outcome || worker.exitCode !== null || worker.signalCode !== null) {
              clearInterval(timer);
              r();
            }
          }, 50);
        });
      }
      expect(outcome.status).toBe('failed');
      expect(outcome.starts).toBe(3);
      expect(outcome.status === 'failed' && outcome.reason).toBe('its worker died or lost the job on each of 3 start(s) (job started more than allowable limit)');
      expect(starts(dir).length).toBe(3);
    } finally {
      await dispatcher.close();
    }
  }, 180_000);
});
