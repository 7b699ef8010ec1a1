import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import type { Pricing } from '../core/pricing.js';
import type { Task } from '../core/task.js';
import { ElicitPayloadSchema, FORECAST_JOB } from '../runtime/elicit/forecast-job.js';
import { makeElicitExecutor } from '../runtime/elicit/elicit-executor.js';
import { Budget } from '../runtime/jobs/budget.js';
import { ledgerPayload } from '../runtime/jobs/ledger.js';
import type { RunSummary } from '../runtime/jobs/observer.js';
import { type JobSpec, priorRunSpendUsd, runJobs } from '../runtime/jobs/run-jobs.js';
import { reservationFor } from '../runtime/providers/call-model.js';
import { PRICING_TABLE } from '../runtime/providers/pricing-table.js';
import { ProviderLimiters } from '../runtime/providers/provider-limiter.js';
import { type ResolvedModel, resolveModel } from '../runtime/providers/resolve-model.js';
import { storeResponseCache } from '../runtime/providers/response-cache.js';
import { runAttemptExecutor } from '../runtime/scaffold/attempt-executor.js';
import { ATTEMPT_JOB, AttemptPayloadSchema } from '../runtime/scaffold/attempt-job.js';
import { planAttempts } from '../runtime/scaffold/attempt-jobs.js';
import { type AttemptWorker, ScaffoldKindSchema, ScaffoldOptionsSchema } from '../runtime/scaffold/workers-file.js';
import type { Store, StoredJob } from '../runtime/store/index.js';
import { resolveSuite } from '../runtime/suites/index.js';
import type { MarketOptions } from './market.js';
import type { RetryOptions, RunConfig } from './retry.js';

/** What every kind of retry starts from: the open store, the run, the keys to rerun and its settings. */
export interface RetryContext {
  /** The open store. */
  store: Store;
  /** The run. */
  runId: string;
  /** Ledger keys of the jobs to run again. */
  keys: ReadonlySet<string>;
  /** Environment with the API keys. */
  env: Record<string, string | undefined>;
  /** Base URL for every provider. */
  baseUrl: string | undefined;
  /** Folder that relative paths are read from. */
  cwd: string;
  /** The run's stored configuration. */
  config: RunConfig;
  /** The caller's options (concurrency, retry policy, observer, signal). */
  options: RetryOptions;
}

/** A flat run's retry, checked and ready: the models it calls, and the session to run. */
export interface PreparedRetry {
  /** Model references the retried jobs call (their keys are checked before the run). */
  models: string[];
  /** Runs the retried jobs through the job engine. */
  run: () => Promise<RunSummary & { stopReason: 'budget' | 'signal' | undefined }>;
}

/** The run's jobs with these keys, each payload read back through its schema (stored JSON is an edge). */
function storedPayloads<T>(context: RetryContext, schema: z.ZodType<T>): { job: StoredJob; payload: T }[] {
  return [...context.store.listJobs({ runId: context.runId, status: 'failed' }), ...context.store.listJobs({ runId: context.runId, status: 'started' })]
    .filter((job) => context.keys.has(job.key))
    .map((job) => {
      const parsed = schema.safeParse(ledgerPayload(job).job);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new InvalidInputError(`job ${job.key} of run ${context.runId}: stored payload ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}; it cannot be retried`);
      }
      return { job, payload: parsed.data };
    });
}

/** The model of a stored worker, priced as the run priced it (the stored worker's prices when it has any). */
function modelOf(context: RetryContext, input: { ref: string; pricing: Pricing | undefined }): ResolvedModel {
  const resolved = resolveModel(input.ref, { env: context.env, baseUrl: context.baseUrl, pricingTable: PRICING_TABLE });
  const stated = input.pricing && (input.pricing.inputPerToken > 0 || input.pricing.outputPerToken > 0) ? input.pricing : undefined;
  return stated ? { ...resolved, pricing: stated } : resolved;
}

function budgetOf(context: RetryContext): Budget {
  return new Budget({ limitUsd: context.config.budgetUsd ?? undefined, priorSpendUsd: priorRunSpendUsd(context.store, context.runId) });
}

