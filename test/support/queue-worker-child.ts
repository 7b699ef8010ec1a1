/**
 * A queue worker process for transport tests: `sleep` jobs wait `payload.ms` and return
 * `payload.value`; `crash` jobs kill their own process (a poison job). Every start is appended to
 * `starts.log` in the folder given, so a test counts tries across processes. Prints `ready`.
 * Arguments: JSON `{ url, dir, provider, lockDurationMs, stalledIntervalMs, maxTries }`.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseQueueUrl } from '../../src/runtime/jobs/queue/queue-url.js';
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
