import { createHash } from 'node:crypto';
import { InvalidInputError } from '../../core/errors.js';
import { blendedPrice, type Pricing } from '../../core/pricing.js';
import { Random } from '../../core/random.js';
import type { Task } from '../../core/task.js';
import { deterministicRunId } from '../elicit/run-id.js';
import type { PaidRunOptions } from '../harness/paid-run-options.js';
import { priorRunSpendUsd } from '../harness/job-runner.js';
import type { RunObserver } from '../harness/observer.js';
import { lookupPricing } from '../providers/pricing.js';
import { PRICING_TABLE, } from '../providers/pricing-table.js';
import { ProviderLimiters } from '../providers/provider-limiter.js';
import { type ResolvedModel, resolveModel } from '../providers/resolve-model.js';
import { storeResponseCache } from '../providers/response-cache.js';
import { runAttemptExecutor } from '../scaffold/attempt-executor.js';
import { attemptReserveUsd } from '../scaffold/attempt-jobs.js';
import { BASH_AGENT_PROMPT_VERSION } from '../scaffold/prompts.js';
import { type AttemptWorker, storedWorker } from '../scaffold/workers-file.js';
import { jobKey } from '../store/job-key.js';
import type { Store } from '../store/store.js';
import { selectTasks } from '../suites/select-tasks.js';
import type { Suite } from '../suites/suite.js';
import { ArmBudgets } from './arm-budgets.js';
import { MARKET_BID_PROMPT_VERSION } from './bid-prompt.js';
import { type MarketComparison, compareArms } from './market-comparison.js';
import { type MarketArm, parseArms } from './market-arms.js';
import { ROUTER_MODEL_KEY } from './market-calls.js';
import { loadMarketHistory } from './market-history.js';
import { type MarketSettings, type MarketSettingsInput, MarketSettingsSchema, type RouterSettings, RouterSettingsSchema } from './market-settings.js';
import type { UnitResult } from './market-unit.js';
import { doneJobResults, interruptedUsd, type PaidStepPayload } from './paid-step.js';
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
  /** Use the response cache for bids and router calls (default true). */
  cache?: boolean;
  /** Folder for trajectory files (default: `trajectories/` beside the store). */
  trajectoryDir?: string;
  /** Receives progress events (one job per task and arm). */
  observer?: RunObserver;
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

