import type { Allocation, Bid, Payment, PricedPlan, Random } from '../core/index.js';
import { centralRouter } from './central-router.js';
import type { AllocationContext, AttemptRecord, Mechanism, MechanismDecision, TaskView } from './types.js';

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

/** What the driver needs from outside to go on: the attempts of a round, or the router's choice. */
export type RoundRequest =
  | {
      /**
       * Run these workers' attempts of this round (all at once) and answer with their records;
       * `plans` holds the production plan each won, whose caps the attempt must respect.
       */
      attempt: { round: number; workerIds: string[]; plans?: Record<string, PricedPlan> };
    }
  | {
      /** Answer with the router's choice for this round (a worker id, or null to abstain). */
      route: AllocationContext;
    };

/** The answer to a `RoundRequest`: attempt records by worker, or the router's choice. */
export type RoundAnswer = Record<string, AttemptRecord> | string | null;

/** Options of the multi-round driver. */
export interface TaskRoundsOptions {
  /** The (already fitted) mechanism; omit for a routed task, whose choices come from `route` requests. */
  mechanism?: Mechanism;
  /** The task allocated. */
  task: TaskView;
  /** Bids of the workers that bid on this task (any order; missing workers did not bid). */
  bids: Bid[];
  /** Every worker on the roster, in a fixed order. */
  roster: string[];
  /** Most rounds per task (≥ 1). */
  maxAttempts: number;
  /** The principal's value of a solved task. */
  value: number;
  /** Randomness for this task (fork per task so tasks are independent of each other). */
  random: Random;
  /** The true outcomes, for mechanisms that declare `usesOutcomes` (replay's oracle only). */
  reveal?: (workerId: string) => AttemptRecord;
}

/**
 * The multi-round driver as a generator: up to `maxAttempts` rounds per task. Each round the
 * mechanism sees the bids of the workers still available (a worker that failed the task is
 * excluded from its later rounds); the driver then yields `{ attempt }` for the assigned workers
 * and goes on with the records it is answered; the task stops at the first success, when the
 * mechanism abstains, or when nobody is left. A routed task (no `mechanism`) first yields
 * `{ route }` each round and allocates the worker it is answered (the central router's rules).
 * Replay answers synchronously (`runTaskRounds`); the live market answers with paid jobs, so the
 * rounds run once, never again from round 1. Also returns each round's decision.
 */
export function* taskRounds(options: TaskRoundsOptions): Generator<RoundRequest, TaskRun & { decisions: MechanismDecision[] }, RoundAnswer> {
  const { task, bids, roster, maxAttempts, value, random } = options;
  const excluded = new Set<string>();
  const previous: RoundAttempt[] = [];
  const payments: Payment[] = [];
  const allocations: Allocation[] = [];
  const decisions: MechanismDecision[] = [];
  let solved = false;
  let name = options.mechanism?.name ?? 'central';
  for (let round = 1; round <= maxAttempts && !solved; round++) {
    const available = roster.filter((workerId) => !excluded.has(workerId));
    if (available.length === 0) break;
    const open = bids.filter((bid) => !excluded.has(bid.workerId));
    const context: AllocationContext = { round, maxAttempts, value, roster, available, previous: previous.slice() };
    let mechanism = options.mechanism;
    if (!mechanism) {
      const choice = yield { route: context };
      if (choice !== null && typeof choice !== 'string') throw new Error('taskRounds: a route request needs a worker id or null');
      mechanism = centralRouter({ policy: () => choice });
    }
    name = mechanism.name;
    if (mechanism.usesOutcomes && options.reveal) context.reveal = options.reveal;
    const decision = mechanism.allocate(task, open, context, random);
    decisions.push(decision);
    const assigned = decision.workerIds.filter((workerId) => !excluded.has(workerId));
    const plans = decision.plans;
    const request = { round, workerIds: assigned, ...(plans ? { plans } : {}) };
    const records = assigned.length > 0 ? yield { attempt: request } : {};
    if (records === null || typeof records !== 'object') throw new Error('taskRounds: an attempt request needs records');
    const realized: Payment[] = [];
    for (const workerId of assigned) {
      const record = records[workerId];
      if (!record) throw new Error(`taskRounds: no attempt record for '${workerId}' in round ${round}`);
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
    allocations.push({ taskId: task.taskId, mechanism: name, round, workerIds: assigned, payments: realized, detail: decision.detail });
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
  return { taskId: task.taskId, solved, spendUsd, costUsd, tokens, attempts: previous, payments, allocations, decisions };
}

/**
 * The multi-round driver answered synchronously (replay): `taskRounds` with every attempt request
 * answered from `attempt`, which also serves as the oracle's `reveal`.
 */
export function runTaskRounds(options: Omit<TaskRoundsOptions, 'reveal' | 'mechanism'> & {
  /** The (already fitted) mechanism. */
  mechanism: Mechanism;
  /** The outcome of a worker's attempt on this task, under the plan it won (plan mechanisms). */
  attempt: (workerId: string, plan?: PricedPlan) => AttemptRecord;
}): TaskRun {
  const rounds = taskRounds({ ...options, reveal: options.attempt });
  let step = rounds.next();
  while (!step.done) {
    const request = step.value;
    if (!('attempt' in request)) throw new Error('runTaskRounds: a mechanism was given, so no route is asked');
    const records: Record<string, AttemptRecord> = {};
    for (const workerId of request.attempt.workerIds) records[workerId] = options.attempt(workerId, request.attempt.plans?.[workerId]);
    step = rounds.next(records);
  }
  const { decisions: _decisions, ...run } = step.value;
  return run;
}
