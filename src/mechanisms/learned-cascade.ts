import type { Random } from '../core/index.js';
import { abstain, assignAtCost } from './decision.js';
import { historyGrid } from './history-grid.js';
import { chooseByInnerCv } from './nested-cv.js';
import { thompsonCompletedHistory } from './thompson-history.js';
import type { FitSettings, History, Mechanism, MechanismParameter } from './types.js';

/** Shrinkage values nested cross-validation chooses from when `shrink` is not given. */
export const CASCADE_SHRINK_GRID = [0, 5, 20, 100, 500] as const;

/** Options of the learned cascade. */
export interface LearnedCascadeOptions {
  /** Task feature whose values get their own order (default `repo`); tasks without it use the global order. */
  groupBy?: string;
  /** Pseudo-tasks of the global average mixed into each group's objective (default: chosen by nested CV from `CASCADE_SHRINK_GRID`). */
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
  const nTasks = history.tasks.length;
  const nWorkers = workers.length;
  const grid = historyGrid(history);
  // resolved / cost at t · nWorkers + w over the history's own tasks (no cell: failed at no cost).
  const resolved = new Uint8Array(nTasks * nWorkers);
  const cost = new Float64Array(nTasks * nWorkers);
  for (let t = 0; t < nTasks; t++) {
    const base = (grid.rows[t] as number) * nWorkers;
    for (let w = 0; w < nWorkers; w++) {
      const k = t * nWorkers + w;
      if ((grid.resolved[base + w] as number) < 0) continue;
      resolved[k] = grid.resolved[base + w] as number;
      cost[k] = grid.costUsd[base + w] as number;
    }
  }
  const groupOf = history.tasks.map((task) => {
    const value = task.features[groupBy];
    return value === undefined ? '' : String(value);
  });
  const groups = [...new Set(groupOf)].filter((group) => group !== '');
  const groupIndex = new Map(groups.map((group, index) => [group, index]));
  const groupOfIndex = groupOf.map((group) => groupIndex.get(group) ?? -1);
  const groupOfTask = Int32Array.from(groupOfIndex);

