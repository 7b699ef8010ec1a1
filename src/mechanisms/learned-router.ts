import { logit, sigmoid } from '../core/index.js';
import { abstain, assignAtCost } from './decision.js';
import { historyGrid } from './history-grid.js';
import { type DesignMatrix, fitLogistic, type LogisticModel, predictLogistic } from './logistic-regression.js';
import { chooseByInnerCv } from './nested-cv.js';
import { type FeatureEncoder, fitFeatureEncoder } from './task-features.js';
import type { AllocationContext, History, Mechanism, TaskView } from './types.js';

/** Options of the learned router. */
export interface LearnedRouterOptions {
  /** Ridge strength of the per-worker logistic regressions (default: chosen by nested CV from `ROUTER_RIDGE_GRID`). */
  ridge?: number;
  /** Pseudo-count shrinking conditional rates and costs towards the unconditional ones (default 10). */
  shrink?: number;
  /** Look one round ahead when choosing (default true). */
  lookahead?: boolean;
}

/** Ridge strengths nested cross-validation chooses from when `ridge` is not given. */
export const ROUTER_RIDGE_GRID = [1, 10, 100, 1000] as const;

/** What the learned router fits on history. */
export interface RouterModel {
  /** Encoder of pre-attempt task features. */
  encoder: FeatureEncoder;
  /** P(success | features) per worker. */
  success: Record<string, LogisticModel>;
  /** Mean attempt cost per worker, USD. */
  meanCost: Record<string, number>;
  /** logit shift of worker w's success when worker a has failed the task: shift[a][w]. */
  shift: Record<string, Record<string, number>>;
  /** Mean cost of worker w on tasks worker a failed (shrunk): conditionalCost[a][w]. */
  conditionalCost: Record<string, Record<string, number>>;
}

/** What the router fits that does not depend on the ridge: shared by every ridge nested CV tries. */
interface RouterData {
  encoder: FeatureEncoder;
  /** Per worker: the encoded features of the tasks it has a cell on, and its outcomes there. */
  samples: Record<string, { x: DesignMatrix; y: Uint8Array }>;
  meanCost: Record<string, number>;
  shift: Record<string, Record<string, number>>;
  conditionalCost: Record<string, Record<string, number>>;
}

function routerData(history: History, shrink: number): RouterData {
  const encoder = fitFeatureEncoder(history.tasks);
  const nTasks = history.tasks.length;
  const columns = encoder.names.length;
  const design = new Float64Array(nTasks * columns);
  history.tasks.forEach((task, t) => {
    design.set(encoder.encode(task), t * columns);
  });
  const grid = historyGrid(history);
  const workers = history.workerIds;
  const nWorkers = workers.length;
  // resolved[w][t] / cost[w][t] over the history's tasks (−1: no cell).
  const resolved = workers.map(() => new Int8Array(nTasks));
  const cost = workers.map(() => new Float64Array(nTasks));
  for (let t = 0; t < nTasks; t++) {
    const base = (grid.rows[t] as number) * nWorkers;
    for (let w = 0; w < nWorkers; w++) {
      (resolved[w] as Int8Array)[t] = grid.resolved[base + w] as number;
      (cost[w] as Float64Array)[t] = grid.costUsd[base + w] as number;
    }
  }
  const samples: RouterData['samples'] = {};
  const meanCost: Record<string, number> = {};
  const rate = new Float64Array(nWorkers);
  workers.forEach((workerId, w) => {
    const own = resolved[w] as Int8Array;
    let count = 0;
    for (let t = 0; t < nTasks; t++) if ((own[t] as number) >= 0) count++;
    const x = count === nTasks ? design : new Float64Array(count * columns);
    const y = new Uint8Array(count);
    let total = 0;
    let solved = 0;
    let row = 0;
    for (let t = 0; t < nTasks; t++) {
      const value = own[t] as number;
      if (value < 0) continue;
      if (x !== design) x.set(design.subarray(t * columns, (t + 1) * columns), row * columns);
      y[row] = value;
      solved += value;
      total += (cost[w] as Float64Array)[t] as number;
      row++;
    }
    samples[workerId] = { x: { data: x, rows: count, columns }, y };
    meanCost[workerId] = count > 0 ? total / count : 0;
    rate[w] = (solved + 1) / (count + 2);
  });
  const shift: Record<string, Record<string, number>> = {};
  const conditionalCost: Record<string, Record<string, number>> = {};
  workers.forEach((failed, a) => {
    const shifts: Record<string, number> = {};
    const costs: Record<string, number> = {};
    const failedRow = resolved[a] as Int8Array;
    workers.forEach((workerId, w) => {
      const own = resolved[w] as Int8Array;
      const ownCost = cost[w] as Float64Array;
      let solved = 0;
      let seen = 0;
      let spent = 0;
      for (let t = 0; t < nTasks; t++) {
        if (failedRow[t] !== 0 || (own[t] as number) < 0) continue;
        seen++;
        solved += own[t] as number;
        spent += ownCost[t] as number;
      }
      const base = rate[w] as number;
      const conditional = (solved + shrink * base) / (seen + shrink);
      shifts[workerId] = logit(conditional, 1e-6) - logit(base, 1e-6);
      costs[workerId] = (spent + shrink * (meanCost[workerId] as number)) / (seen + shrink);
    });
    shift[failed] = shifts;
    conditionalCost[failed] = costs;
  });
  return { encoder, samples, meanCost, shift, conditionalCost };
}

