import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { StoredJob } from '../store/domain-rows.js';
import type { Store } from '../store/store.js';

/** The ledger's `payload` of a job: the job's payload plus the money bookkeeping of resumes. */
export const LedgerPayloadSchema = z.object({
  /** The job's payload as started. */
  job: z.unknown(),
  /** USD reserved for its first try. */
  reserveUsd: z.number().default(0),
  /** USD of earlier interrupted or failed tries carried into its recorded cost. */
  carriedUsd: z.number().default(0),
  /** Share of the job's cost charged to each arm (market runs; sums to 1). */
  charges: z.record(z.string(), z.number()).optional(),
});

/** A parsed ledger payload. */
export type LedgerPayload = z.infer<typeof LedgerPayloadSchema>;

/** The ledger payload of a stored job (an empty one when absent or unreadable: it then counts nothing). */
export function ledgerPayload(job: Pick<StoredJob, 'payload'>): LedgerPayload {
  const parsed = LedgerPayloadSchema.safeParse(job.payload ?? {});
  return parsed.success ? parsed.data : { job: undefined, reserveUsd: 0, carriedUsd: 0 };
}

/** USD a job left `started` by a killed session may have cost: its reservation plus what it carried. */
export function interruptedUsd(job: Pick<StoredJob, 'payload'>): number {
  const ledger = ledgerPayload(job);
  return ledger.reserveUsd + ledger.carriedUsd;
}

/** USD of earlier tries of a job that a new try carries into its recorded cost. */
export function carriedUsd(previous: StoredJob | undefined): number {
  if (previous === undefined) return 0;
  return previous.status === 'started' ? interruptedUsd(previous) : (previous.costUsd ?? 0);
}

/**
 * USD a run has already consumed: the recorded cost of its finished jobs plus, for jobs left
 * `started` by a killed session, their reservation (the provider may have billed them).
 */
export function priorRunSpendUsd(store: Store, runId: string): number {
  let total = store.jobSpendUsd(runId);
  for (const job of store.listJobs({ runId, status: 'started' })) total += interruptedUsd(job);
  return total;
}

/** A stored result read back through its schema; an error naming the job and field when it does not match. */
export function parseStoredResult<R>(schema: z.ZodType<R>, job: Pick<StoredJob, 'key' | 'kind' | 'result'>): R {
  const parsed = schema.safeParse(job.result ?? undefined);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidInputError(`stored result of ${job.kind} job ${job.key} does not match its schema: ${issue?.message ?? 'invalid'}`, {
    field: `jobs.result${issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}`,
  });
}

/** Results of a run's finished jobs of one kind, by key, read through the kind's result schema. */
export function doneJobResults<R>(store: Store, input: { runId: string; kind: string; result: z.ZodType<R> }): Map<string, R> {
  const done = new Map<string, R>();
  for (const job of store.listJobs({ runId: input.runId, status: 'done' })) {
    if (job.kind === input.kind) done.set(job.key, parseStoredResult(input.result, job));
  }
  return done;
}
