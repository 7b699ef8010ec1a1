import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import type { Pricing } from '../../core/pricing.js';
import { deterministicRunId } from '../elicit/run-id.js';
import { Budget } from '../jobs/budget.js';
import { JobEngine } from '../jobs/job-engine.js';
import type { QueueDispatcher } from '../jobs/queue/queue-dispatcher.js';
import { COORDINATOR_PLACEHOLDER_KEY, QueueExecutor } from '../jobs/queue/queue-executor.js';
import type { PaidRunOptions } from '../providers/paid-run-options.js';
import { priorRunSpendUsd, runJobs } from '../jobs/run-jobs.js';
import type { RunSummary } from '../jobs/observer.js';
import { lookupPricing } from '../providers/pricing.js';
import { PRICING_TABLE, } from '../providers/pricing-table.js';
import { storableBaseUrl } from '../providers/stored-base-url.js';
import { type ResolvedModel, resolveModel } from '../providers/resolve-model.js';
import type { Task } from '../../core/task.js';
import type { Store } from '../store/store.js';
import { selectTasks } from '../suites/select-tasks.js';
import type { Suite } from '../suites/suite.js';
import { runAttemptExecutor } from './attempt-executor.js';
import { ATTEMPT_JOB } from './attempt-job.js';
import { type AttemptQueueContext, attemptQueueRoute, attemptQueueSettings, queuedAttemptReserveUsd, receiveAttemptOutcome } from './attempt-queue.js';
import { planAttempts } from './attempt-jobs.js';
import { BASH_AGENT_PROMPT_VERSION } from './prompts.js';
import { type AttemptRow, attemptRows } from './attempt-rows.js';
import { type AttemptWorker, storedWorker } from './workers-file.js';

/** Options of `runAttempts` (what `marketbench attempt` passes). */
export interface RunAttemptsOptions extends PaidRunOptions {
  /** The store. */
  store: Store;
  /** The suite. */
  suite: Suite;
  /** Where the suite came from (recorded in the run config). */
  suiteSource: string;
  /** The workers. */
  workers: readonly AttemptWorker[];
  /** Only these task ids (in the suite's order). */
  taskIds?: readonly string[];
  /** Only the first N tasks (after `taskIds`). */
  limit?: number;
  /** Attempts in flight at once (default 2: each runs sandboxes). */
  concurrency?: number;
  /** Environment for API keys (and `passEnv` of external agents). */
  env: Record<string, string | undefined>;
  /** Folder for per-step trajectory files (default: `trajectories/` beside the store). */
  trajectoryDir?: string;
  /** An open queue: the attempts run on `marketbench worker` processes, and this process needs no key. */
  queue?: QueueDispatcher;
  /** Image namespace of a SWE-bench suite, sent to queue workers that resolve the suite themselves. */
  imageNamespace?: string | null;
  /** Use the response cache for the agents' calls, so a rerun replays an interrupted attempt's steps (default true). */
  cache?: boolean;
}

/** What `runAttempts` returns. */
export interface RunAttemptsResult {
  /** The run id. */
  runId: string;
  /** Session summary. */
  summary: RunSummary;
  /** Why the run stopped early, if it did. */
  stopReason: 'budget' | 'signal' | undefined;
  /** Every attempt of the run so far (earlier sessions included). */
  attempts: AttemptRow[];
  /** Warnings (e.g. unpriced models). */
  warnings: string[];
}

/**
 * Attempts every selected task with every worker, through the job ledger (resumable: the same
 * inputs give the same run id and done attempts are skipped) under a hard budget that counts
 * model calls in flight and earlier sessions. Each attempt runs the worker's scaffold in a fresh
 * sandbox and is judged by the suite's hidden tests; outcome, tokens, cost, wall time and the
 * trajectory are stored per attempt.
 */
