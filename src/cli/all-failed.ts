import { MarketBenchError } from '../core/errors.js';
import type { Store } from '../runtime/store/index.js';

/**
 * Throws (so the command exits 1 after its summary) when a session ran jobs and every one failed:
 * an unreachable model or a wrong key must not look like a finished run. Names the first error.
 * A session stopped by the budget or a signal is not counted.
 */
export function failWhenAllFailed(input: { store: Store; runId: string; done: number; failed: number; what: string; stopReason?: string | undefined }): void {
  // A run stopped by its budget or a signal said so already and resumes; that is not a failure.
  if (input.stopReason !== undefined || input.done > 0 || input.failed === 0) return;
  const first = input.store.listJobs({ runId: input.runId, status: 'failed' })[0]?.error ?? 'unknown error';
  throw new MarketBenchError(
    `every ${input.what} of run ${input.runId} failed (${input.failed}); first error: ${first.split('\n')[0]}; fix the cause and rerun the same command to retry the failed jobs (finished ones are not repeated)`,
  );
}
