import type { Bid } from '../../core/bid.js';
import type { Random } from '../../core/random.js';
import type { Task } from '../../core/task.js';
import { type AttemptRecord, type History, type TaskView, workerRecords } from '../../mechanisms/index.js';
import type { Allocation } from '../../core/allocation.js';
import type { BidReply } from '../../market/bid-reply.js';
import type { JobEngine } from '../jobs/job-engine.js';
import type { ResolvedModel } from '../providers/resolve-model.js';
import type { AttemptWorker } from '../scaffold/workers-file.js';
import { publicTaskFeatures } from '../store/joins.js';
import type { ArmBudgets } from './arm-budgets.js';
import { collectBids } from './bid-collection.js';
import { collectMenus, type MenuReply } from './menu-collection.js';
import { armPlanBids, type PlanBidDetail } from '../../market/plan-bids.js';
import type { PricedPlan } from '../../core/plan.js';
import type { AttemptCaps } from '../scaffold/attempt-caps.js';
import { routerJobKey, routeTask, type RouterDecision } from './central-router-call.js';
import { clearTask, type StepStop } from './clear-task.js';
import { attemptJobKey, type MarketAttemptRecord, runMarketAttempt, storedAttemptRecord } from './market-attempt.js';
import type { MarketArm } from '../../market/arms.js';
import { armBids, type BidDetail } from '../../market/bid-scoring.js';
import { ROUTER_MODEL_KEY } from './market-calls.js';
import type { MarketHistory } from './market-history.js';
import { bountyUsd, type MarketSettings, type RouterSettings, usdToMarket } from '../../market/settings.js';
import type { UnitAttempt, UnitResult, UnitRound } from '../../market/unit-result.js';
import type { RouterRosterEntry } from './router-prompt.js';

/** A task's bids as every bid arm shares them. */
interface TaskBids {
  /** Per worker: its reply, the step's key and recorded cost, and how the cost was split over the arms. */
  byWorker: Map<string, { reply: BidReply | undefined; jobKey: string; costUsd: number; charges: Record<string, number>; paidNow: boolean }>;
}

/** The router's decision as an allocation's detail keeps it (the raw request and response stay in the ledger). */
type RouterDetail = Omit<RouterDecision, 'request' | 'response'> & { jobKey: string; costUsd: number };

/** What a finished unit hands back: its result, and the allocations to store with its ledger row. */
export interface UnitOutcome {
  /** The unit's result. */
  result: UnitResult;
  /** The unit's allocations (one per round). */
  allocations: Allocation[];
}

/** What the unit runner needs from the run. */
export interface UnitRunnerOptions {
  /** The run's engine for paid steps (bids, router calls, attempts). */
  engine: JobEngine;
  /** Every arm of the run. */
  arms: readonly MarketArm[];
  /** The roster, in order. */
  workers: readonly AttemptWorker[];
  /** Blended USD price per token of each worker. */
  blendedPrice: Record<string, number>;
  /** Market settings. */
  settings: MarketSettings;
  /** Router settings (router arm). */
  router: RouterSettings | undefined;
  /** The store's other runs. */
  history: MarketHistory;
  /** Per-arm budgets. */
  budgets: ArmBudgets;
  /** Arms that stopped (read to skip them when splitting bid costs; written when they run out). */
  stopped: Map<string, 'budget' | 'signal'>;
  /** One attempt per (task, worker) across arms. */
  shareAttempts: boolean;
  /** The run's root random stream (forked per mechanism and task as replay does). */
  random: Random;
  /** Pessimistic USD of an attempt's first call. */
  attemptReserveUsd: (task: Task, workerId: string) => number;
  /** Resolved models: each worker's by worker id, the router's under `ROUTER_MODEL_KEY` (to price first tries). */
  models: ReadonlyMap<string, ResolvedModel>;
  /** Calibration maps by worker id (`--recalibrate`): a mapped worker's stated p is bid as the map's value. */
  recalibrate?: ReadonlyMap<string, (p: number) => number> | undefined;
}

/**
 * Builds the function that runs one task under one arm: bids (shared per task by the bid arms,
 * each charged its share), the mechanism fitted on the history without this task, the rounds
 * through `clearTask` with live attempts (shared per (task, worker) with `shareAttempts`) and,
 * for the router arm, one router call per round. Every paid step is a keyed job of the engine, so
 * a step another unit already ran comes back from the store, and one it is running is joined:
 * the unit keeps nothing between calls that a restart would lack. Returns the unit's result and
 * its allocations, or why it stopped.
 */
