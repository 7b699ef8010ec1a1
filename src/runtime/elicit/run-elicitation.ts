import { createHash } from 'node:crypto';
import { InvalidInputError } from '../../core/errors.js';
import type { Treatment } from '../../core/forecast.js';
import { DEFAULTS } from '../../core/defaults.js';
import type { PlanCaps } from '../../core/plan.js';
import type { LabeledForecast } from '../../core/labeled-forecast.js';
import type { Pricing } from '../../core/pricing.js';
import type { Task } from '../../core/task.js';
import type { Worker } from '../../core/worker.js';
import { Budget } from '../jobs/budget.js';
import { JobEngine } from '../jobs/job-engine.js';
import type { QueueDispatcher } from '../jobs/queue/queue-dispatcher.js';
import { QueueExecutor } from '../jobs/queue/queue-executor.js';
import type { PaidRunOptions } from '../providers/paid-run-options.js';
import { priorRunSpendUsd, runJobs } from '../jobs/run-jobs.js';
import type { RunSummary } from '../jobs/observer.js';
import { WriteBatcher } from '../jobs/write-batcher.js';
import { lookupPricing } from '../providers/pricing.js';
import { PRICING_TABLE, type PricingTable } from '../providers/pricing-table.js';
import { ProviderLimiters } from '../providers/provider-limiter.js';
import { parseProviderRef } from '../providers/provider-ref.js';
import { type ResolvedModel, resolveModel } from '../providers/resolve-model.js';
import { storeResponseCache } from '../providers/response-cache.js';
import { storableBaseUrl } from '../providers/stored-base-url.js';
import type { Store } from '../store/store.js';
import { cardHistoryFromStore } from './card-history.js';
import { type BidSettings, DEFAULT_BID_SETTINGS, planElicitation } from './elicit-plan.js';
import { makeElicitExecutor } from './elicit-executor.js';
import { FORECAST_JOB } from './forecast-job.js';
import { forecastQueueRoute, forecastQueueSettings } from './forecast-queue.js';
import { FORECAST_MAX_OUTPUT_TOKENS, FORECAST_PROMPT_VERSION } from './forecast-prompt.js';
import { deterministicRunId } from './run-id.js';

/** Options of `runElicitation` (what `marketbench elicit` passes). */
export interface ElicitOptions extends PaidRunOptions {
  /** The store; may be undefined only for a dry run without an existing store. */
  store: Store | undefined;
  /** Tasks (already loaded; `limit` is applied here). */
  tasks: readonly Task[];
  /** Where the tasks came from (recorded in the run config). */
  tasksSource: string;
  /** Model references, e.g. `openai:gpt-5.2`. */
  models: readonly string[];
  /** Treatments (default `direct`). */
  treatments?: readonly Treatment[];
  /** Repeats per (task, model, treatment) (default 1). */
  repeats?: number;
  /** Jobs in flight at once (default 8). */
  concurrency?: number;
  /** Only the first N tasks. */
  limit?: number;
  /** Run id; default deterministic from the inputs (see `deterministicRunId`). */
  runId?: string;
  /** Plan and price only; no call, no write. */
  dryRun?: boolean;
  /** Price list (built-in table merged with `--pricing FILE`). */
  pricingTable?: PricingTable;
  /** Labeled history for `card` from a phase-1 file; default: the store's other runs. */
  cardHistory?: readonly LabeledForecast[];
  /** Name of the card history source for the run config. */
  cardSource?: string;
  /** Auction terms for `bid`. */
  bid?: BidSettings;
  /** Budgets offered by `plans` (default `DEFAULTS.planBudgets`). */
  planBudgets?: readonly PlanCaps[];
  /** Temperature (default 0). */
  temperature?: number;
  /** Output cap (default 1,200). */
  maxOutputTokens?: number;
  /** Request structured output (default true). */
  structured?: boolean;
  /** Use the response cache (default true; not with a queue: workers keep no store). */
  cache?: boolean;
  /** An open queue: the forecasts run on `marketbench worker` processes, and this process needs no key. */
  queue?: QueueDispatcher;
}

/** Planned calls and their cost bound for one model. */
export interface ModelPlan {
  /** Model reference. */
  model: string;
  /** Calls planned (not yet done). */
  calls: number;
  /** Sum of the calls' pessimistic first-try costs, USD. */
  upperBoundUsd: number;
}

/** What `runElicitation` returns. */
export interface ElicitResult {
  /** The run id. */
  runId: string;
  /** True for `--dry-run`. */
  dryRun: boolean;
  /** Per-model plan of the calls still to make. */
  plan: ModelPlan[];
  /** Calls done in earlier sessions (skipped). */
  skippedDone: number;
  /** Warnings for the user. */
  warnings: string[];
  /** Price list version used. */
  pricingVersion: string;
  /** Session summary (undefined for a dry run). */
  summary: RunSummary | undefined;
  /** Why the run stopped early, if it did. */
  stopReason: 'budget' | 'signal' | undefined;
}

/**
 * Phase I live: asks every model for P(success) and expected tokens on every task under each
 * treatment, through the job ledger (resumable: the same inputs give the same run id, and done
 * calls are skipped), under a hard budget that counts calls in flight and earlier sessions.
 * Every call ends as a stored valid or invalid forecast. A dry run prices the plan and spends nothing.
 */
