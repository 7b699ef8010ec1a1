import { z } from 'zod';
import { ForecastSchema } from '../../core/forecast.js';
import { TreatmentSchema } from '../../core/forecast.js';
import { PlanCapsSchema } from '../../core/plan.js';
import { defineJobKind, type JobKind } from '../jobs/job.js';

/** Everything a forecast job needs, as plain data (the prompt is built when the run is planned). */
export const ElicitPayloadSchema = z.object({
  /** The run. */
  runId: z.string(),
  /** The task. */
  taskId: z.string(),
  /** The worker id (= model reference). */
  workerId: z.string(),
  /** The treatment. */
  treatment: TreatmentSchema,
  /** Repeat index (0-based). */
  repeat: z.number().int().min(0),
  /** System message. */
  system: z.string(),
  /** User message. */
  prompt: z.string(),
  /** Output cap. */
  maxOutputTokens: z.number(),
  /** Sampling temperature. */
  temperature: z.number(),
  /** Whether JSON structured output is requested. */
  structured: z.boolean(),
  /** Held-out tasks on the self-knowledge card (treatment `card`). */
  cardTasks: z.number().optional(),
  /** Budgets offered (treatment `plans`); the reply is read against them. */
  planBudgets: z.array(PlanCapsSchema).optional(),
});

/** A forecast job's payload. */
export type ElicitPayload = z.infer<typeof ElicitPayloadSchema>;

/** One try of a model call, as a forecast's ledger result keeps it. */
const CallTrySchema = z.looseObject({ attempt: z.number(), outcome: z.string(), status: z.number().nullable().optional(), costUsd: z.number().nullable().optional() });

/** What the ledger keeps of a forecast job. */
export const ForecastResultSchema = z.object({
  /** Whether the reply parsed into an in-range forecast. */
  valid: z.boolean(),
  /** Whether the response came from the cache. */
  cacheHit: z.boolean().optional(),
  /** The call's tries. */
  tries: z.array(CallTrySchema),
});

/** A forecast job's ledger result. */
export type ForecastResult = z.infer<typeof ForecastResultSchema>;

/** The `forecasts` row a forecast or bid job leaves (written by the coordinator with the ledger's `finishJob`). */
export const ForecastRecordsSchema = z.object({
  /** The forecast, valid or not. */
  forecast: ForecastSchema,
  /** Input tokens of the call. */
  inputTokens: z.number().optional(),
  /** Output tokens. */
  outputTokens: z.number().optional(),
  /** Cached input tokens. */
  cachedTokens: z.number().optional(),
  /** USD of the call. */
  costUsd: z.number().optional(),
  /** Raw request (redacted). */
  request: z.unknown().optional(),
  /** Raw response (redacted) or the error. */
  response: z.unknown().optional(),
});

/** A forecast job's records. */
export type ForecastRecords = z.infer<typeof ForecastRecordsSchema>;

/** Declares a job kind whose records are one `forecasts` row (elicit's forecasts, the market's bids and menus). */
export function forecastJobKind<P, R>(input: { kind: string; payload: z.ZodType<P>; result: z.ZodType<R> }): JobKind<P, R, ForecastRecords> {
  return defineJobKind({
    ...input,
    records: ForecastRecordsSchema,
    commit: ({ store, job, records }) => store.putForecast({ runId: job.runId, jobKey: job.key, ...records }),
  });
}

/** The forecast job kind of `elicit`: one model call, one `forecasts` row. */
export const FORECAST_JOB = forecastJobKind({ kind: 'forecast', payload: ElicitPayloadSchema, result: ForecastResultSchema });