  interface Sequence {
    order: number[];
    utility: Float64Array;
    done: Uint8Array;
  }
  const empty: Sequence = { order: [], utility: new Float64Array(nTasks), done: new Uint8Array(nTasks) };
  // One pass per sequence sums its utility per group; every target's score is then O(1).
  const sums = (sequence: Sequence): { all: number; byGroup: Float64Array } => {
    const byGroup = new Float64Array(groups.length);
    let all = 0;
    for (let t = 0; t < nTasks; t++) {
      const u = sequence.utility[t] as number;
      all += u;
      const g = groupOfIndex[t] as number;
      if (g >= 0) byGroup[g] = (byGroup[g] as number) + u;
    }
    return { all, byGroup };
  };
  const scoreOf = (totals: { all: number; byGroup: Float64Array }, target: number): number => {
    const mean = nTasks > 0 ? totals.all / nTasks : 0;
    return target < 0 ? mean : (totals.byGroup[target] as number) + shrink * mean;
  };
  // Target −1 is the global order; 0.. are the groups.
  const targets: number[] = [-1, ...groups.map((_, index) => index)];
  const best = new Map<number, { sequence: Sequence; score: number }>();
  const emptyTotals = sums(empty);
  for (const target of targets) best.set(target, { sequence: empty, score: scoreOf(emptyTotals, target) });
  const deepest = Math.min(settings.maxAttempts, nWorkers);
  let frontier: Sequence[] = [empty];
  for (let depth = 1; depth <= deepest; depth++) {
    if (depth === deepest) {
      // The last depth keeps no frontier, so each extension's utilities are summed as they are
      // made (the same values, added in the same task order as `sums`) and never stored; per
      // target the first extension with the highest score wins, as the stable sort's first
      // entry did.
      // One pass over the tasks per parent extends it by every worker at once (task-major, as
      // `cost` and `resolved` are laid out); each extension's sums still add its utilities in task order.
      const nGroups = groups.length;
      const value = settings.value;
      const allOf = new Float64Array(nWorkers);
      const groupSums = new Float64Array(nGroups * nWorkers);
      const byGroup = new Float64Array(nGroups);
      const totals = { all: 0, byGroup };
      const leaders = targets.map((target) => (best.get(target) as { sequence: Sequence; score: number }).score);
      const leaderOrders: (number[] | undefined)[] = targets.map(() => undefined);
      for (const parent of frontier) {
        allOf.fill(0);
        groupSums.fill(0);
        const { utility, done } = parent;
        for (let t = 0; t < nTasks; t++) {
          const before = utility[t] as number;
          const g = groupOfTask[t] as number;
          const row = t * nWorkers;
          const groupRow = g * nWorkers;
          if (done[t]) {
            for (let w = 0; w < nWorkers; w++) allOf[w] = (allOf[w] as number) + before;
            if (g >= 0) for (let w = 0; w < nWorkers; w++) groupSums[groupRow + w] = (groupSums[groupRow + w] as number) + before;
            continue;
          }
          for (let w = 0; w < nWorkers; w++) {
            let u = before - (cost[row + w] as number);
            if (resolved[row + w]) u = u + value;
            allOf[w] = (allOf[w] as number) + u;
            if (g >= 0) groupSums[groupRow + w] = (groupSums[groupRow + w] as number) + u;
          }
        }
        for (let w = 0; w < nWorkers; w++) {
          if (parent.order.includes(w)) continue;
          totals.all = allOf[w] as number;
          for (let g = 0; g < nGroups; g++) byGroup[g] = groupSums[g * nWorkers + w] as number;
          targets.forEach((target, i) => {
            const score = scoreOf(totals, target);
            if (score > (leaders[i] as number)) {
              leaders[i] = score;
              leaderOrders[i] = [...parent.order, w];
            }
          });
        }
      }
      targets.forEach((target, i) => {
        const order = leaderOrders[i];
        if (order) best.set(target, { sequence: { order, utility: empty.utility, done: empty.done }, score: leaders[i] as number });
      });
      break;
    }
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
    const totals = extended.map(sums);
    for (const target of targets) {
      const ranked = extended.map((sequence, index) => ({ sequence, score: scoreOf(totals[index] as { all: number; byGroup: Float64Array }, target) }));
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
  groups.forEach((group, index) => {
    byGroup[group] = toIds((best.get(index) as { sequence: Sequence }).sequence.order);
  });
  return { byGroup, global: toIds((best.get(-1) as { sequence: Sequence }).sequence.order) };
}

/**
 * Cascade with an order learned from history (cross-fitted by the replay): per value of a task
 * feature (default the repository), the order of up to maxAttempts workers that maximized the
 * welfare V·solved − cost on the other tasks, shrunk towards the global order's performance.
 * The shrinkage, unless given, is chosen by nested cross-validation inside the training history
 * (the fitted mechanism's `parameters.shrink` says which). Each round assigns the next worker of
 * the task's order; abstains when the order is exhausted (including at once when abstaining was
 * best). Reimbursed at cost.
 */
export function learnedCascade(options: LearnedCascadeOptions = {}): Mechanism {
  const groupBy = options.groupBy ?? 'repo';
  const beam = options.beam ?? 25;
  const name = `cascade:learned${options.groupBy === undefined ? '' : `:groupBy=${groupBy}`}${
    options.shrink === undefined ? '' : `:shrink=${options.shrink}`
  }${options.beam === undefined ? '' : `:beam=${beam}`}`;
  const fixed = (shrink: number): Mechanism => ({
    name,
    parameters: { groupBy, shrink, beam },
    fit: (history, random, settings) =>
      orderedCascade({
        name,
        parameters: { groupBy, shrink, beam },
        groupBy,
        orders: fitLearnedOrders({ history: explored(history, random, settings), settings, groupBy, shrink, beam }),
      }),
    allocate: () => abstain({ reason: 'not fitted' }),
  });
  if (options.shrink !== undefined) return fixed(options.shrink);
  return {
    name,
    parameters: { groupBy, shrink: 'nested-cv', beam },
    fit: (history, random, settings) => {
      const { chosen } = chooseByInnerCv({ history, settings, candidates: CASCADE_SHRINK_GRID, build: fixed, random: random.fork('tune') });
      return (fixed(chosen).fit as NonNullable<Mechanism['fit']>)(history, random, settings);
    },
    allocate: () => abstain({ reason: 'not fitted' }),
  };
}

/**
 * The best cascade of at most maxAttempts workers chosen on the training tasks alone, one global
 * order for every task (no grouping, no hyper-parameter): the baseline a learned allocation must beat.
 */
export function pairCascade(): Mechanism {
  const name = 'cascade:pair';
  // No task has a feature named '' so every task uses the global order.
  const parameters = { groupBy: 'none' };
  return {
    name,
    parameters,
    fit: (history, random, settings) =>
      orderedCascade({
        name,
        parameters,
        groupBy: '',
        orders: fitLearnedOrders({ history: explored(history, random, settings), settings, groupBy: '', shrink: 0, beam: history.workerIds.length }),
      }),
    allocate: () => abstain({ reason: 'not fitted' }),
  };
}

/**
 * The history a cascade's orders are fitted on: as given under full feedback; under bandit
 * feedback completed by one Thompson draw of the unseen cells, so the cascade explores (a
 * Thompson-sampled order) until its own attempts pin the workers down.
 */
function explored(history: History, random: Random, settings: FitSettings): History {
  return settings.explore ? thompsonCompletedHistory(history, random.fork('explore')) : history;
}

/** A cascade following fitted orders: per group of `groupBy`, else the global order. */
function orderedCascade(options: {
  name: string;
  parameters: Record<string, MechanismParameter>;
  groupBy: string;
  orders: LearnedOrders;
}): Mechanism {
  const { name, parameters, groupBy, orders } = options;
  return {
    name,
    parameters: { ...parameters, order: orders.global },
    allocate: (task, _bids, context) => {
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
