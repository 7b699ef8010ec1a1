import { abstain, assignAtCost } from './decision.js';
import type { FitSettings, History, Mechanism } from './types.js';

/** Options of the learned cascade. */
export interface LearnedCascadeOptions {
  /** Task feature whose values get their own order (default `repo`); tasks without it use the global order. */
  groupBy?: string;
  /** Pseudo-tasks of the global average mixed into each group's objective (default 100). */
  shrink?: number;
  /** Sequences kept per group at each depth of the search (default 25). */
  beam?: number;
}

/** The orders a learned cascade fitted: one per group value and a global one. */
export interface LearnedOrders {
  /** Order per value of the grouping feature. */
  byGroup: Record<string, string[]>;
  /** Order for tasks of groups unseen in history. */
  global: string[];
}

/**
 * Fits cascade orders on history. The utility of an order on a task is V·solved − cost, where
 * the order's workers attempt in turn until one resolves (the actual recorded outcomes and
 * costs). For each group g the chosen order maximizes Σ_{t∈g} u(t) + shrink·mean_all u(t) over
 * orders of length 0 (abstain) to maxAttempts, found by beam search (exhaustive up to length 2
 * when beam ≥ the roster size). Shorter orders win when a further attempt is not worth its
 * expected cost: expected-value stopping learned from history.
 */
export function fitLearnedOrders(options: {
  /** The training history (other tasks only). */
  history: History;
  /** V and maxAttempts. */
  settings: FitSettings;
  /** Grouping feature. */
  groupBy: string;
  /** Shrinkage pseudo-count. */
  shrink: number;
  /** Beam width. */
  beam: number;
}): LearnedOrders {
  const { history, settings, groupBy, shrink, beam } = options;
  const workers = history.workerIds;
  const taskIndex = new Map(history.tasks.map((task, index) => [task.taskId, index]));
  const nTasks = history.tasks.length;
  const nWorkers = workers.length;
  const resolved = new Uint8Array(nTasks * nWorkers);
  const cost = new Float64Array(nTasks * nWorkers);
  const workerIndex = new Map(workers.map((workerId, index) => [workerId, index]));
  for (const cell of history.cells) {
    const t = taskIndex.get(cell.taskId);
    const w = workerIndex.get(cell.workerId);
    if (t === undefined || w === undefined) continue;
    resolved[t * nWorkers + w] = cell.resolved ? 1 : 0;
    cost[t * nWorkers + w] = cell.costUsd;
  }
  const groupOf = history.tasks.map((task) => {
    const value = task.features[groupBy];
    return value === undefined ? '' : String(value);
  });
  const groups = [...new Set(groupOf)].filter((group) => group !== '');

  interface Sequence {
    order: number[];
    utility: Float64Array;
    done: Uint8Array;
  }
  const empty: Sequence = { order: [], utility: new Float64Array(nTasks), done: new Uint8Array(nTasks) };
  const score = (sequence: Sequence, group: string | undefined): number => {
    let inGroup = 0;
    let all = 0;
    for (let t = 0; t < nTasks; t++) {
      const u = sequence.utility[t] as number;
      all += u;
      if (group !== undefined && groupOf[t] === group) inGroup += u;
    }
    const mean = nTasks > 0 ? all / nTasks : 0;
    return group === undefined ? mean : inGroup + shrink * mean;
  };
  const targets: (string | undefined)[] = [undefined, ...groups];
  const best = new Map<string | undefined, { sequence: Sequence; score: number }>();
  for (const target of targets) best.set(target, { sequence: empty, score: score(empty, target) });
  let frontier: Sequence[] = [empty];
  for (let depth = 1; depth <= settings.maxAttempts && depth <= nWorkers; depth++) {
    const extended: Sequence[] = [];
    for (const parent of frontier) {
      for (let w = 0; w < nWorkers; w++) {
        if (parent.order.includes(w)) continue;
        const utility = parent.utility.slice();
        const done = parent.done.slice();
        for (let t = 0; t < nTasks; t++) {
          if (done[t]) continue;
          const k = t * nWorkers + w;
          utility[t] = (utility[t] as number) - (cost[k] as number);
          if (resolved[k]) {
            utility[t] = (utility[t] as number) + settings.value;
            done[t] = 1;
          }
        }
        extended.push({ order: [...parent.order, w], utility, done });
      }
    }
    const keep = new Set<Sequence>();
    for (const target of targets) {
      const ranked = extended.map((sequence) => ({ sequence, score: score(sequence, target) }));
      ranked.sort((a, b) => b.score - a.score);
      const top = ranked[0];
      const current = best.get(target);
      if (top && current && top.score > current.score) best.set(target, top);
      for (const entry of ranked.slice(0, beam)) keep.add(entry.sequence);
    }
    frontier = [...keep];
  }
  const toIds = (order: number[]): string[] => order.map((w) => workers[w] as string);
  const byGroup: Record<string, string[]> = {};
  for (const group of groups) byGroup[group] = toIds((best.get(group) as { sequence: Sequence }).sequence.order);
  return { byGroup, global: toIds((best.get(undefined) as { sequence: Sequence }).sequence.order) };
}

/**
 * Cascade with an order learned from history (cross-fitted by the replay): per value of a task
 * feature (default the repository), the order of up to maxAttempts workers that maximized the
 * principal's surplus V·solved − cost on the other tasks, shrunk towards the global order's
 * performance. Each round assigns the next worker of the task's order; abstains when the order
 * is exhausted (including at once when abstaining was best). Reimbursed at cost.
 */
export function learnedCascade(options: LearnedCascadeOptions = {}, orders?: LearnedOrders): Mechanism {
  const groupBy = options.groupBy ?? 'repo';
  const shrink = options.shrink ?? 100;
  const beam = options.beam ?? 25;
  const name = `cascade:learned${options.groupBy === undefined ? '' : `:groupBy=${groupBy}`}${
    options.shrink === undefined ? '' : `:shrink=${shrink}`
  }${options.beam === undefined ? '' : `:beam=${beam}`}`;
  return {
    name,
    parameters: { groupBy, shrink, beam },
    fit: (history, _random, settings) =>
      learnedCascade(options, fitLearnedOrders({ history, settings, groupBy, shrink, beam })),
    allocate: (task, _bids, context) => {
      if (!orders) return abstain({ reason: 'not fitted' });
      const group = task.features[groupBy];
      const order = (group === undefined ? undefined : orders.byGroup[String(group)]) ?? orders.global;
      const tried = new Set(context.previous.map((attempt) => attempt.workerId));
      const position = context.round - 1;
      const next = order[position];
      if (next === undefined || tried.has(next) || !context.available.includes(next)) {
        return abstain({ order, reason: 'order exhausted' });
      }
      return assignAtCost([next], { order });
    },
  };
}
