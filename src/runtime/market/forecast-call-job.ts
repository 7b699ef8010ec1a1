import type { JSONSchema7 } from 'ai';
import { z } from 'zod';
import type { Forecast } from '../../core/forecast.js';
import type { ForecastRecords } from '../elicit/forecast-job.js';
import { failedForecast } from '../elicit/parse-forecast.js';
import type { JobFunction, JobKind } from '../jobs/job.js';
import type { JobEngine, JobResult } from '../jobs/job-engine.js';
import type { SpendGate } from '../jobs/spend-gate.js';
import { callModel, reservationFor } from '../providers/call-model.js';
import { callFailure, callRecords, failedCallResponse, jobCallOptions } from '../providers/call-records.js';
import type { ResolvedModel } from '../providers/resolve-model.js';
import { type MarketCallContext, MarketCallPayloadSchema, withTimeout } from './market-calls.js';

/**
 * What every market forecast call's payload carries (a bid, a menu): who is asked, about what, and
 * the call itself. Each job kind extends it with its treatment and what it alone needs.
 */
export const ForecastCallPayloadSchema = MarketCallPayloadSchema.extend({
  /** The worker asked (its model is `calls.models` by this id). */
  workerId: z.string(),
  /** Seconds the worker has to answer. */
  timeoutSeconds: z.number().positive(),
});

/** A market forecast call's payload (see `ForecastCallPayloadSchema`). */
export type ForecastCallPayload = z.infer<typeof ForecastCallPayloadSchema>;

/** The forecast row's fields a reply parses into (everything but who, what and the raw text). */
export type ParsedForecastFields = Omit<Forecast, 'taskId' | 'workerId' | 'treatment' | 'repeat' | 'rawText'>;

/**
 * A market job function that asks a worker one forecast question (a bid, a menu): one model call
 * with an optional JSON schema, the reply parsed into a `forecasts` row with its raw request and
 * response. A reply, a timeout or a call that failed for good is final (`done`, an invalid row with
 * the reason), so every arm and every later session clears on the same answers; only a budget or a
 * stop signal leaves the job `failed` (tried again on resume).
 */
export function forecastCallJob<P extends ForecastCallPayload, R>(spec: {
  /** Models, limiters, cache and retries of the run. */
  calls: Omit<MarketCallContext, 'signal'>;
  /** The row's treatment. */
  treatment: Forecast['treatment'];
  /** What the worker was asked for, in the timeout's reason (`no bid within 30 s`). */
  asked: string;
  /** The structured-output schema (asked for when the payload says `structured`). */
  jsonSchema: (payload: P) => JSONSchema7;
  /** Reads the reply's text. */
  parse: (text: string, payload: P) => ParsedForecastFields;
  /** The job's result from its row, the timeout flag and the call's tokens. */
  reply: (input: { forecast: Forecast; timedOut: boolean; tokens: number }) => R;
}): JobFunction<P, R, ForecastRecords> {
  const { calls } = spec;
  return async (job, context) => {
    const { payload } = job;
    const model = calls.models.get(payload.workerId) as ResolvedModel;
    const base = { taskId: payload.taskId, workerId: payload.workerId, treatment: spec.treatment, repeat: 0 };
    const timer = withTimeout(context.signal, payload.timeoutSeconds * 1000);
    try {
      const jsonSchema = payload.structured ? spec.jsonSchema(payload) : undefined;
      const result = await callModel(jobCallOptions({ model, payload, context, services: calls, abortSignal: timer.signal, jsonSchema }));
      const forecast: Forecast = { ...base, ...spec.parse(result.text, payload), rawText: result.text };
      const tokens = result.usage.inputTokens + result.usage.outputTokens;
      return { status: 'done', spentUsd: result.spentUsd, result: spec.reply({ forecast, timedOut: false, tokens }), records: { forecast, ...callRecords(result) } };
    } catch (error) {
      const { failure, spentUsd, message, reason: callReason } = callFailure(error, model);
      if (context.signal.aborted) return { status: 'failed', spentUsd, error: `aborted: ${message}`, stop: 'signal' };
      if (failure?.reason === 'budget') return { status: 'failed', spentUsd, error: message, stop: 'budget' };
      const timedOut = timer.timedOut();
      const reason = timedOut ? `no ${spec.asked} within ${payload.timeoutSeconds} s` : callReason;
      const forecast = failedForecast(base, reason);
      return {
        status: 'done',
        spentUsd,
        result: spec.reply({ forecast, timedOut, tokens: 0 }),
        records: { forecast, costUsd: spentUsd, response: failedCallResponse(failure, reason) },
      };
    } finally {
      timer.clear();
    }
  };
}

/** One worker's forecast call (bid, menu) on one task. */
export interface CollectedForecastCall<R> {
  /** The worker. */
  workerId: string;
  /** Ledger key of the call. */
  jobKey: string;
  /** Pessimistic USD of the call's first try. */
  reserveUsd: number;
  /** The step's result (`failed` only when a budget or signal stopped it). */
  step: JobResult<R>;
}

/**
 * Asks every worker its forecast question at once, each a job of `kind` through the engine,
 * reserving the call's first try from `gate`. Calls done earlier come back from the store; one
 * another arm is making right now is joined, not made twice.
 */
export async function collectForecastCalls<Worker extends { id: string }, P extends ForecastCallPayload, R>(options: {
  /** The run's engine. */
  engine: JobEngine;
  /** The job kind (bid, menu). */
  kind: JobKind<P, R, ForecastRecords>;
  /** The workers asked. */
  workers: readonly Worker[];
  /** Resolved models by worker id (to price the first try). */
  models: ReadonlyMap<string, ResolvedModel>;
  /** A worker's job: its ledger key, payload and progress label. */
  job: (worker: Worker) => { key: string; payload: P; label: string };
  /** Budget the calls reserve from. */
  gate: SpendGate;
  /** Share of each call's cost charged to each arm. */
  charges: Record<string, number>;
}): Promise<CollectedForecastCall<R>[]> {
  return Promise.all(
    options.workers.map(async (worker) => {
      const { key, payload, label } = options.job(worker);
      const model = options.models.get(worker.id) as ResolvedModel;
      const reserveUsd = reservationFor({ model, system: payload.system, prompt: payload.prompt, maxOutputTokens: payload.maxOutputTokens });
      const step = await options.engine.run({ kind: options.kind, key, payload, charges: options.charges, reserveUsd, gate: options.gate, label });
      return { workerId: worker.id, jobKey: key, reserveUsd, step };
    }),
  );
}
