import type { Bid, PricedPlan, Random } from '../../core/index.js';
import {
  type AllocationContext,
  type AttemptRecord,
  type Mechanism,
  type MechanismDecision,
  type TaskRun,
  taskRounds,
  type TaskView,
} from '../../mechanisms/index.js';

/** What an async step may answer instead of a result: the run must stop. */
export interface StepStop {
  /** Why. */
  stop: 'budget' | 'signal' | 'failed';
  /** Detail for the log. */
  error?: string | undefined;
}

/** How a task's rounds under one arm ended. */
export type ClearedTask =
  | {
      /** Every round ran. */
      status: 'done';
      /** The driver's record: solved, attempts, realized payments, allocations per round. */
      run: TaskRun;
      /** The mechanism's decision of each round (index 0 = round 1). */
      decisions: MechanismDecision[];
      /** Router choices per round (router arm only). */
      routed: string[];
    }
  | ({ /** A step could not finish. */ status: 'stopped' } & StepStop);

/**
 * Clears one task under one arm in the live market with the SAME multi-round driver replay uses
 * (`taskRounds`: exclusion of failed workers, payments realized against outcomes), so a live run
 * and its replay cannot disagree about the rules. The driver is a generator: when it needs the
 * attempts of a round (every worker the round assigned, run at once) or the router's choice, it
 * yields the request, this function answers it with the async step, and the driver goes on from
 * where it stopped. A step that cannot finish (budget, signal) ends the task `stopped`.
 */
export async function clearTask(options: {
  /** The fitted mechanism (undefined for the router arm, whose decisions come from `route`). */
  mechanism: Mechanism | undefined;
  /** The task. */
  task: TaskView;
  /** The arm's bids (empty for arms that ignore bids). */
  bids: Bid[];
  /** Every worker on the roster, in a fixed order. */
  roster: string[];
  /** Most rounds. */
  maxAttempts: number;
  /** The principal's value of a solved task (the bounty), USD. */
  valueUsd: number;
  /** The arm's random stream for the task. */
  random: Random;
  /** Runs the attempts of `workerIds` in `round` (all at once), each under the plan it won (plan arms). */
  attempt: (workerIds: string[], round: number, plans?: Record<string, PricedPlan>) => Promise<{ records: Record<string, AttemptRecord> } | StepStop>;
  /** The router's choice for a round (router arm only). */
  route?: (context: AllocationContext) => Promise<string | StepStop>;
}): Promise<ClearedTask> {
  const routed: string[] = [];
  const rounds = taskRounds({
    ...(options.mechanism && { mechanism: options.mechanism }),
    task: options.task,
    bids: options.bids,
    roster: options.roster,
    maxAttempts: options.maxAttempts,
    value: options.valueUsd,
    random: options.random,
  });
  let step = rounds.next();
  while (!step.done) {
    const request = step.value;
    if ('route' in request) {
      if (!options.route) throw new Error('clearTask: the router arm needs route()');
      const choice = await options.route(request.route);
      if (typeof choice !== 'string') return { status: 'stopped', ...choice };
      routed[request.route.round - 1] = choice;
      step = rounds.next(choice);
      continue;
    }
    const result = await options.attempt(request.attempt.workerIds, request.attempt.round, request.attempt.plans);
    if (!('records' in result)) return { status: 'stopped', ...result };
    step = rounds.next(result.records);
  }
  const { decisions, ...run } = step.value;
  return { status: 'done', run, decisions, routed };
}
