import type { Job, JobContext, JobFunction, JobOutcome } from './job.js';

/**
 * Where jobs execute: the seam between the coordinator (which alone writes the store and holds the
 * budget) and the code that does the paid work. The coordinator hands over a plain job
 * (`{ key, kind, runId, payload }`) and a context (the first try's reservation, a budget for
 * retries, a stop signal), and gets back a plain `JobOutcome` (status, USD spent, result, and the
 * records to store). `LocalExecutor` runs the registered function in this process; a queue
 * transport (e.g. BullMQ on Redis) implements the same interface by enqueueing the job under its
 * key and resolving with the outcome a `marketbench worker` sends back: the worker registers the
 * same functions, its own models and keys, and meters spending against the reservation's amount.
 */
export interface Executor {
  /** Runs one job; resolves with its outcome (never rejects for a worker's failure). */
  execute(job: Job, context: JobContext): Promise<JobOutcome>;
}

/** Runs jobs in this process by their kind's registered function. */
export class LocalExecutor implements Executor {
  private readonly functions = new Map<string, JobFunction>();

  /** Registers the function of a kind (replacing an earlier one). */
  register<P, R, W>(kind: string, run: JobFunction<P, R, W>): this {
    this.functions.set(kind, run as JobFunction);
    return this;
  }

  /** Whether a kind has a function. */
  has(kind: string): boolean {
    return this.functions.has(kind);
  }

  /** Runs the job's function; a missing function or a throw becomes a `failed` outcome. */
  async execute(job: Job, context: JobContext): Promise<JobOutcome> {
    const run = this.functions.get(job.kind);
    if (!run) return { status: 'failed', spentUsd: 0, error: `no function registered for job kind '${job.kind}'` };
    try {
      return await run(job, context);
    } catch (error) {
      return { status: 'failed', spentUsd: 0, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
