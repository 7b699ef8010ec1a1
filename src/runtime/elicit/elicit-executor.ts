import type { Forecast } from '../../core/forecast.js';
import type { JobFunction } from '../jobs/job.js';
import { callModel } from '../providers/call-model.js';
import { callFailure, callRecords, failedCallResponse, jobCallOptions, tryOutcomes } from '../providers/call-records.js';
import type { ProviderLimiters } from '../providers/provider-limiter.js';
import type { ResolvedModel } from '../providers/resolve-model.js';
import type { ResponseCache } from '../providers/response-cache.js';
import type { RetryPolicy } from '../providers/retry-policy.js';
import type { ElicitPayload, ForecastRecords, ForecastResult } from './forecast-job.js';
import { forecastJsonSchema } from './forecast-prompt.js';
import { failedForecast } from './parse-forecast.js';
import { parseElicitReply } from './parse-plans.js';

/** What the forecast executor needs. */
export interface ElicitExecutorOptions {
  /** Resolved models by reference. */
  models: ReadonlyMap<string, ResolvedModel>;
  /** Per-provider limiters. */
  limiters: ProviderLimiters;
  /** Response cache (undefined: off). */
  cache?: ResponseCache;
  /** Retry policy overrides. */
  retry?: Partial<RetryPolicy>;
}

/**
 * Runs one forecast job: calls the model (structured output when asked), parses the reply, and
 * returns the `forecasts` row (the coordinator stores it), valid or invalid, with its raw request and
 * response. A call that fails for good is stored as an invalid forecast with the reason and the
 * job ends `failed` (a rerun retries it); a call aborted by a signal writes nothing.
 */
export function makeElicitExecutor(options: ElicitExecutorOptions): JobFunction<ElicitPayload, ForecastResult, ForecastRecords> {
  return async (job, context) => {
    const payload = job.payload;
    const model = options.models.get(payload.workerId) as ResolvedModel;
    const base = { taskId: payload.taskId, workerId: payload.workerId, treatment: payload.treatment, repeat: payload.repeat };
    try {
      const result = await callModel(
        jobCallOptions({
          model,
          payload,
          context,
          services: options,
          abortSignal: context.signal,
          jsonSchema: payload.structured ? forecastJsonSchema(payload.treatment) : undefined,
          cacheSalt: payload.repeat,
        }),
      );
      const parsed = parseElicitReply(result.text, payload);
      const forecast: Forecast = {
        ...base,
        pSuccess: parsed.pSuccess,
        expectedTokens: parsed.expectedTokens,
        ask: parsed.ask,
        valid: parsed.valid,
        invalidReason: parsed.invalidReason,
        rawText: result.text,
        rationale: parsed.rationale,
        ...(parsed.menu && { menu: parsed.menu }),
      };
      return {
        status: 'done',
        spentUsd: result.spentUsd,
        note: parsed.valid ? (result.cacheHit ? 'cache hit' : undefined) : `invalid: ${parsed.invalidReason}`,
        result: { valid: parsed.valid, cacheHit: result.cacheHit, tries: tryOutcomes(result.tries) },
        records: { forecast, ...callRecords(result, { withWarnings: true }) },
      };
    } catch (error) {
      const { failure, spentUsd, message, reason } = callFailure(error, model);
      if (failure?.reason === 'aborted' || context.signal.aborted) {
        return { status: 'failed', spentUsd, error: `aborted: ${message}` };
      }
      const forecast = failedForecast(base, reason);
      return {
        status: 'failed',
        spentUsd,
        error: reason,
        note: reason,
        ...(failure?.reason === 'budget' && { stop: 'budget' as const }),
        result: { valid: false, tries: tryOutcomes(failure?.tries ?? []) },
        records: { forecast, costUsd: spentUsd, response: failedCallResponse(failure, reason) },
      };
    }
  };
}