/** An elicit run's retry: its failed forecast calls, with the prompts stored in their payloads. */
export function prepareElicitRetry(context: RetryContext): PreparedRetry {
  const { store, runId, options } = context;
  const stored = storedPayloads(context, ElicitPayloadSchema);
  const refs = [...new Set(stored.map(({ payload }) => payload.workerId))];
  const workers = new Map(store.getWorkers(refs).map((worker) => [worker.id, worker]));
  return {
    models: refs,
    run: () => {
      const models = new Map(refs.map((ref) => [ref, modelOf(context, { ref, pricing: workers.get(ref)?.pricing })]));
      const jobs: JobSpec<z.infer<typeof ElicitPayloadSchema>>[] = stored.map(({ job, payload }) => ({
        key: job.key,
        kind: FORECAST_JOB.kind,
        payload,
        reserveUsd: reservationFor({ model: models.get(payload.workerId) as ResolvedModel, system: payload.system, prompt: payload.prompt, maxOutputTokens: payload.maxOutputTokens }),
        label: `${payload.workerId} ${payload.taskId} ${payload.treatment}`,
      }));
      return runJobs({
        store,
        runId,
        jobs,
        kinds: [FORECAST_JOB],
        execute: makeElicitExecutor({ models, limiters: new ProviderLimiters(), cache: storeResponseCache(store), retry: options.retry }),
        concurrency: options.concurrency ?? 8,
        budget: budgetOf(context),
        observer: options.observer,
        signal: options.signal,
      });
    },
  };
}

/** A worker as a run's configuration records it. */
const StoredRunWorkerSchema = z.looseObject({
  id: z.string(),
  model: z.string(),
  scaffold: ScaffoldKindSchema,
  options: ScaffoldOptionsSchema.optional(),
  persona: z.string().nullable().optional(),
  pricing: z.object({ inputPerToken: z.number(), outputPerToken: z.number(), cachedInputPerToken: z.number().optional() }).optional(),
});

const SuiteConfigSchema = z.looseObject({ suiteSource: z.string(), workers: z.array(StoredRunWorkerSchema), tasksHash: z.string(), tasks: z.number() });

/** The run's workers: what its configuration records, with environment and prices from the store's worker rows. */
function runWorkers(context: RetryContext, config: z.infer<typeof SuiteConfigSchema>): AttemptWorker[] {
  const rows = new Map(context.store.getWorkers(config.workers.map((worker) => worker.id)).map((worker) => [worker.id, worker]));
  return config.workers.map((worker) => {
    const row = rows.get(worker.id);
    const pricing = worker.pricing ?? row?.pricing;
    return {
      id: worker.id,
      model: worker.model,
      scaffold: worker.scaffold,
      options: worker.options ?? {},
      environment: row?.environment.kind === 'docker' ? 'docker' : 'local',
      environmentOptions: row?.environment.options ?? {},
      pricing: pricing && (pricing.inputPerToken > 0 || pricing.outputPerToken > 0) ? pricing : undefined,
      persona: worker.persona ?? row?.persona ?? undefined,
    };
  });
}

/** The run's stored configuration read through `schema`, or a one-line error naming what it lacks. */
function storedConfig<T>(context: RetryContext, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(context.config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`run ${context.runId}: its stored configuration lacks ${issue?.path.join('.') ?? 'a field'} (${issue?.message ?? 'invalid'}); it cannot be retried`);
  }
  return parsed.data;
}

