import type { TaskRun } from '../mechanisms/index.js';
import { RunColumns } from './run-columns.js';
import type { MechanismResult, ReplayTask } from './types.js';

/** Principal-side totals of one mechanism from its task runs (USD summed per task, then overall). */
export function summarizeRuns(options: {
  /** Task runs in the matrix's task order. */
  runs: TaskRun[];
  /** Value of a solved task, USD. */
  value: number;
  /** The mechanism's parameters. */
  parameters: Record<string, unknown>;
}): MechanismResult {
  const { runs, value, parameters } = options;
  return summarizeColumns({ columns: RunColumns.fromRuns(runs), value, parameters });
}

/**
 * `summarizeRuns` over column-stored runs (every task of `columns` added). The result's `perTask`
 * is built from the columns the first time it is read (then kept): a replay that never looks at
 * it (text output, JSON without `--per-task`, the benchmarks) never holds one object per task.
 * It reads and serializes as the plain array it always was.
 */
export function summarizeColumns(options: {
  /** The mechanism's per-task results. */
  columns: RunColumns;
  /** Value of a solved task, USD. */
  value: number;
  /** The mechanism's parameters. */
  parameters: Record<string, unknown>;
}): MechanismResult {
  const { columns, value, parameters } = options;
  const n = columns.taskIds.length;
  let solved = 0;
  let spendUsd = 0;
  let actualCostUsd = 0;
  let tokens = 0;
  let attempts = 0;
  // Counted in order of each worker's first attempt (task order, then round order), so the
  // records' keys keep that order.
  const attemptsBy = new Array<number>(columns.workerIds.length).fill(0);
  const resolvedBy = new Array<number>(columns.workerIds.length).fill(0);
  const order: number[] = [];
  for (let index = 0; index < n; index++) {
    if (columns.solved[index] === 1) solved++;
    spendUsd += columns.spendUsd[index] as number;
    actualCostUsd += columns.costUsd[index] as number;
    tokens += columns.tokens[index] as number;
    const first = columns.attemptFirst[index] as number;
    const count = columns.attemptCount[index] as number;
    for (let k = first; k < first + count; k++) {
      attempts++;
      const worker = columns.attemptWorker(k);
      if (attemptsBy[worker] === 0) order.push(worker);
      attemptsBy[worker] = (attemptsBy[worker] as number) + 1;
      if (columns.attemptResolved(k)) resolvedBy[worker] = (resolvedBy[worker] as number) + 1;
    }
  }
  const winShare: Record<string, number> = {};
  const conversion: Record<string, number> = {};
  for (const worker of order) {
    const workerId = columns.workerIds[worker] as string;
    const count = attemptsBy[worker] as number;
    winShare[workerId] = count / attempts;
    conversion[workerId] = (resolvedBy[worker] as number) / count;
  }
  const result = {
    parameters,
    solved,
    n,
    solveRate: n > 0 ? solved / n : 0,
    spendUsd,
    actualCostUsd,
    welfare: value * solved - actualCostUsd,
    costPerSolve: solved > 0 ? actualCostUsd / solved : null,
    spendPerSolve: solved > 0 ? spendUsd / solved : null,
    surplus: value * solved - spendUsd,
    workerRentUsd: spendUsd - actualCostUsd,
    tokensPerSolve: solved > 0 ? tokens / solved : null,
    attempts,
    winShare,
    conversion,
  } as MechanismResult;
  definePerTask(result, () => columns.tasks());
  return result;
}

/** Defines `result.perTask` (enumerable, in last position) as built by `build` on first read. */
function definePerTask(result: MechanismResult, build: () => ReplayTask[]): void {
  const settle = (target: MechanismResult, value: ReplayTask[]): void => {
    Object.defineProperty(target, 'perTask', { value, enumerable: true, writable: true, configurable: true });
  };
  Object.defineProperty(result, 'perTask', {
    enumerable: true,
    configurable: true,
    get(this: MechanismResult): ReplayTask[] {
      const value = build();
      settle(this, value);
      return value;
    },
    set(this: MechanismResult, value: ReplayTask[]) {
      settle(this, value);
    },
  });
}
