import { forecastWorkerHandler } from '../runtime/elicit/forecast-queue.js';
import { FORECAST_JOB } from '../runtime/elicit/forecast-job.js';
import type { QueueJobHandler } from '../runtime/jobs/queue/queue-worker.js';

/** What a worker's job functions need from its machine. */
export interface WorkerJobHandlerOptions {
  /** Environment with this machine's keys and base URLs. */
  env: Record<string, string | undefined>;
  /** Base URL for every provider (overrides the coordinator's). */
  baseUrl?: string;
  /** Sandbox backend for attempts. */
  sandbox: 'local' | 'docker';
}

/** The job functions a `marketbench worker` runs, by kind (the kinds a coordinator enqueues). */
export function workerJobHandlers(options: WorkerJobHandlerOptions): ReadonlyMap<string, QueueJobHandler> {
  return new Map([[FORECAST_JOB.kind, forecastWorkerHandler({ env: options.env, baseUrl: options.baseUrl })]]);
}