/** An attempt run's retry: its failed attempts, on the run's suite and workers. */
export async function prepareAttemptRetry(context: RetryContext): Promise<PreparedRetry> {
  const { store, runId, options } = context;
  const config = storedConfig(context, SuiteConfigSchema);
  const stored = storedPayloads(context, AttemptPayloadSchema);
  const workers = runWorkers(context, config);
  const suite = resolveSuite(config.suiteSource, { cwd: context.cwd });
  const wanted = new Set(stored.map(({ payload }) => payload.taskId));
  const tasks = (await suite.loadTasks()).filter((task) => wanted.has(task.id));
  const missing = [...wanted].filter((id) => !tasks.some((task) => task.id === id));
  if (missing.length > 0) throw new InvalidInputError(`run ${runId}: suite ${config.suiteSource} no longer has task(s) ${missing.join(', ')}`);
  const agents = workers.filter((worker) => worker.scaffold !== 'external');
  return {
    models: agents.map((worker) => worker.model),
    run: () => {
      const models = new Map(agents.map((worker) => [worker.id, modelOf(context, { ref: worker.model, pricing: worker.pricing })]));
      const jobs = planAttempts({ runId, tasks, workers, models, suite }).filter((job) => context.keys.has(job.key));
      return runJobs({
        store,
        runId,
        jobs,
        kinds: [ATTEMPT_JOB],
        execute: runAttemptExecutor({ store, suite, tasks, workers, models, options: { env: context.env, retry: options.retry } }),
        concurrency: options.concurrency ?? 2,
        budget: budgetOf(context),
        observer: options.observer,
        signal: options.signal,
      });
    },
  };
}

const MarketConfigSchema = SuiteConfigSchema.extend({
  specs: z.record(z.string(), z.object({ spec: z.string() })),
  settings: z.record(z.string(), z.unknown()),
  router: z.looseObject({ model: z.string() }).nullable(),
  shareAttempts: z.boolean(),
  seed: z.number(),
  recalibrate: z.unknown().optional(),
});

/** The task a stored job is about, when its payload names one. */
export function taskIdOf(job: Pick<StoredJob, 'payload'>): string | undefined {
  const payload = ledgerPayload(job).job as { taskId?: unknown } | undefined;
  return typeof payload?.taskId === 'string' ? payload.taskId : undefined;
}

function tasksHash(tasks: readonly Task[]): string {
  return createHash('sha256').update(JSON.stringify(tasks.map((task) => task.id))).digest('hex').slice(0, 16);
}

/**
 * A market run's retry: the market's own options rebuilt from the run's configuration (workers,
 * arms, settings, router, seed, tasks), so the same call resumes it and runs only its unfinished
 * units. The task list must hash to the one recorded, or nothing runs.
 */
export async function marketRetryOptions(context: RetryContext): Promise<{ models: string[]; options: Omit<MarketOptions, 'db' | 'cwd' | 'env'> }> {
  const config = storedConfig(context, MarketConfigSchema);
  if (config.recalibrate !== undefined) {
    throw new InvalidInputError(`run ${context.runId} bid through calibration maps; rerun the same market command with its --recalibrate files to retry it`);
  }
  const workers = runWorkers(context, config);
  const suite = resolveSuite(config.suiteSource, { cwd: context.cwd });
  const all = await suite.loadTasks();
  const touched = new Set(context.store.listJobs({ runId: context.runId }).flatMap((job) => taskIdOf(job) ?? []));
  const candidates = [all.filter((task) => touched.has(task.id)), all.slice(0, config.tasks)];
  const tasks = candidates.find((candidate) => candidate.length === config.tasks && tasksHash(candidate) === config.tasksHash);
  if (!tasks) throw new InvalidInputError(`run ${context.runId}: suite ${config.suiteSource} no longer yields the run's ${config.tasks} tasks; rerun the same market command to retry it`);
  const { options } = context;
  return {
    models: [...workers.filter((worker) => worker.scaffold !== 'external').map((worker) => worker.model), ...(config.router ? [config.router.model] : [])],
    options: {
      suite,
      workers,
      arms: Object.values(config.specs).map((entry) => entry.spec),
      settings: config.settings as MarketOptions['settings'],
      ...(config.router && { router: config.router as MarketOptions['router'] }),
      taskIds: tasks.map((task) => task.id),
      ...(context.config.budgetUsd != null && { budgetUsd: context.config.budgetUsd }),
      runId: context.runId,
      seed: config.seed,
      shareAttempts: config.shareAttempts,
      ...(context.baseUrl !== undefined && { baseUrl: context.baseUrl }),
      ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
      ...(options.retry && { retry: options.retry }),
      ...(options.observer && { observer: options.observer }),
      ...(options.signal && { signal: options.signal }),
    },
  };
}
