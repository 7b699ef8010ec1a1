import type { Allocation, Bid, Payment, Random } from '../core/index.js';
import type { AttemptRecord, Mechanism, TaskView } from './types.js';

/** One attempt made during a task's rounds. */
export interface RoundAttempt extends AttemptRecord {
  /** The 1-based round that assigned it. */
  round: number;
}

/** Everything that happened to one task under one mechanism. */
export interface TaskRun {
  /** The task. */
  taskId: string;
  /** Whether any attempt resolved it. */
  solved: boolean;
  /** Sum of realized payments to workers, USD. */
  spendUsd: number;
  /** Sum of the actual costs of all attempts, USD. */
  costUsd: number;
  /** Sum of the actual tokens of all attempts. */
  tokens: number;
  /** Attempts in order. */
  attempts: RoundAttempt[];
  /** Realized payments (conditional promises resolved against the outcomes). */
  payments: Payment[];
  /** One allocation per round the mechanism was asked about (abstentions included). */
  allocations: Allocation[];
}

/**
 * The multi-round driver: up to `maxAttempts` rounds per task. Each round the mechanism sees
 * the bids of the workers still available (a worker that failed the task is excluded from its
 * later rounds), the assigned workers attempt, and the task stops at the first success, when
 * the mechanism abstains, or when nobody is left.
 */
export function runTaskRounds(options: {
  /** The (already fitted) mechanism. */
  mechanism: Mechanism;
  /** The task allocated. */
  task: TaskView;
  /** Bids of the workers that bid on this task (any order; missing workers did not bid). */
  bids: Bid[];
  /** Every worker on the roster, in a fixed order. */
  roster: string[];
  /** The outcome of a worker's attempt on this task. */
  attempt: (workerId: string) => AttemptRecord;
  /** Most rounds per task (≥ 1). */
  maxAttempts: number;
  /** The principal's value of a solved task. */
  value: number;
  /** Randomness for this task (fork per task so tasks are independent of each other). */
  random: Random;
}): TaskRun {
  const { mechanism, task, bids, roster, attempt, maxAttempts, value, random } = options;
  const excluded = new Set<string>();
  const previous: RoundAttempt[] = [];
  const payments: Payment[] = [];
  const allocations: Allocation[] = [];
  let solved = false;
  for (let round = 1; round <= maxAttempts && !solved; round++) {
    const available = roster.filter((workerId) => !excluded.has(workerId));
    if (available.length === 0) break;
    const open = bids.filter((bid) => !excluded.has(bid.workerId));
    const decision = mechanism.allocate(
      task,
      open,
      {
        round,
        maxAttempts,
        value,
        roster,
        available,
        previous: previous.slice(),
        ...(mechanism.usesOutcomes ? { reveal: attempt } : {}),
      },
      random,
    );
    const assigned = decision.workerIds.filter((workerId) => !excluded.has(workerId));
    const realized: Payment[] = [];
    for (const workerId of assigned) {
      const record = attempt(workerId);
      previous.push({ ...record, round });
      if (record.resolved) solved = true;
      else excluded.add(workerId);
      for (const promise of decision.payments) {
        if (promise.workerId !== workerId) continue;
        if (promise.when === 'always' || (promise.when === 'success') === record.resolved) {
          realized.push({ workerId, amount: promise.amount, reason: promise.reason });
        }
      }
      if (decision.reimburseCost) realized.push({ workerId, amount: record.costUsd, reason: 'cost' });
    }
    payments.push(...realized);
    allocations.push({
      taskId: task.taskId,
      mechanism: mechanism.name,
      round,
      workerIds: assigned,
      payments: realized,
      detail: decision.detail,
    });
    if (assigned.length === 0) break;
  }
  let spendUsd = 0;
  for (const payment of payments) spendUsd += payment.amount;
  let costUsd = 0;
  let tokens = 0;
  for (const record of previous) {
    costUsd += record.costUsd;
    tokens += record.tokens;
  }
  return { taskId: task.taskId, solved, spendUsd, costUsd, tokens, attempts: previous, payments, allocations };
}
