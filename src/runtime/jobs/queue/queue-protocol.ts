import { z } from 'zod';

/**
 * Version of what travels through Redis (job data, results, queue names). Bump it when their
 * shape changes: coordinators and workers refuse a queue that holds another version's jobs.
 */
export const QUEUE_PROTOCOL_VERSION = 1;

/** Redis key (under the prefix) recording the protocol of the jobs the queue holds. */
export const PROTOCOL_KEY = 'protocol';

/** Name of the queue that carries the jobs of one provider prefix (`openai`, `anthropic`, …). */
export function queueNameFor(provider: string): string {
  return `v${QUEUE_PROTOCOL_VERSION}.${provider}`;
}

/** The provider whose queue carries jobs that call no model (evaluations, local work). */
export const LOCAL_PROVIDER = 'local';

/** What the coordinator puts in a BullMQ job; the BullMQ job id is `key`. */
export const QueuedJobSchema = z.object({
  /** Protocol version of the coordinator that enqueued it. */
  protocol: z.number().int(),
  /** The job key (the ledger's key, also the BullMQ job id). */
  key: z.string().min(1),
  /** Registered job kind (`forecast`, `attempt`, …). */
  kind: z.string().min(1),
  /** The run the job belongs to. */
  runId: z.string().min(1),
  /** The provider prefix whose workers may run it. */
  provider: z.string().min(1),
  /** The first try's reserved money, USD: the worker's spending cap for the job. */
  reserveUsd: z.number().nonnegative(),
  /** The job's payload (checked again by the job kind's own schema). */
  payload: z.unknown(),
  /** The ledger's result of an earlier failed try of this key, if any. */
  previousResult: z.unknown().optional(),
  /** Run settings the worker's job function needs besides the payload (prices, retry policy, base URL); never keys. */
  settings: z.record(z.string(), z.unknown()).optional(),
});

/** A job as it travels to a worker. */
export type QueuedJob = z.infer<typeof QueuedJobSchema>;

/**
 * A job function's outcome as it travels back: plain data (records carry the rows to store,
 * trajectories included). The coordinator checks `result` and `records` against the job kind's
 * own schemas before it writes anything.
 */
export const WireOutcomeSchema = z.object({
  /** `done` or `failed`. */
  status: z.enum(['done', 'failed']),
  /** USD this try charged. */
  spentUsd: z.number().nonnegative(),
  /** Small result for the ledger. */
  result: z.unknown().optional(),
  /** Rows to store. */
  records: z.unknown().optional(),
  /** Error of a failed job (no secrets). */
  error: z.string().optional(),
  /** Short note for observers. */
  note: z.string().optional(),
  /** Set when a budget or stop signal cut the job short. */
  stop: z.enum(['budget', 'signal']).optional(),
});

/** A job outcome on the wire. */
export type WireOutcome = z.infer<typeof WireOutcomeSchema>;

/** What a worker returns for a job: its result with the identity the coordinator checks. */
export const JobResultEnvelopeSchema = z.object({
  /** Protocol version of the worker. */
  protocol: z.number().int(),
  /** Key of the job this result answers. */
  key: z.string().min(1),
  /** Run of the job this result answers. */
  runId: z.string().min(1),
  /** Kind of the job. */
  kind: z.string().min(1),
  /** How many times the job was started (1 + tries lost to killed or stalled workers). */
  starts: z.number().int().positive(),
  /** The worker's name (host and process), for the log. */
  worker: z.string(),
  /** How the job function says the job ended (its result and records are checked by the kind's schemas). */
  outcome: WireOutcomeSchema,
});

/** A worker's answer for one job. */
export type JobResultEnvelope = z.infer<typeof JobResultEnvelopeSchema>;