/** Ledger key of one task under one arm. */
export function unitJobKey(input: { runId: string; taskId: string; arm: string }): string {
  return jobKey({ run: input.runId, task: input.taskId, arm: input.arm, kind: 'market-task' });
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
  for (const result of doneJobResults(store, runId, 'market-task').values()) {
    const unit = result as UnitResult;
    if (unit.arm in prior) prior[unit.arm] = (prior[unit.arm] ?? 0) + unit.accountedUsd;
  }
  for (const job of store.listJobs({ runId })) {
    if (job.kind === 'market-task' || job.status === 'done') continue;
    const payload = job.payload as Partial<PaidStepPayload> | null;
    const amount = job.status === 'started' ? interruptedUsd(payload) : (job.costUsd ?? 0);
    for (const [arm, share] of Object.entries(payload?.charges ?? {})) {
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
  for (const [index, worker] of options.workers.entries()) {
    const price = worker.pricing ?? lookupPricing(worker.model, table)?.pricing;
    if (!price && budgeted) {
      throw new InvalidInputError(`no price for '${worker.model}': add pricing to the worker or a --pricing file to run under a budget`, {
        field: `workers.${index}.pricing`,
      });
    }
    if (!price) warnings.push(`no price for '${worker.model}': its calls are recorded at $0 and its e is 0`);
    pricing.set(worker.id, price ?? { inputPerToken: 0, outputPerToken: 0 });
    const resolved = resolveModel(worker.model, { env: options.env, baseUrl: options.baseUrl, pricingTable: table, fetch: options.fetch });
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
    const resolved = resolveModel(router.model, { env: options.env, baseUrl: options.baseUrl, pricingTable: table, fetch: options.fetch });
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
    settings,
    router: router ?? null,
    shareAttempts,
    seed,
    prompts: { bid: MARKET_BID_PROMPT_VERSION, router: ROUTER_PROMPT_VERSION, agent: BASH_AGENT_PROMPT_VERSION },
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
    },
  });
  const signal = options.signal ?? new AbortController().signal;
  const priorUsd = priorArmSpendUsd(store, runId, arms);
  const budgets = new ArmBudgets({ arms: arms.map((arm) => arm.label), totalUsd: options.budgetUsd, priorUsd });
  const ledgerBefore = priorRunSpendUsd(store, runId);
  const stopped = new Map<string, 'budget' | 'signal'>();
  const execute = runAttemptExecutor({ store, suite, tasks, workers: options.workers, models, options });
  const runUnit = makeUnitRunner({
    store,
    runId,
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
      return attemptReserveUsd({ worker, model: models.get(workerId), task, suite });
    },
    execute,
    calls: {
      models,
      limiters: new ProviderLimiters(options.providerLimits),
      cache: options.cache === false ? undefined : storeResponseCache(store),
      retry: options.retry,
      signal,
    },
  });

  const done = doneJobResults(store, runId, 'market-task') as Map<string, UnitResult>;
  const pending: { arm: MarketArm; task: Task; key: string }[] = [];
  for (const task of tasks) {
    for (const arm of arms) {
      const key = unitJobKey({ runId, taskId: task.id, arm: arm.storedName });
      if (!done.has(key)) pending.push({ arm, task, key });
    }
  }
  const total = tasks.length * arms.length;
  const observer = options.observer;
  observer?.onEvent({ type: 'run-start', runId, total, skipped: total - pending.length, budgetUsd: options.budgetUsd ?? Infinity, priorSpendUsd: ledgerBefore });
  store.appendEvent({ runId, type: 'run-start', data: { units: total, skipped: total - pending.length, budgetUsd: options.budgetUsd ?? null, priorUsd } });

  const failedUnits: RunMarketResult['failedUnits'] = [];
  let next = 0;
  let finished = 0;
  let notStarted = 0;
  const worker = async () => {
    while (next < pending.length) {
      const unit = pending[next++] as (typeof pending)[number];
      if (signal.aborted || stopped.has(unit.arm.label)) {
        notStarted++;
        continue;
      }
      const label = `${unit.arm.label} ${unit.task.id}`;
      store.startJob({ key: unit.key, runId, kind: 'market-task', payload: { job: { arm: unit.arm.label, taskId: unit.task.id } } });
      observer?.onEvent({ type: 'job-start', runId, key: unit.key, label, reservedUsd: 0 });
      const outcome = await runUnit(unit.arm, unit.task);
      if ('result' in outcome) {
        store.transaction(() => {
          outcome.write();
          store.finishJob({ key: unit.key, status: 'done', result: outcome.result });
        });
        store.appendEvent({ runId, type: 'market-task', data: { arm: unit.arm.label, taskId: unit.task.id, solved: outcome.result.solved, rounds: outcome.result.rounds } });
        done.set(unit.key, outcome.result);
        finished++;
        const note = outcome.result.solved ? `solved by ${outcome.result.attempts.find((attempt) => attempt.resolved)?.workerId}` : 'unsolved';
        observer?.onEvent({ type: 'job-end', runId, key: unit.key, label, status: 'done', spentUsd: outcome.result.accountedUsd, error: undefined, note });
        continue;
      }
      const error = outcome.error ?? outcome.stop;
      store.finishJob({ key: unit.key, status: 'failed', error });
      if (outcome.stop === 'budget' || outcome.stop === 'signal') {
        if (!stopped.has(unit.arm.label)) {
          stopped.set(unit.arm.label, outcome.stop);
          store.appendEvent({ runId, type: 'arm-stop', data: { arm: unit.arm.label, reason: outcome.stop, taskId: unit.task.id } });
        }
      } else failedUnits.push({ arm: unit.arm.label, taskId: unit.task.id, error });
      observer?.onEvent({ type: 'job-end', runId, key: unit.key, label, status: 'failed', spentUsd: 0, error, note: undefined });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 2, pending.length || 1)) }, worker));

  const units = [...done.values()];
  const comparison = compareArms({ arms: arms.map((arm) => arm.label), taskIds: tasks.map((task) => task.id), workerIds, units });
  const totalSpendUsd = priorRunSpendUsd(store, runId);
  const sessionSpendUsd = Math.max(0, totalSpendUsd - ledgerBefore);
  const complete = done.size === total;
  const stopReason = stopped.size > 0 ? ([...stopped.values()].includes('signal') ? 'signal' : 'budget') : undefined;
  store.setRunStatus(runId, complete ? 'done' : 'stopped');
  const summary = {
    total,
    skipped: total - pending.length,
    done: finished,
    failed: failedUnits.length,
    notStarted,
    sessionSpendUsd,
    totalSpendUsd,
    budgetUsd: options.budgetUsd ?? Infinity,
  };
  observer?.onEvent({ type: 'run-end', runId, status: complete ? 'done' : 'stopped', stopReason, summary });
  store.appendEvent({ runId, type: 'run-end', data: { ...summary, budgetUsd: options.budgetUsd ?? null, stopped: Object.fromEntries(stopped) } });
  return {
    runId,
    arms,
    taskIds: tasks.map((task) => task.id),
    workerIds,
    settings,
    units,
    comparison,
    stopped: Object.fromEntries(stopped),
    failedUnits,
    sessionSpendUsd,
    totalSpendUsd,
    budgetUsd: options.budgetUsd ?? Infinity,
    warnings,
  };
}