export function makeUnitRunner(options: UnitRunnerOptions): (arm: MarketArm, task: Task) => Promise<UnitOutcome | StepStop> {
  const { engine, settings, budgets, stopped } = options;
  const { store, runId } = engine;
  const workerIds = options.workers.map((worker) => worker.id);
  const bidArms = options.arms.filter((arm) => arm.usesBids).map((arm) => arm.label);
  const planArms = options.arms.filter((arm) => arm.usesPlans).map((arm) => arm.label);
  const valueUsd = bountyUsd(settings);

  const bidsFor = async (task: Task): Promise<TaskBids | StepStop> => {
    const bidders = options.workers.map((worker) => {
      const price = options.blendedPrice[worker.id] ?? 0;
      const recent = options.history.recent({ workerId: worker.id, taskId: task.id, window: settings.historyWindow });
      return {
        id: worker.id,
        model: worker.model,
        persona: worker.persona,
        pricePerToken: usdToMarket(price, settings),
        historicalCost: recent ? usdToMarket(recent.meanTokens * price, settings) : undefined,
      };
    });
    for (;;) {
      const active = bidArms.filter((arm) => !stopped.has(arm));
      if (active.length === 0) return { stop: 'budget' };
      const charges = Object.fromEntries(active.map((arm) => [arm, 1 / active.length]));
      const collected = await collectBids({ engine, task, workers: bidders, models: options.models, settings, gate: budgets.split(active), charges });
      const failed = collected.filter((bid) => bid.step.status === 'failed');
      if (failed.some((bid) => bid.step.status === 'failed' && bid.step.stop === 'signal')) return { stop: 'signal' };
      if (failed.length > 0) {
        const need = Math.max(...failed.map((bid) => bid.reserveUsd)) / active.length;
        const broke = active.filter((arm) => !budgets.of(arm).fits(need));
        if (broke.length === 0 || !failed.every((bid) => bid.step.status === 'failed' && bid.step.stop === 'budget')) {
          return { stop: failed.every((bid) => bid.step.status === 'failed' && bid.step.stop === 'budget') ? 'budget' : 'failed', error: 'a bid call could not run' };
        }
        // The arms that cannot hold their share stop; the others collect the missing bids alone.
        for (const arm of broke) stopped.set(arm, 'budget');
        continue;
      }
      const byWorker: TaskBids['byWorker'] = new Map();
      for (const bid of collected) {
        if (bid.step.status !== 'done') continue;
        byWorker.set(bid.workerId, { reply: bid.step.result, jobKey: bid.jobKey, costUsd: bid.step.costUsd, charges: bid.step.charges ?? charges, paidNow: bid.step.paidNow });
      }
      return { byWorker };
    }
  };

  // A task's menus, shared by the plan arms as bids are by the bid arms (one call per worker × task).
  const menusFor = async (task: Task): Promise<Map<string, { reply: MenuReply; jobKey: string; costUsd: number; charges: Record<string, number>; paidNow: boolean }> | StepStop> => {
    for (;;) {
      const active = planArms.filter((arm) => !stopped.has(arm));
      if (active.length === 0) return { stop: 'budget' };
      const charges = Object.fromEntries(active.map((arm) => [arm, 1 / active.length]));
      const collected = await collectMenus({ engine, task, workers: options.workers, models: options.models, settings, gate: budgets.split(active), charges });
      const failed = collected.filter((menu) => menu.step.status === 'failed');
      if (failed.some((menu) => menu.step.status === 'failed' && menu.step.stop === 'signal')) return { stop: 'signal' };
      if (failed.length > 0) {
        const onlyBudget = failed.every((menu) => menu.step.status === 'failed' && menu.step.stop === 'budget');
        const need = Math.max(...failed.map((menu) => menu.reserveUsd)) / active.length;
        const broke = active.filter((arm) => !budgets.of(arm).fits(need));
        if (broke.length === 0 || !onlyBudget) return { stop: onlyBudget ? 'budget' : 'failed', error: 'a menu call could not run' };
        for (const arm of broke) stopped.set(arm, 'budget');
        continue;
      }
      const byWorker = new Map<string, { reply: MenuReply; jobKey: string; costUsd: number; charges: Record<string, number>; paidNow: boolean }>();
      for (const menu of collected) {
        if (menu.step.status !== 'done') continue;
        byWorker.set(menu.workerId, { reply: menu.step.result, jobKey: menu.jobKey, costUsd: menu.step.costUsd, charges: menu.step.charges ?? charges, paidNow: menu.step.paidNow });
      }
      return byWorker;
    }
  };

  const attemptFor = async (arm: MarketArm, task: Task, workerId: string, round: number, caps?: AttemptCaps): Promise<(MarketAttemptRecord & { step: number }) | StepStop> => {
    const key = attemptJobKey({ runId, taskId: task.id, workerId, arm: options.shareAttempts ? undefined : arm.storedName, caps });
    const step = await runMarketAttempt({
      engine,
      task,
      workerId,
      round,
      key,
      arm: arm.label,
      gate: budgets.of(arm.label),
      reserveUsd: options.attemptReserveUsd(task, workerId),
      caps,
    });
    const paidByArm = step.paidNow && step.charges !== undefined && arm.label in step.charges;
    if (step.status === 'failed') {
      // Another arm's budget ran out during a shared attempt: this arm tries with its own.
      if (step.stop === 'budget' && step.charges !== undefined && !(arm.label in step.charges)) return attemptFor(arm, task, workerId, round, caps);
      return { stop: step.stop ?? 'failed', error: step.error };
    }
    if (!paidByArm) {
      if (!(await budgets.charge(arm.label, key, step.costUsd))) return { stop: 'budget' };
    }
    const record = storedAttemptRecord(store, key);
    if (!record) return { stop: 'failed', error: `attempt ${key} is done in the ledger but has no attempts row` };
    return { ...record, step: step.costUsd };
  };

  const rosterEntries = (history: () => History): (RouterRosterEntry & { blendedPrice: number })[] => {
    const records = options.router?.withHistory ? workerRecords(history()) : undefined;
    return options.workers.map((worker) => {
      const pricing = store.getWorkers([worker.id])[0]?.pricing;
      const record = records?.[worker.id];
      return {
        id: worker.id,
        model: worker.model,
        scaffold: worker.scaffold,
        inputPerMillionUsd: (pricing?.inputPerToken ?? 0) * 1e6,
        outputPerMillionUsd: (pricing?.outputPerToken ?? 0) * 1e6,
        record: record && record.attempts > 0 ? { attempts: record.attempts, resolved: record.resolved, meanCostUsd: record.meanCost, meanTokens: record.meanTokens } : undefined,
        blendedPrice: options.blendedPrice[worker.id] ?? 0,
      };
    });
  };

  return async (arm, task) => {
    const label = arm.label;
    let overheadCostUsd = 0;
    let overheadTokens = 0;
    let historyMemo: History | undefined;
    const history = () => {
      historyMemo ??= options.history.forTask({ taskId: task.id, workerIds, blendedPrice: options.blendedPrice });
      return historyMemo;
    };
    let bids: Bid[] = [];
    let bidDetails: BidDetail[] = [];
    let menuDetails: PlanBidDetail[] = [];
    if (arm.usesPlans) {
      const menus = await menusFor(task);
      if (!(menus instanceof Map)) return menus;
      for (const entry of menus.values()) {
        const share = entry.charges[label] ?? 1 / planArms.length;
        const paid = entry.paidNow && label in entry.charges;
        if (!paid && !(await budgets.charge(label, entry.jobKey, entry.costUsd * share))) return { stop: 'budget' };
        overheadCostUsd += entry.costUsd * share;
        overheadTokens += entry.reply.tokens * share;
      }
      const armed = armPlanBids({
        taskId: task.id,
        replies: workerIds.map((workerId) => {
          const reply = menus.get(workerId)?.reply;
          return { workerId, menu: reply?.menu ?? null, reason: reply?.invalidReason ?? null, blendedPrice: options.blendedPrice[workerId] ?? 0 };
        }),
        settings,
      });
      bids = armed.bids;
      menuDetails = armed.details;
    }
    if (arm.usesBids) {
      const set = await bidsFor(task);
      if ('stop' in set) return set;
      for (const workerId of workerIds) {
        const entry = set.byWorker.get(workerId);
        if (!entry) continue;
        const share = entry.charges[label] ?? 1 / bidArms.length;
        // A bid this arm reserved its share of in this session is paid; any other is charged once.
        const paid = entry.paidNow && label in entry.charges;
        if (!paid && !(await budgets.charge(label, entry.jobKey, entry.costUsd * share))) return { stop: 'budget' };
        overheadCostUsd += entry.costUsd * share;
        overheadTokens += (entry.reply?.tokens ?? 0) * share;
      }
      const parameters = arm.mechanism?.parameters ?? {};
      const terms = {
        ...settings,
        bounty: typeof parameters.bounty === 'number' ? parameters.bounty : settings.bounty,
        penaltyRate: typeof parameters.penaltyRate === 'number' ? parameters.penaltyRate : settings.penaltyRate,
      };
      const armed = armBids({
        taskId: task.id,
        replies: workerIds.map((workerId) => ({
          workerId,
          reply: set.byWorker.get(workerId)?.reply,
          blendedPrice: options.blendedPrice[workerId] ?? 0,
          recent: options.history.recent({ workerId, taskId: task.id, window: settings.historyWindow }),
          recalibrate: options.recalibrate?.get(workerId),
        })),
        settings: terms,
        usd: arm.bidsInUsd,
        preferForecast: arm.kind === 'reputation',
      });
      bids = armed.bids;
      bidDetails = armed.details;
    }
    const base = arm.mechanism;
    const mechanism = base?.fit ? base.fit(history(), options.random.fork(`fit/${base.name}/${task.id}`), { value: valueUsd, maxAttempts: settings.maxAttempts }) : base;
    const mechanismName = base?.name ?? 'central';
    const view: TaskView = { taskId: task.id, features: publicTaskFeatures(task) };
    const attempts: UnitAttempt[] = [];
    const routerDetails: RouterDetail[] = [];
    const cleared = await clearTask({
      mechanism,
      task: view,
      bids,
      roster: workerIds,
      maxAttempts: settings.maxAttempts,
      valueUsd,
      random: options.random.fork(`task/${mechanismName}/${task.id}`),
      attempt: async (ids, round, plans) => {
        const results = await Promise.all(ids.map((workerId) => attemptFor(arm, task, workerId, round, planCaps(plans?.[workerId]))));
        const records: Record<string, AttemptRecord> = {};
        for (const result of results) {
          if ('stop' in result) return result;
          const { jobKey, workerId, resolved, costUsd, tokens, step, exitReason } = result;
          const plan = plans?.[workerId];
          records[workerId] = { workerId, resolved, costUsd, tokens };
          attempts.push({ workerId, round, resolved, costUsd: step, tokens, jobKey, shared: options.shareAttempts, ...(plan && { plan, exitReason }) });
        }
        return { records };
      },
      ...(arm.router && {
        route: async (context) => {
          const excluded = context.roster.filter((workerId) => !context.available.includes(workerId));
          const step = await routeTask({
            engine,
            task,
            roster: rosterEntries(history),
            excluded,
            round: context.round,
            router: options.router as RouterSettings,
            model: options.models.get(ROUTER_MODEL_KEY) as ResolvedModel,
            structured: settings.structured,
            gate: budgets.of(label),
            charges: { [label]: 1 },
          });
          if (step.status === 'failed') return { stop: step.stop ?? 'failed', error: step.error };
          const key = routerJobKey({ runId, taskId: task.id, round: context.round });
          if (!step.paidNow && !(await budgets.charge(label, key, step.costUsd))) return { stop: 'budget' };
          overheadCostUsd += step.costUsd;
          overheadTokens += step.result.inputTokens + step.result.outputTokens;
          const { request: _request, response: _response, ...decision } = step.result;
          routerDetails[context.round - 1] = { ...decision, jobKey: key, costUsd: step.costUsd };
          return step.result.choice;
        },
      }),
    });
    if (cleared.status === 'stopped') return { stop: cleared.stop, error: cleared.error };
    const rounds: UnitRound[] = [];
    const excludedBefore = new Set<string>();
    const allocations = cleared.run.allocations.map((allocation) => {
      const open = bidDetails.filter((detail) => !excludedBefore.has(detail.workerId));
      const roundAttempts = attempts.filter((attempt) => attempt.round === allocation.round);
      for (const attempt of roundAttempts) if (!attempt.resolved) excludedBefore.add(attempt.workerId);
      const routerDetail = routerDetails[allocation.round - 1];
      rounds.push({
        round: allocation.round,
        workerIds: allocation.workerIds,
        fallbackBids: open.filter((detail) => detail.fallback).length,
        routerFallback: routerDetail?.fallback ?? false,
      });
      return {
        ...allocation,
        mechanism: arm.storedName,
        detail: {
          ...allocation.detail,
          arm: label,
          spec: arm.spec,
          mechanism: mechanismName,
          currency: arm.bidsInUsd ? 'usd' : settings.currency,
          ...(arm.usesBids && { bids: open }),
          ...(arm.usesPlans && { menus: menuDetails }),
          ...(routerDetail && { router: routerDetail }),
          attempts: roundAttempts,
        },
      };
    });
    const attemptCostUsd = attempts.reduce((sum, attempt) => sum + attempt.costUsd, 0);
    const attemptTokens = attempts.reduce((sum, attempt) => sum + attempt.tokens, 0);
    const result: UnitResult = {
      arm: label,
      taskId: task.id,
      solved: cleared.run.solved,
      rounds,
      attempts,
      attemptCostUsd,
      attemptTokens,
      overheadCostUsd,
      overheadTokens,
      accountedUsd: attemptCostUsd + overheadCostUsd,
    };
    return { result, allocations };
  };
}

/** The caps of a won plan that bind its attempt (none for a single-point bid read as a menu of one). */
function planCaps(plan: PricedPlan | undefined): AttemptCaps | undefined {
  if (!plan) return undefined;
  const caps: AttemptCaps = {
    ...(plan.budgetUsd !== undefined && { budgetUsd: plan.budgetUsd }),
    ...(plan.budgetTokens !== undefined && { budgetTokens: plan.budgetTokens }),
    ...(plan.maxSteps !== undefined && { maxSteps: plan.maxSteps }),
  };
  return Object.keys(caps).length > 0 ? caps : undefined;
}
