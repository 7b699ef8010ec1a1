import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { PricingSchema } from '../../core/pricing.js';
import { type Task, TaskSchema } from '../../core/task.js';
import type { ExecutorJob } from '../jobs/queue/queue-executor.js';
import type { WireOutcome } from '../jobs/queue/queue-protocol.js';
import type { QueueJobHandler } from '../jobs/queue/queue-worker.js';
import { ProviderLimiters } from '../providers/provider-limiter.js';
import { parseProviderRef } from '../providers/provider-ref.js';
import { type ResolvedModel, resolveModel } from '../providers/resolve-model.js';
import type { ResponseCache } from '../providers/response-cache.js';
import type { RetryPolicy } from '../providers/retry-policy.js';
import { resolveSuite } from '../suites/resolve-suite.js';
import type { Suite } from '../suites/suite.js';
import { makeAttemptExecutor } from './attempt-executor.js';
import { type AttemptPayload, AttemptPayloadSchema, AttemptRecordsSchema } from './attempt-job.js';
import { BASH_AGENT_DEFAULT_LIMITS } from './bash-agent.js';
import { type AttemptWorker, ScaffoldKindSchema, ScaffoldOptionsSchema } from './workers-file.js';

/** A worker bundle as it travels to a queue worker: its definition, never a key (`passEnv` names only). */
export const AttemptWorkerWireSchema = z.object({
  /** Unique id. */
  id: z.string().min(1),
  /** Model reference. */
  model: z.string().min(1),
  /** Scaffold kind. */
  scaffold: ScaffoldKindSchema,
  /** Scaffold options (caps included). */
  options: ScaffoldOptionsSchema,
  /** `local` or `docker`. */
  environment: z.enum(['local', 'docker']),
  /** Environment options. */
  environmentOptions: z.record(z.string(), z.unknown()),
  /** Prices of the bundle (the coordinator's, after the table lookup). */
  pricing: PricingSchema.optional(),
  /** Operator context. */
  persona: z.string().optional(),
});

/** What an attempt job needs on a worker besides its payload: the task, the worker bundle, the suite and call settings. */
export const AttemptQueueSettingsSchema = z.object({
  /** The suite as the coordinator named it (`builtin`, or a path the worker resolves in its own folder). */
  suite: z.string().min(1),
  /** SWE-bench image namespace (null: locally built images). */
  imageNamespace: z.string().nullable().optional(),
  /** The task, whole (the worker needs none of the coordinator's files for it). */
  task: TaskSchema,
  /** The worker bundle. */
  worker: AttemptWorkerWireSchema,
  /** The coordinator's base URL (a worker's own `--base-url` wins). */
  baseUrl: z.string().optional(),
  /** Retry policy overrides. */
  retry: z.object({ maxRetries: z.number().int().nonnegative().optional(), timeoutMs: z.number().positive().optional() }).optional(),
});

/** The settings of an attempt job (see `AttemptQueueSettingsSchema`). */
export type AttemptQueueSettings = z.infer<typeof AttemptQueueSettingsSchema>;

/**
 * USD a queued attempt reserves: the whole attempt's worst case, since its worker can spend only
 * what the coordinator reserved. That is the first call's reservation plus the scaffold's cost cap
 * (the agent checks the cap after each call, so it can pass it by one call); one-shot makes one
 * call, and an external agent's first reservation is already its declared cap.
 */
export function queuedAttemptReserveUsd(input: { worker: AttemptWorker; firstCallUsd: number }): number {
  const { worker, firstCallUsd } = input;
  if (worker.scaffold !== 'bash-agent' || firstCallUsd === 0) return firstCallUsd;
  return firstCallUsd + (worker.options.maxCostUsd ?? BASH_AGENT_DEFAULT_LIMITS.maxCostUsd);
}

/** What the coordinator knows that its attempt jobs' workers need. */
export interface AttemptQueueContext {
  /** The suite as named (`builtin` or a path). */
  suite: string;
  /** SWE-bench image namespace. */
  imageNamespace?: string | null;
  /** Tasks by id. */
  tasks: ReadonlyMap<string, Task>;
  /** Worker bundles by id, with the prices the run uses. */
  workers: ReadonlyMap<string, AttemptWorker>;
  /** The coordinator's base URL. */
  baseUrl?: string;
  /** Retry policy overrides. */
  retry?: Partial<RetryPolicy>;
}

/** The provider queue of an attempt job: its worker's model prefix. */
export function attemptQueueRoute(context: AttemptQueueContext, job: ExecutorJob): string {
  const worker = context.workers.get((job.payload as AttemptPayload).workerId);
  if (!worker) throw new Error(`attempt job ${job.key}: unknown worker`);
  return parseProviderRef(worker.model).prefix;
}

