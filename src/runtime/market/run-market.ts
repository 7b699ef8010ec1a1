import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import { blendedPrice, type Pricing } from '../../core/pricing.js';
import { Random } from '../../core/random.js';
import { deterministicRunId } from '../elicit/run-id.js';
import type { PaidRunOptions } from '../providers/paid-run-options.js';
import type { Executor } from '../jobs/executor.js';
import { JobEngine } from '../jobs/job-engine.js';
import type { QueueDispatcher } from '../jobs/queue/queue-dispatcher.js';
import { COORDINATOR_PLACEHOLDER_KEY, QueueExecutor } from '../jobs/queue/queue-executor.js';
import { doneJobResults, interruptedUsd, ledgerPayload, priorRunSpendUsd } from '../jobs/ledger.js';
import type { RunObserver } from '../jobs/observer.js';
import { lookupPricing } from '../providers/pricing.js';
import { PRICING_TABLE } from '../providers/pricing-table.js';
import { ProviderLimiters } from '../providers/provider-limiter.js';
import { type ResolvedModel, resolveModel } from '../providers/resolve-model.js';
import { storeResponseCache } from '../providers/response-cache.js';
import { storableBaseUrl } from '../providers/stored-base-url.js';
import { runAttemptExecutor } from '../scaffold/attempt-executor.js';
import { attemptReserveUsd } from '../scaffold/attempt-jobs.js';
import { queuedAttemptReserveUsd } from '../scaffold/attempt-queue.js';
import { BASH_AGENT_PROMPT_VERSION } from '../scaffold/prompts.js';
import { attemptQueueContext } from '../scaffold/run-attempts.js';
import { type AttemptWorker, storedWorker } from '../scaffold/workers-file.js';
import type { Store } from '../store/store.js';
import { selectTasks } from '../suites/select-tasks.js';
import type { Suite } from '../suites/suite.js';
import { ArmBudgets } from './arm-budgets.js';
import { MARKET_BID_PROMPT_VERSION } from './bid-prompt.js';
import { type MarketComparison, compareArms } from '../../market/comparison.js';
import { type MarketArm, parseArms } from '../../market/arms.js';
import { ROUTER_MODEL_KEY } from './market-calls.js';
import { loadMarketHistory } from './market-history.js';
import { bountyUsd, type MarketSettings, type MarketSettingsInput, MarketSettingsSchema, type RouterSettings, RouterSettingsSchema } from '../../market/settings.js';
import { type UnitResult, UnitResultSchema } from '../../market/unit-result.js';
import { marketExecutor } from './market-executor.js';
import { marketQueueExecutorOptions } from './market-queue.js';
import { MARKET_TASK_JOB, runMarketUnits } from './market-units.js';
import { ROUTER_PROMPT_VERSION } from './router-prompt.js';
import { makeUnitRunner } from './unit-runner.js';

/** Options of `runMarket` (what `marketbench market` passes). */
export interface RunMarketOptions extends PaidRunOptions {
  /** The store. */
  store: Store;
  /** The suite: its tasks, workspaces and evaluator. */
  suite: Suite;
  /** Where the suite came from (recorded in the run config). */
  suiteSource: string;
  /** The workers (from a workers or market file). */
  workers: readonly AttemptWorker[];
  /** Arms to compare (see `parseArms`). */
  arms: readonly string[];
  /** Market settings (defaults: the paper's live market). */
  settings?: MarketSettingsInput;
  /** The central router (needed by the `router` arm). */
  router?: Partial<RouterSettings> & { model: string };
  /** Only these task ids (in the suite's order). */
  taskIds?: readonly string[];
  /** Only the first N tasks (after `taskIds`). */
  limit?: number;
  /** Hard ceiling in USD for the whole run, split evenly over the arms; counted across sessions. */
  budgetUsd?: number;
  /** (task, arm) units in flight at once (default 2: attempts run sandboxes). */
  concurrency?: number;
  /** Seed of the mechanisms' random draws (reserve prices). */
  seed?: number;
  /** Reuse one attempt per (task, worker) across arms; the arms then differ only in allocation. */
  shareAttempts?: boolean;
  /** Use the response cache for bids, router calls and agent steps (default true). */
  cache?: boolean;
  /** Folder for trajectory files (default: `trajectories/` beside the store). */
  trajectoryDir?: string;
  /** Receives progress events (one job per task and arm). */
  observer?: RunObserver;
  /** Image namespace of a SWE-bench suite, sent to queue workers that resolve the suite themselves. */
  imageNamespace?: string | null;
  /** Where paid jobs run (default: this process, with the run's models). */
  executor?: Executor;
  /** An open queue: bids, router calls and attempts run on `marketbench worker` processes, and this process needs no key. */
  queue?: QueueDispatcher;
  /** Start at most this many paid jobs in this session (a rerun resumes; tests step through a run). */
  maxJobs?: number;
  /**
   * Calibration maps (`--recalibrate`): by worker id, the function a mapped worker's stated p is bid
   * and scored through; `identity` (the maps as plain data) is part of the derived run id, so a run
   * with maps never resumes one without.
   */
  recalibrate?: { byWorker: ReadonlyMap<string, (p: number) => number>; identity: unknown };
}

