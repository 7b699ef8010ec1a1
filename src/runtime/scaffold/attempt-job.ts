import { z } from 'zod';
import { AttemptSchema } from '../../core/attempt.js';
import { defineJobKind } from '../jobs/job.js';
import { AttemptCapsSchema } from './attempt-caps.js';

/** Everything an attempt job needs, as plain data (ids only; the function looks the rest up). */
export const AttemptPayloadSchema = z.object({
  /** The run. */
  runId: z.string(),
  /** The task. */
  taskId: z.string(),
  /** The worker. */
  workerId: z.string(),
  /** Repeat index (0 for the first attempt of a task by a worker). */
  repeat: z.number().int().min(0),
  /** Mechanism round that assigned the attempt (the live market's retries); default 1. */
  round: z.number().int().min(1).optional(),
  /** The winning plan's caps (a `scoring:plans` or `reputation:plans` arm); absent for single-point bids. */
  caps: AttemptCapsSchema.optional(),
});

/** An attempt job's payload. */
export type AttemptPayload = z.infer<typeof AttemptPayloadSchema>;

/** What the ledger keeps of a finished attempt. */
export const AttemptResultSchema = z.object({
  /** The suite's verdict. */
  resolved: z.boolean(),
  /** Why the agent stopped. */
  exitReason: z.string(),
  /** Model calls made. */
  steps: z.number(),
  /** Replies without exactly one command. */
  formatErrors: z.number(),
  /** USD of the agent's calls. */
  costUsd: z.number(),
});

/** An attempt job's ledger result. */
export type AttemptResult = z.infer<typeof AttemptResultSchema>;

/** What a failed evaluation leaves in the ledger, so a rerun only re-evaluates (the agent is not paid again). */
export const PendingEvaluationSchema = z.object({
  /** Marks the stage reached. */
  stage: z.literal('evaluate'),
  /** The agent's run without its trajectory. */
  agent: z.object({
    exitReason: z.string(),
    patch: z.string(),
    steps: z.number(),
    formatErrors: z.number(),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedInputTokens: z.number() }),
    costUsd: z.number(),
    wallTimeMs: z.number(),
    error: z.string().nullable(),
  }),
  /** Where its trajectory file is. */
  trajectoryRef: z.string(),
});

/** A pending evaluation (see `PendingEvaluationSchema`). */
export type PendingEvaluation = z.infer<typeof PendingEvaluationSchema>;

/** The `attempts` row an attempt leaves (written by the coordinator with the ledger's `finishJob`). */
export const AttemptRecordsSchema = z.object({
  /** The attempt and its outcome. */
  attempt: AttemptSchema,
  /** The stored trajectory with the verdict. */
  trajectory: z.unknown(),
});

/** An attempt job's records. */
export type AttemptRecords = z.infer<typeof AttemptRecordsSchema>;

/** The attempt job kind (`attempt` and `market`): the worker's scaffold in a sandbox, then the suite's judge. */
export const ATTEMPT_JOB = defineJobKind({
  kind: 'attempt',
  payload: AttemptPayloadSchema,
  result: AttemptResultSchema,
  records: AttemptRecordsSchema,
  commit: ({ store, job, records }) => store.putAttempt({ runId: job.runId, jobKey: job.key, attempt: records.attempt, trajectory: records.trajectory }),
});
