import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forecastWorkerHandler } from '../runtime/elicit/forecast-queue.js';
import { FORECAST_JOB } from '../runtime/elicit/forecast-job.js';
import type { QueueRunCache } from '../runtime/jobs/queue/queue-run-cache.js';
import type { QueueJobHandler } from '../runtime/jobs/queue/queue-worker.js';
import { keyValueResponseCache } from '../runtime/providers/response-cache.js';
import { marketWorkerHandlers } from '../runtime/market/market-queue.js';
import { ATTEMPT_JOB } from '../runtime/scaffold/attempt-job.js';
import { attemptWorkerHandler } from '../runtime/scaffold/attempt-queue.js';

/** What a worker's job functions need from its machine. */
export interface WorkerJobHandlerOptions {
  /** Environment with this machine's keys and base URLs. */
  env: Record<string, string | undefined>;
  /** Base URL for every provider (overrides the coordinator's). */
  baseUrl?: string;
  /** Sandbox backend for attempts. */
  sandbox: 'local' | 'docker';
  /** Folder suite paths of attempt jobs are resolved against (default: the current folder). */
  cwd?: string;
  /** Folder of per-step trajectory files while attempts run (default: a folder under the system's temp folder). */
  trajectoryDir?: string;
  /** The runs' response caches in the queue's Redis (shared by every worker). */
  runCache?: QueueRunCache;
}

/** The job functions a `marketbench worker` runs, by kind (every kind a coordinator enqueues: elicit, attempt, market). */
export function workerJobHandlers(options: WorkerJobHandlerOptions): ReadonlyMap<string, QueueJobHandler> {
  const { runCache } = options;
  const calls = {
    env: options.env,
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
    ...(runCache && {
      cacheFor: (scope: string) => keyValueResponseCache({ get: (key) => runCache.get(scope, key), put: (key, value) => runCache.put(scope, key, value) }),
    }),
  };
  return new Map([
    [FORECAST_JOB.kind, forecastWorkerHandler(calls)],
    [
      ATTEMPT_JOB.kind,
      attemptWorkerHandler({
        env: options.env,
        ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
        cwd: options.cwd ?? process.cwd(),
        trajectoryDir: options.trajectoryDir ?? join(tmpdir(), `marketbench-worker-${process.pid}`, 'trajectories'),
        ...(calls.cacheFor && { cacheFor: calls.cacheFor }),
      }),
    ],
    ...marketWorkerHandlers(calls),
  ]);
}
