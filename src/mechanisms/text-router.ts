import { abstain, assignAtCost } from './decision.js';
import { chooseByInnerCv } from './nested-cv.js';
import { hashString, InvalidInputError } from '../core/index.js';
import { historyGrid } from './history-grid.js';
import { type NeighbourSearch, neighbourSearch } from './neighbour-search.js';
import { currentInterner, type DocumentTerms, documentTerms, fitTermModel, type TermInterner, type TermModel, termWeights } from './text-similarity.js';
import type { History, Mechanism, TaskView } from './types.js';

/** Neighbour counts nested cross-validation chooses from when `k` is not given. */
export const TEXT_ROUTER_K_GRID = [10, 25, 50] as const;

/** Pseudo-count shrinking a neighbourhood's success rate and cost towards the worker's overall ones. */
const PRIOR_WEIGHT = 3;

/** The task feature holding the problem statement. */
export const STATEMENT_FEATURE = 'statement';

/**
 * Training tasks whose statements the neighbours are searched among, at most (default): above
 * it a fixed subset (the tasks with the smallest hashes of their ids) is searched, so a query
 * costs at most this many candidates. It is above every real data set's training set (≤ 2,294
 * tasks), where it changes nothing.
 */
export const TEXT_ROUTER_POOL = 5000;

/** Options of the text router. */
export interface TextRouterOptions {
  /** Neighbours per task (default: chosen by nested CV from `TEXT_ROUTER_K_GRID`). */
  k?: number;
  /** Training tasks searched for neighbours, at most (default `TEXT_ROUTER_POOL`). */
  pool?: number;
}

/** A task's nearest training tasks, most similar first (ties to the earlier training task). */
interface Neighbours {
  t: Int32Array;
  similarity: Float64Array;
}

interface TextModel {
  tfIdf: TermModel;
  search: NeighbourSearch;
  /** resolved[t · workers + w] for training task t (−1 when unknown). */
  resolved: Int8Array;
  cost: Float64Array;
  rate: Float64Array;
  meanCost: Float64Array;
  /** The `depth` nearest training tasks of a task, memoized per task id (shared by every k ≤ depth). */
  neighbours: Map<string, Neighbours>;
  depth: number;
}

function statementOf(task: TaskView): string {
  const value = task.features[STATEMENT_FEATURE];
  return typeof value === 'string' ? value : '';
}

/**
 * Each task's statement as terms, tokenized once per task view: a replay refits on the same
 * views again and again (every fold, inner fold and bandit refit), and tokenizing was most of
 * a fit. Kept with the statement it was made from, so a changed statement is tokenized afresh.
 */
const termsOfTask = new WeakMap<TaskView, { statement: string; terms: DocumentTerms }>();

/** The task's statement as terms of `interner`, memoized per task view (for one interner at a time). */
function statementTerms(task: TaskView, interner: TermInterner): DocumentTerms {
  const statement = statementOf(task);
  const cached = termsOfTask.get(task);
  if (cached && cached.statement === statement && cached.terms.interner === interner) return cached.terms;
  const terms = documentTerms(statement, interner);
  termsOfTask.set(task, { statement, terms });
  return terms;
}

/** The training tasks searched: all of them, or the `pool` with the smallest id hashes (ties by index). */
function searched(tasks: readonly TaskView[], pool: number): number[] {
  const all = tasks.map((_, t) => t);
  if (tasks.length <= pool) return all;
  const hash = tasks.map((task) => hashString(task.taskId));
  return all
    .sort((a, b) => (hash[a] as number) - (hash[b] as number) || a - b)
    .slice(0, pool)
    .sort((a, b) => a - b);
}

function fitTextModel(history: History, options: { pool: number; depth: number }): TextModel {
  const workers = history.workerIds.length;
  const nTasks = history.tasks.length;
  // One interner for every document of the model (the shared one is replaced only when full).
  const interner = currentInterner();
  const terms = history.tasks.map((task) => statementTerms(task, interner));
  const tfIdf = fitTermModel({ documents: terms, interner });
  const grid = historyGrid(history);
  const resolved = new Int8Array(nTasks * workers);
  const cost = new Float64Array(nTasks * workers);
  for (let t = 0; t < nTasks; t++) {
    const base = (grid.rows[t] as number) * workers;
    resolved.set(grid.resolved.subarray(base, base + workers), t * workers);
    cost.set(grid.costUsd.subarray(base, base + workers), t * workers);
  }
  const rate = new Float64Array(workers);
  const meanCost = new Float64Array(workers);
  for (let w = 0; w < workers; w++) {
    let solved = 0;
    let seen = 0;
    let spent = 0;
    for (let t = 0; t < nTasks; t++) {
      const outcome = resolved[t * workers + w] as number;
      if (outcome < 0) continue;
      seen++;
      solved += outcome;
      spent += cost[t * workers + w] as number;
    }
    rate[w] = (solved + 1) / (seen + 2);
    meanCost[w] = seen > 0 ? spent / seen : 0;
  }
  const documents = searched(history.tasks, options.pool).map((t) => ({ t, vector: termWeights(tfIdf, terms[t] as DocumentTerms) }));
  return {
    tfIdf,
    search: neighbourSearch({ documents, terms: tfIdf.idf.length }),
    resolved,
    cost,
    rate,
    meanCost,
    neighbours: new Map(),
    depth: options.depth,
  };
}

