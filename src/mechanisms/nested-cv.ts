import type { Random } from '../core/index.js';
import { gridHistory, historyGrid } from './history-grid.js';
import type { AllocationContext, AttemptRecord, FitSettings, History, Mechanism, MechanismParameter } from './types.js';

/**
 * The history restricted to some of its tasks (cells of the other tasks dropped). It shares the
 * history's grid (only the row index of the kept tasks is new), and makes its cells only if read.
 */
export function subHistory(history: History, taskIds: ReadonlySet<string>): History {
  const grid = historyGrid(history);
  const kept: number[] = [];
  history.tasks.forEach((task, t) => {
    if (taskIds.has(task.taskId)) kept.push(t);
  });
  return gridHistory({
    workerIds: history.workerIds,
    tasks: kept.map((t) => history.tasks[t] as History['tasks'][number]),
    grid: { ...grid, rows: Int32Array.from(kept, (t) => grid.rows[t] as number) },
    blendedPrice: history.blendedPrice,
    cellsOf: () => history.cells.filter((cell) => taskIds.has(cell.taskId)),
  });
}

/**
 * Welfare V·solved − actual cost of an already fitted mechanism on the given history tasks,
 * replayed round by round on their recorded outcomes (no bids: only for mechanisms that allocate
 * from features and history, such as the learned cascade and routers). Each task's roster is the
 * workers with a cell on it; tasks without cells are skipped. The rounds follow the multi-round
 * driver's rules (`taskRounds`: a failed worker is excluded from later rounds, the task stops at
 * the first success, an abstention or an empty roster) but keep only the welfare: no payments and
 * no allocation records, since nested CV asks for this once per task, fold and candidate.
 */
export function historyWelfare(options: {
  /** The fitted mechanism. */
  mechanism: Mechanism;
  /** The history holding the evaluated tasks' cells. */
  history: History;
  /** V and maxAttempts. */
  settings: FitSettings;
  /** Randomness (forked per task). */
  random: Random;
}): number {
  const { mechanism, history, settings, random } = options;
  const { value, maxAttempts } = settings;
  const { resolved, costUsd, tokens, rows } = historyGrid(history);
  const workers = history.workerIds.length;
  const workerIndex = new Map(history.workerIds.map((workerId, index) => [workerId, index]));
  let welfare = 0;
  history.tasks.forEach((task, t) => {
    const base = (rows[t] as number) * workers;
    const roster = history.workerIds.filter((_, w) => (resolved[base + w] as number) >= 0);
    if (roster.length === 0) return;
    const record = (workerId: string): AttemptRecord => {
      const k = base + (workerIndex.get(workerId) as number);
      return { workerId, resolved: resolved[k] === 1, costUsd: costUsd[k] as number, tokens: tokens[k] as number };
    };
    const taskRandom = random.fork(task.taskId);
    const excluded = new Set<string>();
    const previous: AttemptRecord[] = [];
    let solved = false;
    for (let round = 1; round <= maxAttempts && !solved; round++) {
      const available = excluded.size === 0 ? roster : roster.filter((workerId) => !excluded.has(workerId));
      if (available.length === 0) break;
      const context: AllocationContext = { round, maxAttempts, value, roster, available, previous: previous.slice() };
      if (mechanism.usesOutcomes) context.reveal = record;
      const decision = mechanism.allocate(task, [], context, taskRandom);
      const assigned = decision.workerIds.filter((workerId) => !excluded.has(workerId));
      for (const workerId of assigned) {
        const attempt = record(workerId);
        previous.push({ ...attempt, round } as AttemptRecord);
        if (attempt.resolved) solved = true;
        else excluded.add(workerId);
      }
      if (assigned.length === 0) break;
    }
    // Summed in attempt order, as the driver sums a task's cost.
    let cost = 0;
    for (const attempt of previous) cost += attempt.costUsd;
    welfare += (solved ? value : 0) - cost;
  });
  return welfare;
}

/** Inner folds of nested cross-validation (inside each outer training fold). */
export const INNER_FOLDS = 3;

/**
 * Nested cross-validation of one hyper-parameter: the training history (the outer fold's other
 * tasks; the held-out tasks never reach it) is dealt into `INNER_FOLDS` inner folds; each
 * candidate is fitted on the inner training tasks and scored by its welfare on the inner held-out
 * tasks, summed over inner folds; the best candidate (ties to the earlier) is returned with the
 * scores. Deterministic given `random`.
 */
export function chooseByInnerCv<T extends MechanismParameter>(options: {
  /** The outer training history. */
  history: History;
  /** V and maxAttempts. */
  settings: FitSettings;
  /** Candidate values, in order of preference on ties. */
  candidates: readonly T[];
  /** The unfitted mechanism with a candidate value. */
  build: (candidate: T) => Mechanism;
  /** Seeded randomness for the inner folds and the fits. */
  random: Random;
}): { chosen: T; scores: number[] } {
  const { history, settings, candidates, build, random } = options;
  const order = random.fork('inner-folds').shuffle(history.tasks.map((task) => task.taskId));
  const folds = Math.min(INNER_FOLDS, order.length);
  const scores = candidates.map(() => 0);
  if (folds < 2) return { chosen: candidates[0] as T, scores };
  for (let fold = 0; fold < folds; fold++) {
    const heldOut = new Set(order.filter((_, index) => index % folds === fold));
    const training = new Set(order.filter((_, index) => index % folds !== fold));
    const trainHistory = subHistory(history, training);
    const testHistory = subHistory(history, heldOut);
    candidates.forEach((candidate, index) => {
      const mechanism = build(candidate);
      const fitted = mechanism.fit ? mechanism.fit(trainHistory, random.fork(`inner/${fold}/${index}`), settings) : mechanism;
      scores[index] = (scores[index] as number) + historyWelfare({ mechanism: fitted, history: testHistory, settings, random: random.fork(`score/${fold}/${index}`) });
    });
  }
  let best = 0;
  scores.forEach((score, index) => {
    if (score > (scores[best] as number)) best = index;
  });
  return { chosen: candidates[best] as T, scores };
}
