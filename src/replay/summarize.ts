import type { TaskRun } from '../mechanisms/index.js';
import type { MechanismResult } from './types.js';

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
  let solved = 0;
  let spendUsd = 0;
  let actualCostUsd = 0;
  let tokens = 0;
  let attempts = 0;
  const attemptsBy: Record<string, number> = {};
  const resolvedBy: Record<string, number> = {};
  for (const run of runs) {
    if (run.solved) solved++;
    spendUsd += run.spendUsd;
    actualCostUsd += run.costUsd;
    tokens += run.tokens;
    for (const attempt of run.attempts) {
      attempts++;
      attemptsBy[attempt.workerId] = (attemptsBy[attempt.workerId] ?? 0) + 1;
      if (attempt.resolved) resolvedBy[attempt.workerId] = (resolvedBy[attempt.workerId] ?? 0) + 1;
    }
  }
  const winShare: Record<string, number> = {};
  const conversion: Record<string, number> = {};
  for (const [workerId, count] of Object.entries(attemptsBy)) {
    winShare[workerId] = count / attempts;
    conversion[workerId] = (resolvedBy[workerId] ?? 0) / count;
  }
  const n = runs.length;
  return {
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
    perTask: runs.map((run) => ({
      taskId: run.taskId,
      solved: run.solved,
      spendUsd: run.spendUsd,
      attempts: run.attempts.map(({ workerId, resolved, costUsd: cost }) => ({ workerId, resolved, costUsd: cost })),
    })),
  };
}
