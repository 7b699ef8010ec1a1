/**
 * A queue worker process for transport tests: `sleep` jobs wait `payload.ms` and return
 * `payload.value`; `crash` jobs kill their own process (a poison job); `call-then-crash` jobs call
 * a model at `payload.baseUrl` through the run's response cache in Redis, and kill their process
 * after the call on their first start (a worker lost after paying). Every start is appended to
 * `starts.log` in the folder given, so a test counts tries across processes. Prints `ready`.
 * Arguments: JSON `{ url, dir, provider, lockDurationMs, stalledIntervalMs, maxTries }`.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseQueueUrl } from '../../src/runtime/jobs/queue/queue-url.js';
import { openQueueRunCache, type QueueRunCache } from '../../src/runtime/jobs/queue/queue-run-cache.js';
import { startQueueWorker } from '../../src/runtime/jobs/queue/queue-worker.js';

const config = JSON.parse(process.argv[2] as string) as {
  url: string;
  dir: string;
  provider: string;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxTries: number;
};
const log = (line: string) => appendFileSync(join(config.dir, 'starts.log'), `${line}\n`);
const startedBefore = (key: string) => existsSync(join(config.dir, 'starts.log')) && readFileSync(join(config.dir, 'starts.log'), 'utf8').split('\n').some((line) => line.startsWith(`${key} `));
let runCache: QueueRunCache | undefined;
const handle = await startQueueWorker({
  address: parseQueueUrl(config.url),
  providers: [config.provider],
  concurrency: 2,
  lockDurationMs: config.lockDurationMs,
  stalledIntervalMs: config.stalledIntervalMs,
  maxTries: config.maxTries,
  handlers: new Map([
    [
      'sleep',
      {
        payloadSchema: z.object({ ms: z.number(), value: z.number() }),
        run: async (job, context) => {
          const payload = job.payload as { ms: number; value: number };
          log(`${job.key} ${process.pid}`);
          await new Promise((resolve) => setTimeout(resolve, payload.ms));
          context.reservation.settle(0.001);
          return { status: 'done', spentUsd: 0.001, result: { value: payload.value } };
        },
      },
    ],
    [
      'call-then-crash',
      {
        payloadSchema: z.object({ baseUrl: z.string() }),
        run: async (job, context) => {
          const first = !startedBefore(job.key);
          log(`${job.key} ${process.pid}`);
          // Loaded on use: the provider SDKs are slow to import, and the other kinds need none.
          const { callModel } = await import('../../src/runtime/providers/call-model.js');
          const { resolveModel } = await import('../../src/runtime/providers/resolve-model.js');
          const { keyValueResponseCache } = await import('../../src/runtime/providers/response-cache.js');
          runCache ??= openQueueRunCache(parseQueueUrl(config.url));
          const shared = runCache;
          const model = resolveModel('openai-chat:gpt-5.2', { env: {}, apiKeyOverride: 'sk-cache-test', baseUrl: (job.payload as { baseUrl: string }).baseUrl });
          const cache = keyValueResponseCache({ get: (key) => shared.get(job.enqueueId, key), put: (key, value) => shared.put(job.enqueueId, key, value) });
          const result = await callModel({ model, prompt: `Say hi for ${job.key}`, maxOutputTokens: 50, cache, reservation: context.reservation, budget: context.budget });
          if (first) process.kill(process.pid, 'SIGKILL');
          return { status: 'done', spentUsd: result.spentUsd, result: { cacheHit: result.cacheHit, text: result.text } };
        },
      },
    ],
    [
      'crash',
      {
        payloadSchema: z.object({}),
        run: async (job) => {
          log(`${job.key} ${process.pid}`);
          process.kill(process.pid, 'SIGKILL');
          return new Promise(() => undefined);
        },
      },
    ],
  ]),
});
process.once('SIGTERM', () => void handle.close().then(() => process.exit(0)));
process.stdout.write('ready\n');
