import { abstain, assignAtCost } from './decision.js';
import type { AllocationContext, Mechanism, TaskView } from './types.js';

/** A central router's policy: the worker to assign this round, or null to abstain. */
export type RouterPolicy = (task: TaskView, context: AllocationContext) => string | null;

/** Options of the central-router interface. */
export interface CentralRouterOptions {
  /** Recorded choices: per task, the worker named in each round (index 0 = round 1). */
  choices?: Record<string, string[]>;
  /** A policy function deciding each round (e.g. a scripted or simulated LLM router). */
  policy?: RouterPolicy;
  /** Name in reports (default `central`). */
  name?: string;
}

/**
 * The central-router interface: one decision maker names a worker per round. In replay it reads
 * recorded choices (e.g. a live run's router allocations) or calls a supplied policy. A choice
 * that is missing, names a worker not on the roster, or one that already failed the task makes
 * the principal abstain for that round. Reimbursed at cost.
 */
export function centralRouter(options: CentralRouterOptions): Mechanism {
  const { choices, policy } = options;
  if (!choices && !policy) throw new Error('centralRouter needs recorded choices or a policy');
  return {
    name: options.name ?? 'central',
    parameters: { source: policy ? 'policy' : 'recorded' },
    allocate: (task, _bids, context) => {
      const choice = policy ? policy(task, context) : (choices?.[task.taskId]?.[context.round - 1] ?? null);
      if (choice === null) return abstain({ reason: 'no choice' });
      if (!context.available.includes(choice)) return abstain({ reason: `choice '${choice}' not available` });
      return assignAtCost([choice], { choice });
    },
  };
}