function modelOf(data: RouterData, ridge: number): RouterModel {
  const success: Record<string, LogisticModel> = {};
  for (const [workerId, sample] of Object.entries(data.samples)) success[workerId] = fitLogistic({ ...sample, ridge });
  return { encoder: data.encoder, success, meanCost: data.meanCost, shift: data.shift, conditionalCost: data.conditionalCost };
}

/** Fits the router's models on the history (the replay passes other tasks only). */
export function fitRouterModel(history: History, options: { ridge: number; shrink: number }): RouterModel {
  return modelOf(routerData(history, options.shrink), options.ridge);
}

/**
 * Expected surplus of assigning each available worker now: V·p − c, plus — when a later round
 * remains and `lookahead` — (1 − p) times the best positive V·p' − c' of a next worker given
 * that this one failed too. p is σ(the regression's log-odds + the shifts of every worker that
 * failed, in order); c is the worker's mean cost, conditional on the last failure when there is one.
 */
export function routerValues(options: {
  /** The fitted model. */
  model: RouterModel;
  /** The task. */
  task: TaskView;
  /** The round's context. */
  context: AllocationContext;
  /** Whether to look one round ahead. */
  lookahead: boolean;
}): { workerId: string; value: number; p: number; cost: number }[] {
  const { model, task, context, lookahead } = options;
  const x = model.encoder.encode(task);
  const { available, value } = context;
  const failed = context.previous.map((attempt) => attempt.workerId);
  const last = failed[failed.length - 1];
  // Each available worker's log-odds given the failures so far, computed once: the lookahead
  // asks for every pair of workers.
  const logOdds = available.map((workerId) => {
    let z = logit(predictLogistic(model.success[workerId] as LogisticModel, x), 1e-6);
    for (const previous of failed) z += model.shift[previous]?.[workerId] ?? 0;
    return z;
  });
  const more = lookahead && context.round < context.maxAttempts;
  return available.map((workerId, i) => {
    const p = sigmoid(logOdds[i] as number);
    const cost = last === undefined ? (model.meanCost[workerId] ?? 0) : (model.conditionalCost[last]?.[workerId] ?? model.meanCost[workerId] ?? 0);
    let surplus = value * p - cost;
    if (more) {
      const shifts = model.shift[workerId];
      const costs = model.conditionalCost[workerId];
      let next = 0;
      available.forEach((other, j) => {
        if (other === workerId) return;
        const after = sigmoid((logOdds[j] as number) + (shifts?.[other] ?? 0));
        next = Math.max(next, value * after - (costs?.[other] ?? model.meanCost[other] ?? 0));
      });
      surplus += (1 - p) * next;
    }
    return { workerId, value: surplus, p, cost };
  });
}

/**
 * Learned router: a ridge logistic regression of P(success | task features) per worker on the
 * other tasks (features a principal knows before any attempt: repository, statement length,
 * code blocks, traceback, number of tests — never the gold patch), shifted by how each worker
 * fares on tasks an earlier worker failed, and the workers' mean costs (conditional on that
 * failure). Each round it assigns the worker with the highest expected surplus V·p − c (with a
 * one-round lookahead) and abstains when no worker's is positive: expected-value stopping.
 * Reimbursed at cost.
 */
export function learnedRouter(options: LearnedRouterOptions = {}): Mechanism {
  const shrink = options.shrink ?? 10;
  const lookahead = options.lookahead ?? true;
  const name = `router:learned${options.ridge === undefined ? '' : `:ridge=${options.ridge}`}${
    options.shrink === undefined ? '' : `:shrink=${shrink}`
  }${options.lookahead === undefined ? '' : `:lookahead=${lookahead}`}`;
  // Everything but the regressions is the same for every ridge: nested CV prepares it once per
  // training set for all candidates.
  const prepared = new WeakMap<History, RouterData>();
  const dataOf = (history: History): RouterData => {
    let data = prepared.get(history);
    if (!data) {
      data = routerData(history, shrink);
      prepared.set(history, data);
    }
    return data;
  };
  const fixed = (ridge: number): Mechanism => ({
    name,
    parameters: { model: 'logistic', ridge, shrink, lookahead },
    fit: (history) => fittedRouter({ name, ridge, shrink, lookahead, model: modelOf(dataOf(history), ridge) }),
    allocate: () => abstain({ reason: 'not fitted' }),
  });
  if (options.ridge !== undefined) return fixed(options.ridge);
  return {
    name,
    parameters: { model: 'logistic', ridge: 'nested-cv', shrink, lookahead },
    fit: (history, random, settings) => {
      const { chosen } = chooseByInnerCv({ history, settings, candidates: ROUTER_RIDGE_GRID, build: fixed, random: random.fork('tune') });
      return (fixed(chosen).fit as NonNullable<Mechanism['fit']>)(history, random, settings);
    },
    allocate: () => abstain({ reason: 'not fitted' }),
  };
}

/** The router allocating with a fitted model. */
function fittedRouter(options: { name: string; ridge: number; shrink: number; lookahead: boolean; model: RouterModel }): Mechanism {
  const { name, ridge, shrink, lookahead, model } = options;
  return {
    name,
    parameters: { model: 'logistic', ridge, shrink, lookahead },
    allocate: (task, _bids, context) => {
      const values = routerValues({ model, task, context, lookahead });
      let best: (typeof values)[number] | undefined;
      for (const entry of values) if (best === undefined || entry.value > best.value) best = entry;
      if (!best || best.value <= 0) return abstain({ reason: 'no positive expected surplus' });
      return assignAtCost([best.workerId], { p: best.p, expectedCost: best.cost, value: best.value });
    },
  };
}
