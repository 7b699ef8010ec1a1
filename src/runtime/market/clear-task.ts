import type { Bid, Random } from '../../core/index.js';
import {
  type AllocationContext,
  type AttemptRecord,
  centralRouter,
  type Mechanism,
  type MechanismDecision,
  runTaskRounds,
  type TaskRun,
  type TaskView,
} from '../../mechanisms/index.js';

/** Thrown inside the (synchronous) driver when it needs something only an async step can give. */
class Pending extends Error {
  override name = 'Pending';
}

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
 * (`runTaskRounds`: exclusion of failed workers, payments realized against outcomes), so a live
 * run and its replay cannot disagree about the rules. The driver is synchronous; the live steps
 * (attempts, router calls) are not. So the driver is run from the start with the answers known so
 * far; when it asks for one it does not have, it is stopped, the missing step runs (every worker
 * the round assigned at once), and the driver runs again. Mechanisms are pure and get a freshly
 * forked `Random` each pass, so every pass repeats the earlier rounds exactly; a task has at most
 * `maxAttempts` rounds, so the repeats cost nothing worth counting.
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
  /** The principal's value of a solved task (the bounty). */
  value: number;
  /** A fresh fork of the arm's random stream for the task (called once per pass). */
  random: () => Random;
  /** Runs the attempts of `workerIds` in `round` (all at once). */
  attempt: (workerIds: string[], round: number) => Promise<{ records: Record<string, AttemptRecord> } | StepStop>;
  /** The router's choice for a round (router arm only). */
  route?: (context: AllocationContext) => Promise<string | StepStop>;
}): Promise<ClearedTask> {
  const known = new Map<string, AttemptRecord>();
  const routed: string[] = [];
  for (;;) {
    const decisions: MechanismDecision[] = [];
    let need: { kind: 'route'; context: AllocationContext } | { kind: 'attempt'; round: number } | undefined;
    let round = 0;
    const inner =
      options.mechanism ??
      centralRouter({
        policy: (_task, context) => {
          const choice = routed[context.round - 1];
          if (choice !== undefined) return choice;
          need = { kind: 'route', context };
          throw new Pending();
        },
      });
    const mechanism: Mechanism = {
      ...inner,
      allocate: (task, bids, context, random) => {
        round = context.round;
        const decision = inner.allocate(task, bids, context, random);
        decisions[context.round - 1] = decision;
        return decision;
      },
    };
    try {
      const run = runTaskRounds({
        mechanism,
        task: options.task,
        bids: options.bids,
        roster: options.roster,
        maxAttempts: options.maxAttempts,
        value: options.value,
        random: options.random(),
        attempt: (workerId) => {
          const record = known.get(workerId);
          if (record) return record;
          need = { kind: 'attempt', round };
          throw new Pending();
        },
      });
      return { status: 'done', run, decisions, routed };
    } catch (error) {
      if (!(error instanceof Pending)) throw error;
    }
    const pending = need as { kind: 'route'; context: AllocationContext } | { kind: 'attempt'; round: number };
    if (pending.kind === 'route') {
      if (!options.route) throw new Error('clearTask: the router arm needs route()');
      const choice = await options.route(pending.context);
      if (typeof choice !== 'string') return { status: 'stopped', ...choice };
      routed[pending.context.round - 1] = choice;
      continue;
    }
    const assigned = (decisions[pending.round - 1]?.workerIds ?? []).filter((workerId) => !known.has(workerId));
    const result = await options.attempt(assigned, pending.round);
    if (!('records' in result)) return { status: 'stopped', ...result };
    for (const [workerId, record] of Object.entries(result.records)) known.set(workerId, record);
  }
}