export async function runAttempts(options: RunAttemptsOptions): Promise<RunAttemptsResult> {
  const { store, suite } = options;
  if (options.workers.length === 0) throw new InvalidInputError('give at least one worker (--workers FILE or provider:model,...)', { field: 'workers' });
  const tasks = selectTasks({ tasks: await suite.loadTasks(), taskIds: options.taskIds, limit: options.limit, none: 'no tasks to attempt' });
  const table = options.pricingTable ?? PRICING_TABLE;
  const warnings: string[] = [];
  const models = new Map<string, ResolvedModel>();
  const pricing = new Map<string, Pricing>();
  for (const [index, worker] of options.workers.entries()) {
    const price = worker.pricing ?? lookupPricing(worker.model, table)?.pricing;
    if (!price && options.budgetUsd !== undefined && worker.scaffold !== 'external') {
      throw new InvalidInputError(`no price for '${worker.model}': add pricing to the worker or a --pricing file to run under a budget`, {
        field: `workers.${index}.pricing`,
      });
    }
    if (!price) warnings.push(`no price for '${worker.model}': its attempts are recorded at $0`);
    if (worker.environment !== suite.backend) {
      warnings.push(`worker '${worker.id}' asks for a ${worker.environment} environment, but suite '${suite.name}' runs on ${suite.backend}; using ${suite.backend}`);
    }
    pricing.set(worker.id, price ?? { inputPerToken: 0, outputPerToken: 0 });
    if (worker.scaffold === 'external') continue;
    const resolved = resolveModel(worker.model, {
      env: options.env,
      baseUrl: options.baseUrl,
      pricingTable: table,
      fetch: options.fetch,
      ...(options.queue && { apiKeyOverride: COORDINATOR_PLACEHOLDER_KEY }),
    });
    models.set(worker.id, worker.pricing ? { ...resolved, pricing: worker.pricing } : resolved);
  }
  const identity = {
    suite: suite.name,
    suiteSource: options.suiteSource,
    tasksHash: createHash('sha256').update(JSON.stringify(tasks.map((task) => task.id))).digest('hex').slice(0, 16),
    workers: options.workers.map((worker) => ({ id: worker.id, model: worker.model, scaffold: worker.scaffold, options: worker.options })),
    promptVersion: BASH_AGENT_PROMPT_VERSION,
  };
  const runId = options.runId ?? deterministicRunId('attempt', identity);
  store.upsertTasks(tasks);
  store.upsertWorkers(options.workers.map((worker) => storedWorker(worker, pricing.get(worker.id) as Pricing)));
  store.createRun({
    kind: 'attempt',
    id: runId,
    config: {
      ...identity,
      tasks: tasks.length,
      limit: options.limit ?? null,
      budgetUsd: options.budgetUsd ?? null,
      pricingVersion: table.version,
      // What `retry` reaches the providers at; credentials in the URL are never stored.
      baseUrl: storableBaseUrl(options.baseUrl) ?? null,
    },
  });
  const budget = new Budget({ limitUsd: options.budgetUsd, priorSpendUsd: priorRunSpendUsd(store, runId) });
  const { queue } = options;
  const byId = new Map(options.workers.map((worker) => [worker.id, worker]));
  const planned = planAttempts({ runId, tasks, workers: options.workers, models, suite });
  // A queued attempt's worker can spend only what was reserved: the whole attempt's worst case.
  const jobs = queue ? planned.map((job) => ({ ...job, reserveUsd: queuedAttemptReserveUsd({ worker: byId.get(job.payload.workerId) as AttemptWorker, firstCallUsd: job.reserveUsd }) })) : planned;
  store.appendEvent({ runId, type: 'run-start', data: { planned: jobs.length, budgetUsd: options.budgetUsd ?? null, priorSpendUsd: budget.spentUsd } });
  const execute = runAttemptExecutor({ store, suite, tasks, workers: options.workers, models, options });
  const trajectoryDir = options.trajectoryDir ?? join(dirname(store.file), 'trajectories');
  const attempts = attemptQueueContext({ options, tasks, models });
  const queued =
    queue &&
    new QueueExecutor({
      dispatcher: queue,
      route: (job) => attemptQueueRoute(attempts, job),
      settings: (job) => attemptQueueSettings(attempts, job),
      receive: (job, outcome) => receiveAttemptOutcome({ trajectoryDir, job, outcome }),
    });
  const engine = queued && new JobEngine({ store, runId, executor: queued, observer: options.observer, signal: options.signal });
  const outcome = await runJobs({
    store,
    runId,
    jobs,
    kinds: [ATTEMPT_JOB],
    execute,
    engine,
    concurrency: options.concurrency ?? 2,
    budget,
    observer: options.observer,
    signal: options.signal,
  });
  // Recorded in the store: their finished jobs can leave Redis.
  await queued?.acknowledge();
  const { stopReason, ...summary } = outcome;
  store.appendEvent({ runId, type: 'run-end', data: { ...summary, stopReason: stopReason ?? null } });
  return { runId, summary, stopReason, attempts: attemptRows(store, runId), warnings };
}

/**
 * What a run's queued attempts need on their workers (`attempt --queue` and `market --queue`): the
 * suite as named, the tasks, and the worker bundles at the prices the run uses, with its call settings.
 */
export function attemptQueueContext(input: {
  /** The run's options (suite source, image namespace, workers, base URL, retries). */
  options: Pick<RunAttemptsOptions, 'suiteSource' | 'imageNamespace' | 'workers' | 'baseUrl' | 'retry'>;
  /** The run's tasks. */
  tasks: readonly Task[];
  /** The run's resolved models by worker id (their prices win over a bundle's own). */
  models: ReadonlyMap<string, ResolvedModel>;
}): AttemptQueueContext {
  const { options, tasks, models } = input;
  return {
    suite: options.suiteSource,
    ...(options.imageNamespace !== undefined && { imageNamespace: options.imageNamespace }),
    tasks: new Map(tasks.map((task) => [task.id, task])),
    workers: new Map(options.workers.map((worker) => [worker.id, { ...worker, pricing: models.get(worker.id)?.pricing ?? worker.pricing }])),
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
    ...(options.retry && { retry: options.retry }),
  };
}