/** What `runMarket` returns. */
export interface RunMarketResult {
  /** The run id. */
  runId: string;
  /** The arms, in the order given. */
  arms: MarketArm[];
  /** The run's tasks, in order. */
  taskIds: string[];
  /** The roster, in order. */
  workerIds: string[];
  /** Settings used. */
  settings: MarketSettings;
  /** Every finished (task, arm), earlier sessions included. */
  units: UnitResult[];
  /** The matched comparison. */
  comparison: MarketComparison;
  /** Arms that stopped early, and why. */
  stopped: Record<string, 'budget' | 'signal'>;
  /** Units that could not finish for another reason in this session (a rerun retries them). */
  failedUnits: { arm: string; taskId: string; error: string }[];
  /** USD paid to providers in this session. */
  sessionSpendUsd: number;
  /** USD paid over every session of the run. */
  totalSpendUsd: number;
  /** The ceiling, Infinity when none. */
  budgetUsd: number;
  /** Warnings for the user. */
  warnings: string[];
}

/**
 * USD each arm has consumed in earlier sessions of the run: what its finished tasks were charged,
 * plus its share of steps left `started` by a killed session (their reservation: the provider may
 * have billed them) or `failed` (their recorded cost); those steps are run again, and only their new
 * spending is charged then.
 */
export function priorArmSpendUsd(store: Store, runId: string, arms: readonly MarketArm[]): Record<string, number> {
  const prior: Record<string, number> = Object.fromEntries(arms.map((arm) => [arm.label, 0]));
  const labelOf = new Map(arms.map((arm) => [arm.storedName, arm.label]));
  for (const unit of doneJobResults(store, { runId, kind: MARKET_TASK_JOB.kind, result: UnitResultSchema }).values()) {
    if (unit.arm in prior) prior[unit.arm] = (prior[unit.arm] ?? 0) + unit.accountedUsd;
  }
  for (const job of store.listJobs({ runId })) {
    if (job.kind === MARKET_TASK_JOB.kind || job.status === 'done') continue;
    const amount = job.status === 'started' ? interruptedUsd(job) : (job.costUsd ?? 0);
    for (const [arm, share] of Object.entries(ledgerPayload(job).charges ?? {})) {
      const label = arm in prior ? arm : labelOf.get(arm);
      if (label !== undefined) prior[label] = (prior[label] ?? 0) + amount * share;
    }
  }
  return prior;
}

/**
 * The live market (the paper's live experiment, done on identical tasks and budgets): for every
 * task, in order, every arm in turn — the bid arms on the same bids (collected once per task from
 * every worker at once), the central router with one LLM call per round, the solo workers, cascade,
 * parallel — clears with its mechanism from `src/mechanisms` through the replay's own multi-round
 * driver, runs the winner's attempt (the attempt runner of `marketbench attempt`), and on failure
 * excludes that worker and clears again, up to `maxAttempts` rounds. Arms are interleaved task by
 * task so that provider drift hits all alike; each arm spends from its own share of the budget
 * (budget / arms), so none can starve another. Every bid (a `forecasts` row, treatment `bid`, with
 * its raw request and response), router decision (ledger), allocation with its scores and their
 * parts (`allocations`, one row per round), and attempt (`attempts`) is stored; every paid call
 * goes through the job ledger, so rerunning the same command resumes without paying twice.
 */
