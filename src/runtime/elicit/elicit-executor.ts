import type { Forecast } from '../../core/forecast.js';
import type { JobFunction } from '../jobs/job.js';
import { callModel } from '../providers/call-model.js';
import { ProviderCallError } from '../providers/errors.js';
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
      const result = await callModel({
        model,
        system: payload.system,
        prompt: payload.prompt,
        maxOutputTokens: payload.maxOutputTokens,
        temperature: payload.temperature,
        ...(payload.structured && { jsonSchema: forecastJsonSchema(payload.treatment) }),
        abortSignal: context.signal,
        reservation: context.reservation,
        budget: context.budget,
        limiter: options.limiters.get(model.prefix, model.provider),
        cache: options.cache,
        cacheSalt: payload.repeat,
        retry: options.retry,
      });
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
        result: { valid: parsed.valid, cacheHit: result.cacheHit, tries: result.tries.map(({ attempt, outcome, status, costUsd }) => ({ attempt, outcome, status, costUsd })) },
        records: {
          forecast,
          inputTokens: result.usage.inputTokens,
          outputTokens: result.usage.outputTokens,
          cachedTokens: result.usage.cachedInputTokens,
          costUsd: result.costUsd ?? undefined,
          request: result.request,
          response: {
            ...(result.response as Record<string, unknown>),
            finishReason: result.finishReason,
            ...(result.warnings.length > 0 && { warnings: result.warnings }),
          },
        },
      };
    } catch (error) {
      const failure = ProviderCallError.isInstance(error) ? error : undefined;
      const message = model.redact(error instanceof Error ? error.message : String(error));
      const spentUsd = failure?.spentUsd ?? 0;
      if (failure?.reason === 'aborted' || context.signal.aborted) {
        return { status: 'failed', spentUsd, error: `aborted: ${message}` };
      }
      const reason = `call failed (${failure?.reason ?? 'error'}): ${message}`;
      const forecast = failedForecast(base, reason);
      return {
        status: 'failed',
        spentUsd,
        error: reason,
        note: reason,
        ...(failure?.reason === 'budget' && { stop: 'budget' as const }),
        result: { valid: false, tries: failure?.tries.map(({ attempt, outcome, status, costUsd }) => ({ attempt, outcome, status, costUsd })) ?? [] },
        records: {
          forecast,
          costUsd: spentUsd,
          response: { error: reason, tries: failure?.tries.map(({ attempt, outcome, status }) => ({ attempt, outcome, status })) ?? [] },
        },
      };
    }
  };
}