/** The settings sent with an attempt job: the task, the bundle minus secrets, the suite, call settings. */
export function attemptQueueSettings(context: AttemptQueueContext, job: ExecutorJob): AttemptQueueSettings {
  const payload = job.payload as AttemptPayload;
  const task = context.tasks.get(payload.taskId);
  const worker = context.workers.get(payload.workerId);
  if (!task || !worker) throw new Error(`attempt job ${job.key}: unknown task or worker`);
  const retry = context.retry && { maxRetries: context.retry.maxRetries, timeoutMs: context.retry.timeoutMs };
  return {
    suite: context.suite,
    ...(context.imageNamespace !== undefined && { imageNamespace: context.imageNamespace }),
    task,
    worker: { ...worker, pricing: worker.pricing, persona: worker.persona },
    ...(context.baseUrl && { baseUrl: context.baseUrl }),
    ...(retry && { retry }),
  };
}

/**
 * The coordinator's side of a finished attempt: trajectories travel inside results, so the
 * trajectory is written where a single-process run writes it (`<dir>/<run>/<key>.json`) and the
 * attempt row points there, not at the worker's file.
 */
export function receiveAttemptOutcome(input: { trajectoryDir: string; job: ExecutorJob; outcome: WireOutcome }): WireOutcome {
  const { job, outcome } = input;
  const records = AttemptRecordsSchema.safeParse(outcome.records);
  // Anything else is refused by the kind's own schema when the engine records it.
  if (!records.success) return outcome;
  const path = join(input.trajectoryDir, job.runId, `${job.key}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(records.data.trajectory, null, 1)}\n`);
  renameSync(`${path}.tmp`, path);
  const { attempt } = records.data;
  return { ...outcome, records: { ...records.data, attempt: { ...attempt, outcome: { ...attempt.outcome, trajectoryRef: path } } } };
}

/** What an attempt job function needs from a worker's machine. */
export interface AttemptWorkerHandlerOptions {
  /** This machine's keys, base URLs and `passEnv` values. */
  env: Record<string, string | undefined>;
  /** Base URL for every provider (overrides the coordinator's). */
  baseUrl?: string;
  /** Folder suite paths are resolved against. */
  cwd: string;
  /** Folder of the per-step trajectory files written while an attempt runs. */
  trajectoryDir: string;
  /** The response cache of a job's enqueueing (shared by the workers), so an attempt run again after a lost worker replays the steps it made. */
  cacheFor?: (scope: string) => ResponseCache;
}

/**
 * The attempt job function on a worker: resolves the suite it names (once per suite), the
 * bundle's model with this machine's key at the coordinator's prices, and runs the same attempt
 * function a single-process run uses (the scaffold in a fresh sandbox, then the suite's judge).
 */
export function attemptWorkerHandler(options: AttemptWorkerHandlerOptions): QueueJobHandler {
  const limiters = new ProviderLimiters();
  const suites = new Map<string, Suite>();
  const models = new Map<string, ResolvedModel>();
  return {
    payloadSchema: AttemptPayloadSchema,
    run: async (job, context) => {
      const parsed = AttemptQueueSettingsSchema.safeParse(job.settings);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { status: 'failed', spentUsd: 0, error: `attempt job ${job.key}: its settings do not fit this worker: ${issue?.path.join('.')}: ${issue?.message}` };
      }
      const settings = parsed.data;
      const payload = job.payload as AttemptPayload;
      const { task } = settings;
      const worker: AttemptWorker = { ...settings.worker, pricing: settings.worker.pricing, persona: settings.worker.persona };
      if (task.id !== payload.taskId || worker.id !== payload.workerId) {
        return { status: 'failed', spentUsd: 0, error: `attempt job ${job.key}: its settings name another task or worker` };
      }
      const suiteKey = JSON.stringify([settings.suite, settings.imageNamespace ?? null]);
      let suite = suites.get(suiteKey);
      if (!suite) {
        try {
          suite = resolveSuite(settings.suite, { cwd: options.cwd, ...(settings.imageNamespace !== undefined && { namespace: settings.imageNamespace }) });
        } catch (error) {
          // Nothing was spent: the job ends failed with the reason, and a rerun tries it again.
          return { status: 'failed', spentUsd: 0, error: `this worker cannot open suite '${settings.suite}' (from ${options.cwd}): ${error instanceof Error ? error.message : String(error)}` };
        }
        suites.set(suiteKey, suite);
      }
      const resolvedModels = new Map<string, ResolvedModel>();
      if (worker.scaffold !== 'external') {
        const baseUrl = options.baseUrl ?? settings.baseUrl;
        const cacheKey = JSON.stringify([worker.model, worker.pricing ?? null, baseUrl ?? null]);
        let model = models.get(cacheKey);
        if (!model) {
          const resolved = resolveModel(worker.model, { env: options.env, baseUrl });
          model = worker.pricing ? { ...resolved, pricing: worker.pricing } : resolved;
          models.set(cacheKey, model);
        }
        resolvedModels.set(worker.id, model);
      }
      const run = makeAttemptExecutor({
        suite,
        tasks: new Map([[task.id, task]]),
        workers: new Map([[worker.id, worker]]),
        models: resolvedModels,
        limiters,
        trajectoryDir: options.trajectoryDir,
        env: options.env,
        retry: settings.retry,
        cache: options.cacheFor?.(`${job.runId}:${job.enqueueId}`),
      });
      return run({ key: job.key, kind: job.kind, runId: job.runId, payload }, context);
    },
  };
}