export async function runElicitation(options: ElicitOptions): Promise<ElicitResult> {
  const treatments = [...new Set(options.treatments ?? ['direct'])] as Treatment[];
  const repeats = options.repeats ?? 1;
  const models = [...new Set(options.models)];
  if (models.length === 0) throw new InvalidInputError('give at least one model (--models provider:model,...)', { field: 'models' });
  if (!Number.isInteger(repeats) || repeats < 1) throw new InvalidInputError('--repeats must be a positive integer', { field: 'repeats' });
  const tasks = options.limit !== undefined ? options.tasks.slice(0, options.limit) : options.tasks.slice();
  if (tasks.length === 0) throw new InvalidInputError('no tasks to forecast', { field: 'tasks' });
  const table = options.pricingTable ?? PRICING_TABLE;
  const pricing = new Map<string, Pricing>();
  for (const model of models) {
    parseProviderRef(model);
    const match = lookupPricing(model, table);
    if (!match) {
      throw new InvalidInputError(`no price for '${model}' in pricing table ${table.version}: add it with --pricing FILE`, { field: 'models' });
    }
    pricing.set(model, match.pricing);
  }
  const temperature = options.temperature ?? 0;
  const maxOutputTokens = options.maxOutputTokens ?? FORECAST_MAX_OUTPUT_TOKENS;
  const structured = options.structured ?? true;
  const bid = options.bid ?? DEFAULT_BID_SETTINGS;
  const planBudgets = options.planBudgets ?? DEFAULTS.planBudgets;
  const tasksHash = createHash('sha256').update(JSON.stringify(tasks)).digest('hex').slice(0, 16);
  const cardSource = options.cardHistory ? (options.cardSource ?? 'file') : 'store';
  const identity = {
    tasksHash,
    models: [...models].sort(),
    treatments: [...treatments].sort(),
    repeats,
    temperature,
    maxOutputTokens,
    structured,
    promptVersion: FORECAST_PROMPT_VERSION,
    ...(treatments.includes('bid') && { bid }),
    ...(treatments.includes('card') && { cardSource }),
    ...(treatments.includes('plans') && { planBudgets }),
  };
  const runId = options.runId ?? deterministicRunId('elicit', identity);
  const { store } = options;
  const cardHistory = options.cardHistory ?? (store && treatments.includes('card') ? cardHistoryFromStore(store, { excludeRunId: runId }) : []);
  const { jobs, warnings } = planElicitation({
    runId,
    tasks,
    models,
    treatments,
    repeats,
    pricing,
    cardHistory,
    bid,
    planBudgets,
    maxOutputTokens,
    temperature,
    structured,
  });
  const done = store ? store.doneJobKeys(runId) : new Set<string>();
  const pending = jobs.filter((job) => !done.has(job.key));
  const plan: ModelPlan[] = models.map((model) => {
    const own = pending.filter((job) => job.payload.workerId === model);
    return { model, calls: own.length, upperBoundUsd: own.reduce((sum, job) => sum + job.reserveUsd, 0) };
  });
  const base = { runId, plan, skippedDone: jobs.length - pending.length, warnings, pricingVersion: table.version };
  if (options.dryRun) return { ...base, dryRun: true, summary: undefined, stopReason: undefined };
  if (!store) throw new InvalidInputError('a store is needed to run (--db FILE)');

  const resolved = new Map<string, ResolvedModel>();
  for (const model of options.queue ? [] : models) {
    resolved.set(model, resolveModel(model, { env: options.env, baseUrl: options.baseUrl, pricingTable: table, fetch: options.fetch }));
  }
  store.upsertTasks(tasks);
  const known = new Set(store.getWorkers(models).map((worker) => worker.id));
  const newWorkers: Worker[] = models
    .filter((model) => !known.has(model))
    .map((model) => ({
      id: model,
      model,
      provider: parseProviderRef(model).prefix,
      pricing: pricing.get(model) as Pricing,
      scaffold: { kind: 'none', options: {} },
      environment: { kind: 'none', options: {} },
    }));
  store.upsertWorkers(newWorkers);
  store.createRun({
    kind: 'elicit',
    id: runId,
    config: {
      ...identity,
      tasksSource: options.tasksSource,
      tasks: tasks.length,
      limit: options.limit ?? null,
      pricingVersion: table.version,
      budgetUsd: options.budgetUsd ?? null,
      baseUrl: storableBaseUrl(options.baseUrl) ?? null,
      ...(options.queue && { queue: options.queue.display }),
    },
  });
  const budget = new Budget({ limitUsd: options.budgetUsd, priorSpendUsd: priorRunSpendUsd(store, runId) });
  store.appendEvent({ runId, type: 'run-start', data: { planned: jobs.length, skipped: base.skippedDone, budgetUsd: options.budgetUsd ?? null, priorSpendUsd: budget.spentUsd } });
  const writer = new WriteBatcher(store);
  const execute = makeElicitExecutor({
    models: resolved,
    limiters: new ProviderLimiters(options.providerLimits),
    cache: options.cache === false ? undefined : storeResponseCache(store, { defer: (work) => writer.defer(work) }),
    retry: options.retry,
  });
  const { queue } = options;
  const queued = queue && new QueueExecutor({ dispatcher: queue, route: forecastQueueRoute, settings: forecastQueueSettings({ pricing, baseUrl: options.baseUrl, retry: options.retry }) });
  const engine = queued && new JobEngine({ store, runId, executor: queued, observer: options.observer, signal: options.signal, writer });
  const outcome = await runJobs({
    store,
    runId,
    jobs,
    kinds: [FORECAST_JOB],
    execute,
    engine,
    concurrency: options.concurrency ?? 8,
    budget,
    observer: options.observer,
    signal: options.signal,
    writer,
  });
  writer.flush();
  // Recorded in the store: their finished jobs can leave Redis.
  await queued?.acknowledge();
  const { stopReason, ...summary } = outcome;
  store.appendEvent({ runId, type: 'run-end', data: { ...summary, budgetUsd: options.budgetUsd ?? null, stopReason: stopReason ?? null } });
  return { ...base, dryRun: false, summary, stopReason };
}