export async function runMarket(options: RunMarketOptions): Promise<RunMarketResult> {
  const { store, suite } = options;
  const settings = MarketSettingsSchema.parse(options.settings ?? {});
  if (options.workers.length === 0) throw new InvalidInputError('give at least one worker (--workers FILE)', { field: 'workers' });
  const tasks = selectTasks({ tasks: await suite.loadTasks(), taskIds: options.taskIds, limit: options.limit, none: 'no tasks for the market' });
  const table = options.pricingTable ?? PRICING_TABLE;
  const warnings: string[] = [];
  const budgeted = options.budgetUsd !== undefined;
  const models = new Map<string, ResolvedModel>();
  const pricing = new Map<string, Pricing>();
  const { queue } = options;
  const resolveOptions = {
    env: options.env,
    baseUrl: options.baseUrl,
    pricingTable: table,
    fetch: options.fetch,
    ...(queue && { apiKeyOverride: COORDINATOR_PLACEHOLDER_KEY }),
  };
  for (const [index, worker] of options.workers.entries()) {
    const price = worker.pricing ?? lookupPricing(worker.model, table)?.pricing;
    if (!price && budgeted) {
      throw new InvalidInputError(`no price for '${worker.model}': add pricing to the worker or a --pricing file to run under a budget`, {
        field: `workers.${index}.pricing`,
      });
    }
    if (!price) warnings.push(`no price for '${worker.model}': its calls are recorded at $0 and its e is 0`);
    pricing.set(worker.id, price ?? { inputPerToken: 0, outputPerToken: 0 });
    const resolved = resolveModel(worker.model, resolveOptions);
    models.set(worker.id, worker.pricing ? { ...resolved, pricing: worker.pricing } : resolved);
  }
  const workerIds = options.workers.map((worker) => worker.id);
  const blended: Record<string, number> = Object.fromEntries(workerIds.map((id) => [id, blendedPrice(pricing.get(id) as Pricing)]));
  const arms = parseArms({ specs: options.arms, workers: workerIds.map((id) => ({ id, blendedPrice: blended[id] as number })), settings });
  let router: RouterSettings | undefined;
  if (arms.some((arm) => arm.router)) {
    if (!options.router) {
      throw new InvalidInputError("arm 'router' needs a router model: `router: { model: provider:model }` in the market file, or --router-model", {
        field: 'router.model',
      });
    }
    const parsed = RouterSettingsSchema.safeParse(options.router);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError(issue?.message ?? 'invalid router settings', { field: `router.${issue?.path.join('.') ?? ''}` });
    }
    router = parsed.data;
    const resolved = resolveModel(router.model, resolveOptions);
    if (!resolved.pricing && budgeted) {
      throw new InvalidInputError(`no price for router model '${router.model}': add it with --pricing FILE to run under a budget`, { field: 'router.model' });
    }
    models.set(ROUTER_MODEL_KEY, resolved);
  }
  const seed = options.seed ?? 0;
  const shareAttempts = options.shareAttempts ?? false;
  const identity = {
    suite: suite.name,
    suiteSource: options.suiteSource,
    tasksHash: createHash('sha256').update(JSON.stringify(tasks.map((task) => task.id))).digest('hex').slice(0, 16),
    workers: options.workers.map((worker) => ({
      id: worker.id,
      model: worker.model,
      scaffold: worker.scaffold,
      options: worker.options,
      persona: worker.persona ?? null,
      pricing: pricing.get(worker.id),
    })),
    arms: arms.map((arm) => arm.label),
    // The plan budgets are part of a run only when a plan arm offers them (older runs keep their ids).
    settings: arms.some((arm) => arm.usesPlans) ? settings : withoutPlanBudgets(settings),
    router: router ?? null,
    shareAttempts,
    seed,
    prompts: { bid: MARKET_BID_PROMPT_VERSION, router: ROUTER_PROMPT_VERSION, agent: BASH_AGENT_PROMPT_VERSION },
    ...(options.recalibrate && { recalibrate: options.recalibrate.identity }),
  };
  const runId = options.runId ?? deterministicRunId('market', identity);
  store.upsertTasks(tasks);
  store.upsertWorkers(options.workers.map((worker) => storedWorker(worker, pricing.get(worker.id) as Pricing)));
  store.createRun({
    kind: 'market',
    id: runId,
    seed,
    config: {
      ...identity,
      specs: Object.fromEntries(arms.map((arm) => [arm.label, { spec: arm.spec, storedAs: arm.storedName }])),
      tasks: tasks.length,
      budgetUsd: options.budgetUsd ?? null,
      pricingVersion: table.version,
      // What `retry` reaches the providers at; credentials in the URL are never stored.
      baseUrl: storableBaseUrl(options.baseUrl) ?? null,
    },
  });
  const priorUsd = priorArmSpendUsd(store, runId, arms);
  const budgets = new ArmBudgets({ arms: arms.map((arm) => arm.label), totalUsd: options.budgetUsd, priorUsd });
  const ledgerBefore = priorRunSpendUsd(store, runId);
  const stopped = new Map<string, 'budget' | 'signal'>();
  const calls = {
    models,
    limiters: new ProviderLimiters(options.providerLimits),
    cache: options.cache === false ? undefined : storeResponseCache(store),
    retry: options.retry,
  };
  const trajectoryDir = options.trajectoryDir ?? join(dirname(store.file), 'trajectories');
  const queued =
    queue &&
    !options.executor &&
    new QueueExecutor(
      marketQueueExecutorOptions({
        dispatcher: queue,
        models,
        trajectoryDir,
        attempts: attemptQueueContext({ options, tasks, models }),
      }),
    );
  const executor =
    options.executor || queued || marketExecutor({ calls, attempt: runAttemptExecutor({ store, suite, tasks, workers: options.workers, models, options }) });
  const engine = new JobEngine({
    store,
    runId,
    executor,
    signal: options.signal,
    onPaid: ({ key, charges }) => budgets.markPaid(key, Object.keys(charges)),
    ...(options.maxJobs !== undefined && { maxJobs: options.maxJobs }),
  });
  const runUnit = makeUnitRunner({
    engine,
    arms,
    workers: options.workers,
    blendedPrice: blended,
    settings,
    router,
    history: loadMarketHistory(store, { excludeRunId: runId }),
    budgets,
    stopped,
    shareAttempts,
    random: new Random(seed),
    attemptReserveUsd: (task, workerId) => {
      const worker = options.workers.find((candidate) => candidate.id === workerId) as AttemptWorker;
      const firstCallUsd = attemptReserveUsd({ worker, model: models.get(workerId), task, suite });
      // A queued attempt's worker can spend only what was reserved: the whole attempt's worst case.
      return queued ? queuedAttemptReserveUsd({ worker, firstCallUsd }) : firstCallUsd;
    },
    models,
    recalibrate: options.recalibrate?.byWorker,
  });
  const units = await runMarketUnits({
    engine,
    tasks,
    arms,
    runUnit,
    stopped,
    concurrency: options.concurrency ?? 2,
    budgetUsd: options.budgetUsd,
    priorUsd,
    ledgerBefore,
    observer: options.observer,
  });
  // Recorded in the store: their finished jobs can leave Redis.
  if (queued) await queued.acknowledge();
  const comparison = compareArms({ arms: arms.map((arm) => arm.label), taskIds: tasks.map((task) => task.id), workerIds, units: units.units, valueUsd: bountyUsd(settings) });
  return {
    runId,
    arms,
    taskIds: tasks.map((task) => task.id),
    workerIds,
    settings,
    units: units.units,
    comparison,
    stopped: Object.fromEntries(stopped),
    failedUnits: units.failedUnits,
    sessionSpendUsd: units.sessionSpendUsd,
    totalSpendUsd: units.totalSpendUsd,
    budgetUsd: options.budgetUsd ?? Infinity,
    warnings,
  };
}

function withoutPlanBudgets(settings: MarketSettings): Omit<MarketSettings, 'planBudgets'> {
  const { planBudgets: _planBudgets, ...rest } = settings;
  return rest;
}