/**
 * Text router: k nearest training tasks by cosine similarity of TF-IDF vectors of the problem
 * statement (fitted on the training tasks only; cross-fitted by the replay). For each worker, its
 * similarity-weighted success rate and cost among those neighbours on which every worker that
 * already failed this task also failed, shrunk towards its overall rate and cost; each round it
 * assigns the worker with the highest V·p − c and abstains when none is positive. `k`, unless
 * given, is chosen by nested cross-validation inside the training history. Reimbursed at cost.
 * Neighbours are found through an inverted index (`neighbourSearch`) among at most `pool`
 * training tasks, so a task costs its words' posting lists, not one comparison per training task.
 */
export function textRouter(options: TextRouterOptions = {}): Mechanism {
  const pool = options.pool ?? TEXT_ROUTER_POOL;
  if (!(Number.isInteger(pool) && pool >= 1)) throw new InvalidInputError(`router:text's pool must be a positive integer, got ${pool}`, { field: 'mechanisms' });
  const name = `router:text${options.k === undefined ? '' : `:k=${options.k}`}${options.pool === undefined ? '' : `:pool=${pool}`}`;
  // Neighbours kept per task: as many as the largest k that may ask.
  const depth = Math.max(0, Math.trunc(options.k ?? Math.max(...TEXT_ROUTER_K_GRID)));
  // The model does not depend on k: nested CV fits it once per training set for every candidate.
  const models = new WeakMap<History, TextModel>();
  const modelOf = (history: History): TextModel => {
    let model = models.get(history);
    if (!model) {
      model = fitTextModel(history, { pool, depth });
      models.set(history, model);
    }
    return model;
  };
  const fixed = (k: number): Mechanism => ({
    name,
    parameters: { model: 'tf-idf k-NN', k, pool },
    fit: (history) => fittedTextRouter({ name, k, pool, history, model: modelOf(history) }),
    allocate: () => abstain({ reason: 'not fitted' }),
  });
  if (options.k !== undefined) return fixed(options.k);
  return {
    name,
    parameters: { model: 'tf-idf k-NN', k: 'nested-cv', pool },
    fit: (history, random, settings) => {
      const { chosen } = chooseByInnerCv({ history, settings, candidates: TEXT_ROUTER_K_GRID, build: fixed, random: random.fork('tune') });
      return (fixed(chosen).fit as NonNullable<Mechanism['fit']>)(history, random, settings);
    },
    allocate: () => abstain({ reason: 'not fitted' }),
  };
}

function fittedTextRouter(options: { name: string; k: number; pool: number; history: History; model: TextModel }): Mechanism {
  const { name, k, pool, history, model } = options;
  const workers = history.workerIds.length;
  const workerIndex = new Map(history.workerIds.map((workerId, index) => [workerId, index]));
  return {
    name,
    parameters: { model: 'tf-idf k-NN', k, pool },
    allocate: (task, _bids, context) => {
      let nearest = model.neighbours.get(task.taskId);
      if (!nearest) {
        nearest = model.search.nearest(termWeights(model.tfIdf, statementTerms(task, model.tfIdf.interner)), model.depth);
        model.neighbours.set(task.taskId, nearest);
      }
      const count = Math.min(Math.max(0, Math.trunc(k)), nearest.t.length);
      const failed = context.previous.map((attempt) => workerIndex.get(attempt.workerId)).filter((w): w is number => w !== undefined);
      // Neighbours where the workers that failed this task also failed: what the next worker faces.
      const relevant: number[] = [];
      let similaritySum = 0;
      for (let n = 0; n < count; n++) {
        const t = nearest.t[n] as number;
        if (failed.every((w) => model.resolved[t * workers + w] === 0)) {
          relevant.push(n);
          similaritySum += nearest.similarity[n] as number;
        }
      }
      let best: { workerId: string; value: number; p: number; cost: number } | undefined;
      for (const workerId of context.available) {
        const w = workerIndex.get(workerId);
        if (w === undefined) continue;
        let weight = 0;
        let solved = 0;
        let spent = 0;
        for (const n of relevant) {
          const cell = (nearest.t[n] as number) * workers + w;
          const outcome = model.resolved[cell] as number;
          if (outcome < 0) continue;
          const similarity = nearest.similarity[n] as number;
          weight += similarity;
          solved += similarity * outcome;
          spent += similarity * (model.cost[cell] as number);
        }
        const scale = relevant.length > 0 ? relevant.length / Math.max(1e-12, similaritySum) : 0;
        // Similarity weights are rescaled to neighbour counts so the prior weighs as PRIOR_WEIGHT tasks.
        const effective = weight * scale;
        const p = (solved * scale + PRIOR_WEIGHT * (model.rate[w] as number)) / (effective + PRIOR_WEIGHT);
        const cost = (spent * scale + PRIOR_WEIGHT * (model.meanCost[w] as number)) / (effective + PRIOR_WEIGHT);
        const value = context.value * p - cost;
        if (best === undefined || value > best.value) best = { workerId, value, p, cost };
      }
      if (!best || best.value <= 0) return abstain({ reason: 'no positive expected surplus' });
      return assignAtCost([best.workerId], { p: best.p, expectedCost: best.cost, neighbours: count });
    },
  };
}
