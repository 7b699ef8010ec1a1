import type { JobOutcome } from '../jobs/job.js';
import { INCOMPLETE_EXIT_REASONS } from './agent-run.js';

/**
 * Exit reasons caused by the infrastructure, not the worker: the model could not be reached or
 * kept failing after its retries (`model-error`). The attempt is retried on a rerun instead of
 * being stored as a failure of the worker.
 */
export const INFRASTRUCTURE_EXIT_REASONS: ReadonlySet<string> = new Set(['model-error']);

/** What becomes of an agent run before evaluation. */
export type AgentRunVerdict =
  /** Evaluate the patch and store the attempt (the worker's own doing, whatever the result). */
  | { kind: 'evaluate' }
  /** Do not store an attempt: a rerun retries it (budget, abort, infrastructure). */
  | { kind: 'retry'; outcome: JobOutcome<never, never> };

/** Decides whether an agent run is judged (and stored) or retried, from its exit reason. */
export function classifyAgentRun(run: { exitReason: string; error: string | null; spentUsd: number }): AgentRunVerdict {
  if (INCOMPLETE_EXIT_REASONS.has(run.exitReason)) {
    return {
      kind: 'retry',
      outcome: {
        status: 'failed',
        spentUsd: run.spentUsd,
        error: `attempt cut short (${run.exitReason}): ${run.error ?? ''}`.trim(),
        stop: run.exitReason === 'budget' ? 'budget' : run.exitReason === 'aborted' ? 'signal' : undefined,
      },
    };
  }
  if (INFRASTRUCTURE_EXIT_REASONS.has(run.exitReason)) {
    return { kind: 'retry', outcome: infrastructureFailure({ stage: 'model', error: run.error ?? run.exitReason, spentUsd: run.spentUsd }) };
  }
  return { kind: 'evaluate' };
}

/**
 * A retryable job failure caused by the infrastructure (no model reachable, no sandbox, a judge
 * sandbox that could not start): the ledger keeps the job `failed` so a rerun retries it, and the
 * message says it was not the worker.
 */
export function infrastructureFailure<R>(input: { stage: 'sandbox' | 'model' | 'evaluation'; error: unknown; spentUsd: number; result?: R }): JobOutcome<R, never> {
  const message = input.error instanceof Error ? input.error.message : String(input.error);
  const where = input.stage === 'sandbox' ? 'the sandbox could not start' : input.stage === 'model' ? 'the model could not be reached' : 'the judge could not run';
  return {
    status: 'failed',
    spentUsd: input.spentUsd,
    error: `infrastructure error, retried on the next run (not the worker's failure): ${where}: ${message}`,
    ...(input.result !== undefined && { result: input.result }),
  };
}
