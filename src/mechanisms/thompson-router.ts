import type { Random } from '../core/index.js';
import { abstain, assignAtCost } from './decision.js';
import { forEachCell } from './history-grid.js';
import type { AttemptRecord, History, Mechanism, TaskView } from './types.js';

/** Pseudo-tasks of a worker's overall rate in each repository's prior. */
const GROUP_PRIOR = 5;

/** Counts behind one posterior. */
interface Counts {
  solved: number;
  failed: number;
  cost: number;
}

/** A Gamma(shape, 1) draw (Marsaglia–Tsang; shape < 1 by the boost u^(1/shape)). */
function gamma(random: Random, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * random.next() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = random.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = random.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A Beta(a, b) draw from two Gamma draws. */
export function betaDraw(random: Random, a: number, b: number): number {
  const x = gamma(random, a);
  const y = gamma(random, b);
  return x / (x + y);
}

/**
 * Thompson-sampling router, the learner for bandit feedback: per worker a Beta posterior on its
 * success in the task's repository (prior: the worker's overall smoothed rate worth
 * `GROUP_PRIOR` tasks) and its mean cost so far (0 before its first attempt, so untried workers
 * get tried: optimism in the face of uncertainty). Each round it draws p̃ from every available
 * worker's posterior and assigns the highest V·p̃ − ĉ, abstaining when none is positive.
 * `observe` updates the counts with the outcomes of its own attempts only, one task at a time
 * (no refit). `fit` (full feedback) observes every cell of the history instead. Reimbursed at cost.
 */
export function thompsonRouter(): Mechanism {
  return thompsonState(new Map(), new Map());
}

function thompsonState(overall: Map<string, Counts>, byGroup: Map<string, Counts>): Mechanism {
  const add = (map: Map<string, Counts>, key: string, attempt: Pick<AttemptRecord, 'resolved' | 'costUsd'>) => {
    const counts = map.get(key) ?? { solved: 0, failed: 0, cost: 0 };
    if (attempt.resolved) counts.solved++;
    else counts.failed++;
    counts.cost += attempt.costUsd;
    map.set(key, counts);
  };
  const observeOne = (task: TaskView, attempt: Pick<AttemptRecord, 'workerId' | 'resolved' | 'costUsd'>) => {
    add(overall, attempt.workerId, attempt);
    add(byGroup, `${String(task.features.repo ?? '')}\u0000${attempt.workerId}`, attempt);
  };
  return {
    name: 'router:thompson',
    parameters: { model: 'Thompson sampling, Beta per repository × worker', groupPrior: GROUP_PRIOR },
    fit: (history: History) => {
      const overallCopy = new Map<string, Counts>();
      const groupCopy = new Map<string, Counts>();
      const fitted = thompsonState(overallCopy, groupCopy);
      forEachCell(history, (task, cell) => fitted.observe?.(task, [cell]));
      return fitted;
    },
    observe: (task, attempts) => {
      for (const attempt of attempts) observeOne(task, attempt);
    },
    allocate: (task, _bids, context, random) => {
      let best: { workerId: string; value: number; p: number } | undefined;
      for (const workerId of context.available) {
        const all = overall.get(workerId) ?? { solved: 0, failed: 0, cost: 0 };
        const tries = all.solved + all.failed;
        const rate = (all.solved + 1) / (tries + 2);
        const group = byGroup.get(`${String(task.features.repo ?? '')}\u0000${workerId}`) ?? { solved: 0, failed: 0, cost: 0 };
        const p = betaDraw(random.fork(`${context.round}/${workerId}`), group.solved + GROUP_PRIOR * rate + 0.5, group.failed + GROUP_PRIOR * (1 - rate) + 0.5);
        const cost = tries > 0 ? all.cost / tries : 0;
        const value = context.value * p - cost;
        if (best === undefined || value > best.value) best = { workerId, value, p };
      }
      if (!best || best.value <= 0) return abstain({ reason: 'no positive sampled surplus' });
      return assignAtCost([best.workerId], { sampledP: best.p });
    },
  };
}
