import { abstain, assignAtCost } from './decision.js';
import { chooseByInnerCv } from './nested-cv.js';
import { cosine, fitTfIdf, type SparseVector, type TfIdfModel, tfIdfVector } from './text-similarity.js';
import type { History, Mechanism, TaskView } from './types.js';

/** Neighbour counts nested cross-validation chooses from when `k` is not given. */
export const TEXT_ROUTER_K_GRID = [10, 25, 50] as const;

/** Pseudo-count shrinking a neighbourhood's success rate and cost towards the worker's overall ones. */
const PRIOR_WEIGHT = 3;

/** The task feature holding the problem statement. */
export const STATEMENT_FEATURE = 'statement';

/** Options of the text router. */
export interface TextRouterOptions {
  /** Neighbours per task (default: chosen by nested CV from `TEXT_ROUTER_K_GRID`). */
  k?: number;
}

interface TextModel {
  tfIdf: TfIdfModel;
  vectors: SparseVector[];
  /** resolved[t][w] for training task t (−1 when unknown). */
  resolved: Int8Array[];
  cost: Float64Array[];
  rate: Float64Array;
  meanCost: Float64Array;
  /** Training tasks sorted by similarity to a task, memoized per task id (shared by every k). */
  neighbours: Map<string, { t: number; similarity: number }[]>;
}

function statementOf(task: TaskView): string {
  const value = task.features[STATEMENT_FEATURE];
  return typeof value === 'string' ? value : '';
}

function fitTextModel(history: History): TextModel {
  const workers = history.workerIds;
  const taskIndex = new Map(history.tasks.map((task, index) => [task.taskId, index]));
  const tfIdf = fitTfIdf(history.tasks.map(statementOf));
  const resolved = history.tasks.map(() => new Int8Array(workers.length).fill(-1));
  const cost = history.tasks.map(() => new Float64Array(workers.length));
  const workerIndex = new Map(workers.map((workerId, index) => [workerId, index]));
  for (const cell of history.cells) {
    const t = taskIndex.get(cell.taskId);
    const w = workerIndex.get(cell.workerId);
    if (t === undefined || w === undefined) continue;
    (resolved[t] as Int8Array)[w] = cell.resolved ? 1 : 0;
    (cost[t] as Float64Array)[w] = cell.costUsd;
  }
  const rate = new Float64Array(workers.length);
  const meanCost = new Float64Array(workers.length);
  workers.forEach((_, w) => {
    let solved = 0;
    let seen = 0;
    let spent = 0;
    resolved.forEach((row, t) => {
      if ((row[w] as number) < 0) return;
      seen++;
      solved += row[w] as number;
      spent += (cost[t] as Float64Array)[w] as number;
    });
    rate[w] = (solved + 1) / (seen + 2);
    meanCost[w] = seen > 0 ? spent / seen : 0;
  });
  return {
    tfIdf,
    vectors: history.tasks.map((task) => tfIdfVector(tfIdf, statementOf(task))),
    resolved,
    cost,
    rate,
    meanCost,
    neighbours: new Map(),
  };
}

/**
 * Text router: k nearest training tasks by cosine similarity of TF-IDF vectors of the problem
 * statement (fitted on the training tasks only; cross-fitted by the replay). For each worker, its
 * similarity-weighted success rate and cost among those neighbours on which every worker that
 * already failed this task also failed, shrunk towards its overall rate and cost; each round it
 * assigns the worker with the highest V·p − c and abstains when none is positive. `k`, unless
 * given, is chosen by nested cross-validation inside the training history. Reimbursed at cost.
 */
export function textRouter(options: TextRouterOptions = {}): Mechanism {
  const name = `router:text${options.k === undefined ? '' : `:k=${options.k}`}`;
  // The model does not depend on k: nested CV fits it once per training set for every candidate.
  const models = new WeakMap<History, TextModel>();
  const modelOf = (history: History): TextModel => {
    let model = models.get(history);
    if (!model) {
      model = fitTextModel(history);
      models.set(history, model);
    }
    return model;
  };
  const fixed = (k: number): Mechanism => ({
    name,
    parameters: { model: 'tf-idf k-NN', k },
    fit: (history) => fittedTextRouter({ name, k, history, model: modelOf(history) }),
    allocate: () => abstain({ reason: 'not fitted' }),
  });
  if (options.k !== undefined) return fixed(options.k);
  return {
    name,
    parameters: { model: 'tf-idf k-NN', k: 'nested-cv' },
    fit: (history, random, settings) => {
      const { chosen } = chooseByInnerCv({ history, settings, candidates: TEXT_ROUTER_K_GRID, build: fixed, random: random.fork('tune') });
      return (fixed(chosen).fit as NonNullable<Mechanism['fit']>)(history, random, settings);
    },
    allocate: () => abstain({ reason: 'not fitted' }),
  };
}

function fittedTextRouter(options: { name: string; k: number; history: History; model: TextModel }): Mechanism {
  const { name, k, history, model } = options;
  const workerIndex = new Map(history.workerIds.map((workerId, index) => [workerId, index]));
  return {
    name,
    parameters: { model: 'tf-idf k-NN', k },
    allocate: (task, _bids, context) => {
      let ranked = model.neighbours.get(task.taskId);
      if (!ranked) {
        const query = tfIdfVector(model.tfIdf, statementOf(task));
        ranked = model.vectors
          .map((vector, t) => ({ t, similarity: cosine(query, vector) }))
          .filter((entry) => entry.similarity > 0)
          .sort((a, b) => b.similarity - a.similarity || a.t - b.t);
        model.neighbours.set(task.taskId, ranked);
      }
      const neighbours = ranked.slice(0, k);
      const failed = context.previous.map((attempt) => workerIndex.get(attempt.workerId)).filter((w): w is number => w !== undefined);
      // Neighbours where the workers that failed this task also failed: what the next worker faces.
      const relevant = neighbours.filter(({ t }) => failed.every((w) => (model.resolved[t] as Int8Array)[w] === 0));
      let best: { workerId: string; value: number; p: number; cost: number } | undefined;
      for (const workerId of context.available) {
        const w = workerIndex.get(workerId);
        if (w === undefined) continue;
        let weight = 0;
        let solved = 0;
        let spent = 0;
        for (const { t, similarity } of relevant) {
          const outcome = (model.resolved[t] as Int8Array)[w] as number;
          if (outcome < 0) continue;
          weight += similarity;
          solved += similarity * outcome;
          spent += similarity * ((model.cost[t] as Float64Array)[w] as number);
        }
        const scale = relevant.length > 0 ? relevant.length / Math.max(1e-12, relevant.reduce((s, e) => s + e.similarity, 0)) : 0;
        // Similarity weights are rescaled to neighbour counts so the prior weighs as PRIOR_WEIGHT tasks.
        const effective = weight * scale;
        const p = (solved * scale + PRIOR_WEIGHT * (model.rate[w] as number)) / (effective + PRIOR_WEIGHT);
        const cost = (spent * scale + PRIOR_WEIGHT * (model.meanCost[w] as number)) / (effective + PRIOR_WEIGHT);
        const value = context.value * p - cost;
        if (best === undefined || value > best.value) best = { workerId, value, p, cost };
      }
      if (!best || best.value <= 0) return abstain({ reason: 'no positive expected surplus' });
      return assignAtCost([best.workerId], { p: best.p, expectedCost: best.cost, neighbours: neighbours.length });
    },
  };
}
